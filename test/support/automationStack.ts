/**
 * The automation end to end, for the scenario tests: the mocks and a proxy on a state store of the
 * chosen engine (a SQLite file, or a database of a throwaway PostgreSQL cluster), the mock
 * Dataverse's webhook registered on the proxy's /hooks/dataverse with the steps the solution ships,
 * and helpers to wait until every change was delivered and handled, and to run a job on request as
 * the administrator and wait for its outcome. Scheduled jobs only run on request here.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { MockSettings } from "../../mock-server/config";
import { dataverseOf, defaultWebhook } from "../../mock-server/dataverse";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import type { JobRecord } from "../../proxy/src/state";
import { startStack, type Stack } from "../integration/proxyHarness";
import { until } from "./automation";
import { startPostgres, type PostgresCluster } from "./postgres";

export type Engine = "sqlite" | "postgres";
export const ENGINES: Engine[] = ["sqlite", "postgres"];

const KEY = "automation-webhook-key-0123456789";
/** A tick that never comes during a test: the jobs run on request only. */
const NEVER = "0 0 1 1 *";

export interface AutomationStack extends Stack {
  engine: Engine;
  stateUrl: string;
  /** Bearer token of the PhotoShelter administrator (the admin API). */
  adminToken: string;
  /** Resolves when the mock has delivered every webhook and the proxy has handled every event. */
  settle(what?: string): Promise<void>;
  /** Runs a job now (as the admin, through the admin API) and resolves with its finished record; a failed run is retried by the runner until one succeeds. */
  runJob(name: string): Promise<JobRecord>;
}

/** Where each engine's databases come from (one PostgreSQL cluster per test file). */
export class Databases {
  private cluster: PostgresCluster | null = null;
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), "psh-automation-"));
  private files = 0;

  async url(engine: Engine): Promise<string> {
    if (engine === "sqlite") return `sqlite:${path.join(this.dir, `state-${++this.files}.db`)}`;
    this.cluster ??= await startPostgres();
    return this.cluster.createDatabase();
  }

  async close(): Promise<void> {
    await this.cluster?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function startAutomationStack(engine: Engine, databases: Databases, options: { env?: Record<string, string>; media?: number; mock?: Partial<MockSettings> } = {}): Promise<AutomationStack> {
  const stateUrl = await databases.url(engine);
  const stack = await startStack(
    {
      STATE_URL: stateUrl,
      WEBHOOK_KEY: KEY,
      LOG_LEVEL: "warn",
      POLICY_TTL_MS: "0",
      JOBS_POLL_MS: "50",
      JOBS_LEASE_MS: "5000",
      JOBS_BACKOFF_BASE_MS: "50",
      JOBS_BACKOFF_CAP_MS: "500",
      JOBS_MAX_ATTEMPTS: "10",
      RIGHTS_SYNC_SCHEDULE: NEVER,
      RIGHTS_CALENDAR_SCHEDULE: NEVER,
      ASSET_EXISTENCE_SCHEDULE: NEVER,
      EVENT_SWEEP_SCHEDULE: NEVER,
      PARTNER_RECONCILE_SCHEDULE: NEVER,
      USAGE_ROLLUP_SCHEDULE: NEVER,
      ...options.env,
    },
    options.media ?? 300,
    options.mock ?? {},
  );
  const webhooks = dataverseOf(stack.mock.context).webhooks;
  const registration = defaultWebhook(`${stack.proxy.url}/hooks/dataverse`, KEY, (table) => dataverseOf(stack.mock.context).metadata.byLogicalName(table) !== undefined);
  webhooks.register({ ...registration, retry: { maxAttempts: 10, initialDelayMs: 50, maxDelayMs: 1000 } });
  const adminToken = await stack.token(USERS.admin.upn);
  const store = stack.proxy.backbone.store;
  return {
    ...stack,
    engine,
    stateUrl,
    adminToken,
    async settle(what = "every change was delivered and handled") {
      await until(async () => {
        await webhooks.whenIdle();
        const counts = await store.inbox.counts();
        return counts.pending === 0 && counts.running === 0;
      }, what, 120_000);
    },
    async runJob(name) {
      const before = await store.jobs.get(name);
      const requested = Date.now();
      const response = await stack.call(`/v1/admin/jobs/${name}/run`, { method: "POST", token: adminToken });
      if (response.status !== 202) throw new Error(`running ${name}: HTTP ${response.status} ${await response.text()}`);
      let done: JobRecord | null = null;
      await until(async () => {
        const job = await store.jobs.get(name);
        if (!job || job.runs <= (before?.runs ?? 0) || job.lastOutcome !== "ok" || (job.lastStartedAt ?? 0) < requested) return false;
        done = job;
        return true;
      }, `the job ${name} ran to the end`, 120_000);
      return done!;
    },
  };
}
