import * as React from "../platform/react";
import type { LinkType } from "../domain/profiles";
import { UploadItem, UploadLimits, isRetryable, newUploads } from "../domain/uploads";
import type { AssetLinkStore } from "../services/assetLinkStore";
import type { HostRecord } from "../services/hostRecord";
import type { ProxyClient } from "../services/proxyClient";
import { messageOf } from "../services/strings";

/** Files sent at the same time: quick for a handful of photos without flooding a phone's uplink. */
const PARALLEL_UPLOADS = 2;

export interface Uploads {
  items: UploadItem[];
  limits: UploadLimits | null;
  /** Why the limits could not be read (then nothing can be sent). */
  limitsError: string | null;
  add: (files: ReadonlyArray<{ file: Blob; fileName: string }>) => void;
  cancel: (key: string) => void;
  /** Sends a failed or cancelled file again, or only links it when it was stored already. */
  retry: (key: string) => void;
  /** Forgets finished and rejected files. */
  clear: () => void;
}

/**
 * Uploads evidence files through the proxy into the record's gallery, then writes their link rows.
 * Each file carries its own idempotency key for every try, and keeps its asset once stored, so a
 * retry never stores a file twice and a file stored but not linked is only linked.
 */
export function useUploads(proxy: ProxyClient, store: AssetLinkStore, record: HostRecord | null, linkType: LinkType, onLinked: () => void): Uploads {
  const [items, setItems] = React.useState<UploadItem[]>([]);
  const current = React.useRef<UploadItem[]>([]);
  const controllers = React.useRef(new Map<string, AbortController>());
  const linked = React.useRef(0);
  const [limits, setLimits] = React.useState<UploadLimits | null>(null);
  const [limitsError, setLimitsError] = React.useState<string | null>(null);
  const limitsPromise = React.useRef<Promise<UploadLimits> | null>(null);
  const mounted = React.useRef(true);

  const loadLimits = React.useCallback(() => {
    limitsPromise.current ??= proxy.getUploadLimits().then(
      (loaded) => {
        if (mounted.current) setLimits(loaded);
        return loaded;
      },
      (error: unknown) => {
        limitsPromise.current = null;
        if (mounted.current) setLimitsError(messageOf(error));
        throw error;
      },
    );
    return limitsPromise.current;
  }, [proxy]);

  React.useEffect(() => {
    mounted.current = true;
    void loadLimits().catch(() => undefined);
    const running = controllers.current;
    return () => {
      mounted.current = false;
      for (const controller of running.values()) controller.abort();
    };
  }, [loadLimits]);

  const update = React.useCallback((key: string, change: Partial<UploadItem>) => {
    current.current = current.current.map((item) => (item.key === key ? { ...item, ...change } : item));
    if (mounted.current) setItems(current.current);
  }, []);

  const process = React.useCallback(
    async (key: string) => {
      let item = current.current.find((candidate) => candidate.key === key);
      if (!item || !record?.id) return;
      if (!item.asset) {
        const controller = new AbortController();
        controllers.current.set(key, controller);
        update(key, { status: "uploading", loaded: 0, error: undefined });
        try {
          const asset = await proxy.upload(item.file, item.fileName, key, (loaded) => update(key, { loaded }), controller.signal);
          update(key, { asset, loaded: item.size });
        } catch (error) {
          update(key, controller.signal.aborted ? { status: "cancelled", loaded: 0 } : { status: "failed", error: messageOf(error) });
          return;
        } finally {
          controllers.current.delete(key);
        }
        item = current.current.find((candidate) => candidate.key === key)!;
      }
      update(key, { status: "linking", error: undefined });
      try {
        await store.createLink(record, item.asset!, linkType);
        update(key, { status: "done" });
        linked.current += 1;
      } catch (error) {
        update(key, { status: "failed", error: messageOf(error) });
      }
    },
    [proxy, store, record, linkType, update],
  );

  /** Starts queued files while fewer than PARALLEL_UPLOADS run; refreshes the rows once everything has settled. */
  const pump = React.useCallback(() => {
    const busy = () => current.current.filter((item) => item.status === "uploading" || item.status === "linking").length;
    for (let next = current.current.find((item) => item.status === "queued"); next && busy() < PARALLEL_UPLOADS; next = current.current.find((item) => item.status === "queued")) {
      const key = next.key;
      update(key, { status: "uploading" });
      void process(key).then(() => {
        pump();
        if (linked.current > 0 && busy() === 0 && !current.current.some((item) => item.status === "queued")) {
          linked.current = 0;
          onLinked();
        }
      });
    }
  }, [process, update, onLinked]);

  const add = React.useCallback(
    (files: ReadonlyArray<{ file: Blob; fileName: string }>) => {
      if (files.length === 0) return;
      void loadLimits().then(
        (loaded) => {
          current.current = [...current.current, ...newUploads(files, loaded)];
          setItems(current.current);
          pump();
        },
        () => undefined,
      );
    },
    [loadLimits, pump],
  );

  const cancel = React.useCallback(
    (key: string) => {
      const item = current.current.find((candidate) => candidate.key === key);
      if (item?.status === "queued") update(key, { status: "cancelled" });
      controllers.current.get(key)?.abort();
    },
    [update],
  );

  const retry = React.useCallback(
    (key: string) => {
      const item = current.current.find((candidate) => candidate.key === key);
      if (!item || !isRetryable(item)) return;
      update(key, { status: "queued", error: undefined });
      pump();
    },
    [update, pump],
  );

  const clear = React.useCallback(() => {
    current.current = current.current.filter((item) => item.status !== "done" && item.status !== "rejected");
    setItems(current.current);
  }, []);

  return { items, limits, limitsError, add, cancel, retry, clear };
}
