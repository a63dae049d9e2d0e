/**
 * The proxy's automation backbone, wired once at start: the state store (STATE_URL), the usage
 * recorder on it, the registry of handlers and jobs, and — when this instance runs workers
 * (PROXY_ROLE all or worker) — the job runner. Built-in housekeeping: handled inbox events are
 * forgotten after INBOX_RETENTION_DAYS, upload idempotency keys after a day.
 */
import type { Logger } from "pino";
import type { ProxyConfig } from "../config";
import { openStore, parseStateUrl, type StateStore } from "../state";
import { UPLOAD_KEY_PREFIX, UPLOAD_KEY_TTL_MS } from "../uploadKeys";
import { StoreUsageRecorder } from "../usage";
import { JobRegistry } from "./registry";
import { JobRunner } from "./runner";

export interface Backbone {
  store: StateStore;
  registry: JobRegistry;
  /** Null when this instance only serves the API (PROXY_ROLE=api). */
  runner: JobRunner | null;
  usage: StoreUsageRecorder;
  /** Starts the runner with whatever is registered by then. */
  start(): Promise<void>;
  /** Stops the runner (finishing or giving back its work within `graceMs`), stores pending usage, closes the store. */
  close(graceMs: number): Promise<void>;
}

const DAY_MS = 86_400_000;

export async function openBackbone(config: ProxyConfig, log: Logger): Promise<Backbone> {
  const store = await openStore(parseStateUrl(config.stateUrl), { onError: (error) => log.warn({ err: error }, "state store connection dropped") });
  log.info({ engine: store.engine, where: store.where, role: config.role }, "state store open");
  const registry = new JobRegistry();
  registry.addJobs({
    name: "inbox-retention",
    schedule: "17 3 * * *",
    run: async () => ({ forgotten: await store.inbox.purgeDone(Date.now() - config.jobs.inboxRetentionDays * DAY_MS) }),
  });
  registry.addJobs({
    name: "upload-key-retention",
    schedule: "23 3 * * *",
    run: async () => ({ forgotten: await store.keys.purge(Date.now() - UPLOAD_KEY_TTL_MS, UPLOAD_KEY_PREFIX) }),
  });
  const runner =
    config.role === "api"
      ? null
      : new JobRunner(store, registry, log.child({ part: "jobs" }), {
          concurrency: config.jobs.concurrency,
          pollMs: config.jobs.pollMs,
          leaseMs: config.jobs.leaseMs,
          maxAttempts: config.jobs.maxAttempts,
          backoff: { baseMs: config.jobs.backoffBaseMs, capMs: config.jobs.backoffCapMs },
        });
  const usage = new StoreUsageRecorder(store.usage, log);
  let closed: Promise<void> | null = null;
  return {
    store,
    registry,
    runner,
    usage,
    start: async () => {
      await runner?.start();
    },
    close: (graceMs) =>
      (closed ??= (async () => {
        try {
          await runner?.stop(graceMs);
          await usage.flush();
        } finally {
          await store.close();
        }
      })()),
  };
}
