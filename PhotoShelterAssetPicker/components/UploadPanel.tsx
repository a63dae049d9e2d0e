import * as React from "../platform/react";
import { Button, Caption1, ProgressBar, Spinner, Subtitle2, Text } from "@fluentui/react-components";
import { ArrowUpload20Regular, Camera20Regular } from "@fluentui/react-icons";
import { UploadItem, isRetryable, sizeText, summarize } from "../domain/uploads";
import type { Uploads } from "../hooks/useUploads";
import { GetString, format, message } from "../services/strings";
import { useStrings } from "./Strings";


export interface UploadPanelProps {
  uploads: Uploads;
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
  const { uploads, formatNumber, onCapture, onPickWithPlatform } = props;
  const getString = useStrings();
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
    <section className="psh-stack" aria-label={getString("Upload_Title")}>
      <Subtitle2 as="h3">{getString("Upload_Title")}</Subtitle2>
      <div
        className={over ? "psh-drop psh-drop-over" : "psh-drop"}
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
          hidden
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
          <div className="psh-stack-tight">
            <ProgressBar value={summary.fraction} thickness="large" aria-label={getString("Upload_Overall")} />
            <Caption1 role="status" aria-live="polite">
              {message(getString, "Upload_Summary", summary.done, summary.total, summary.failed, summary.rejected)}
            </Caption1>
          </div>
          <ul className="psh-plain-list psh-stack-tight" aria-label={getString("Upload_ListLabel")}>
            {items.map((item) => (
              <li key={item.key} className="psh-upload-item" data-status={item.status}>
                <Text truncate wrap={false} title={item.fileName}>
                  {item.fileName} <Caption1>({size(item.size)})</Caption1>
                </Text>
                <div className="psh-stack-tight">
                  {item.status === "uploading" || item.status === "linking" || item.status === "queued" ? (
                    <ProgressBar value={item.status === "queued" ? 0 : item.size > 0 ? Math.min(item.loaded / item.size, 1) : undefined} aria-label={format(getString("Upload_FileProgress"), item.fileName)} />
                  ) : null}
                  <Caption1 className={item.status === "failed" || item.status === "rejected" ? "psh-failed" : undefined}>{statusText(item, getString, limitText)}</Caption1>
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
