/**
 * Turns anything thrown in a route into the contract's `{ error: { code, message } }`.
 * Unexpected errors are logged in full and answered with a generic message.
 */
import type { FastifyError, FastifyInstance } from "fastify";
import type { ErrorCode } from "../../../contract/proxyApi";
import { ProxyError } from "../errors";

const BY_STATUS: Record<number, ErrorCode> = {
  400: "validation_failed",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  406: "validation_failed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
};

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ProxyError, request, reply) => {
    if (error instanceof ProxyError) {
      if (error.retryAfter !== undefined) reply.header("retry-after", String(error.retryAfter));
      if (error.status === 401) reply.header("www-authenticate", 'Bearer error="invalid_token"');
      if (error.status >= 500) request.log.warn({ code: error.code, message: error.message }, "request failed upstream");
      return reply.code(error.status).send({ error: { code: error.code, message: error.message } });
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      const context = fastifyError.validationContext ?? "request";
      return reply.code(400).send({ error: { code: "validation_failed", message: `${context} ${fastifyError.validation.map((v) => `${v.instancePath || ""} ${v.message}`.trim()).join("; ")}` } });
    }
    const status = fastifyError.statusCode ?? 500;
    const code = BY_STATUS[status];
    if (code && status < 500) return reply.code(status).send({ error: { code, message: fastifyError.message } });
    request.log.error({ err: error }, "unexpected error");
    return reply.code(500).send({ error: { code: "internal", message: "The proxy failed to handle the request" } });
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: { code: "not_found", message: `No route ${request.method} ${request.url.split("?")[0]}` } }));
}
