import * as React from "../platform/react";
import { Badge, Button, Caption1, MessageBar, MessageBarActions, MessageBarBody, Spinner, Subtitle2, Text } from "@fluentui/react-components";
import type { RecordCollection } from "../../contract/proxyApi";
import { FormatDate, calendarDate } from "../domain/dates";
import type { RecordCollectionState } from "../hooks/useRecordData";
import { format } from "../services/strings";
import { Facts } from "./Facts";
import { ProxyStatusBar } from "./ProxyStatusBar";
import { useStrings } from "./Strings";


const SYNC_COLOR = { synced: "success", pending: "informative", failed: "danger" } as const;

export interface CollectionSectionProps {
  /** "campaign" or "event": the words of the section. */
  profile: "campaign" | "event";
  state: RecordCollectionState;
  formatDate: FormatDate;
  canCreate: boolean;
  onBrowse: (link: NonNullable<RecordCollection["link"]>) => void;
}

/** The record's PhotoShelter collection: what it carries, whether it is in sync, and "Create collection" where there is none. */
export const CollectionSection = React.memo(function CollectionSection(props: CollectionSectionProps) {
  const { profile, state, formatDate, canCreate, onBrowse } = props;
  const getString = useStrings();
  const link = state.value?.link ?? null;
  const carried = state.value?.collection ?? null;
  // The resx keys end in the record's kind: Collection_TitleEvent, Collection_NoneCampaign, …
  const kind = profile === "event" ? "Event" : "Campaign";
  const title = getString(`Collection_Title${kind}`);

  let body: React.ReactNode;
  if (state.isLoading) body = <Spinner size="tiny" label={getString("Collection_Loading")} />;
  else if (state.error && !state.value) body = <ProxyStatusBar error={state.error} onRetry={state.retry} />;
  else if (!link)
    body = (
      <>
        <Text>{getString(`Collection_None${kind}`)}</Text>
        {canCreate ? (
          <div>
            <Button appearance="primary" disabled={state.isCreating} onClick={() => void state.create()}>
              {getString(state.isCreating ? "Collection_Creating" : "Collection_Create")}
            </Button>
          </div>
        ) : null}
      </>
    );
  else {
    const synced = calendarDate(link.lastSyncedOn);
    const facts: [string, string | null][] = [
      ["Collection_Name", carried?.name ?? link.name],
      ["Collection_Audience", carried?.audience ?? null],
      ["Collection_LaunchDate", carried?.launchDate ? formatDate(calendarDate(carried.launchDate)!) : null],
      ["Collection_Owner", carried?.owner ?? null],
      ["Collection_LastSynced", synced ? formatDate(synced) : null],
    ];
    body = (
      <>
        <div className="psh-title-row">
          <Text weight="semibold">{carried?.name ?? link.name}</Text>
          {link.syncStatus ? (
            <Badge appearance="tint" color={SYNC_COLOR[link.syncStatus]}>
              {getString(`Sync_${link.syncStatus}`)}
            </Badge>
          ) : null}
        </div>
        {link.syncStatus === "failed" ? (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>{format(getString("Collection_SyncFailed"), link.lastError ?? "")}</MessageBarBody>
            {canCreate ? (
              <MessageBarActions>
                <Button disabled={state.isCreating} onClick={() => void state.create()}>
                  {getString("Action_Retry")}
                </Button>
              </MessageBarActions>
            ) : null}
          </MessageBar>
        ) : null}
        <Facts label={getString("Collection_Facts")} facts={facts} />
        <div>
          <Button onClick={() => onBrowse(link)}>{getString("Collection_Browse")}</Button>
        </div>
      </>
    );
  }

  return (
    <section className="psh-stack" aria-label={title}>
      <Subtitle2 as="h3">{title}</Subtitle2>
      {body}
      {state.createError ? (
        <Caption1 role="alert">{format(getString("Collection_CreateFailed"), state.createError.message)}</Caption1>
      ) : state.isCreating ? (
        <Caption1 role="status">{getString("Collection_Creating")}</Caption1>
      ) : null}
    </section>
  );
});
