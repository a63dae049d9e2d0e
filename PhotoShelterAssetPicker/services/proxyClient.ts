import type { Asset, AssetPage, ConfigResponse, Container, Page, RecordAdditions, RecordCollection, Suggestions } from "../../contract/proxyApi";
import type { UploadLimits } from "../domain/uploads";
import { HostRecord, recordKey } from "./hostRecord";
import { SignInRequiredError, TokenProvider } from "./tokenProvider";
import type { SearchQuery } from "../domain/searchQuery";
import { searchParams } from "../domain/searchQuery";
import { sharedUntilFailure } from "./sharedUntilFailure";
import { messageOf } from "./strings";
import { sendWithProgress } from "./xhrUpload";

/** The most ids the proxy accepts in one batch call. */
export const BATCH_LIMIT = 500;

export type DownloadSize = "original" | "large" | "medium";

export interface BatchResult {
  items: Asset[];
  /** Ids the proxy does not know or this user may not see (outside the record's segment). */
  missing: string[];
}

export interface DownloadedFile {
  blob: Blob;
  fileName: string;
}

/** Everything the control asks the PhotoShelter proxy. One implementation talks HTTP; tests fake it. */
export interface ProxyClient {
  getAssets(ids: string[], signal?: AbortSignal): Promise<BatchResult>;
  getAsset(id: string, signal?: AbortSignal): Promise<Asset>;
  search(query: SearchQuery, page: number, perPage: number, signal?: AbortSignal): Promise<AssetPage>;
  getContainers(parentId: string | null, page: number, perPage: number, signal?: AbortSignal): Promise<Page<Container>>;
  download(id: string, size: DownloadSize, signal?: AbortSignal): Promise<DownloadedFile>;
  downloadZip(ids: string[], signal?: AbortSignal): Promise<DownloadedFile>;
  /** What files the proxy accepts (from GET /v1/config). */
  getUploadLimits(): Promise<UploadLimits>;
  /** Streams one file into the record's gallery; `key` makes a retry return the first upload's asset. */
  upload(file: Blob, fileName: string, key: string, onProgress: (loaded: number) => void, signal: AbortSignal): Promise<Asset>;
  /** The record's own collection (campaigns, events) and its link row. */
  getRecordCollection(signal?: AbortSignal): Promise<RecordCollection>;
  /** Creates and links the record's collection (idempotent). */
  createRecordCollection(): Promise<RecordCollection>;
  /** Media added to an event's collection since the event started. */
  getAdditions(signal?: AbortSignal): Promise<RecordAdditions>;
  /** Approved assets matching the record's account, best first. */
  getSuggestions(limit: number, signal?: AbortSignal): Promise<Suggestions>;
}

/** A failed proxy call. `status` 0 means the proxy could not be reached at all. */
export class ProxyError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    /** From Retry-After on 429/503: when the proxy wants to be asked again. */
    public readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "ProxyError";
  }

  /** The access rules hide it: forbidden, or not found because it is outside the user's segment. */
  get isOutsideSegment(): boolean {
    return this.status === 403 || this.status === 404;
  }

  /** Worth retrying: the proxy or PhotoShelter is down, slow or rate limiting. */
  get isTransient(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export interface HttpProxyClientOptions {
  /** Resolves once: the base URL may come from a Dataverse environment variable. */
  baseUrl: () => Promise<string>;
  /** Read on every call: the record gets its id when a new record is first saved. */
  record: () => HostRecord;
  tokens: TokenProvider;
  fetch?: typeof fetch;
  /** `GET /v1/config`, shared with the sign-in (see proxyConfigReader); read by the client itself when absent. */
  config?: () => Promise<ConfigResponse>;
}

/** `GET <proxy>/v1/config` (no token needed): one read a form shares for its sign-in method and upload limits. */
export function proxyConfigReader(baseUrl: () => Promise<string>, fetchImpl: typeof fetch): () => Promise<ConfigResponse> {
  return sharedUntilFailure(async () => {
    const response = await fetchImpl(`${(await baseUrl()).replace(/\/+$/, "")}/v1/config`);
    if (!response.ok) throw await errorFrom(response);
    return (await response.json()) as ConfigResponse;
  });
}

/** A failed answer as a ProxyError: the proxy's `{error: {code, message}}` where the body has one. */
function errorOf(status: number, statusText: string, body: string, retryAfterHeader: string | null): ProxyError {
  let code = "http_" + status;
  let message = statusText || `HTTP ${status}`;
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code === "string") code = parsed.error.code;
    if (typeof parsed.error?.message === "string") message = parsed.error.message;
  } catch {
    // Not JSON (a gateway page, an empty body): keep the status text.
  }
  const retryAfter = Number(retryAfterHeader);
  return new ProxyError(status, code, message, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null);
}

export async function errorFrom(response: Response): Promise<ProxyError> {
  return errorOf(response.status, response.statusText, await response.text().catch(() => ""), response.headers.get("retry-after"));
}

/** A token that could not be had: the user must sign in (401), or the sign-in service is unreachable (0). */
function signInError(error: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted) return error;
  if (error instanceof SignInRequiredError) return new ProxyError(401, "sign_in_required", error.message);
  // The proxy's own answer to a sign-in (POST /v1/session: 401, 429 with Retry-After…) as it came.
  if (error instanceof ProxyError) return error;
  return new ProxyError(0, "sign_in_failed", messageOf(error));
}

function fileNameFrom(response: Response, fallback: string): string {
  const header = response.headers.get("content-disposition") ?? "";
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (encoded) return decodeURIComponent(encoded[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain ? plain[1] : fallback;
}

/** Talks to the proxy over fetch with the user's bearer token; every call names the host record. */
export function httpProxyClient(options: HttpProxyClientOptions): ProxyClient {
  const { baseUrl, record, tokens } = options;
  const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  const config = options.config ?? proxyConfigReader(baseUrl, fetchImpl);

  /** The proxy URL of a path for the host record. */
  const url = async (path: string, params: Record<string, string> = {}) => {
    const base = (await baseUrl().catch((error: unknown) => Promise.reject(new ProxyError(0, "not_configured", messageOf(error))))).replace(/\/+$/, "");
    return `${base}${path}?${new URLSearchParams({ record: recordKey(record()), ...params }).toString()}`;
  };

  /** Sends one request with the user's token; on 401 the token is renewed and the request sent once more. */
  const withToken = async <T extends { status: number }>(signal: AbortSignal | undefined, sendWith: (token: string) => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt += 1) {
      const token = await tokens.getToken(signal).catch((error: unknown) => Promise.reject(signInError(error, signal)));
      let answer: T;
      try {
        answer = await sendWith(token);
      } catch (error) {
        throw signal?.aborted ? error : new ProxyError(0, "unreachable", messageOf(error));
      }
      if (answer.status !== 401 || attempt > 0) return answer;
      tokens.invalidate(token);
    }
  };

  const send = async (method: string, path: string, signal?: AbortSignal, params?: Record<string, string>, body?: unknown): Promise<Response> => {
    const target = await url(path, params);
    const response = await withToken(signal, (token) =>
      fetchImpl(target, {
        method,
        signal,
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    if (!response.ok) throw await errorFrom(response);
    return response;
  };

  const json = async <T>(method: string, path: string, signal?: AbortSignal, params?: Record<string, string>, body?: unknown): Promise<T> => (await send(method, path, signal, params, body)).json() as Promise<T>;

  const file = async (response: Promise<Response>, fallback: string): Promise<DownloadedFile> => {
    const answer = await response;
    return { blob: await answer.blob(), fileName: fileNameFrom(answer, fallback) };
  };

  return {
    async getAssets(ids, signal) {
      const result: BatchResult = { items: [], missing: [] };
      for (let start = 0; start < ids.length; start += BATCH_LIMIT) {
        const part = await json<BatchResult>("POST", "/v1/assets/batch", signal, {}, { ids: ids.slice(start, start + BATCH_LIMIT) });
        result.items.push(...part.items);
        result.missing.push(...part.missing);
      }
      return result;
    },
    getAsset: (id, signal) => json("GET", `/v1/assets/${encodeURIComponent(id)}`, signal),
    search: (query, page, perPage, signal) => json("GET", "/v1/search", signal, { ...searchParams(query), page: String(page), perPage: String(perPage) }),
    getContainers: (parentId, page, perPage, signal) => json("GET", "/v1/containers", signal, { page: String(page), perPage: String(perPage), ...(parentId ? { parentId } : {}) }),
    download: (id, size, signal) => file(send("GET", `/v1/assets/${encodeURIComponent(id)}/download`, signal, { size }), id),
    downloadZip: (ids, signal) => file(send("POST", "/v1/downloads/zip", signal, {}, { ids }), "photoshelter-assets.zip"),
    getUploadLimits: async () => (await config()).upload,
    async upload(blob, fileName, key, onProgress, signal) {
      const target = await url("/v1/uploads");
      const answer = await withToken(signal, (token) => {
        const body = new FormData();
        body.append("file", blob, fileName);
        return sendWithProgress(target, { Authorization: `Bearer ${token}`, "Idempotency-Key": key }, body, onProgress, signal);
      });
      if (answer.status < 200 || answer.status >= 300) throw errorOf(answer.status, answer.statusText, answer.body, answer.retryAfter);
      return JSON.parse(answer.body) as Asset;
    },
    getRecordCollection: (signal) => json("GET", "/v1/collection", signal),
    createRecordCollection: () => json("POST", "/v1/collection"),
    getAdditions: (signal) => json("GET", "/v1/collection/additions", signal),
    getSuggestions: (limit, signal) => json("GET", "/v1/suggestions", signal, { limit: String(limit) }),
  };
}
