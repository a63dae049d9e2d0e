/**
 * The one error type routes throw. Every error the control sees is `{ error: { code, message } }`
 * with a status that fits; messages never carry upstream bodies, keys or tokens.
 */
import type { ErrorCode } from "../../contract/proxyApi";

const STATUS: Record<ErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation_failed: 400,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  upstream_unavailable: 503,
  upstream_timeout: 504,
  upstream_error: 502,
  internal: 500,
};

export class ProxyError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Seconds the caller should wait before trying again (429/503). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "ProxyError";
    this.status = STATUS[code];
  }
}

export const notFound = (what = "Asset"): ProxyError => new ProxyError("not_found", `${what} not found`);
