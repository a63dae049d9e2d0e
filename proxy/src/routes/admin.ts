/**
 * /v1/admin — the job runner, the webhook inbox and readiness in detail, for holders of the PhotoShelter Admin or
 * System Administrator role (ADMIN_ROLES), read from Dataverse for the signed-in user (their own roles
 * and those of their teams). Everybody else gets 403. Running a job only asks for a run: whichever worker is free takes it.
 */
import type { Static } from "@sinclair/typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { EventPage, EventParams, EventQuery, InboxEventSummary, JobList, JobParams, JobRunAccepted, JobStatus, ReadinessReport } from "../../../contract/adminApi";
import { ErrorBody } from "../../../contract/proxyApi";
import { ProxyError } from "../errors";
import { userOf } from "../http/auth";
import { documented } from "../http/openapi";
import type { Readiness } from "../http/readiness";
import type { JobRegistry } from "../jobs/registry";
import type { Directory } from "../policy/directory";
import type { InboxEvent, JobRecord, StateStore } from "../state";
import type { ReadCache } from "../upstream/readCache";

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody, 502: ErrorBody, 503: ErrorBody };
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface AdminDependencies {
  store: StateStore;
  registry: JobRegistry;
  directory: Directory;
  /** Caches a user's roles like the other Dataverse look-ups (POLICY_TTL_MS). */
  policyCache: ReadCache;
  adminRoles: readonly string[];
  /** Wakes this instance's runner, if it runs one. */
  wake(): void;
  /** The checks behind /readyz, with what failed and the webhook's details. */
  readiness: Readiness;
}

function jobStatus(record: JobRecord): Static<typeof JobStatus> {
  return {
    name: record.name,
    schedule: record.schedule,
    nextRunAt: new Date(record.nextRunAt).toISOString(),
    runRequested: record.runRequested,
    lastStartedAt: iso(record.lastStartedAt),
    lastFinishedAt: iso(record.lastFinishedAt),
    lastOutcome: record.lastOutcome as Static<typeof JobStatus>["lastOutcome"],
    lastError: record.lastError,
    lastResult: record.lastResult,
    runs: record.runs,
    failures: record.failures,
    consecutiveFailures: record.consecutiveFailures,
    leaseHolder: record.leaseUntil !== null && record.leaseUntil > Date.now() ? record.leaseOwner : null,
    leaseUntil: record.leaseUntil !== null && record.leaseUntil > Date.now() ? iso(record.leaseUntil) : null,
  };
}

function eventSummary(event: InboxEvent): Static<typeof InboxEventSummary> {
  return {
    id: event.id,
    status: event.status,
    message: event.message,
    table: event.table,
    recordId: event.recordId,
    correlationId: event.correlationId,
    operationAt: new Date(event.operationAt).toISOString(),
    receivedAt: new Date(event.receivedAt).toISOString(),
    attempts: event.attempts,
    nextAttemptAt: event.status === "pending" ? iso(event.availableAt) : null,
    lastError: event.lastError,
    finishedAt: iso(event.finishedAt),
    leaseHolder: event.status === "running" ? event.leaseOwner : null,
    results: event.results,
  };
}

export function adminRoutes(app: FastifyInstance, deps: AdminDependencies): void {
  const wanted = new Set(deps.adminRoles.map((role) => role.toLowerCase()));
  const requireAdmin = async (request: FastifyRequest) => {
    const user = userOf(request);
    const roles = await deps.policyCache.get(`roles:${user.systemUserId}`, () => deps.directory.roles(user));
    if (!roles.some((role) => wanted.has(role.toLowerCase()))) throw new ProxyError("forbidden", `The admin API needs the ${deps.adminRoles.join(" or ")} role`);
  };
  const tags = ["admin"];

  app.get(
    "/v1/admin/jobs",
    { config: { auth: true }, preHandler: requireAdmin, schema: documented({ summary: "Scheduled jobs: schedule, last run, outcome, counts, next run, lease holder; inbox events by status", tags, response: { 200: JobList, ...errors } }) },
    async () => {
      const registered = new Set(deps.registry.allJobs().map((j) => j.job.name));
      const [records, events] = await Promise.all([deps.store.jobs.list(), deps.store.inbox.counts()]);
      return { jobs: records.filter((record) => registered.has(record.name)).map(jobStatus), events };
    },
  );

  app.post<{ Params: Static<typeof JobParams> }>(
    "/v1/admin/jobs/:name/run",
    { config: { auth: true }, preHandler: requireAdmin, schema: documented({ summary: "Run a scheduled job now (on whichever worker takes it first)", tags, params: JobParams, response: { 202: JobRunAccepted, ...errors } }) },
    async (request, reply) => {
      const { name } = request.params;
      if (!deps.registry.job(name) || !(await deps.store.jobs.requestRun(name))) throw new ProxyError("not_found", `No job named "${name}"`);
      deps.wake();
      return reply.code(202).send({ name, runRequested: true });
    },
  );

  app.get<{ Querystring: Static<typeof EventQuery> }>(
    "/v1/admin/events",
    { config: { auth: true }, preHandler: requireAdmin, schema: documented({ summary: "Webhook inbox events, newest first, by status (paged with `before`)", tags, querystring: EventQuery, response: { 200: EventPage, ...errors } }) },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const events = await deps.store.inbox.list({ status: request.query.status, limit: limit + 1, before: request.query.before });
      const page = events.slice(0, limit);
      return { items: page.map(eventSummary), next: events.length > limit ? page[page.length - 1].id : null };
    },
  );

  app.get(
    "/v1/admin/readiness",
    { config: { auth: true }, preHandler: requireAdmin, schema: documented({ summary: "What /readyz checks, with what failed and the webhook's service endpoint in detail (org URL, endpoint, steps, what to do)", tags, response: { 200: ReadinessReport, ...errors } }) },
    async () => {
      const details = await deps.readiness.details();
      return { status: details.ready ? "ready" : "not ready", checks: details.checks, webhook: details.webhook };
    },
  );

  app.post<{ Params: Static<typeof EventParams> }>(
    "/v1/admin/events/:id/retry",
    { config: { auth: true }, preHandler: requireAdmin, schema: documented({ summary: "Retry a parked (or handled) event: pending again with its attempts reset", tags, params: EventParams, response: { 200: InboxEventSummary, ...errors } }) },
    async (request) => {
      const retried = await deps.store.inbox.retry(request.params.id);
      if (retried) {
        deps.wake();
        return eventSummary(retried);
      }
      const existing = await deps.store.inbox.get(request.params.id);
      if (!existing) throw new ProxyError("not_found", `No event ${request.params.id}`);
      throw new ProxyError("conflict", `Event ${existing.id} is ${existing.status}; only parked or handled events can be retried`);
    },
  );
}
