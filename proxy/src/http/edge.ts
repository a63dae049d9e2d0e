/**
 * What crafted input meets before any route: answers in the `{ error: { code, message } }` shape for
 * requests Node refuses itself (431 headers too large, 400 unparsable) and for URLs too long (414);
 * numbers that are not finite refused (a schema's range check lets `1e309` through as Infinity); and
 * every 503 tells the client when to try again.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import { ProxyError } from "../errors";

/** Longer URLs are refused with 414 (Node's own limit is on the whole header section, 16 KB). */
export const MAX_URL_LENGTH = 8192;
/** Retry-After of a 503 that did not say (seconds). */
const DEFAULT_RETRY_AFTER = 5;

/** Fastify's clientErrorHandler: requests Node could not parse, answered in the API's error shape. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const message = status === 431 ? "The request headers are too large" : status === 408 ? "The request was not received in time" : "The request is not valid HTTP";
  const body = JSON.stringify({ error: { code: "validation_failed", message } });
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Fastify's frameworkErrors: a URL it cannot decode (`/%`) and the like, answered in the API's error shape. */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  reply.code(400).send({ error: { code: "validation_failed", message: error.code === "FST_ERR_BAD_URL" ? "The URL is not correctly encoded" : "The request is not valid" } });
}

/** True when a parsed value holds a number that is not finite, however deep (bounded). */
function holdsNonFinite(value: unknown, depth = 0): boolean {
  if (typeof value === "number") return !Number.isFinite(value);
  if (depth > 8 || value === null || typeof value !== "object") return false;
  return Object.values(value).some((item) => holdsNonFinite(item, depth + 1));
}

export function installEdgeGuards(app: FastifyInstance): void {
  app.addHook("onRequest", async (request, reply) => {
    if (request.url.length > MAX_URL_LENGTH) return reply.code(414).send({ error: { code: "validation_failed", message: `The URL is longer than ${MAX_URL_LENGTH} characters` } });
  });

  // After validation (query strings coerced to numbers): "1e309" passes a schema as Infinity, beyond every maximum.
  app.addHook("preHandler", async (request) => {
    for (const [part, value] of [["querystring", request.query], ["params", request.params], ["body", request.body]] as const) {
      if (holdsNonFinite(value)) throw new ProxyError("validation_failed", `${part} holds a number that is not finite`);
    }
  });

  app.addHook("onSend", async (_request, reply) => {
    if (reply.statusCode === 503 && !reply.hasHeader("retry-after")) reply.header("retry-after", String(DEFAULT_RETRY_AFTER));
  });
}
