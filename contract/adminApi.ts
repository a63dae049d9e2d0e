/**
 * The proxy's admin API (/v1/admin/…): the job runner's scheduled jobs, the webhook inbox and the
 * readiness checks with their details, for
 * the people who hold the PhotoShelter Admin or System Administrator role. TypeBox schemas, so the
 * routes validate with them and the OpenAPI document is generated from them.
 */
import { Type, type Static } from "@sinclair/typebox";

const Time = Type.Union([Type.String({ format: "date-time" }), Type.Null()]);

export const JobStatus = Type.Object(
  {
    name: Type.String(),
    schedule: Type.String({ description: "Cron expression (UTC) or every <n><unit>" }),
    nextRunAt: Type.String({ format: "date-time" }),
    runRequested: Type.Boolean(),
    lastStartedAt: Time,
    lastFinishedAt: Time,
    lastOutcome: Type.Union([Type.Literal("ok"), Type.Literal("failed"), Type.Literal("running"), Type.Literal("released"), Type.Null()]),
    lastError: Type.Union([Type.String(), Type.Null()]),
    lastResult: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: "What the job reported about its last run (counts)" }),
    runs: Type.Integer(),
    failures: Type.Integer(),
    consecutiveFailures: Type.Integer(),
    leaseHolder: Type.Union([Type.String(), Type.Null()], { description: "The instance running it now" }),
    leaseUntil: Time,
  },
  { title: "JobStatus" },
);

export const EventStatusName = Type.Union([Type.Literal("pending"), Type.Literal("running"), Type.Literal("done"), Type.Literal("parked")]);

export const JobList = Type.Object(
  {
    jobs: Type.Array(JobStatus),
    events: Type.Object({ pending: Type.Integer(), running: Type.Integer(), done: Type.Integer(), parked: Type.Integer() }, { description: "Inbox events by status" }),
  },
  { title: "JobList" },
);

export const JobParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) });
export const JobRunAccepted = Type.Object({ name: Type.String(), runRequested: Type.Literal(true) }, { title: "JobRunAccepted" });

export const InboxEventSummary = Type.Object(
  {
    id: Type.Integer(),
    status: EventStatusName,
    message: Type.String(),
    table: Type.String(),
    recordId: Type.String(),
    correlationId: Type.String(),
    operationAt: Type.String({ format: "date-time" }),
    receivedAt: Type.String({ format: "date-time" }),
    attempts: Type.Integer(),
    nextAttemptAt: Time,
    lastError: Type.Union([Type.String(), Type.Null()]),
    finishedAt: Time,
    leaseHolder: Type.Union([Type.String(), Type.Null()]),
    results: Type.Record(Type.String(), Type.Unknown(), { description: "What each handler that finished reported" }),
  },
  { title: "InboxEvent" },
);

export const EventQuery = Type.Object({
  status: Type.Optional(EventStatusName),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: "The id of the last event of the previous page (pages go from newest to oldest)" })),
});

export const EventPage = Type.Object(
  {
    items: Type.Array(InboxEventSummary),
    next: Type.Union([Type.Integer(), Type.Null()], { description: "Pass as `before` for the next page; null on the last page" }),
  },
  { title: "InboxEventPage" },
);

export const EventParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

export const ReadinessReport = Type.Object(
  {
    status: Type.Union([Type.Literal("ready"), Type.Literal("not ready")]),
    checks: Type.Record(Type.String(), Type.String(), { description: "photoShelter, dataverse, issuer, state: \"ok\" or \"failing: <what the probe said>\"" }),
    webhook: Type.Object({}, { additionalProperties: true, description: "The webhook's service endpoint as Dataverse has it: what was found, what this proxy changed, the problems and what the admin must do" }),
  },
  { title: "ReadinessReport" },
);

export type JobStatus = Static<typeof JobStatus>;
export type InboxEventSummary = Static<typeof InboxEventSummary>;
export type EventPage = Static<typeof EventPage>;
