import * as React from "../platform/react";
import { Button, Caption1, Spinner, Text } from "@fluentui/react-components";
import { CheckmarkCircle16Filled, DismissCircle16Filled, Link16Regular } from "@fluentui/react-icons";
import type { AttachItem, AttachStatus } from "../hooks/useAttach";
import { format } from "../services/strings";
import { useStrings } from "./Strings";

/** What each status looks like next to the file name (its words follow). */
const STATUS_ICON: Record<AttachStatus, React.ReactElement> = {
  attaching: <Spinner size="extra-tiny" />,
  attached: <CheckmarkCircle16Filled className="psh-done" />,
  alreadyLinked: <Link16Regular />,
  failed: <DismissCircle16Filled className="psh-failed" />,
};

/** Per-asset progress of an attach: attaching, attached, already linked, or failed with a retry. */
export const AttachProgress = React.memo(function AttachProgress(props: { items: readonly AttachItem[]; disabled: boolean; onRetry: (assetId: string) => void }) {
  const { items, disabled, onRetry } = props;
  const getString = useStrings();
  if (items.length === 0) return null;
  return (
    <ul className="psh-plain-list psh-progress" aria-label={getString("Attach_ProgressLabel")}>
      {items.map(({ asset, status, error }) => (
        <li key={asset.id}>
          {STATUS_ICON[status]}
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
