import * as React from "../platform/react";
import { Badge, Caption1, Spinner, useFluent } from "@fluentui/react-components";
import { Link16Regular } from "@fluentui/react-icons";
import type { Asset } from "../../contract/proxyApi";
import { moveFocus } from "../domain/selection";
import { useRowWindow } from "../hooks/useRowWindow";

import { AssetThumbnail } from "./AssetThumbnail";
import { RightsBadge } from "./RightsBadge";
import { useStrings } from "./Strings";

/** Tiles are at least this wide; the number of columns follows the available width. */
export const TILE_MIN_WIDTH = 168;
export const ROW_HEIGHT = 212;


export interface ResultsGridProps {
  items: readonly Asset[];
  /** Number of results for aria-setsize: exact, or -1 while it is not known yet (ARIA's "unknown"). */
  total: number;
  hasMore: boolean;
  isLoadingMore: boolean;
  loadMore: () => void;
  /** Width the grid may use, in pixels. */
  width: number;
  selectedIds: ReadonlySet<string>;
  linkedIds: ReadonlySet<string>;
  idPrefix: string;
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
  const { items, total, hasMore, isLoadingMore, loadMore, width, selectedIds, linkedIds, idPrefix, onToggle, onExtend, onSelectAll, label } = props;
  const getString = useStrings();
  const isRTL = useFluent().dir === "rtl";
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
      className="psh-results"
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
              <div key="loader" role="presentation" className="psh-results-row" style={{ top, height: ROW_HEIGHT }}>
                <div className="psh-results-loader">
                  <Spinner size="small" label={getString("Browse_LoadingMore")} />
                </div>
              </div>
            );
          }
          const start = row * columns;
          const tiles = items.slice(start, start + columns);
          return (
            <div key={row} role="presentation" className="psh-results-row" style={{ top, height: ROW_HEIGHT, gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}>
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
                    className={index === active ? "psh-tile psh-tile-active" : "psh-tile"}
                    onClick={(event) => onClick(event, index, asset)}
                  >
                    <AssetThumbnail src={asset.thumbnailUrl} mediaType={asset.mediaType} width={asset.width} height={asset.height} />
                    <Caption1 truncate wrap={false} title={asset.fileName}>
                      {asset.fileName}
                    </Caption1>
                    <div className="psh-badges">
                      <RightsBadge rights={asset.rights} />
                      {linked ? (
                        <Badge appearance="outline" color="brand" icon={<Link16Regular />}>
                          <span className="psh-badge-text">{getString("Browse_AlreadyLinked")}</span>
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
