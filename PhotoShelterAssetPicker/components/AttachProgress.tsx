import * as React from "../platform/react";
import { Button, Caption1, Spinner, Text } from "@fluentui/react-components";
import { CheckmarkCircle16Filled, DismissCircle16Filled, Link16Regular } from "@fluentui/react-icons";
import type { AttachItem } from "../hooks/useAttach";
import { format } from "../services/strings";
import { useStrings } from "./Strings";


/** Per-asset progress of an attach: attaching, attached, already linked, or failed with a retry. */
export const AttachProgress = React.memo(function AttachProgress(props: { items: readonly AttachItem[]; disabled: boolean; onRetry: (assetId: string) => void }) {
  const { items, disabled, onRetry } = props;
  const getString = useStrings();
  if (items.length === 0) return null;
  return (
    <ul className="psh-plain-list psh-progress" aria-label={getString("Attach_ProgressLabel")}>
      {items.map(({ asset, status, error }) => (
        <li key={asset.id}>
          {status === "attaching" ? <Spinner size="extra-tiny" /> : null}
          {status === "attached" ? <CheckmarkCircle16Filled className="psh-done" /> : null}
          {status === "alreadyLinked" ? <Link16Regular /> : null}
          {status === "failed" ? <DismissCircle16Filled className="psh-failed" /> : null}
          <Text className="psh-grow" truncate wrap={false}>
            {asset.fileName}
          </Text>
          <Caption1 role="status">{status === "failed" ? format(getString("Attach_Failed"), error ?? "") : getString(`Attach_${status}`)}</Caption1>
          {status === "failed" ? (
            <Button size="small" disabled={disabled} aria-label={format(getString("Attach_RetryAsset"), asset.fileName)} onClick={() => onRetry(asset.id)}>
              {getString("Action_Retry")}
            </Button>
          ) : null}
        </li>
      ))}
    </ul>
  );
});
