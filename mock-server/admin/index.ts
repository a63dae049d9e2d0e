/**
 * /__admin: fault injection, request log, per-key rate limit and reset for every route group.
 * It works through server-wide hooks, so rules apply to any path (PhotoShelter, Dataverse, issuer)
 * without the route groups knowing; /__admin itself is never logged, limited or faulted.
 */
import rateLimitPlugin from "@fastify/rate-limit";
import { Type } from "@sinclair/typebox";
import { FastifyReply, FastifyRequest } from "fastify";
import { Readable } from "node:stream";
import type { MockContext, RouteGroup } from "../context";
import { FaultRuleInput, FaultStore, seededRandom } from "./faults";
import { LoggedRequest, RequestLog } from "./requestLog";
import { strictValidator } from "./validation";

export { FaultStore } from "./faults";
export type { FaultRule, FaultRuleInput } from "./faults";
export { RequestLog } from "./requestLog";
export type { LoggedRequest, RequestFilter } from "./requestLog";
export { strictValidator } from "./validation";

export const ADMIN_PREFIX = "/__admin";

/** Builds a route group's own error body for a status its fault or rate limit produces. */
export type ErrorFormat = (status: number, title: string, detail: string) => unknown;

export interface RateLimitSettings {
  /** Requests allowed per key and window; 0 switches the limit off. */
  limit: number;
  windowSeconds: number;
  /** Paths the limit applies to. */
  pathPrefixes: string[];
}

export interface RateLimitState {
  limit: number;
  current: number;
  /** Seconds until the window resets. */
  expires: number;
}

export interface ResetOptions {
  seed?: number;
  media?: number;
}

export interface MockAdmin {
  faults: FaultStore;
  requests: RequestLog;
  rateLimit: RateLimitSettings;
  /** Registers the error body shape used for faults on paths under `prefix`. */
  setErrorFormat(prefix: string, format: ErrorFormat): void;
  /** Route groups register how they return to their seeded state. */
  onReset(listener: (options: Required<ResetOptions>) => void | Promise<void>): void;
  /** Clears faults, the request log and rate-limit counters, and resets every route group. */
  reset(options?: ResetOptions): Promise<void>;
  /** The caller's rate-limit window for this request (for PhotoShelter's meta.rate_limit). */
  rateLimitState(request: FastifyRequest): RateLimitState | null;
}

export const DEFAULT_RATE_LIMIT: RateLimitSettings = { limit: 10000, windowSeconds: 60, pathPrefixes: ["/psapi/"] };

const admins = new WeakMap<MockContext, MockAdmin>();

/** The admin of one running mock server (in-process helpers for tests and other route groups). */
export function adminOf(context: MockContext): MockAdmin {
  const admin = admins.get(context);
  if (!admin) throw new Error("the admin route group is not registered on this mock server");
  return admin;
}

/** The PhotoShelter api key of a request (header or query), as PhotoShelter accepts it. */
export function apiKeyOf(request: FastifyRequest): string | null {
  const header = request.headers["x-ps-api-key"];
  if (typeof header === "string" && header) return header;
  const query = request.query as Record<string, unknown> | undefined;
  return query && typeof query.api_key === "string" && query.api_key ? query.api_key : null;
}

/** The key a caller is limited by: the PhotoShelter api key, else the bearer, else the address. */
const callerKey = (request: FastifyRequest): string => apiKeyOf(request) ?? request.headers.authorization ?? request.ip;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const defaultErrorFormat: ErrorFormat = (status, title, detail) => ({ error: { code: status === 429 ? "rate_limited" : "injected_fault", message: `${title}: ${detail}` } });

const STATUS_TITLES: Record<number, string> = { 429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" };

interface RequestFaultState {
  log: LoggedRequest;
  started: number;
  mangle: "truncate" | "malformed" | null;
  rateLimit: RateLimitState | null;
}

/** Cuts the body in half after promising the full length, then drops the connection. */
function truncated(full: Buffer): Readable {
  let pushed = false;
  return new Readable({
    read() {
      if (pushed) return;
      pushed = true;
      this.push(full.subarray(0, Math.floor(full.length / 2)));
      setTimeout(() => this.destroy(new Error("injected truncation")), 20);
    },
  });
}

export const adminRoutes: RouteGroup = async (app, context) => {
  const faults = new FaultStore();
  const requests = new RequestLog();
  const rateLimit: RateLimitSettings = { ...DEFAULT_RATE_LIMIT, pathPrefixes: [...DEFAULT_RATE_LIMIT.pathPrefixes] };
  const errorFormats: Array<{ prefix: string; format: ErrorFormat }> = [];
  const resetListeners: Array<(options: Required<ResetOptions>) => void | Promise<void>> = [];
  const perRequest = new WeakMap<FastifyRequest, RequestFaultState>();
  const jitter = seededRandom(context.seed);
  let generation = 0;
  let current = { seed: context.seed, media: context.media };

  await app.register(rateLimitPlugin, { global: false });
  const checkRateLimit = app.createRateLimit({
    max: () => rateLimit.limit,
    timeWindow: () => rateLimit.windowSeconds * 1000,
    keyGenerator: (request) => `${generation}:${callerKey(request)}`,
  });

  const formatFor = (path: string): ErrorFormat =>
    errorFormats.filter((f) => path.startsWith(f.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0]?.format ?? defaultErrorFormat;

  const admin: MockAdmin = {
    faults,
    requests,
    rateLimit,
    setErrorFormat: (prefix, format) => void errorFormats.push({ prefix, format }),
    onReset: (listener) => void resetListeners.push(listener),
    async reset(options = {}) {
      current = { seed: options.seed ?? current.seed, media: options.media ?? current.media };
      faults.clear();
      requests.clear();
      generation++;
      Object.assign(rateLimit, DEFAULT_RATE_LIMIT, { pathPrefixes: [...DEFAULT_RATE_LIMIT.pathPrefixes] });
      for (const listener of resetListeners) await listener(current);
    },
    rateLimitState: (request) => perRequest.get(request)?.rateLimit ?? null,
  };
  admins.set(context, admin);

  app.addHook("onRequest", async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split("?", 1)[0];
    if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) return;
    const state: RequestFaultState = { log: requests.start(request.method, request.url, apiKeyOf(request)), started: Date.now(), mangle: null, rateLimit: null };
    perRequest.set(request, state);
    const fired = faults.fire(request.method, path);
    state.log.faults = fired.map((f) => f.id);
    const fail = (status: number, detail: string, body?: unknown) => {
      const title = STATUS_TITLES[status] ?? "Injected Error";
      return reply.code(status).send(body ?? formatFor(path)(status, title, detail));
    };
    for (const rule of fired) {
      if (rule.kind === "latency") await sleep((rule.latencyMs ?? 0) + Math.floor(jitter() * (rule.jitterMs ?? 0)));
      if (rule.kind === "hold") await faults.hold(rule.id);
    }
    for (const rule of fired) {
      switch (rule.kind) {
        case "reset":
          reply.hijack();
          request.raw.socket.resetAndDestroy();
          return;
        case "rateLimit":
          reply.header("retry-after", String(rule.retryAfterSeconds ?? 1));
          return fail(429, "Rate limit exceeded (injected).");
        case "error":
          return fail(rule.status ?? 500, "Injected by /__admin/faults.", rule.body);
        case "truncate":
        case "malformed":
          state.mangle = rule.kind;
          break;
      }
    }
    if (rateLimit.limit > 0 && rateLimit.pathPrefixes.some((prefix) => path.startsWith(prefix))) {
      const result = await checkRateLimit(request);
      if (result.isAllowed) return;
      state.rateLimit = { limit: result.max, current: result.max - result.remaining, expires: result.ttlInSeconds };
      if (result.isExceeded) {
        reply.header("retry-after", String(result.ttlInSeconds));
        return fail(429, `More than ${rateLimit.limit} requests in ${rateLimit.windowSeconds} seconds for this key.`);
      }
    }
  });

  app.addHook("onSend", async (request, reply, payload) => {
    const mangle = perRequest.get(request)?.mangle;
    if (!mangle || (typeof payload !== "string" && !Buffer.isBuffer(payload))) return payload;
    const full = Buffer.from(payload);
    if (mangle === "malformed") return Buffer.concat([full.subarray(0, Math.floor(full.length / 2)), Buffer.from("\u0000<<malformed")]);
    reply.header("content-length", String(full.length));
    return truncated(full);
  });

  app.addHook("onResponse", async (request, reply) => {
    const state = perRequest.get(request);
    if (!state) return;
    state.log.status = reply.statusCode;
    state.log.durationMs = Date.now() - state.started;
  });

  app.get(`${ADMIN_PREFIX}/faults`, async () => ({ faults: faults.list() }));
  app.post(`${ADMIN_PREFIX}/faults`, { schema: { body: FaultRuleInput }, validatorCompiler: strictValidator }, async (request, reply) => {
    try {
      return reply.code(201).send(faults.add(request.body as FaultRuleInput));
    } catch (error) {
      return reply.code(400).send({ error: { code: "validation_failed", message: (error as Error).message } });
    }
  });
  app.delete(`${ADMIN_PREFIX}/faults`, async () => {
    faults.clear();
    return { faults: [] };
  });
  app.delete(`${ADMIN_PREFIX}/faults/:id`, async (request, reply) => {
    const { id } = request.params as { id: string };
    return faults.remove(id) ? { removed: id } : reply.code(404).send({ error: { code: "not_found", message: `No fault rule ${id}.` } });
  });

  const RequestQuery = Type.Object({ method: Type.Optional(Type.String()), path: Type.Optional(Type.String()) }, { additionalProperties: false });
  app.get(`${ADMIN_PREFIX}/requests`, { schema: { querystring: RequestQuery }, validatorCompiler: strictValidator }, async (request) => {
    const items = requests.list(request.query as { method?: string; path?: string });
    return { total: items.length, items };
  });
  app.delete(`${ADMIN_PREFIX}/requests`, async () => {
    requests.clear();
    return { total: 0, items: [] };
  });

  const RateLimitBody = Type.Object(
    {
      limit: Type.Optional(Type.Integer({ minimum: 0 })),
      windowSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400 })),
      pathPrefixes: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    },
    { additionalProperties: false },
  );
  app.get(`${ADMIN_PREFIX}/rate-limit`, async () => rateLimit);
  app.put(`${ADMIN_PREFIX}/rate-limit`, { schema: { body: RateLimitBody }, validatorCompiler: strictValidator }, async (request) => {
    Object.assign(rateLimit, request.body as Partial<RateLimitSettings>);
    generation++; // a new limit starts a fresh window for everyone
    return rateLimit;
  });

  const ResetBody = Type.Object(
    { seed: Type.Optional(Type.Integer()), media: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000000 })) },
    { additionalProperties: false },
  );
  app.post(`${ADMIN_PREFIX}/reset`, { schema: { body: Type.Optional(ResetBody) }, validatorCompiler: strictValidator }, async (request) => {
    await admin.reset((request.body ?? {}) as ResetOptions);
    return { reset: true, ...current };
  });
};
