/**
 * Counts every fetch/XHR the page makes (the control's calls to the proxy and the Dataverse Web
 * API, and the workbench's own), so "opening a form costs a constant number of requests" can be
 * measured. Read by the end-to-end tests and the benchmark through window.__workbench.
 */
import { CALLER_HEADER } from "./dataverse";
export interface LoggedRequest {
  method: string;
  url: string;
  /** "dataverse" (/api/data), "proxy", "issuer" or "other". */
  kind: string;
  /** For Dataverse calls: "platform" (the sub-grid's rows), "control" (its webAPI calls) or "workbench" (the form around it). */
  caller: string | null;
}

const log: LoggedRequest[] = [];
let proxyOrigin = "";

function kindOf(url: URL): string {
  if (url.pathname.startsWith("/api/data/")) return "dataverse";
  if (url.pathname.includes("/issuer/")) return "issuer";
  if (proxyOrigin !== "" && url.origin === proxyOrigin) return "proxy";
  return "other";
}

function record(method: string, rawUrl: string, caller: string | null = null): void {
  const url = new URL(rawUrl, window.location.href);
  if (url.pathname.startsWith("/workbench/") && url.origin === window.location.origin) return;
  log.push({ method: method.toUpperCase(), url: url.href, kind: kindOf(url), caller });
}

export function installRequestLog(proxyUrl: string): void {
  proxyOrigin = new URL(proxyUrl).origin;
  const originalFetch = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const headers = init?.headers && !(init.headers instanceof Headers) && !Array.isArray(init.headers) ? init.headers : {};
    record(init?.method ?? (input instanceof Request ? input.method : "GET"), url, (headers as Record<string, string>)[CALLER_HEADER] ?? null);
    return originalFetch(input, init);
  };
  const originalOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function open(this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    record(method, String(url));
    return (originalOpen as (...args: unknown[]) => void).call(this, method, url, ...rest);
  } as typeof XMLHttpRequest.prototype.open;
}

export function loggedRequests(): LoggedRequest[] {
  return log.slice();
}

export function clearRequestLog(): void {
  log.length = 0;
}
