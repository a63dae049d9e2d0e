/**
 * POST /hooks/dataverse — where the solution's service endpoint posts Dataverse changes. The
 * x-psh-webhook-key header is checked (constant time) before the body is read; the body must be a
 * RemoteExecutionContext; the change goes into the durable inbox in one statement that also
 * deduplicates it (Dataverse redelivers: same operation, message and record → same key), and the
 * answer is 202 at once. The work happens later, in the job runner.
 */
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { createHash, timingSafeEqual } from "node:crypto";
import { ErrorBody } from "../../../contract/proxyApi";
import { automationEndpoint } from "../../../solution/model";
import { readChange } from "../dataverse";
import { ProxyError } from "../errors";
import { documented } from "../http/openapi";
import type { Inbox } from "../state/inbox";

export const WEBHOOK_PATH = automationEndpoint.path;
export const WEBHOOK_HEADER = automationEndpoint.header;
/** Dataverse sends at most 256 KB of context; anything near 1 MB is not a webhook. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const Accepted = Type.Object({
  id: Type.Integer({ description: "The inbox event id (GET /v1/admin/events shows it)" }),
  duplicate: Type.Boolean({ description: "True when this delivery was received before; nothing new was stored" }),
});

/** Compares a presented key with the configured one in constant time (digests: equal length whatever was sent). */
export function keyMatches(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== "string") return false;
  const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

export interface HookDependencies {
  inbox: Inbox;
  /** WEBHOOK_KEY; null: the receiver is not configured and answers 503. */
  webhookKey: string | null;
  /** Called after a new event is stored (wakes the runner in this process). */
  received(): void;
  /** Told of every authenticated or refused delivery (the webhook's readiness report). */
  seen?(outcome: "accepted" | "missing" | "wrong"): void;
}

export function hookRoutes(app: FastifyInstance, deps: HookDependencies): void {
  app.post(
    WEBHOOK_PATH,
    {
      bodyLimit: WEBHOOK_BODY_LIMIT,
      config: { auth: false },
      // Before the body is read: an unauthenticated caller never gets it parsed.
      onRequest: async (request) => {
        if (deps.webhookKey === null) throw new ProxyError("upstream_unavailable", "The webhook receiver is not configured (WEBHOOK_KEY)");
        const presented = request.headers[WEBHOOK_HEADER];
        if (!keyMatches(presented, deps.webhookKey)) {
          deps.seen?.(presented === undefined ? "missing" : "wrong");
          throw new ProxyError("unauthorized", `The ${WEBHOOK_HEADER} header is missing or wrong`);
        }
        if (!/^application\/json\s*(;|$)/i.test(request.headers["content-type"] ?? "")) throw new ProxyError("unsupported_media_type", "Send the RemoteExecutionContext as application/json");
      },
      schema: documented({
        summary: "Dataverse webhook (service endpoint): a RemoteExecutionContext, stored once and handled later",
        description: `Authenticated by the ${WEBHOOK_HEADER} header registered on the service endpoint (HttpHeader authentication). Redeliveries of the same operation are recognized and store nothing new.`,
        tags: ["hooks"],
        security: [{ webhookKey: [] }],
        consumes: ["application/json"],
        response: { 202: Accepted, 400: ErrorBody, 401: ErrorBody, 413: ErrorBody, 415: ErrorBody, 503: ErrorBody },
      }),
    },
    async (request, reply) => {
      const body = request.body;
      let change;
      try {
        change = readChange(body);
      } catch (error) {
        throw new ProxyError("validation_failed", (error as Error).message);
      }
      const raw = body as { OperationId?: unknown; RequestId?: unknown };
      const operation = [raw.OperationId, raw.RequestId].find((value): value is string => typeof value === "string" && value.trim() !== "");
      if (!operation) throw new ProxyError("validation_failed", "Not a RemoteExecutionContext: it has neither OperationId nor RequestId, so a redelivery could not be recognized");
      const operationAt = Date.parse(change.at);
      const { id, duplicate } = await deps.inbox.enqueue({
        dedupeKey: `${operation.toLowerCase()}|${change.message}|${change.table}|${change.id}`,
        message: change.message,
        table: change.table,
        recordId: change.id,
        correlationId: change.correlationId,
        operationAt: Number.isFinite(operationAt) ? operationAt : Date.now(),
        body: JSON.stringify(body),
      });
      if (!duplicate) deps.received();
      deps.seen?.("accepted");
      request.log.info({ event: id, duplicate, message: change.message, table: change.table, record: change.id }, "webhook received");
      return reply.code(202).send({ id, duplicate });
    },
  );
}
