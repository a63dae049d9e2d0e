import * as React from "react";
import { Badge, Caption1, Spinner, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { Link16Regular } from "@fluentui/react-icons";
import type { Asset } from "../../contract/proxyApi";
import { moveFocus } from "../domain/selection";
import { useRowWindow } from "../hooks/useRowWindow";
import { GetString } from "../services/strings";
import { AssetThumbnail } from "./AssetThumbnail";
import { RightsBadge } from "./RightsBadge";

/** Tiles are at least this wide; the number of columns follows the available width. */
export const TILE_MIN_WIDTH = 168;
export const ROW_HEIGHT = 212;

const useStyles = makeStyles({
  viewport: {
    height: "min(60vh, 520px)",
    overflowY: "auto",
    position: "relative",
    outlineStyle: "none",
    borderRadius: tokens.borderRadiusMedium,
    ":focus-visible": { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  row: { position: "absolute", left: 0, right: 0, display: "grid", gap: tokens.spacingHorizontalS, padding: `0 ${tokens.spacingHorizontalXS}` },
  tile: {
    display: "flex",
    flexDirection: "column",
    gap: tokens.spacingVerticalXXS,
    padding: tokens.spacingHorizontalXS,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThick} solid transparent`,
    cursor: "pointer",
    minWidth: 0,
    userSelect: "none",
  },
  selected: { border: `${tokens.strokeWidthThick} solid ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorBrandBackground2 },
  active: { outline: `${tokens.strokeWidthThick} dashed ${tokens.colorStrokeFocus2}` },
  linked: { cursor: "default", opacity: 0.7 },
  name: { overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
  badges: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalXXS },
  loader: { display: "flex", justifyContent: "center", alignItems: "center", height: "100%" },
});

export interface ResultsGridProps {
  items: readonly Asset[];
  total: number;
  hasMore: boolean;
  isLoadingMore: boolean;
  loadMore: () => void;
  /** Width the grid may use, in pixels. */
  width: number;
  selectedIds: ReadonlySet<string>;
  linkedIds: ReadonlySet<string>;
  getString: GetString;
  idPrefix: string;
  isRTL: boolean;
  onToggle: (index: number, id: string) => void;
  onExtend: (index: number) => void;
  onSelectAll: () => void;
  label: string;
}

const rowIndexes = (first: number, last: number) => Array.from({ length: Math.max(0, last - first + 1) }, (_, offset) => first + offset);

/**
 * The search results as a virtualized, multi-select listbox: only the rows in view (plus a few) are in
 * the DOM, so 10,000 results cost what 100 do. Focus stays on the listbox and `aria-activedescendant`
 * names the active tile, which keeps keyboard navigation working while rows come and go.
 */
export const ResultsGrid = React.memo(function ResultsGrid(props: ResultsGridProps) {
  const { items, total, hasMore, isLoadingMore, loadMore, width, selectedIds, linkedIds, getString, idPrefix, isRTL, onToggle, onExtend, onSelectAll, label } = props;
  const styles = useStyles();
  const scrollRef = React.useRef<HTMLDivElement>(null);
  const [active, setActive] = React.useState(0);
  const columns = Math.max(1, Math.floor(width / TILE_MIN_WIDTH));
  const dataRows = Math.ceil(items.length / columns);
  const rowCount = dataRows + (hasMore ? 1 : 0);

  const rows = useRowWindow(scrollRef, rowCount, ROW_HEIGHT, 2);
  const lastRow = rows.last;

  // Infinite scroll: the loader row came into view, so ask for the next page.
  React.useEffect(() => {
    if (hasMore && !isLoadingMore && lastRow >= dataRows - 1) loadMore();
  }, [hasMore, isLoadingMore, lastRow, dataRows, loadMore]);

  React.useEffect(() => {
    if (active >= items.length && items.length > 0) setActive(items.length - 1);
  }, [active, items.length]);

  const optionId = (index: number) => `${idPrefix}result-${index}`;

  const onKeyDown = (event: React.KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "a") {
      event.preventDefault();
      onSelectAll();
      return;
    }
    if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      const asset = items[active];
      if (asset && !linkedIds.has(asset.id)) {
        if (event.shiftKey) onExtend(active);
        else onToggle(active, asset.id);
      }
      return;
    }
    const key = isRTL && event.key === "ArrowLeft" ? "ArrowRight" : isRTL && event.key === "ArrowRight" ? "ArrowLeft" : event.key;
    const next = moveFocus(key, active, items.length, columns);
    if (next === null) return;
    event.preventDefault();
    setActive(next);
    rows.scrollToRow(Math.floor(next / columns));
    if (event.shiftKey) onExtend(next);
  };

  const onClick = (event: React.MouseEvent, index: number, asset: Asset) => {
    setActive(index);
    scrollRef.current?.focus();
    if (linkedIds.has(asset.id)) return;
    if (event.shiftKey) onExtend(index);
    else onToggle(index, asset.id);
  };

  return (
    <div
      ref={scrollRef}
      className={styles.viewport}
      role="listbox"
      aria-multiselectable="true"
      aria-label={label}
      aria-activedescendant={items.length > 0 ? optionId(active) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div style={{ height: rows.totalHeight, position: "relative" }}>
        {rowIndexes(rows.first, rows.last).map((row) => {
          const top = row * ROW_HEIGHT;
          if (row >= dataRows) {
            return (
              <div key="loader" role="presentation" className={styles.row} style={{ top, height: ROW_HEIGHT }}>
                <div className={styles.loader}>
                  <Spinner size="small" label={getString("Browse_LoadingMore")} />
                </div>
              </div>
            );
          }
          const start = row * columns;
          const tiles = items.slice(start, start + columns);
          return (
            <div key={row} role="presentation" className={styles.row} style={{ top, height: ROW_HEIGHT, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
              {tiles.map((asset, offset) => {
                const index = start + offset;
                const linked = linkedIds.has(asset.id);
                const selected = selectedIds.has(asset.id);
                return (
                  <div
                    key={asset.id}
                    id={optionId(index)}
                    role="option"
                    aria-selected={selected}
                    aria-disabled={linked || undefined}
                    aria-setsize={total}
                    aria-posinset={index + 1}
                    className={mergeClasses(styles.tile, selected && styles.selected, index === active && styles.active, linked && styles.linked)}
                    onClick={(event) => onClick(event, index, asset)}
                  >
                    <AssetThumbnail src={asset.thumbnailUrl} mediaType={asset.mediaType} width={asset.width} height={asset.height} />
                    <Caption1 className={styles.name} title={asset.fileName}>
                      {asset.fileName}
                    </Caption1>
                    <div className={styles.badges}>
                      <RightsBadge getString={getString} rights={asset.rights} />
                      {linked ? (
                        <Badge appearance="outline" color="brand" icon={<Link16Regular />}>
                          {getString("Browse_AlreadyLinked")}
                        </Badge>
                      ) : null}
                    </div>
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
});
