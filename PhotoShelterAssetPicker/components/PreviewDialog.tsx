import * as React from "../platform/react";
import {
  Body1,
  Button,
  Caption1,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  MessageBar,
  MessageBarBody,
  Text,
  useFluent,
} from "@fluentui/react-components";
import { ArrowDownload20Regular } from "@fluentui/react-icons";
import type { LinkedAssetView } from "../domain/linkedView";
import type { FormatDate } from "../domain/dates";
import type { DownloadSize } from "../services/proxyClient";
import { format } from "../services/strings";
import { AssetThumbnail, MediaIcon } from "./AssetThumbnail";
import { Facts } from "./Facts";
import { expiryText } from "./LinkedAssetItem";
import { PickerDialog } from "./PickerDialog";
import { RightsBadge } from "./RightsBadge";
import { useStrings } from "./Strings";


export interface PreviewDialogProps {
  items: readonly LinkedAssetView[];
  index: number;
  onIndexChange: (index: number) => void;
  onClose: () => void;
  formatDate: FormatDate;
  onOpenInPhotoShelter: (url: string) => void;
  onDownload: (mediaId: string, size: DownloadSize) => void;
  /** More about the asset under its metadata (where it is used). */
  details?: (mediaId: string) => React.ReactNode;
}

const DOWNLOAD_SIZES: readonly DownloadSize[] = ["original", "large", "medium"];

/** Large preview of a linked asset with all its metadata; ← and → move through the linked assets. */
export const PreviewDialog = React.memo(function PreviewDialog(props: PreviewDialogProps) {
  const { items, index, onIndexChange, onClose, formatDate } = props;
  const getString = useStrings();
  const isRTL = useFluent().dir === "rtl";
  const [copied, setCopied] = React.useState(false);
  const item = items[index];
  React.useEffect(() => setCopied(false), [index]);
  if (!item) return null;
  const { link, live } = item;
  const fileName = live?.fileName ?? link.fileName;
  const mediaType = live?.mediaType ?? link.mediaType;
  const hasPrevious = index > 0;
  const hasNext = index < items.length - 1;

  const onKeyDown = (event: React.KeyboardEvent) => {
    // Arrow keys inside a text field or menu belong to that field.
    if ((event.target as HTMLElement).closest("input, textarea, [role=menu]")) return;
    const forward = isRTL ? "ArrowLeft" : "ArrowRight";
    const back = isRTL ? "ArrowRight" : "ArrowLeft";
    if (event.key === forward && hasNext) onIndexChange(index + 1);
    else if (event.key === back && hasPrevious) onIndexChange(index - 1);
    else return;
    event.preventDefault();
  };

  const yesNo = (value: boolean) => getString(value ? "Value_Yes" : "Value_No");
  const expiry = expiryText(item, formatDate);
  const facts: [string, string | null][] = live
    ? [
        ["Meta_Caption", live.caption],
        ["Meta_Credit", live.credit],
        ["Meta_Copyright", live.copyright],
        ["Meta_Keywords", live.keywords.length > 0 ? live.keywords.join(", ") : null],
        ["Meta_UsageRights", live.usageRights],
        ["Meta_Releases", format(getString("Meta_ReleasesValue"), yesNo(live.releases.model), yesNo(live.releases.property))],
        ["Meta_Dimensions", live.width && live.height ? format(getString("Meta_DimensionsValue"), live.width, live.height) : null],
        ["Meta_Expires", expiry ?? getString("Meta_NoExpiry")],
        ["Meta_Version", live.version],
        ["Meta_MediaId", live.id],
      ]
    : [
        ["Meta_Expires", expiry],
        ["Meta_Version", link.version],
        ["Meta_MediaId", link.mediaId],
      ];

  let media: React.ReactNode;
  if (mediaType === "document" || mediaType === "audio" || !live) {
    media = (
      <div className="psh-document-card">
        {live && mediaType === "audio" ? <AssetThumbnail src={live.previewUrl} mediaType="video" size="large" /> : <MediaIcon mediaType={mediaType} />}
        <Text weight="semibold">{fileName}</Text>
        <Caption1>{getString(`MediaType_${mediaType ?? "image"}`)}</Caption1>
      </div>
    );
  } else {
    media = <AssetThumbnail src={live.previewUrl} mediaType={mediaType} width={live.width} height={live.height} size="large" />;
  }

  return (
    <PickerDialog
      title={fileName}
      onClose={onClose}
      onKeyDown={onKeyDown}
      fluidActions
      actions={
        <>
          <div className="psh-preview-navigation">
            <Button disabled={!hasPrevious} onClick={() => onIndexChange(index - 1)}>
              {getString("Preview_Previous")}
            </Button>
            <Body1 aria-live="polite">{format(getString("Preview_Position"), index + 1, items.length)}</Body1>
            <Button disabled={!hasNext} onClick={() => onIndexChange(index + 1)}>
              {getString("Preview_Next")}
            </Button>
          </div>
          {live ? (
            <>
              <Button onClick={() => props.onOpenInPhotoShelter(live.photoShelterUrl)}>{getString("Action_OpenInPhotoShelter")}</Button>
              <Menu>
                <MenuTrigger disableButtonEnhancement>
                  <Button icon={<ArrowDownload20Regular />}>{getString("Action_Download")}</Button>
                </MenuTrigger>
                <MenuPopover>
                  <MenuList>
                    {DOWNLOAD_SIZES.map((size) => (
                      <MenuItem key={size} onClick={() => props.onDownload(live.id, size)}>
                        {getString(`Download_${size}`)}
                      </MenuItem>
                    ))}
                  </MenuList>
                </MenuPopover>
              </Menu>
              <Button
                onClick={async () => {
                  await navigator.clipboard?.writeText(live.photoShelterUrl);
                  setCopied(true);
                }}
              >
                {getString(copied ? "Preview_LinkCopied" : "Action_CopyLink")}
              </Button>
            </>
          ) : null}
        </>
      }
    >
      {item.unavailable ? (
        <MessageBar intent="warning">
          <MessageBarBody>{getString("OutsideSegment_Explanation")}</MessageBarBody>
        </MessageBar>
      ) : null}
      <div className="psh-preview-layout">
        <div>{media}</div>
        <div>
          <RightsBadge rights={item.rights} />
          <Facts label={getString("Meta_Label")} facts={facts} />
          {props.details?.(link.mediaId)}
        </div>
      </div>
    </PickerDialog>
  );
});
