import * as React from "../platform/react";
import useSWR from "swr";
import type { Asset, AssetPage } from "../../contract/proxyApi";
import { SearchQuery, queryKey } from "../domain/searchQuery";
import { ProxyClient, ProxyError } from "../services/proxyClient";
import { HostRecord, recordKey } from "../services/hostRecord";

/** The proxy's largest page: fewer round trips while scrolling through big libraries. */
export const SEARCH_PAGE_SIZE = 100;

/** How many pages in a row may come back empty (all hidden by rights) before the dialog stops reading on by itself. */
export const EMPTY_PAGES_READ_AHEAD = 10;

/** How many assets the search found: exact once every page is in, before that an upper bound. */
export interface ResultCount {
  exact: boolean;
  count: number;
  /** Matches the rights filter (or the user's access) left out of the pages loaded so far. */
  hidden: number;
}

/** The proxy's `total` counts matches before the rights filter; each page says how many of its matches it hid. */
export function resultCount(pages: readonly Pick<AssetPage, "items" | "total" | "hidden" | "hasMore">[]): ResultCount {
  const hidden = pages.reduce((sum, page) => sum + page.hidden, 0);
  const last = pages[pages.length - 1];
  if (!last) return { exact: true, count: 0, hidden: 0 };
  if (!last.hasMore) return { exact: true, count: pages.reduce((sum, page) => sum + page.items.length, 0), hidden };
  return { exact: false, count: Math.max(0, last.total - hidden), hidden };
}

export interface SearchResults {
  items: Asset[];
  count: ResultCount;
  hasMore: boolean;
  isLoading: boolean;
  isLoadingMore: boolean;
  error: ProxyError | undefined;
  loadMore: () => void;
  retry: () => void;
}

/**
 * Search results page by page (infinite scroll over the proxy's paging); a new query starts again at
 * page 1. One SWR entry per query and number of pages: asking for one more page reads only that page
 * (the pages before it are the ones on screen), a retry reads them all again.
 */
export function useSearchResults(client: ProxyClient, record: HostRecord, query: SearchQuery, enabled: boolean): SearchResults {
  const id = recordKey(record) + "?" + queryKey(query);
  const [wanted, setWanted] = React.useState({ id, size: 1 });
  const size = wanted.id === id ? wanted.size : 1;
  const shown = React.useRef<{ id: string; pages: AssetPage[]; all?: boolean }>({ id, pages: [] });
  const { data, error, isLoading, mutate } = useSWR(enabled ? ["search", id, size] : null, async () => {
    const pages = shown.current.id === id && !shown.current.all ? shown.current.pages.slice(0, size - 1) : [];
    while (pages.length < size) pages.push(await client.search(query, pages.length + 1, SEARCH_PAGE_SIZE));
    return pages;
  });
  if (data) shown.current = { id, pages: data };
  const pages = data ?? (enabled && shown.current.id === id && shown.current.pages.length > 0 ? shown.current.pages : undefined);
  const items = React.useMemo(() => (pages ? pages.flatMap((page) => page.items) : []), [pages]);
  const hasMore = pages?.[pages.length - 1]?.hasMore ?? false;
  // Still loading (or failed to load) the last page asked for.
  const isLoadingMore = data === undefined && (isLoading || pages !== undefined);
  const more = React.useCallback(() => setWanted({ id, size: size + 1 }), [id, size]);
  const loadMore = React.useCallback(() => {
    if (!isLoadingMore && hasMore && !error) more();
  }, [isLoadingMore, hasMore, error, more]);
  const retry = React.useCallback(() => {
    shown.current.all = true;
    void mutate();
  }, [mutate]);
  // Pages the rights filter emptied show no grid to scroll, so nothing would ask for the next one: read
  // on by ourselves (a few pages at most) until something can be shown or the count is exact.
  const emptyPages = pages !== undefined && items.length === 0 ? pages.length : 0;
  React.useEffect(() => {
    if (emptyPages > 0 && emptyPages < EMPTY_PAGES_READ_AHEAD && hasMore && !isLoadingMore && !error) more();
  }, [emptyPages, hasMore, isLoadingMore, error, more]);
  const count = React.useMemo(() => resultCount(pages ?? []), [pages]);
  return { items, count, hasMore, isLoading: isLoading && pages === undefined, isLoadingMore, error: error as ProxyError | undefined, loadMore, retry };
}
