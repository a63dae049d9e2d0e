/**
 * The job runner on a real (in-memory) SQLite store: graceful stop finishes what it can within the
 * grace period and gives the rest back, and a failing job is retried with backoff before its next tick.
 */
import pino from "pino";
import { readChange } from "../../proxy/src/dataverse";
import { JobRegistry } from "../../proxy/src/jobs/registry";
import { JobRunner } from "../../proxy/src/jobs/runner";
import { openStore, parseStateUrl, type StateStore } from "../../proxy/src/state";
import { remoteContext, until } from "../support/automation";

jest.setTimeout(60_000);

const log = pino({ level: "silent" });
const options = { concurrency: 2, pollMs: 20, leaseMs: 5000, maxAttempts: 3, backoff: { baseMs: 200, capMs: 2000 } };
let store: StateStore;

beforeEach(async () => {
  store = await openStore(parseStateUrl("sqlite::memory:"));
});
afterEach(() => store.close());

async function enqueue(id: string): Promise<number> {
  const body = remoteContext({ message: "Update", table: "account", id });
  const change = readChange(body);
  return (await store.inbox.enqueue({ dedupeKey: `${body.OperationId}`, message: change.message, table: change.table, recordId: change.id, correlationId: change.correlationId, operationAt: Date.now(), body: JSON.stringify(body) })).id;
}

it("lets running work finish within the grace period on stop", async () => {
  const registry = new JobRegistry().addHandlers({ name: "slow", table: "account", messages: ["Update"], handle: () => new Promise((resolve) => setTimeout(() => resolve({ slow: true }), 300)) });
  const runner = new JobRunner(store, registry, log, options);
  await runner.start();
  const id = await enqueue("a0000000-0000-4000-8000-000000000001");
  await until(() => runner.busy().events.includes(id), "the event is being handled");
  await runner.stop(10_000);
  expect(await store.inbox.get(id)).toMatchObject({ status: "done", results: { slow: { slow: true } } });
});

it("aborts and gives back, unfinished and uncounted, what does not finish within the grace period", async () => {
  const aborted: string[] = [];
  const waitForAbort = (what: string, signal: AbortSignal) =>
    new Promise<never>((_resolve, reject) =>
      signal.addEventListener("abort", () => {
        aborted.push(what);
        reject(signal.reason);
      }),
    );
  const registry = new JobRegistry()
    .addHandlers({ name: "stuck", table: "account", messages: ["Update"], handle: (_change, { signal }) => waitForAbort("event", signal) })
    .addJobs({ name: "stuck-job", schedule: "every 10ms", run: (signal) => waitForAbort("job", signal) });
  const runner = new JobRunner(store, registry, log, options);
  await runner.start();
  const id = await enqueue("a0000000-0000-4000-8000-000000000002");
  await until(() => runner.busy().events.includes(id) && runner.busy().jobs.includes("stuck-job"), "the event and the job are running");
  const started = Date.now();
  await runner.stop(200);
  expect(Date.now() - started).toBeLessThan(5000);
  expect(aborted.sort()).toEqual(["event", "job"]);
  expect(await store.inbox.get(id)).toMatchObject({ status: "pending", attempts: 0, leaseOwner: null });
  const job = await store.jobs.get("stuck-job");
  expect(job).toMatchObject({ lastOutcome: "released", leaseOwner: null, runs: 0, failures: 0 });
  expect(await store.jobs.due(["stuck-job"])).toEqual(["stuck-job"]);
});

it("retries a failing job with backoff before its next tick, and records the error", async () => {
  let calls = 0;
  const registry = new JobRegistry().addJobs({
    name: "flaky",
    schedule: "every 1h",
    run: async () => {
      calls++;
      if (calls < 3) throw new Error(`Dataverse is down (${calls})`);
      return { ok: calls };
    },
  });
  const runner = new JobRunner(store, registry, log, options);
  await runner.start();
  await store.jobs.requestRun("flaky");
  await until(async () => (await store.jobs.get("flaky"))?.lastOutcome === "failed", "the first run failed");
  const failed = (await store.jobs.get("flaky"))!;
  expect(failed).toMatchObject({ lastError: "Dataverse is down (1)", consecutiveFailures: 1, failures: 1 });
  // Retried soon (backoff), not an hour later at the next tick.
  expect(failed.nextRunAt - Date.now()).toBeLessThan(2000);
  await until(async () => (await store.jobs.get("flaky"))?.lastOutcome === "ok", "a retry succeeded");
  expect(await store.jobs.get("flaky")).toMatchObject({ runs: 3, failures: 2, consecutiveFailures: 0, lastError: null, lastResult: expect.objectContaining({ ok: 3 }) });
  await runner.stop(1000);
});
