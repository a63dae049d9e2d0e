/** The runner's pure parts: schedules, backoff, the webhook key check and the registry. */
import { DataverseApiError } from "../../../proxy/src/dataverse";
import { ProxyError } from "../../../proxy/src/errors";
import { retryAfterOf, retryDelay } from "../../../proxy/src/jobs/backoff";
import { JobRegistry } from "../../../proxy/src/jobs/registry";
import { parseSchedule } from "../../../proxy/src/jobs/schedule";
import { keyMatches } from "../../../proxy/src/routes/hooks";

describe("schedules", () => {
  it("reads intervals as ticks on multiples of the interval, the same on every instance", () => {
    const every = parseSchedule("every 15m");
    expect(every.next(Date.parse("2026-01-01T10:07:00Z"))).toBe(Date.parse("2026-01-01T10:15:00Z"));
    expect(every.next(Date.parse("2026-01-01T10:15:00Z"))).toBe(Date.parse("2026-01-01T10:30:00Z"));
    expect(parseSchedule("every 500ms").next(1_250)).toBe(1_500);
    expect(parseSchedule("EVERY 2 h").next(0)).toBe(7_200_000);
  });

  it("reads cron expressions in UTC", () => {
    expect(parseSchedule("*/15 * * * *").next(Date.parse("2026-01-01T00:07:00Z"))).toBe(Date.parse("2026-01-01T00:15:00Z"));
    expect(parseSchedule("10 0 * * *").next(Date.parse("2026-01-01T23:00:00Z"))).toBe(Date.parse("2026-01-02T00:10:00Z"));
  });

  it("refuses what it cannot read, saying what it accepts", () => {
    expect(() => parseSchedule("hourly")).toThrow(/neither "every <n><ms\|s\|m\|h\|d>" nor a cron expression/);
    expect(() => parseSchedule("every 1ms")).toThrow(/at least 10 ms/);
    expect(() => parseSchedule("61 * * * *")).toThrow(/cron expression/);
  });
});

describe("backoff", () => {
  const options = { baseMs: 1000, capMs: 60_000 };

  it("grows exponentially with jitter, up to the cap", () => {
    expect(retryDelay(1, new Error("x"), options, () => 0)).toBe(500);
    expect(retryDelay(1, new Error("x"), options, () => 1)).toBe(1000);
    expect(retryDelay(4, new Error("x"), options, () => 1)).toBe(8000);
    expect(retryDelay(20, new Error("x"), options, () => 1)).toBe(60_000);
    const spread = new Set(Array.from({ length: 20 }, () => retryDelay(5, new Error("x"), options)));
    expect(spread.size).toBeGreaterThan(1);
  });

  it("never retries sooner than PhotoShelter or Dataverse asked", () => {
    const throttled = new DataverseApiError(429, "0x80072322", "Number of requests exceeded the limit", 30_000);
    expect(retryAfterOf(throttled)).toBe(30_000);
    expect(retryDelay(1, throttled, options, () => 1)).toBe(30_000);
    const busy = new ProxyError("upstream_unavailable", "PhotoShelter is limiting requests", 7);
    expect(retryDelay(1, busy, options, () => 0)).toBe(7000);
    expect(retryAfterOf(new Error("plain"))).toBeNull();
  });
});

describe("the webhook key", () => {
  it("matches only the configured key, whatever the length sent", () => {
    expect(keyMatches("a-long-webhook-key-0123456789", "a-long-webhook-key-0123456789")).toBe(true);
    expect(keyMatches("a-long-webhook-key-012345678", "a-long-webhook-key-0123456789")).toBe(false);
    expect(keyMatches("", "a-long-webhook-key-0123456789")).toBe(false);
    expect(keyMatches(undefined, "a-long-webhook-key-0123456789")).toBe(false);
    expect(keyMatches(["a-long-webhook-key-0123456789"], "a-long-webhook-key-0123456789")).toBe(false);
  });
});

describe("the registry", () => {
  const handler = (name: string, table = "account") => ({ name, table, messages: ["Update" as const], handle: async () => ({}) });

  it("finds the handlers of a change in registration order", () => {
    const registry = new JobRegistry().addHandlers(handler("first"), handler("other", "campaign"), { ...handler("second"), messages: ["Create", "Update"] });
    expect(registry.handlersFor("Update", "account").map((h) => h.name)).toEqual(["first", "second"]);
    expect(registry.handlersFor("Create", "account").map((h) => h.name)).toEqual(["second"]);
    expect(registry.handlersFor("Delete", "account")).toEqual([]);
    expect(registry.subscriptions()).toEqual(expect.arrayContaining([{ message: "Create", table: "account" }, { message: "Update", table: "campaign" }]));
  });

  it("refuses duplicate names, bad names and schedules it cannot read", () => {
    const registry = new JobRegistry().addHandlers(handler("dup")).addJobs({ name: "sync", schedule: "every 1m", run: async () => ({}) });
    expect(() => registry.addHandlers(handler("dup"))).toThrow('event handler "dup" is registered twice');
    expect(() => registry.addHandlers(handler("Bad Name"))).toThrow(/must be lower-case/);
    expect(() => registry.addJobs({ name: "sync", schedule: "every 1m", run: async () => ({}) })).toThrow('job "sync" is registered twice');
    expect(() => registry.addJobs({ name: "nightly", schedule: "at midnight", run: async () => ({}) })).toThrow(/^job "nightly": schedule "at midnight"/);
  });
});
