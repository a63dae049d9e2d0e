import * as React from "../platform/react";
import { Body1, Caption1 } from "@fluentui/react-components";
import type { Asset, Container } from "../../contract/proxyApi";
import { EMPTY_QUERY, SearchQuery } from "../domain/searchQuery";
import { EMPTY_SELECTION, Selection, extendTo, selectAll, toggle } from "../domain/selection";
import { useContainers } from "../hooks/useContainers";
import { useDebouncedValue } from "../hooks/useDebouncedValue";
import { useElementWidth } from "../hooks/useElementWidth";
import { useSearchResults } from "../hooks/useSearchResults";
import type { Attach } from "../hooks/useAttach";
import type { HostRecord } from "../services/hostRecord";
import type { ProxyClient } from "../services/proxyClient";
import { message } from "../services/strings";
import { AttachProgress } from "./AttachProgress";
import { ContainerNavigator } from "./ContainerNavigator";
import { PickerDialog } from "./PickerDialog";
import { ProxyStatusBar } from "./ProxyStatusBar";
import { ResultsGrid } from "./ResultsGrid";
import { SearchFilters } from "./SearchFilters";
import { useStrings } from "./Strings";

/** Typing pauses this long before a search goes out. */
export const SEARCH_DEBOUNCE_MS = 300;


export interface BrowseDialogProps {
  onClose: () => void;
  client: ProxyClient;
  record: HostRecord;
  linkedIds: ReadonlySet<string>;
  attach: Attach;
  idPrefix: string;
  /** Opens inside this collection (the record's own); the breadcrumb still leads out of it. */
  scope?: Container | null;
}

/** "Add from PhotoShelter": browse collections, search and filter, pick several assets, attach them. */
export const BrowseDialog = React.memo(function BrowseDialog(props: BrowseDialogProps) {
  const { onClose, client, record, linkedIds, attach, idPrefix } = props;
  const getString = useStrings();
  const [text, setText] = React.useState("");
  const [filters, setFilters] = React.useState<SearchQuery>(EMPTY_QUERY);
  const [path, setPath] = React.useState<Container[]>(() => (props.scope ? [props.scope] : []));
  const [selection, setSelection] = React.useState<Selection>(EMPTY_SELECTION);
  const chosen = React.useRef(new Map<string, Asset>());
  const [gridHost, width] = useElementWidth<HTMLDivElement>(840);

  const debouncedText = useDebouncedValue(text, SEARCH_DEBOUNCE_MS);
  const current = path.length > 0 ? path[path.length - 1] : null;
  const query = React.useMemo<SearchQuery>(() => ({ ...filters, text: debouncedText, containerId: current?.id ?? null }), [filters, debouncedText, current]);
  const results = useSearchResults(client, record, query, true);
  const containers = useContainers(client, record, current?.id ?? null, true);

  // Positions change with the query; the anchor for Shift-selection no longer means anything.
  React.useEffect(() => setSelection((previous) => ({ ids: previous.ids, anchor: null })), [query]);
  React.useEffect(() => {
    for (const asset of results.items) if (selection.ids.has(asset.id)) chosen.current.set(asset.id, asset);
  }, [results.items, selection.ids]);

  const idAt = React.useCallback((index: number) => {
    const asset = results.items[index];
    return asset && !linkedIds.has(asset.id) ? asset.id : undefined;
  }, [results.items, linkedIds]);
  const onToggle = React.useCallback((index: number, id: string) => setSelection((previous) => toggle(previous, index, id)), []);
  const onExtend = React.useCallback((index: number) => setSelection((previous) => extendTo(previous, index, idAt)), [idAt]);
  const onSelectAll = React.useCallback(() => setSelection(selectAll(results.items.filter((asset) => !linkedIds.has(asset.id)).map((asset) => asset.id))), [results.items, linkedIds]);

  const selectedAssets = Array.from(selection.ids)
    .map((id) => chosen.current.get(id) ?? results.items.find((asset) => asset.id === id))
    .filter((asset): asset is Asset => asset !== undefined && !linkedIds.has(asset.id));

  // PickerDialog keeps the dialog open while an attach runs. It unmounts on close, so only the attach progress (App's) is reset here.
  const close = () => {
    attach.reset();
    onClose();
  };

  const onAttach = async () => {
    const outcome = await attach.attach(selectedAssets);
    if (outcome.length > 0 && outcome.every((item) => item.status !== "failed")) close();
  };

  const error = results.error ?? containers.error;
  const retry = () => {
    results.retry();
    containers.retry();
  };

  return (
    <PickerDialog
      title={getString("Browse_Title")}
      onClose={close}
      busy={attach.isRunning}
      confirm={{ label: message(getString, "Action_Attach", selectedAssets.length), disabled: selectedAssets.length === 0, onClick: () => void onAttach() }}
      contentClassName="psh-stack-loose"
    >
      <ContainerNavigator
        path={path}
        inside={containers.containers}
        isLoading={containers.isLoading}
        onOpen={(container) => setPath((previous) => [...previous, container])}
        onGoTo={(depth) => setPath((previous) => previous.slice(0, depth + 1))}
      />
      <SearchFilters text={text} onTextChange={setText} query={filters} onChange={(change) => setFilters((previous) => ({ ...previous, ...change }))} />
      <ProxyStatusBar error={error} onRetry={retry} />
      <div className="psh-summary">
        <Caption1 role="status" aria-live="polite">
          {results.isLoading
            ? getString("Browse_Searching")
            : results.count.exact
            ? message(getString, "Browse_ResultCount", results.count.count)
            : message(getString, results.count.hidden > 0 ? "Browse_ResultCountUpToHidden" : "Browse_ResultCountUpTo", results.count.count, results.count.hidden)}
        </Caption1>
        <Caption1>{message(getString, "Browse_SelectedCount", selectedAssets.length)}</Caption1>
      </div>
      <div ref={gridHost}>
        {!results.isLoading && !error && results.items.length === 0 ? (
          <Body1 className="psh-linked-empty" as="p">
            {getString(filters.includeRestricted ? "Browse_NoResults" : "Browse_NoResultsTryShowAll")}
          </Body1>
        ) : (
          <ResultsGrid
            items={results.items}
            total={results.count.exact ? results.count.count : -1}
            hasMore={results.hasMore}
            isLoadingMore={results.isLoadingMore}
            loadMore={results.loadMore}
            width={width}
            selectedIds={selection.ids}
            linkedIds={linkedIds}
            idPrefix={idPrefix}
            onToggle={onToggle}
            onExtend={onExtend}
            onSelectAll={onSelectAll}
            label={getString("Browse_ResultsLabel")}
          />
        )}
      </div>
      <AttachProgress items={attach.items} disabled={attach.isRunning} onRetry={(id) => void attach.retry(id)} />
    </PickerDialog>
  );
});
