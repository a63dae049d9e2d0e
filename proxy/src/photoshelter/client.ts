/**
 * PhotoShelter as the proxy uses it: v4 reads (browse, search, media and its metadata, downloads),
 * the CDN for thumbnails, and v3 writes (gallery insert, upload) where v4 has none. Reads go through
 * the read cache (coalesced, TTL, stale-while-revalidate); the session is attached transparently and
 * renewed once on a 401. Errors become ProxyErrors the control can show.
 */
import { Readable } from "node:stream";
import type { Logger } from "pino";
import type { ProxyConfig } from "../config";
import { ProxyError } from "../errors";
import { UpstreamHttp, UpstreamRequest, UpstreamResponse } from "../upstream/http";
import { ReadCache } from "../upstream/readCache";
import { PhotoShelterSession } from "./session";

/** A v4 resource object. */
export interface PsResource {
  id: string;
  type: string;
  attributes?: Record<string, unknown>;
  includes?: Record<string, { data?: unknown }>;
}

export interface PsList {
  data: PsResource[];
  meta?: { paging?: { total?: number | string }; children_count?: Record<string, number | string> };
}

type Query = Record<string, string | number | undefined>;

/** A v4 read as the read cache keeps it: the parsed body (null for 404) and its length, what it counts against the cache's bytes. */
interface Answer<T> {
  data: T | null;
  bytes: number;
}
const answerSize = (answer: Answer<unknown>) => answer.bytes;

/** Upper bound of items fetched for one listing walk (a library's tree is small; media are never walked). */
const WALK_PER_PAGE = 500;
const WALK_MAX_PAGES = 20;

function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== "") params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

export class PhotoShelterClient {
  constructor(
    private readonly settings: ProxyConfig["photoShelter"],
    readonly api: UpstreamHttp,
    private readonly session: PhotoShelterSession,
    readonly cache: ReadCache,
    private readonly log: Logger,
  ) {}

  /** Which PhotoShelter session reads run in (counts up when the session is renewed). */
  get generation(): number {
    return this.session.generation;
  }

  /** Resolves once the session is established (at once when it is). */
  ready(): Promise<unknown> {
    return this.session.headers();
  }

  /**
   * GET a v4 path through the read cache; null for 404. `shape` runs once over a loaded answer, before
   * the cache keeps it (media items replaced by their kept objects).
   */
  async get<T = { data: unknown; meta?: unknown }>(path: string, query: Query = {}, shape?: (data: T) => T): Promise<T | null> {
    const url = `${this.settings.apiBase}${path}${queryString(query)}`;
    const load = shape ? () => this.memberJson<T>(url).then((answer) => (answer.data === null ? answer : { data: shape(answer.data), bytes: answer.bytes })) : () => this.memberJson<T>(url);
    return (await this.cache.get(url, load, undefined, answerSize)).data;
  }

  /** A v4 GET's answer while the read cache holds it fresh (null for a cached 404); undefined when it would have to be read. */
  peek<T>(path: string, query: Query = {}): T | null | undefined {
    return this.cache.peek<Answer<T>>(`${this.settings.apiBase}${path}${queryString(query)}`)?.data;
  }

  /** Every page of a list endpoint (tree walks only). */
  async all(path: string, query: Query = {}): Promise<PsResource[]> {
    const items: PsResource[] = [];
    for (let page = 1; page <= WALK_MAX_PAGES; page += 1) {
      const list = await this.get<PsList>(path, { ...query, page, per_page: WALK_PER_PAGE });
      const data = list?.data ?? [];
      items.push(...data);
      if (data.length < WALK_PER_PAGE) break;
    }
    return items;
  }

  /** A streamed binary GET (download, thumbnail), with the session attached for PhotoShelter URLs. */
  async stream(url: string, signal?: AbortSignal): Promise<UpstreamResponse> {
    const member = url.startsWith(this.settings.apiBase) || url.startsWith(this.settings.v3Base);
    for (let attempt = 0; ; attempt += 1) {
      const headers = member ? await this.session.headers() : {};
      const response = await this.api.send({ method: "GET", url, headers, signal });
      if (response.status === 401 && member && attempt === 0) {
        await response.body.dump();
        this.session.invalidate(headers);
        continue;
      }
      if (response.status === 200) return response;
      await response.body.dump().catch(() => undefined);
      if (response.status === 404) throw new ProxyError("not_found", "Asset not found");
      throw this.failure(response.status, response.headers["retry-after"], new URL(url).pathname);
    }
  }

  /** A v3 form write (gallery insert…); not retried on failure since it is not idempotent. Returns the v3 `data`. */
  v3Write<T>(path: string, form: string): Promise<T> {
    return this.v3(path, () => form, "application/x-www-form-urlencoded", true);
  }

  /** A v4 JSON PATCH (inferred routes, see inferredRoutes.ts): setting fields is safe to resend. Returns the v4 `data`. */
  async v4Patch<T>(path: string, body: unknown): Promise<T> {
    return (await this.v4Write<T>("PATCH", path, body, true)).data as T;
  }

  /**
   * A v4 JSON write (the inferred routes, see inferredRoutes.ts): 200/201 answer `data`; a 404 is
   * `{found: false}` for a DELETE (already gone) and a refusal otherwise. Only `idempotent` writes
   * are retried after a failure; a create is sent once.
   */
  async v4Write<T>(method: "POST" | "PATCH" | "DELETE", path: string, body: unknown, idempotent: boolean): Promise<{ found: boolean; data: T | undefined }> {
    const url = `${this.settings.apiBase}${path}`;
    for (let attempt = 0; ; attempt += 1) {
      const session = await this.session.headers();
      const headers = body === undefined ? session : { ...session, "content-type": "application/json" };
      const { status, headers: answer, data } = await this.api.json<{ data?: T }>({ method, url, headers, body: body === undefined ? undefined : JSON.stringify(body), idempotent });
      if (status === 401 && attempt === 0) {
        this.session.invalidate(session);
        continue;
      }
      const ok = status === 200 || status === 201 || status === 204;
      if (ok && (method === "DELETE" || (data && typeof data === "object" && data.data !== undefined))) {
        this.cache.clear();
        return { found: true, data: data?.data };
      }
      if (status === 404 && method === "DELETE") return { found: false, data: undefined };
      if (status === 400 || status === 404 || status === 409 || ok) {
        this.log.warn({ upstream: "PhotoShelter", path, status }, "PhotoShelter v4 change refused");
        throw new ProxyError("upstream_error", `PhotoShelter refused the change (HTTP ${status})`);
      }
      throw this.failure(status, answer["retry-after"], path);
    }
  }

  /** GET a v4 path past the read cache (what changed since a moment must never be a cached answer); null for 404. */
  async fresh<T = { data: unknown; meta?: unknown }>(path: string, query: Query = {}): Promise<T | null> {
    return (await this.memberJson<T>(`${this.settings.apiBase}${path}${queryString(query)}`)).data;
  }

  /** A v3 multipart upload; the body is a stream, so it is sent exactly once. */
  v3Upload<T>(path: string, boundary: string, body: Readable, signal?: AbortSignal): Promise<T> {
    return this.v3(path, () => body, `multipart/form-data; boundary=${boundary}`, false, { signal, lane: "upload" });
  }

  private async v3<T>(path: string, body: () => string | Readable, contentType: string, canResend: boolean, options: Pick<UpstreamRequest, "signal" | "lane"> = {}): Promise<T> {
    const url = `${this.settings.v3Base}${path}`;
    for (let attempt = 0; ; attempt += 1) {
      const session = await this.session.headers();
      const { status, headers, data } = await this.api.json<{ status?: string; data?: T; error?: { message?: string } }>({
        method: "POST",
        url,
        headers: { ...session, "x-ps-api-key": this.settings.v3ApiKey, "content-type": contentType },
        body: body(),
        idempotent: false,
        ...options,
      });
      if (status === 401 && attempt === 0 && canResend) {
        this.session.invalidate(session);
        continue;
      }
      if (status === 200 && data.status === "ok" && data.data !== undefined) return data.data;
      if (status === 200 || status === 400) {
        this.log.warn({ upstream: "PhotoShelter", path, message: data.error?.message }, "PhotoShelter v3 call failed");
        throw new ProxyError("upstream_error", "PhotoShelter refused the change");
      }
      throw this.failure(status, headers["retry-after"], path);
    }
  }

  private async memberJson<T>(url: string): Promise<Answer<T>> {
    for (let attempt = 0; ; attempt += 1) {
      const headers = await this.session.headers();
      const { status, headers: responseHeaders, data, bytes } = await this.api.json<T>({ method: "GET", url, headers });
      if (status === 200) {
        if (data === null || typeof data !== "object") throw new ProxyError("upstream_error", "PhotoShelter sent a response the proxy could not read");
        return { data, bytes };
      }
      if (status === 404) return { data: null, bytes };
      if (status === 401 && attempt === 0) {
        this.session.invalidate(headers);
        continue;
      }
      throw this.failure(status, responseHeaders["retry-after"], new URL(url).pathname);
    }
  }

  private failure(status: number, retryAfter: string | string[] | undefined, path: string): ProxyError {
    this.log.warn({ upstream: "PhotoShelter", status, path }, "PhotoShelter call failed");
    if (status === 429) {
      const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
      return new ProxyError("upstream_unavailable", "PhotoShelter is limiting requests; try again shortly", Number.isFinite(seconds) && seconds > 0 ? seconds : 30);
    }
    if (status === 401 || status === 403) return new ProxyError("upstream_error", "PhotoShelter refused the proxy's credentials");
    if (status === 503) return new ProxyError("upstream_unavailable", "PhotoShelter is unavailable; try again shortly", 5);
    if (status === 504) return new ProxyError("upstream_timeout", "PhotoShelter did not answer in time");
    return new ProxyError("upstream_error", `PhotoShelter failed (HTTP ${status})`);
  }
}
