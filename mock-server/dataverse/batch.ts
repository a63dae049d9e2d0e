/**
 * `POST /$batch`: multipart/mixed batches with change sets. A change set is atomic (the store is
 * restored when one of its requests fails); without `Prefer: odata.continue-on-error` the batch
 * stops at the first failure and returns that error alone, as Dataverse does.
 */
import { randomUUID } from "node:crypto";
import { webApiPath } from "../../solution/model";
import { badRequest, CODES, DataverseError } from "./errors";
import type { ChangeEvent, DataverseService, Principal, ServiceResponse } from "./service";
import { withParameterAliases } from "./queryFunctions";

const MAX_REQUESTS = 1000;

interface BatchPart {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  contentId?: string;
}

interface BatchItem {
  changeset: BatchPart[] | null;
  request: BatchPart | null;
}

function boundaryOf(contentType: string | undefined): string {
  const match = /boundary="?([^";]+)"?/i.exec(contentType ?? "");
  if (!match || !/^multipart\/mixed/i.test(contentType ?? "")) throw badRequest("A $batch request needs Content-Type: multipart/mixed; boundary=…", CODES.badBind);
  return match[1];
}

/** Header block and body of a MIME part (lines end with CRLF). */
function splitHeaders(text: string): { headers: Record<string, string>; body: string } {
  const end = text.indexOf("\r\n\r\n");
  const head = end === -1 ? text : text.slice(0, end);
  const body = end === -1 ? "" : text.slice(end + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function parts(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const chunks = body.split(delimiter);
  const closed = chunks.findIndex((chunk) => chunk.startsWith("--"));
  if (closed === -1) throw badRequest(`The batch is missing its closing delimiter --${boundary}--.`, CODES.badBind);
  return chunks.slice(1, closed).map((chunk) => chunk.replace(/^\r\n/, "").replace(/\r\n$/, ""));
}

function httpPart(text: string, contentId?: string): BatchPart {
  const { headers: mime, body: inner } = splitHeaders(text);
  if (!/^application\/http/i.test(mime["content-type"] ?? "")) throw badRequest("Each batch part needs Content-Type: application/http.", CODES.badBind);
  const lineEnd = inner.indexOf("\r\n");
  const requestLine = (lineEnd === -1 ? inner : inner.slice(0, lineEnd)).trim();
  const match = /^(GET|POST|PATCH|PUT|DELETE) (\S+) HTTP\/1\.1$/.exec(requestLine);
  if (!match) throw badRequest(`Bad request line in batch part: '${requestLine}'.`, CODES.badBind);
  const { headers, body } = splitHeaders(lineEnd === -1 ? "" : inner.slice(lineEnd + 2));
  return { method: match[1], url: match[2], headers, body: body.replace(/\r\n$/, ""), contentId: mime["content-id"] ?? contentId };
}

export function parseBatch(body: string, contentType: string | undefined): BatchItem[] {
  if (!body.includes("\r\n")) throw badRequest("Microsoft.OData.ODataException: System.ArgumentException: Stream was not readable. (Batch lines must end with CRLF.)", CODES.badBind);
  const items: BatchItem[] = [];
  let count = 0;
  for (const part of parts(body, boundaryOf(contentType))) {
    const { headers } = splitHeaders(part);
    if (/^multipart\/mixed/i.test(headers["content-type"] ?? "")) {
      const inner = splitHeaders(part).body;
      const changeset = parts(inner, boundaryOf(headers["content-type"])).map((p) => httpPart(p));
      for (const request of changeset) {
        if (request.method === "GET") throw badRequest("GET requests are not allowed inside a change set.", CODES.badBind);
        if (/^multipart/i.test(request.headers["content-type"] ?? "")) throw badRequest("Nested batches are not supported.", CODES.badBind);
      }
      count += changeset.length;
      items.push({ changeset, request: null });
    } else {
      items.push({ changeset: null, request: httpPart(part) });
      count++;
    }
  }
  if (count > MAX_REQUESTS) throw badRequest(`The batch has ${count} requests; the maximum is ${MAX_REQUESTS}.`, CODES.badBind);
  return items;
}

const STATUS_TEXT: Record<number, string> = { 200: "OK", 201: "Created", 204: "No Content", 304: "Not Modified", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 412: "Precondition Failed", 429: "Too Many Requests", 500: "Internal Server Error" };

function responsePart(response: ServiceResponse, contentId?: string): string {
  const lines = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"];
  if (contentId) lines.push(`Content-ID: ${contentId}`);
  lines.push("", `HTTP/1.1 ${response.status} ${STATUS_TEXT[response.status] ?? ""}`.trimEnd());
  for (const [name, value] of Object.entries(response.headers)) lines.push(`${headerCase(name)}: ${value}`);
  lines.push("");
  if (response.body !== undefined) lines.push(JSON.stringify(response.body));
  return lines.join("\r\n");
}

const headerCase = (name: string) => name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase()).replace(/^Odata/, "OData");

export interface BatchResult {
  status: number;
  contentType: string;
  body: string;
  /** Changes of the requests that were committed (rolled-back change sets excluded). */
  events: ChangeEvent[];
}

/** Runs a parsed batch against the service. */
export function runBatch(service: DataverseService, items: BatchItem[], principal: Principal, continueOnError: boolean): BatchResult {
  const boundary = `batchresponse_${randomUUID()}`;
  const out: string[] = [];
  const events: ChangeEvent[] = [];
  const apiPrefix = new RegExp(`^(?:https?://[^/]+)?${webApiPath.replace(/\./g, "\\.")}/`);
  const runPart = (part: BatchPart, entityIds: Map<string, string>, sink: ChangeEvent[]): ServiceResponse => {
    let url = part.url.replace(apiPrefix, "");
    const reference = /^\$(\d+)(.*)$/.exec(url);
    if (reference) {
      const target = entityIds.get(reference[1]);
      if (!target) throw badRequest(`Content-ID Reference: '$${reference[1]}' does not exist in the batch context.`, CODES.badBind);
      url = target + reference[2];
    }
    const [path, rawQuery = ""] = url.split("?", 2);
    const query = withParameterAliases(rawQuery);
    let body: unknown;
    if (part.body.trim()) {
      try {
        body = JSON.parse(part.body, (key, value) => {
          const ref = typeof value === "string" && key.endsWith("@odata.bind") ? /^\$(\d+)$/.exec(value) : null;
          return ref && entityIds.has(ref[1]) ? `/${entityIds.get(ref[1])}` : value;
        });
      } catch {
        throw badRequest(`The body of the batch request '${part.method} ${part.url}' is not valid JSON.`, CODES.badBind);
      }
    }
    const response = service.handle({ method: part.method, path, query, headers: part.headers, body, principal }, sink);
    const entityId = response.headers["odata-entityid"];
    if (part.contentId && entityId) entityIds.set(part.contentId, entityId.replace(apiPrefix, ""));
    return response;
  };
  const run = (part: BatchPart, entityIds: Map<string, string>, sink: ChangeEvent[]): ServiceResponse => {
    try {
      return runPart(part, entityIds, sink);
    } catch (error) {
      if (!(error instanceof DataverseError)) throw error;
      return { status: error.status, headers: { "content-type": "application/json; odata.metadata=minimal", "odata-version": "4.0" }, body: error.body() };
    }
  };
  const fail = (response: ServiceResponse): BatchResult => ({
    status: response.status,
    contentType: `multipart/mixed; boundary=${boundary}`,
    body: `--${boundary}\r\n${responsePart(response)}\r\n--${boundary}--\r\n`,
    events,
  });
  for (const item of items) {
    if (item.request) {
      const sink: ChangeEvent[] = [];
      const request = item.request;
      const response = service.store.transaction((rollback) => {
        const result = run(request, new Map(), sink);
        if (result.status >= 400) rollback();
        return result;
      });
      if (response.status >= 400) {
        if (!continueOnError) return fail(response);
      } else events.push(...sink);
      out.push(responsePart(response));
      continue;
    }
    const sink: ChangeEvent[] = [];
    const entityIds = new Map<string, string>();
    const responses: Array<{ response: ServiceResponse; contentId?: string }> = [];
    const failed = service.store.transaction((rollback) => {
      for (const part of item.changeset!) {
        const response = run(part, entityIds, sink);
        if (response.status >= 400) {
          rollback();
          return response;
        }
        responses.push({ response, contentId: part.contentId });
      }
      return null;
    });
    if (failed) {
      if (!continueOnError) return fail(failed);
      out.push(responsePart(failed));
      continue;
    }
    events.push(...sink);
    const changesetBoundary = `changesetresponse_${randomUUID()}`;
    const inner = responses.map((r) => `--${changesetBoundary}\r\n${responsePart(r.response, r.contentId)}`).join("\r\n");
    out.push(`Content-Type: multipart/mixed; boundary=${changesetBoundary}\r\n\r\n${inner}\r\n--${changesetBoundary}--`);
  }
  return {
    status: 200,
    contentType: `multipart/mixed; boundary=${boundary}`,
    body: `${out.map((part) => `--${boundary}\r\n${part}`).join("\r\n")}\r\n--${boundary}--\r\n`,
    events,
  };
}
