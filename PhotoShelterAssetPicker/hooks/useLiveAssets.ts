import * as React from "../platform/react";
import useSWR from "swr";
import type { Asset } from "../../contract/proxyApi";
import { ProxyClient, ProxyError } from "../services/proxyClient";
import { recordKey } from "../services/hostRecord";
import type { HostRecord } from "../services/hostRecord";

export interface LiveAssets {
  byId: ReadonlyMap<string, Asset>;
  /** Linked ids the proxy would not return: unknown, or outside the user's segment. */
  missing: ReadonlySet<string>;
  error: ProxyError | undefined;
  isLoading: boolean;
  retry: () => void;
}

/** Live PhotoShelter data for every visible link in ONE batch call, whatever the number of links. */
export function useLiveAssets(client: ProxyClient, record: HostRecord | null, mediaIds: readonly string[]): LiveAssets {
  const ids = React.useMemo(() => Array.from(new Set(mediaIds)).sort().join(","), [mediaIds]);
  const key = record?.id && ids !== "" ? ["assets/batch", recordKey(record), ids] : null;
  const { data, error, isLoading, mutate } = useSWR(key, ([, , list]: [string, string, string]) => client.getAssets(list.split(",")));
  const byId = React.useMemo(() => new Map((data?.items ?? []).map((asset) => [asset.id, asset])), [data]);
  const missing = React.useMemo(() => new Set(data?.missing ?? []), [data]);
  const retry = React.useCallback(() => void mutate(), [mutate]);
  return { byId, missing, error: error as ProxyError | undefined, isLoading, retry };
}
