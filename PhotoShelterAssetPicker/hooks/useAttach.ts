import * as React from "../platform/react";
import type { Asset } from "../../contract/proxyApi";
import type { LinkType } from "../domain/profiles";
import type { AssetLinkStore } from "../services/assetLinkStore";
import type { HostRecord } from "../services/hostRecord";
import { messageOf } from "../services/strings";

export type AttachStatus = "attaching" | "attached" | "alreadyLinked" | "failed";

export interface AttachItem {
  asset: Asset;
  status: AttachStatus;
  error?: string;
}

export interface Attach {
  items: AttachItem[];
  isRunning: boolean;
  /** Links the assets; a second call while one runs is ignored (double click). */
  attach: (assets: readonly Asset[]) => Promise<AttachItem[]>;
  /** Tries one failed item again, or all failed items without an id. */
  retry: (assetId?: string) => Promise<AttachItem[]>;
  reset: () => void;
}

/** Writes up to this many links at once: fast, without flooding the Web API. */
const PARALLEL_WRITES = 4;

/**
 * Attaching as a sequence of idempotent steps: ask Dataverse which assets are already linked, create
 * only the others, and count a duplicate-key answer (another tab was quicker) as linked. Then refresh.
 */
export function useAttach(store: AssetLinkStore, record: HostRecord | null, linkType: LinkType, onLinked: () => void): Attach {
  const [items, setItems] = React.useState<AttachItem[]>([]);
  const running = React.useRef(false);
  const [isRunning, setRunning] = React.useState(false);

  const run = React.useCallback(
    async (assets: readonly Asset[], previous: readonly AttachItem[]): Promise<AttachItem[]> => {
      if (running.current || !record?.id || assets.length === 0) return [...previous];
      running.current = true;
      setRunning(true);
      const retried = new Set(assets.map((asset) => asset.id));
      let current: AttachItem[] = [...previous.filter((item) => !retried.has(item.asset.id)), ...assets.map((asset) => ({ asset, status: "attaching" as const }))];
      const update = (id: string, change: Partial<AttachItem>) => {
        current = current.map((item) => (item.asset.id === id ? { ...item, ...change } : item));
        setItems(current);
      };
      setItems(current);
      try {
        let existing = new Set<string>();
        try {
          existing = await store.findLinkedMediaIds(record, assets.map((asset) => asset.id));
        } catch {
          // The check is an optimisation; the alternate key still stops a duplicate.
        }
        const queue = assets.filter((asset) => {
          if (existing.has(asset.id)) update(asset.id, { status: "alreadyLinked" });
          return !existing.has(asset.id);
        });
        const worker = async () => {
          for (let asset = queue.shift(); asset; asset = queue.shift()) {
            try {
              const outcome = await store.createLink(record, asset, linkType);
              update(asset.id, { status: outcome === "created" ? "attached" : "alreadyLinked", error: undefined });
            } catch (error) {
              update(asset.id, { status: "failed", error: messageOf(error) });
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(PARALLEL_WRITES, queue.length) }, worker));
      } finally {
        running.current = false;
        setRunning(false);
      }
      if (current.some((item) => item.status === "attached" || item.status === "alreadyLinked")) onLinked();
      return current;
    },
    [store, record, linkType, onLinked],
  );

  const attach = React.useCallback((assets: readonly Asset[]) => run(assets, []), [run]);
  const retry = React.useCallback(
    (assetId?: string) =>
      run(
        items.filter((item) => item.status === "failed" && (assetId === undefined || item.asset.id === assetId)).map((item) => item.asset),
        items,
      ),
    [run, items],
  );
  const reset = React.useCallback(() => setItems([]), []);
  return { items, isRunning, attach, retry, reset };
}
