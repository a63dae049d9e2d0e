/**
 * The webhook receiver, the job runner and the admin API over real HTTP against the mocks, on a
 * SQLite file: authentication and bad bodies, duplicate and out-of-order deliveries handled once
 * and in order, a failing handler retried then parked and completed by an admin retry, who may use
 * the admin API, running a job on request, and the mock Dataverse's own webhook reaching the inbox.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { dataverseOf, defaultWebhook } from "../../mock-server/dataverse";
import { ACCOUNTS } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { outOfBox } from "../../solution/model";
import type { DataverseChange } from "../../proxy/src/dataverse";
import { deliver, remoteContext, until } from "../support/automation";
import { startStack, type Stack } from "./proxyHarness";

jest.setTimeout(120_000);

const KEY = "test-webhook-key-0123456789abcdef";
const tmp = mkdtempSync(path.join(os.tmpdir(), "psh-hooks-"));
let stack: Stack;
let admin: string;

beforeAll(async () => {
  stack = await startStack({
    WEBHOOK_KEY: KEY,
    STATE_URL: `sqlite:${path.join(tmp, "proxy.db")}`,
    JOBS_POLL_MS: "50",
    JOBS_BACKOFF_BASE_MS: "20",
    JOBS_BACKOFF_CAP_MS: "200",
    JOBS_MAX_ATTEMPTS: "3",
    POLICY_TTL_MS: "0",
    LOG_LEVEL: "warn",
  });
  admin = await stack.token(USERS.admin.upn);
});
afterAll(async () => {
  await stack?.close();
  rmSync(tmp, { recursive: true, force: true });
});

const inbox = () => stack.proxy.backbone.store.inbox;
const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

describe("POST /hooks/dataverse", () => {
  const change = () => remoteContext({ message: "Update", table: "account", id: ACCOUNTS.litware, target: { name: "Litware" } });

  it("answers 202 and stores the change once; a redelivery is recognized", async () => {
    const body = change();
    const first = await deliver(stack.proxy.url, KEY, body);
    expect(first.status).toBe(202);
    const { id, duplicate } = await json<{ id: number; duplicate: boolean }>(first);
    expect(duplicate).toBe(false);
    const again = await deliver(stack.proxy.url, KEY, { ...body, RequestId: "another-request-id" });
    expect(await json(again)).toEqual({ id, duplicate: true });
    expect(await inbox().get(id)).toMatchObject({ message: "Update", table: "account", recordId: ACCOUNTS.litware });
  });

  it("refuses a missing or wrong key (401), bad bodies (400 naming what is wrong), other types (415) and more than 1 MB (413), storing nothing", async () => {
    const before = await inbox().counts();
    const missing = await deliver(stack.proxy.url, null, change());
    expect(missing.status).toBe(401);
    expect(await json(missing)).toEqual({ error: { code: "unauthorized", message: "The x-psh-webhook-key header is missing or wrong" } });
    expect((await deliver(stack.proxy.url, `${KEY}x`, change())).status).toBe(401);
    expect((await deliver(stack.proxy.url, KEY.slice(0, -1), change())).status).toBe(401);

    const broken = await deliver(stack.proxy.url, KEY, null, { raw: '{"MessageName": "Update",' });
    expect(broken.status).toBe(400);
    expect((await json<{ error: { code: string } }>(broken)).error.code).toBe("validation_failed");
    const shapeless = await deliver(stack.proxy.url, KEY, { ...change(), PrimaryEntityId: 42 });
    expect(shapeless.status).toBe(400);
    expect((await json<{ error: { message: string } }>(shapeless)).error.message).toMatch(/^Not a RemoteExecutionContext: \/PrimaryEntityId /);
    const { OperationId: _o, RequestId: _r, ...anonymous } = change();
    const unkeyed = await deliver(stack.proxy.url, KEY, anonymous);
    expect(unkeyed.status).toBe(400);
    expect((await json<{ error: { message: string } }>(unkeyed)).error.message).toMatch(/neither OperationId nor RequestId/);
    expect((await deliver(stack.proxy.url, KEY, null, { contentType: "text/plain", raw: "hello" })).status).toBe(415);
    const huge = { ...change(), SharedVariables: [{ key: "padding", value: "x".repeat(1024 * 1024) }] };
    const tooLarge = await deliver(stack.proxy.url, KEY, huge);
    expect(tooLarge.status).toBe(413);
    expect((await json<{ error: { code: string } }>(tooLarge)).error.code).toBe("payload_too_large");
    // A wrong key is refused before the body is read: even an oversized one.
    expect((await deliver(stack.proxy.url, "wrong", huge)).status).toBe(401);
    expect(await inbox().counts()).toEqual(before);
  });
});

describe("the job runner", () => {
  it("handles duplicate and out-of-order deliveries once each, never two changes of one record at the same time", async () => {
    const handled: { record: string; at: string; op: string }[] = [];
    const busy = new Set<string>();
    let overlaps = 0;
    stack.proxy.backbone.registry.addHandlers({
      name: "test-order",
      table: "contact",
      messages: ["Create", "Update"],
      async handle(change: DataverseChange) {
        if (busy.has(change.id)) overlaps++;
        busy.add(change.id);
        await new Promise((resolve) => setTimeout(resolve, 5));
        busy.delete(change.id);
        handled.push({ record: change.id, at: change.at, op: String(change.target.op) });
        return { op: change.target.op };
      },
    });
    const records = ["c0000000-0000-4000-8000-0000000000a1", "c0000000-0000-4000-8000-0000000000a2", "c0000000-0000-4000-8000-0000000000a3"];
    const base = Date.parse("2026-01-01T10:00:00Z");
    const bodies = records.flatMap((record, r) =>
      Array.from({ length: 5 }, (_, n) =>
        remoteContext({ message: n === 0 ? "Create" : "Update", table: "contact", id: record, operationId: `op-${r}-${n}`, at: new Date(base + n * 1000).toISOString(), target: { op: `${r}-${n}` } }),
      ),
    );
    // Newest first, every change twice: Dataverse retries and its async service does not keep order.
    const deliveries = [...bodies].reverse().flatMap((body) => [body, { ...body, RequestId: "redelivered" }]);
    const answers = await Promise.all(deliveries.map((body) => deliver(stack.proxy.url, KEY, body)));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    await until(() => handled.length >= bodies.length, "every change was handled");
    await until(async () => (await inbox().list({ limit: 100 })).filter((e) => e.table === "contact" && e.status === "done").length === bodies.length, "every event is done");
    expect(handled).toHaveLength(bodies.length);
    for (const [r, record] of records.entries()) {
      expect(handled.filter((h) => h.record === record).map((h) => h.op).sort()).toEqual([0, 1, 2, 3, 4].map((n) => `${r}-${n}`));
    }
    expect(overlaps).toBe(0);
    const done = (await inbox().list({ limit: 100 })).filter((e) => e.table === "contact");
    expect(done.every((e) => e.attempts === 1 && (e.results["test-order"] as { op: string }).op !== undefined)).toBe(true);
  });

  it("retries a failing handler with backoff, parks the event with its error after the last attempt, and an admin retry completes it", async () => {
    let failing = true;
    const attempts: number[] = [];
    const skipped: string[] = [];
    stack.proxy.backbone.registry.addHandlers(
      {
        name: "test-first",
        table: "incident",
        messages: ["Update"],
        async handle(change) {
          skipped.push(change.id);
          return { first: true };
        },
      },
      {
        name: "test-flaky",
        table: "incident",
        messages: ["Update"],
        async handle(_change, { event }) {
          attempts.push(event.attempts);
          if (failing) throw new Error("PhotoShelter refused the change (HTTP 409)");
          return { ok: true };
        },
      },
    );
    const id = "1c000000-0000-4000-8000-000000000001";
    const { id: eventId } = await json<{ id: number }>(await deliver(stack.proxy.url, KEY, remoteContext({ message: "Update", table: "incident", id })));
    await until(async () => (await inbox().get(eventId))?.status === "parked", "the event is parked");
    expect(attempts).toEqual([1, 2, 3]);
    expect(skipped).toEqual([id]);
    const parked = await json<{ items: Array<{ id: number; lastError: string; attempts: number; results: object }> }>(await stack.call("/v1/admin/events?status=parked", { token: admin }));
    expect(parked.items).toEqual([expect.objectContaining({ id: eventId, attempts: 3, lastError: "PhotoShelter refused the change (HTTP 409)", results: { "test-first": { first: true } } })]);

    failing = false;
    const retried = await stack.call(`/v1/admin/events/${eventId}/retry`, { method: "POST", token: admin });
    expect(retried.status).toBe(200);
    expect(await json(retried)).toMatchObject({ id: eventId, status: "pending", attempts: 0 });
    await until(async () => (await inbox().get(eventId))?.status === "done", "the retried event is done");
    // The handler that had finished is not run again.
    expect(skipped).toEqual([id]);
    expect(attempts).toEqual([1, 2, 3, 1]);
    expect((await inbox().get(eventId))?.results).toEqual({ "test-first": { first: true }, "test-flaky": { ok: true } });
    const again = await stack.call(`/v1/admin/events/${eventId}/retry`, { method: "POST", token: admin });
    expect(again.status).toBe(200);
    await until(async () => (await inbox().get(eventId))?.status === "done", "the event is done again");
    expect((await stack.call("/v1/admin/events/999999/retry", { method: "POST", token: admin })).status).toBe(404);
  });

  it("receives what the mock Dataverse's webhook sends when a record changes", async () => {
    const seen: string[] = [];
    stack.proxy.backbone.registry.addHandlers({ name: "test-campaign", table: outOfBox.campaign.logicalName, messages: ["Create", "Update"], handle: async (change) => void seen.push(`${change.message} ${change.id}`) });
    const dataverse = dataverseOf(stack.mock.context);
    dataverse.webhooks.register(defaultWebhook(`${stack.proxy.url}/hooks/dataverse`, KEY));
    const marketer = await stack.token(USERS.marketer.upn);
    const created = await fetch(`${stack.mock.url}/api/data/v9.2/campaigns`, {
      method: "POST",
      headers: { authorization: `Bearer ${marketer}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Spring launch" }),
    });
    expect(created.status).toBe(204);
    const campaignId = /\(([0-9a-f-]{36})\)/.exec(created.headers.get("odata-entityid") ?? "")![1];
    await dataverse.webhooks.whenIdle();
    await until(() => seen.includes(`Create ${campaignId}`), "the campaign's creation was handled");
    expect(dataverse.webhooks.log().every((delivery) => delivery.state === "delivered")).toBe(true);
  });
});

describe("/v1/admin", () => {
  it("needs the PhotoShelter Admin or System Administrator role", async () => {
    const rep = await stack.token(USERS.salesNorthAmerica.upn);
    const refused = await stack.call("/v1/admin/jobs", { token: rep });
    expect(refused.status).toBe(403);
    expect(await json(refused)).toEqual({ error: { code: "forbidden", message: "The admin API needs the PhotoShelter Admin or System Administrator role" } });
    expect((await stack.call("/v1/admin/events", { token: rep })).status).toBe(403);
    expect((await stack.call("/v1/admin/jobs/usage-rollup/run", { method: "POST", token: rep })).status).toBe(403);
    expect((await stack.call("/v1/admin/jobs")).status).toBe(401);
    // The solution's own admin role counts, read from Dataverse for the signed-in user.
    dataverseOf(stack.mock.context).roles.assign(USERS.marketer.id, ["marketer", "photoShelterAdmin"]);
    expect((await stack.call("/v1/admin/jobs", { token: await stack.token(USERS.marketer.upn) })).status).toBe(200);
  });

  it("counts the admin role when it comes through a team the user is a member of", async () => {
    const roles = dataverseOf(stack.mock.context).roles;
    const agent = await stack.token(USERS.serviceAgent.upn);
    expect((await stack.call("/v1/admin/jobs", { token: agent })).status).toBe(403);
    roles.joinTeams(USERS.serviceAgent.id, ["brandAdministrators"]);
    try {
      // This stack keeps no policy cache (POLICY_TTL_MS=0): every call reads the roles again.
      expect((await stack.call("/v1/admin/jobs", { token: agent })).status).toBe(200);
    } finally {
      roles.joinTeams(USERS.serviceAgent.id, []);
    }
  });

  it("lists the jobs with their schedule, next run and last outcome, and runs one on request", async () => {
    const list = await json<{ jobs: Array<{ name: string; nextRunAt: string; runs: number; lastOutcome: string | null }>; events: Record<string, number> }>(await stack.call("/v1/admin/jobs", { token: admin }));
    expect(list.jobs.map((j) => j.name)).toEqual(expect.arrayContaining(["inbox-retention", "usage-rollup"]));
    expect(Date.parse(list.jobs.find((j) => j.name === "usage-rollup")!.nextRunAt)).toBeGreaterThan(Date.now());
    expect(list.events.done).toBeGreaterThan(0);

    const run = await stack.call("/v1/admin/jobs/usage-rollup/run", { method: "POST", token: admin });
    expect(run.status).toBe(202);
    expect(await json(run)).toEqual({ name: "usage-rollup", runRequested: true });
    await until(async () => (await stack.proxy.backbone.store.jobs.get("usage-rollup"))?.runs === 1, "the roll-up ran");
    const after = await json<{ jobs: Array<{ name: string; lastOutcome: string; runRequested: boolean; lastResult: Record<string, unknown>; nextRunAt: string }> }>(await stack.call("/v1/admin/jobs", { token: admin }));
    const rollup = after.jobs.find((j) => j.name === "usage-rollup")!;
    expect(rollup).toMatchObject({ lastOutcome: "ok", runRequested: false, lastResult: expect.objectContaining({ rows: 0 }) });
    // A requested run between ticks keeps the regular tick.
    expect(rollup.nextRunAt).toBe(list.jobs.find((j) => j.name === "usage-rollup")!.nextRunAt);
    expect((await stack.call("/v1/admin/jobs/no-such-job/run", { method: "POST", token: admin })).status).toBe(404);
  });

  it("pages events newest first and filters them by status", async () => {
    const first = await json<{ items: Array<{ id: number }>; next: number | null }>(await stack.call("/v1/admin/events?limit=2", { token: admin }));
    expect(first.items).toHaveLength(2);
    expect(first.next).toBe(first.items[1].id);
    const second = await json<{ items: Array<{ id: number }> }>(await stack.call(`/v1/admin/events?limit=2&before=${first.next}`, { token: admin }));
    expect(second.items[0].id).toBeLessThan(first.items[1].id);
    const pending = await json<{ items: unknown[]; next: null }>(await stack.call("/v1/admin/events?status=pending", { token: admin }));
    expect(pending).toEqual({ items: [], next: null });
    expect((await stack.call("/v1/admin/events?status=lost", { token: admin })).status).toBe(400);
  });
});

describe("PROXY_ROLE", () => {
  it("api serves the API and stores webhooks without running jobs; worker runs jobs and serves no API", async () => {
    const api = await startStack({ PROXY_ROLE: "api", WEBHOOK_KEY: KEY, LOG_LEVEL: "warn" });
    try {
      expect(api.proxy.backbone.runner).toBeNull();
      const { id } = await json<{ id: number }>(await deliver(api.proxy.url, KEY, remoteContext({ message: "Update", table: "account", id: ACCOUNTS.litware })));
      expect((await api.call("/v1/config")).status).toBe(200);
      expect(await api.proxy.backbone.store.inbox.get(id)).toMatchObject({ status: "pending", attempts: 0 });
    } finally {
      await api.close();
    }
    const worker = await startStack({ PROXY_ROLE: "worker", WEBHOOK_KEY: KEY, LOG_LEVEL: "warn" });
    try {
      expect(worker.proxy.backbone.runner).not.toBeNull();
      expect((await worker.call(`/v1/search?record=account:${ACCOUNTS.litware}`)).status).toBe(404);
      expect((await worker.call("/v1/admin/jobs")).status).toBe(404);
      expect((await deliver(worker.proxy.url, KEY, remoteContext({ message: "Update", table: "account", id: ACCOUNTS.litware }))).status).toBe(404);
      expect((await worker.call("/readyz")).status).toBe(200);
    } finally {
      await worker.close();
    }
  });
});
