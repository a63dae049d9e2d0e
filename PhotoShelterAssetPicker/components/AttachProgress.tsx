import * as React from "react";
import { Button, Caption1, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { CheckmarkCircle16Filled, DismissCircle16Filled, Link16Regular } from "@fluentui/react-icons";
import type { AttachItem } from "../hooks/useAttach";
import { GetString, format } from "../services/strings";

const useStyles = makeStyles({
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS, maxHeight: "160px", overflowY: "auto" },
  item: { display: "flex", alignItems: "center", gap: tokens.spacingHorizontalS },
  name: { flexGrow: 1, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  failed: { color: tokens.colorPaletteRedForeground1 },
  done: { color: tokens.colorPaletteGreenForeground1 },
});

/** Per-asset progress of an attach: attaching, attached, already linked, or failed with a retry. */
export const AttachProgress = React.memo(function AttachProgress(props: { items: readonly AttachItem[]; getString: GetString; disabled: boolean; onRetry: (assetId: string) => void }) {
  const { items, getString, disabled, onRetry } = props;
  const styles = useStyles();
  if (items.length === 0) return null;
  return (
    <ul className={styles.list} aria-label={getString("Attach_ProgressLabel")}>
      {items.map(({ asset, status, error }) => (
        <li key={asset.id} className={styles.item}>
          {status === "attaching" ? <Spinner size="extra-tiny" /> : null}
          {status === "attached" ? <CheckmarkCircle16Filled className={styles.done} /> : null}
          {status === "alreadyLinked" ? <Link16Regular /> : null}
          {status === "failed" ? <DismissCircle16Filled className={styles.failed} /> : null}
          <Text className={styles.name}>{asset.fileName}</Text>
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
