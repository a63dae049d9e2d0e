/**
 * The proxy's request log: one line per request, when it is answered — method, URL, address and
 * origin (`req`), status (`res`) and time taken — where Fastify writes two (on arrival and on
 * answering). Every line passes the logger's allow-list, so at the default level each request's log
 * costs half of what it did. Errors, a stream that breaks off and the other lines are Fastify's own.
 */
import { LogController } from "fastify";
import type { FastifyReply, FastifyRequest } from "fastify";

export class RequestLog extends LogController {
  incomingRequest(): void {}

  requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error || this.isLogDisabled(request)) return super.requestCompleted(error, request, reply);
    reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, "request completed");
  }
}
