/**
 * How long to wait before trying failed work again: exponential backoff with jitter (anywhere from
 * half the base to the doubling ceiling, so retries of many failures spread out), and never
 * less than what PhotoShelter or Dataverse asked for (Retry-After, carried on the errors the clients
 * throw).
 */
import { DataverseApiError } from "../dataverse";
import { ProxyError } from "../errors";

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
}

/** Milliseconds an upstream asked us to wait, when the error carries it. */
export function retryAfterOf(error: unknown): number | null {
  if (error instanceof DataverseApiError && error.retryAfterMs !== null) return error.retryAfterMs;
  if (error instanceof ProxyError && error.retryAfter !== undefined) return error.retryAfter * 1000;
  const hinted = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof hinted === "number" && Number.isFinite(hinted) ? hinted : null;
}

/** Delay before attempt `attempt + 1` (attempt counts from 1). */
export function retryDelay(attempt: number, error: unknown, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const backoff = options.baseMs / 2 + random() * (ceiling - options.baseMs / 2);
  const asked = retryAfterOf(error);
  return Math.round(asked !== null ? Math.max(asked, backoff) : backoff);
}
