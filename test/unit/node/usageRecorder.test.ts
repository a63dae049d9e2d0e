/** Usage events reach the store whenever they are recorded, even while a batch is being written. */
import pino from "pino";
import type { UsageEventInput, UsageStore } from "../../../proxy/src/state/usage";
import { StoreUsageRecorder } from "../../../proxy/src/usage";

const microtasks = async (n: number) => {
  for (let i = 0; i < n; i++) await Promise.resolve();
};

it("stores every event, whatever moment of a write it is recorded in", async () => {
  const stored: UsageEventInput[] = [];
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) % 6;
  const store = {
    async record(events: readonly UsageEventInput[]) {
      await microtasks(random());
      stored.push(...events);
    },
    count: async () => stored.length,
  } as unknown as UsageStore;
  const recorder = new StoreUsageRecorder(store, pino({ level: "silent" }));
  for (let n = 0; n < 300; n++) {
    recorder.record({ at: new Date(0).toISOString(), kind: "download", assetId: `I${n}`, userId: "u", record: "account:a", size: "original" });
    await microtasks(random());
    if (n % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    // Whenever a flush returns, everything recorded before it is stored.
    if (n % 3 === 0) {
      await recorder.flush();
      expect(stored).toHaveLength(n + 1);
    }
  }
  expect(await recorder.count()).toBe(300);
  expect(new Set(stored.map((e) => e.assetId)).size).toBe(300);
});

it("retries a failed write and counts what it finally loses", async () => {
  let failures = 0;
  const store = {
    async record() {
      failures++;
      throw new Error("disk full");
    },
    count: async () => 0,
  } as unknown as UsageStore;
  const recorder = new StoreUsageRecorder(store, pino({ level: "silent" }));
  recorder.record({ at: new Date(0).toISOString(), kind: "zip", assetId: "I1", userId: "u", record: "account:a", size: "original" });
  await recorder.flush();
  expect(failures).toBe(5);
  expect(recorder.lost).toBe(1);
});
