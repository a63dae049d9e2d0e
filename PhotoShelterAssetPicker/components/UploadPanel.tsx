import * as React from "react";
import { Button, Caption1, ProgressBar, Spinner, Subtitle2, Text, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { ArrowUpload20Regular, Camera20Regular } from "@fluentui/react-icons";
import { UploadItem, isRetryable, sizeText, summarize } from "../domain/uploads";
import type { Uploads } from "../hooks/useUploads";
import { GetString, format } from "../services/strings";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalS },
  zone: {
    display: "flex",
    flexWrap: "wrap",
    alignItems: "center",
    gap: tokens.spacingHorizontalM,
    padding: tokens.spacingVerticalM,
    border: `${tokens.strokeWidthThick} dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  over: { border: `${tokens.strokeWidthThick} dashed ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorBrandBackground2 },
  list: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXS },
  item: { display: "grid", gridTemplateColumns: "minmax(0, 2fr) minmax(0, 3fr) auto", alignItems: "center", gap: tokens.spacingHorizontalS },
  name: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  progress: { display: "flex", flexDirection: "column", gap: tokens.spacingVerticalXXS },
  failed: { color: tokens.colorPaletteRedForeground1 },
  hidden: { display: "none" },
});

export interface UploadPanelProps {
  uploads: Uploads;
  getString: GetString;
  formatNumber: (value: number, digits: number) => string;
  /** "Take photo" where the platform has a camera (the Dynamics mobile app); null elsewhere. */
  onCapture: (() => void) | null;
  /** "Choose files" through the platform's own picker (mobile) instead of the browser's; null to use the browser's. */
  onPickWithPlatform: (() => void) | null;
}

function statusText(item: UploadItem, getString: GetString, limitText: string): string {
  switch (item.status) {
    case "rejected":
      return item.rejection === "size" ? format(getString("Upload_TooLarge"), limitText) : getString(item.rejection === "empty" ? "Upload_Empty" : "Upload_WrongType");
    case "failed":
      return format(getString(item.asset ? "Upload_LinkFailed" : "Upload_Failed"), item.error ?? "");
    default:
      return getString(`Upload_${item.status}`);
  }
}

/** "Upload evidence": drop files or choose them (the keyboard's way in), see each file's progress, cancel or retry each. */
export const UploadPanel = React.memo(function UploadPanel(props: UploadPanelProps) {
  const { uploads, getString, formatNumber, onCapture, onPickWithPlatform } = props;
  const styles = useStyles();
  const input = React.useRef<HTMLInputElement>(null);
  const [over, setOver] = React.useState(false);
  const { items, limits } = uploads;
  const summary = summarize(items);
  const size = (bytes: number) => {
    const { value, unit } = sizeText(bytes, formatNumber);
    return format(getString(`Size_${unit}`), value);
  };
  const limitText = limits ? size(limits.maxBytes) : "";

  const addFiles = (list: FileList | null) => {
    if (!list) return;
    uploads.add(Array.from(list, (file) => ({ file, fileName: file.name })));
  };
  const onDrop = (event: React.DragEvent) => {
    event.preventDefault();
    setOver(false);
    addFiles(event.dataTransfer.files);
  };

  return (
    <section className={styles.root} aria-label={getString("Upload_Title")}>
      <Subtitle2 as="h3">{getString("Upload_Title")}</Subtitle2>
      <div
        className={mergeClasses(styles.zone, over && styles.over)}
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        data-testid="upload-drop-zone"
      >
        <Text>{getString("Upload_DropHere")}</Text>
        <Button icon={<ArrowUpload20Regular />} disabled={!limits} onClick={() => (onPickWithPlatform ? onPickWithPlatform() : input.current?.click())}>
          {getString("Upload_ChooseFiles")}
        </Button>
        {onCapture ? (
          <Button icon={<Camera20Regular />} disabled={!limits} onClick={onCapture}>
            {getString("Upload_TakePhoto")}
          </Button>
        ) : null}
        <input
          ref={input}
          className={styles.hidden}
          type="file"
          multiple
          accept={limits?.allowedTypes.join(",")}
          aria-label={getString("Upload_ChooseFiles")}
          tabIndex={-1}
          onChange={(event) => {
            addFiles(event.target.files);
            event.target.value = "";
          }}
        />
        <Caption1>{limits ? format(getString("Upload_Limits"), limitText, limits.allowedTypes.map((type) => type.split("/")[1].toUpperCase()).join(", ")) : uploads.limitsError ?? <Spinner size="extra-tiny" />}</Caption1>
      </div>
      {items.length > 0 ? (
        <>
          <div className={styles.progress}>
            <ProgressBar value={summary.fraction} thickness="large" aria-label={getString("Upload_Overall")} />
            <Caption1 role="status" aria-live="polite">
              {format(getString("Upload_Summary"), summary.done, summary.total, summary.failed, summary.rejected)}
            </Caption1>
          </div>
          <ul className={styles.list} aria-label={getString("Upload_ListLabel")}>
            {items.map((item) => (
              <li key={item.key} className={styles.item} data-status={item.status}>
                <Text className={styles.name} title={item.fileName}>
                  {item.fileName} <Caption1>({size(item.size)})</Caption1>
                </Text>
                <div className={styles.progress}>
                  {item.status === "uploading" || item.status === "linking" || item.status === "queued" ? (
                    <ProgressBar value={item.status === "queued" ? 0 : item.size > 0 ? Math.min(item.loaded / item.size, 1) : undefined} aria-label={format(getString("Upload_FileProgress"), item.fileName)} />
                  ) : null}
                  <Caption1 className={item.status === "failed" || item.status === "rejected" ? styles.failed : undefined}>{statusText(item, getString, limitText)}</Caption1>
                </div>
                <div>
                  {item.status === "uploading" || item.status === "queued" ? (
                    <Button size="small" aria-label={format(getString("Upload_CancelFile"), item.fileName)} onClick={() => uploads.cancel(item.key)}>
                      {getString("Action_Cancel")}
                    </Button>
                  ) : null}
                  {isRetryable(item) ? (
                    <Button size="small" aria-label={format(getString("Upload_RetryFile"), item.fileName)} onClick={() => uploads.retry(item.key)}>
                      {getString("Action_Retry")}
                    </Button>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
          {summary.active === 0 ? (
            <Button appearance="subtle" onClick={uploads.clear}>
              {getString("Upload_ClearFinished")}
            </Button>
          ) : null}
        </>
      ) : null}
    </section>
  );
});
