/**
 * The $batch wire format (multipart/mixed with CRLF line ends): writing one change set of
 * requests, and reading the parts of the response (nested change set responses included).
 */
import { randomUUID } from "node:crypto";

export interface BatchRequest {
  method: "POST" | "PATCH" | "DELETE";
  /** Absolute URL of the resource. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface BatchPartResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** One change set holding all requests, so they commit or roll back together. */
export function changeSetBody(requests: readonly BatchRequest[]): { contentType: string; body: string } {
  const batch = `batch_${randomUUID()}`;
  const changeSet = `changeset_${randomUUID()}`;
  const parts = requests.map((request, i) => {
    const lines = ["Content-Type: application/http", "Content-Transfer-Encoding: binary", `Content-ID: ${i + 1}`, "", `${request.method} ${request.url} HTTP/1.1`];
    for (const [name, value] of Object.entries(request.headers ?? {})) lines.push(`${name}: ${value}`);
    if (request.body !== undefined) lines.push("Content-Type: application/json; type=entry", "", JSON.stringify(request.body));
    else lines.push("", "");
    return `--${changeSet}\r\n${lines.join("\r\n")}`;
  });
  const body = [`--${batch}`, `Content-Type: multipart/mixed; boundary=${changeSet}`, "", ...parts, `--${changeSet}--`, `--${batch}--`, ""].join("\r\n");
  return { contentType: `multipart/mixed; boundary=${batch}`, body };
}

function boundaryOf(contentType: string): string | null {
  return /boundary="?([^";]+)"?/i.exec(contentType)?.[1] ?? null;
}

function headerBlock(text: string): { headers: Record<string, string>; rest: string } {
  const end = text.indexOf("\r\n\r\n");
  const head = end === -1 ? text : text.slice(0, end);
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, rest: end === -1 ? "" : text.slice(end + 4) };
}

/** The HTTP responses inside a $batch response, in order (change sets flattened). */
export function parseBatchResponse(contentType: string, body: string): BatchPartResponse[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new Error("The $batch response has no multipart boundary");
  const out: BatchPartResponse[] = [];
  for (const chunk of body.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith("--")) break;
    const { headers, rest } = headerBlock(chunk.replace(/^\r\n/, ""));
    const nested = boundaryOf(headers["content-type"] ?? "");
    if (nested && /^multipart\/mixed/i.test(headers["content-type"] ?? "")) {
      out.push(...parseBatchResponse(headers["content-type"], rest));
      continue;
    }
    const lineEnd = rest.indexOf("\r\n");
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(rest.slice(0, lineEnd))?.[1]);
    if (!status) throw new Error("A $batch response part has no HTTP status line");
    const inner = headerBlock(rest.slice(lineEnd + 2));
    const text = inner.rest.replace(/\r\n$/, "").trim();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    out.push({ status, headers: inner.headers, body: parsed });
  }
  return out;
}
