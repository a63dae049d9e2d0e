import * as React from "react";
import useSWRInfinite from "swr/infinite";
import type { Asset, Page } from "../../contract/proxyApi";
import { SearchQuery, queryKey } from "../domain/searchQuery";
import { ProxyClient, ProxyError } from "../services/proxyClient";
import { HostRecord, recordKey } from "../services/hostRecord";

/** The proxy's largest page: fewer round trips while scrolling through big libraries. */
export const SEARCH_PAGE_SIZE = 100;

export interface SearchResults {
  items: Asset[];
  total: number;
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
  const getKey = (index: number, previous: Page<Asset> | null) => (!enabled || (previous && !previous.hasMore) ? null : ["search", recordKey(record), key, index + 1]);
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
  return { items, total: data?.[0]?.total ?? 0, hasMore, isLoading, isLoadingMore, error: error as ProxyError | undefined, loadMore, retry };
}
