import * as React from "../platform/react";
import { Badge, Button, Caption1, Checkbox, Text, Tooltip, useRestoreFocusTarget } from "@fluentui/react-components";
import { ArrowSync16Regular, LinkDismiss20Regular, LockClosed16Filled } from "@fluentui/react-icons";
import type { LinkedAssetView } from "../domain/linkedView";
import { FormatDate, calendarDate } from "../domain/dates";
import { format } from "../services/strings";
import { AssetThumbnail } from "./AssetThumbnail";
import { RightsBadge } from "./RightsBadge";
import type { ViewMode } from "../hooks/useViewMode";
import { useStrings } from "./Strings";


export interface LinkedAssetItemProps {
  item: LinkedAssetView;
  index: number;
  mode: ViewMode;
  formatDate: FormatDate;
  selected: boolean;
  canDetach: boolean;
  onPreview: (index: number) => void;
  onSelect: (mediaId: string, selected: boolean) => void;
  onDetach: (item: LinkedAssetView) => void;
}

/** A badge whose tooltip says what it means: the resx keys <words>_Badge and <words>_Explanation. */
function ExplainedBadge(props: { color: "warning" | "danger"; icon: React.ReactElement; words: string }) {
  const getString = useStrings();
  return (
    <Tooltip content={getString(`${props.words}_Explanation`)} relationship="description">
      <Badge appearance="outline" color={props.color} icon={props.icon}>
        <span className="psh-badge-text">{getString(`${props.words}_Badge`)}</span>
      </Badge>
    </Tooltip>
  );
}

/** The expiry date in the user's format: PhotoShelter's when live, else the row's. */
export function expiryText(item: LinkedAssetView, formatDate: FormatDate): string | null {
  const date = calendarDate(item.live ? item.live.expiresOn : item.link.expiresOn);
  if (item.live) return date ? formatDate(date) : null;
  return item.link.expiresOnText || (date ? formatDate(date) : null);
}

export const LinkedAssetItem = React.memo(function LinkedAssetItem(props: LinkedAssetItemProps) {
  const { item, index, mode, formatDate, selected, canDetach, onPreview, onSelect, onDetach } = props;
  const getString = useStrings();
  const { link, live } = item;
  const fileName = live?.fileName ?? link.fileName;
  const expiry = expiryText(item, formatDate);
  const version = live ? live.version : link.version;
  // Focus comes back to the button that opened the preview or the detach dialog.
  const restoreFocus = useRestoreFocusTarget();
  return (
    <li className={mode === "list" ? "psh-card psh-card-row" : "psh-card"} aria-label={fileName}>
      <Button {...restoreFocus} appearance="transparent" className="psh-card-preview" aria-label={format(getString("Action_PreviewAsset"), fileName)} onClick={() => onPreview(index)}>
        <AssetThumbnail src={live?.thumbnailUrl ?? null} mediaType={live?.mediaType ?? link.mediaType} width={live?.width} height={live?.height} size={mode === "list" ? "small" : "medium"} />
      </Button>
      <div className="psh-card-details">
        <Text weight="semibold" truncate wrap={false} title={fileName}>
          {fileName}
        </Text>
        <div className="psh-badges">
          <RightsBadge rights={item.rights} />
          {item.stale ? <ExplainedBadge color="warning" icon={<ArrowSync16Regular />} words="Stale" /> : null}
          {item.unavailable ? <ExplainedBadge color="danger" icon={<LockClosed16Filled />} words="OutsideSegment" /> : null}
        </div>
        {expiry ? <Caption1>{format(getString("Linked_Expires"), expiry)}</Caption1> : null}
        {version ? <Caption1>{format(getString("Linked_Version"), version)}</Caption1> : null}
        {link.linkedBy || link.linkedOnText ? <Caption1>{format(getString("Linked_ByOn"), link.linkedBy || "—", link.linkedOnText || "—")}</Caption1> : null}
      </div>
      <div className="psh-card-actions">
        <Checkbox checked={selected} aria-label={format(getString("Action_SelectAsset"), fileName)} onChange={(_event, data) => onSelect(link.mediaId, data.checked === true)} />
        {canDetach ? (
          <Tooltip content={getString("Action_Detach")} relationship="description">
            <Button {...restoreFocus} appearance="subtle" icon={<LinkDismiss20Regular />} aria-label={format(getString("Action_DetachAsset"), fileName)} onClick={() => onDetach(item)} />
          </Tooltip>
        ) : null}
      </div>
    </li>
  );
});
