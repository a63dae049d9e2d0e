import * as React from "../platform/react";
import useSWR from "swr";
import type { Asset, Container, RecordCollection } from "../../contract/proxyApi";
import type { UsedOn } from "../domain/whereUsed";
import type { AssetLinkStore } from "../services/assetLinkStore";
import { HostRecord, recordKey } from "../services/hostRecord";
import { ProxyClient, ProxyError } from "../services/proxyClient";

export interface RecordCollectionState {
  value: RecordCollection | undefined;
  isLoading: boolean;
  error: ProxyError | undefined;
  retry: () => void;
  /** "Create collection": the proxy creates and links it (the automation's own service). */
  create: () => Promise<void>;
  isCreating: boolean;
  createError: ProxyError | null;
}

/** The record's own collection (campaigns and events) and its link row. */
export function useRecordCollection(proxy: ProxyClient, record: HostRecord | null, enabled: boolean): RecordCollectionState {
  const key = enabled && record?.id ? ["collection", recordKey(record)] : null;
  const { data, error, isLoading, mutate } = useSWR(key, () => proxy.getRecordCollection());
  const [isCreating, setCreating] = React.useState(false);
  const [createError, setCreateError] = React.useState<ProxyError | null>(null);
  const create = React.useCallback(async () => {
    setCreating(true);
    setCreateError(null);
    try {
      await mutate(await proxy.createRecordCollection(), { revalidate: false });
    } catch (failure) {
      setCreateError(failure instanceof ProxyError ? failure : new ProxyError(0, "failed", String(failure)));
      // The row may now say "failed" with the error: show it.
      void mutate();
    } finally {
      setCreating(false);
    }
  }, [proxy, mutate]);
  return { value: data, isLoading, error: error as ProxyError | undefined, retry: () => void mutate(), create, isCreating, createError };
}

/** The record's own collection as a place to browse, named as PhotoShelter names it. */
export function collectionScope(link: NonNullable<RecordCollection["link"]>, collection: RecordCollection | undefined): Container {
  return { id: link.containerId, kind: link.kind, name: collection?.collection?.name ?? link.name, description: null, parentId: null, childCount: 0, mediaCount: 0, keyImageUrl: null };
}

export interface AssetList {
  items: Asset[];
  /** How many the proxy proposed, linked ones included (0: there was nothing to propose). */
  proposed: number;
  isLoading: boolean;
  error: ProxyError | undefined;
  retry: () => void;
}

/**
 * Assets the proxy proposes for the record (suggestions, collection contents, new since the event)
 * minus those the form shows as linked. No extra Dataverse query: an asset linked beyond the rows
 * loaded may still be proposed, and linking it then answers "already linked" (the alternate key).
 */
export function useUnlinkedAssets(key: readonly string[] | null, load: () => Promise<Asset[]>, linkedIds: ReadonlySet<string>): AssetList {
  const { data, error, isLoading, mutate } = useSWR(key, load);
  const items = React.useMemo(() => (data ?? []).filter((asset) => !linkedIds.has(asset.id)), [data, linkedIds]);
  return { items, proposed: data?.length ?? 0, isLoading, error: error as ProxyError | undefined, retry: () => void mutate() };
}

/** Suggestions dismissed while the app is open, per record (never stored: PCF controls keep no local storage). */
const dismissedByRecord = new Map<string, Set<string>>();

export function useDismissed(record: HostRecord | null): [ReadonlySet<string>, (assetId: string) => void] {
  const key = record ? recordKey(record) : "";
  const [dismissed, setDismissed] = React.useState<ReadonlySet<string>>(() => new Set(dismissedByRecord.get(key) ?? []));
  const dismiss = React.useCallback(
    (assetId: string) => {
      const next = new Set(dismissedByRecord.get(key) ?? []);
      next.add(assetId);
      dismissedByRecord.set(key, next);
      setDismissed(next);
    },
    [key],
  );
  return [dismissed, dismiss];
}

/** The other records an asset is linked to, that the user may read (one Dataverse query). */
export function useWhereUsed(store: AssetLinkStore, mediaId: string | null, host: HostRecord | null): { records: UsedOn[] | undefined; error: unknown } {
  const { data, error } = useSWR(mediaId ? ["whereUsed", mediaId] : null, () => store.whereUsed(mediaId!, host));
  return { records: data, error };
}
