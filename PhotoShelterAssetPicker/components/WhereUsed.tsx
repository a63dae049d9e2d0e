import * as React from "../platform/react";
import { Caption1, Link, Spinner, Text } from "@fluentui/react-components";
import type { UsedOn } from "../domain/whereUsed";
import { useWhereUsed } from "../hooks/useRecordData";
import type { AssetLinkStore } from "../services/assetLinkStore";
import type { HostRecord } from "../services/hostRecord";
import { event } from "../../solution/model/targets";

import { useStrings } from "./Strings";

/** The resx key of a table's name; Event's is Table_event, so no msevtmgt_ name is in the core solution's files. */
function tableNameKey(entityName: string): string {
  return `Table_${entityName === event.logicalName ? "event" : entityName}`;
}

export interface WhereUsedProps {
  mediaId: string;
  store: AssetLinkStore;
  host: HostRecord | null;
  onOpen: (record: UsedOn) => void;
}

/** The other records this asset is linked to that the user may open: what replacing it would touch. */
export const WhereUsed = React.memo(function WhereUsed(props: WhereUsedProps) {
  const { mediaId, store, host, onOpen } = props;
  const getString = useStrings();
  const { records, error } = useWhereUsed(store, mediaId, host);
  let body: React.ReactNode;
  if (error) body = <Caption1 className="psh-muted">{getString("WhereUsed_Failed")}</Caption1>;
  else if (!records) body = <Spinner size="extra-tiny" label={getString("WhereUsed_Loading")} />;
  else if (records.length === 0) body = <Caption1 className="psh-muted">{getString("WhereUsed_None")}</Caption1>;
  else
    body = (
      <ul className="psh-plain-list psh-stack-tight" aria-label={getString("WhereUsed_Title")}>
        {records.map((record) => (
          <li key={`${record.entityName}:${record.id}`}>
            <Caption1 className="psh-muted">{getString(tableNameKey(record.entityName))}: </Caption1>
            <Link onClick={() => onOpen(record)}>{record.name}</Link>
          </li>
        ))}
      </ul>
    );
  return (
    <div className="psh-where-used">
      <Text weight="semibold">{getString("WhereUsed_Title")}</Text>
      {body}
    </div>
  );
});
