/**
 * HTTP to one outside system (PhotoShelter API, its CDN, Dataverse): keep-alive connection pools,
 * a timeout per call, bounded retries with jittered backoff that honour Retry-After (idempotent
 * calls only, within a total time budget), and a circuit breaker. Callers get the final response
 * whatever its status, or a ProxyError when no response could be had.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Agent, Dispatcher, FormData, request } from "undici";
import type { Logger } from "pino";
import { ProxyError } from "../errors";
import { CircuitBreaker } from "./breaker";

export interface UpstreamOptions {
  timeoutMs: number;
  connections: number;
  /** Connections of the upload lane: streamed request bodies get a pool of their own, so uploads never starve reads. */
  uploadConnections?: number;
  maxRetries: number;
  retryBudgetMs: number;
  breakerFailures: number;
  breakerResetMs: number;
}

export interface UpstreamRequest {
  method: Dispatcher.HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer | FormData | NodeJS.ReadableStream;
  /** Safe to send again after a failure; defaults to true for GET and HEAD only. */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** "upload": a streamed body from a client, sent on the upload lane's own connections. */
  lane?: "upload";
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Dispatcher.ResponseData["body"];
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const BACKOFF_BASE_MS = 100;
const BACKOFF_CAP_MS = 2000;
/** What a client told "could not be reached" waits before trying again. */
const UNREACHABLE_RETRY_AFTER_SECONDS = 5;

/** Retry-After as milliseconds (delta-seconds or an HTTP date), or null. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function isTimeout(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? "";
  return code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT" || (error as Error)?.name === "TimeoutError";
}

export class UpstreamHttp {
  readonly breaker: CircuitBreaker;
  private readonly agent: Agent;
  private readonly uploads: Agent;

  constructor(
    /** Named in errors the control sees, e.g. "PhotoShelter". */
    readonly name: string,
    private readonly options: UpstreamOptions,
    private readonly log: Logger,
  ) {
    this.breaker = new CircuitBreaker(options.breakerFailures, options.breakerResetMs);
    // One keep-alive pool per origin.
    this.agent = new Agent({ connections: options.connections, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 300_000 });
    this.uploads = new Agent({ connections: options.uploadConnections ?? options.connections, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 300_000 });
  }

  /** Requests on the wire or waiting for a connection, per lane (for tests and readiness). */
  inFlight(): { reads: number; uploads: number } {
    const count = (agent: Agent) => Object.values(agent.stats).reduce((sum, pool) => sum + pool.running + pool.pending, 0);
    return { reads: count(this.agent), uploads: count(this.uploads) };
  }

  async send(req: UpstreamRequest): Promise<UpstreamResponse> {
    const idempotent = req.idempotent ?? (req.method === "GET" || req.method === "HEAD");
    const started = Date.now();
    for (let attempt = 0; ; attempt += 1) {
      const waitMs = this.breaker.acquire();
      if (waitMs > 0) {
        throw new ProxyError("upstream_unavailable", `${this.name} is unavailable; try again shortly`, Math.ceil(waitMs / 1000));
      }
      let response: UpstreamResponse | null = null;
      let failure: unknown = null;
      try {
        response = await this.attempt(req);
      } catch (error) {
        failure = error;
      }
      const retryable = failure !== null ? !req.signal?.aborted : RETRYABLE_STATUS.has(response!.status);
      if (failure !== null && req.signal?.aborted) {
        this.breaker.release();
        throw failure;
      }
      if (failure !== null || response!.status >= 500) this.breaker.failure();
      else if (response!.status === 429) this.breaker.release();
      else this.breaker.success();

      if (!retryable) return response!;
      const elapsed = Date.now() - started;
      const hinted = response ? retryAfterMs(response.headers["retry-after"]) : null;
      const backoff = Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
      const delay = hinted !== null ? hinted + Math.random() * BACKOFF_BASE_MS : backoff;
      const canRetry = idempotent && attempt < this.options.maxRetries && elapsed + delay + this.options.timeoutMs / 10 < this.options.retryBudgetMs;
      // Only a failure needs the path (for its log line): parsing the URL is left off the usual way.
      const path = new URL(req.url).pathname;
      if (!canRetry) {
        if (response) return response;
        throw this.describe(failure, path);
      }
      this.log.warn({ upstream: this.name, path, attempt: attempt + 1, status: response?.status, error: failure ? String((failure as Error).message ?? failure) : undefined, delayMs: Math.round(delay) }, "retrying upstream call");
      if (response) await response.body.dump().catch(() => undefined);
      await sleep(delay, undefined, { signal: req.signal });
    }
  }

  /** Sends and parses a JSON body (`bytes`: its length); a body that is not JSON is a clear upstream_error, never a crash. */
  async json<T>(req: UpstreamRequest): Promise<{ status: number; headers: UpstreamResponse["headers"]; data: T; bytes: number }> {
    const response = await this.send(req);
    const text = await response.body.text().catch((error: unknown) => {
      // An answer that breaks off after its headers is a bad answer (502), not an unreachable upstream.
      if (isTimeout(error)) throw this.describe(error, new URL(req.url).pathname);
      this.log.warn({ upstream: this.name, path: new URL(req.url).pathname, status: response.status, error: String((error as Error)?.message ?? error) }, "upstream body broke off");
      throw new ProxyError("upstream_error", `${this.name} sent an incomplete response`);
    });
    if (text === "" && response.status >= 400) return { status: response.status, headers: response.headers, data: {} as T, bytes: 0 };
    try {
      return { status: response.status, headers: response.headers, data: JSON.parse(text) as T, bytes: text.length };
    } catch {
      this.log.warn({ upstream: this.name, path: new URL(req.url).pathname, status: response.status }, "upstream body is not JSON");
      throw new ProxyError("upstream_error", `${this.name} sent a response the proxy could not read`);
    }
  }

  /** Lets calls in flight finish, then closes the connections. */
  async close(): Promise<void> {
    await Promise.all([this.agent.close(), this.uploads.close()]);
  }

  /** Aborts every call in flight and closes the connections at once (a shutdown past its grace period). */
  async destroy(): Promise<void> {
    const stopped = new ProxyError("upstream_unavailable", `${this.name} calls were stopped: the proxy is shutting down`, 5);
    await Promise.all([this.agent.destroy(stopped), this.uploads.destroy(stopped)]);
  }

  private async attempt(req: UpstreamRequest): Promise<UpstreamResponse> {
    const response = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body as Dispatcher.DispatchOptions["body"],
      dispatcher: req.lane === "upload" ? this.uploads : this.agent,
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
      signal: req.signal,
    });
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }

  private describe(error: unknown, path: string): ProxyError {
    if (error instanceof ProxyError) return error;
    this.log.warn({ upstream: this.name, path, error: String((error as Error)?.message ?? error) }, "upstream call failed");
    if (isTimeout(error)) return new ProxyError("upstream_timeout", `${this.name} did not answer in time`);
    return new ProxyError("upstream_unavailable", `${this.name} could not be reached`, UNREACHABLE_RETRY_AFTER_SECONDS);
  }
}
