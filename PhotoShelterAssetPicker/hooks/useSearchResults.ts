import * as React from "react";
import useSWRInfinite from "swr/infinite";
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

/** Search results page by page (infinite scroll over the proxy's paging); a new query starts again at page 1. */
export function useSearchResults(client: ProxyClient, record: HostRecord, query: SearchQuery, enabled: boolean): SearchResults {
  const key = queryKey(query);
  const getKey = (index: number, previous: AssetPage | null) => (!enabled || (previous && !previous.hasMore) ? null : ["search", recordKey(record), key, index + 1]);
  const { data, error, size, setSize, isLoading, mutate } = useSWRInfinite(getKey, ([, , , page]: [string, string, string, number]) => client.search(query, page, SEARCH_PAGE_SIZE), {
    revalidateFirstPage: false,
  });
  const items = React.useMemo(() => (data ? data.flatMap((page) => page.items) : []), [data]);
  const last = data?.[data.length - 1];
  const hasMore = last?.hasMore ?? false;
  const isLoadingMore = isLoading || (size > 0 && data !== undefined && data[size - 1] === undefined);
  const loadMore = React.useCallback(() => {
    if (!isLoadingMore && hasMore && !error) void setSize((current) => current + 1);
  }, [isLoadingMore, hasMore, error, setSize]);
  const retry = React.useCallback(() => void mutate(), [mutate]);
  // Pages the rights filter emptied show no grid to scroll, so nothing would ask for the next one: read
  // on by ourselves (a few pages at most) until something can be shown or the count is exact.
  const emptyPages = data !== undefined && items.length === 0 ? data.length : 0;
  React.useEffect(() => {
    if (emptyPages > 0 && emptyPages < EMPTY_PAGES_READ_AHEAD && hasMore && !isLoadingMore && !error) void setSize((current) => current + 1);
  }, [emptyPages, hasMore, isLoadingMore, error, setSize]);
  const count = React.useMemo(() => resultCount(data ?? []), [data]);
  return { items, count, hasMore, isLoading, isLoadingMore, error: error as ProxyError | undefined, loadMore, retry };
}
