import { CircuitBreaker } from "../../../proxy/src/upstream/breaker";
import { retryAfterMs } from "../../../proxy/src/upstream/http";
import { ReadCache } from "../../../proxy/src/upstream/readCache";

describe("CircuitBreaker", () => {
  it("opens after consecutive failures, lets one trial through after the reset time, and closes on success", () => {
    let now = 0;
    const breaker = new CircuitBreaker(3, 1000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(breaker.acquire()).toBe(0);
      breaker.failure();
    }
    expect(breaker.current).toBe("open");
    expect(breaker.acquire()).toBe(1000);
    now = 1000;
    expect(breaker.acquire()).toBe(0);
    expect(breaker.current).toBe("half-open");
    expect(breaker.acquire()).toBeGreaterThan(0); // only one trial at a time
    breaker.success();
    expect(breaker.current).toBe("closed");
    expect(breaker.acquire()).toBe(0);
  });

  it("re-opens when the trial fails", () => {
    let now = 0;
    const breaker = new CircuitBreaker(1, 500, () => now);
    breaker.failure();
    now = 600;
    expect(breaker.acquire()).toBe(0);
    breaker.failure();
    expect(breaker.current).toBe("open");
    expect(breaker.acquire()).toBe(500);
  });
});

describe("retryAfterMs", () => {
  it("reads delta seconds and HTTP dates", () => {
    expect(retryAfterMs("3")).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(undefined)).toBeNull();
    expect(retryAfterMs("soon")).toBeNull();
  });
});

describe("ReadCache", () => {
  it("coalesces concurrent loads, serves fresh hits, then stale while one refresh runs", async () => {
    let now = 0;
    const cache = new ReadCache({ maxEntries: 10, ttlMs: 100, staleMs: 1000, now: () => now });
    let loads = 0;
    let release: (value: string) => void = () => undefined;
    const load = () => {
      loads += 1;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const all = Promise.all(Array.from({ length: 10 }, () => cache.get("k", load)));
    release("v1");
    expect(await all).toEqual(Array(10).fill("v1"));
    expect(loads).toBe(1);
    expect(await cache.get("k", load)).toBe("v1");
    expect(loads).toBe(1);

    now = 200; // stale: old value now, one background load
    expect(await cache.get("k", load)).toBe("v1");
    expect(await cache.get("k", load)).toBe("v1");
    expect(loads).toBe(2);
    release("v2");
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get("k", load)).toBe("v2");
  });

  it("holds at most maxBytes of values by their given sizes: the least recently used go first, one larger than all of it is not kept", async () => {
    const cache = new ReadCache({ maxEntries: 100, maxBytes: 1000, ttlMs: 60_000, staleMs: 0 });
    let loads = 0;
    const sized = (key: string, size: number) => cache.get(key, async () => (loads++, { key, size }), undefined, (value) => value.size);
    await sized("a", 400);
    await sized("b", 400);
    await sized("a", 400); // a is now the most recently used
    expect(loads).toBe(2);
    await sized("c", 400); // 1,200 > 1,000: b goes
    expect(cache.peek("a")).toBeDefined();
    expect(cache.peek("b")).toBeUndefined();
    expect(cache.peek("c")).toBeDefined();
    await sized("huge", 1001);
    expect(cache.peek("huge")).toBeUndefined();
    expect(cache.peek("a")).toBeDefined();
    expect(new ReadCache({ maxEntries: 100, maxBytes: 0, ttlMs: 60_000, staleMs: 0 }).peek("a")).toBeUndefined();
  });

  it("never caches failures", async () => {
    const cache = new ReadCache({ maxEntries: 10, ttlMs: 1000, staleMs: 0 });
    await expect(cache.get("k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await cache.get("k", async () => "up")).toBe("up");
  });
});
