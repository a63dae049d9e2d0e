import * as React from "../platform/react";
import { Body1, Button, Skeleton, SkeletonItem, ToggleButton, useRestoreFocusTarget } from "@fluentui/react-components";
import { Add20Regular, ArrowDownload20Regular, Grid20Regular, ImageMultiple20Regular, TextBulletListLtr20Regular } from "@fluentui/react-icons";
import type { LinkedAssetView } from "../domain/linkedView";
import type { FormatDate } from "../domain/dates";
import { useViewMode } from "../hooks/useViewMode";
import { message } from "../services/strings";
import { LinkedAssetItem } from "./LinkedAssetItem";
import { useStrings } from "./Strings";


export interface LinkedAssetsViewProps {
  items: LinkedAssetView[];
  isLoading: boolean;
  total: number;
  hasMore: boolean;
  onShowMore: () => void;
  formatDate: FormatDate;
  canAttach: boolean;
  canDetach: boolean;
  /** Why attaching is not possible here (unsaved record), shown instead of the add button. */
  attachBlockedReason: string | null;
  selectedIds: ReadonlySet<string>;
  isDownloading: boolean;
  onAdd: () => void;
  onPreview: (index: number) => void;
  onSelect: (mediaId: string, selected: boolean) => void;
  onDetach: (item: LinkedAssetView) => void;
  onDownloadSelected: () => void;
}

function LoadingSkeleton(props: { label: string }) {
  return (
    <Skeleton aria-label={props.label} className="psh-linked-grid" aria-busy="true">
      {[0, 1, 2, 3].map((key) => (
        <div key={key} className="psh-skeleton-tile">
          <SkeletonItem className="psh-skeleton-image" />
          <SkeletonItem size={16} />
          <SkeletonItem size={12} />
        </div>
      ))}
    </Skeleton>
  );
}

export const LinkedAssetsView = React.memo(function LinkedAssetsView(props: LinkedAssetsViewProps) {
  const { items, isLoading, canAttach, attachBlockedReason, selectedIds, isDownloading, onAdd, onDownloadSelected } = props;
  const getString = useStrings();
  const [mode, setMode] = useViewMode();
  // Focus comes back here when the browse dialog closes.
  const restoreFocus = useRestoreFocusTarget();
  const addButton = canAttach ? (
    <Button {...restoreFocus} appearance="primary" icon={<Add20Regular />} onClick={onAdd}>
      {getString("Action_AddFromPhotoShelter")}
    </Button>
  ) : null;

  let body: React.ReactNode;
  if (isLoading) body = <LoadingSkeleton label={getString("Linked_Loading")} />;
  else if (items.length === 0)
    body = (
      <div className="psh-linked-empty">
        <ImageMultiple20Regular fontSize={48} aria-hidden="true" />
        <Body1>{attachBlockedReason ?? (canAttach ? getString("Linked_EmptyCanAttach") : getString("Linked_EmptyReadOnly"))}</Body1>
        {addButton}
      </div>
    );
  else
    body = (
      <>
        <ul className={mode === "grid" ? "psh-plain-list psh-linked-grid" : "psh-plain-list psh-linked-list"} aria-label={getString("Linked_ListLabel")}>
          {items.map((item, index) => (
            <LinkedAssetItem
              key={item.link.linkId}
              item={item}
              index={index}
              mode={mode}
              formatDate={props.formatDate}
              selected={selectedIds.has(item.link.mediaId)}
              canDetach={props.canDetach}
              onPreview={props.onPreview}
              onSelect={props.onSelect}
              onDetach={props.onDetach}
            />
          ))}
        </ul>
        {props.hasMore ? (
          <Button appearance="secondary" onClick={props.onShowMore}>
            {message(getString, "Linked_ShowMore", items.length, props.total)}
          </Button>
        ) : null}
      </>
    );

  return (
    <section className="psh-linked-view" aria-label={getString("Linked_ListLabel")}>
      {/* A group of ordinary tab stops: Fluent's Toolbar would add focusable aria-hidden sentinels for its arrow-key mover. */}
      <div role="group" className="psh-toolbar" aria-label={getString("Linked_ToolbarLabel")}>
        <div>{items.length > 0 ? addButton : null}</div>
        <div>
          {items.length > 0 ? (
            <Button appearance="subtle" icon={<ArrowDownload20Regular />} disabled={selectedIds.size === 0 || isDownloading} onClick={onDownloadSelected}>
              {message(getString, "Action_DownloadSelected", selectedIds.size)}
            </Button>
          ) : null}
          <ToggleButton appearance="subtle" checked={mode === "grid"} icon={<Grid20Regular />} aria-label={getString("View_Grid")} onClick={() => setMode("grid")} />
          <ToggleButton appearance="subtle" checked={mode === "list"} icon={<TextBulletListLtr20Regular />} aria-label={getString("View_List")} onClick={() => setMode("list")} />
        </div>
      </div>
      {body}
    </section>
  );
});
