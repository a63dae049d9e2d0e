/**
 * Webhooks like Dataverse service endpoints: a registration names an endpoint URL, its
 * authentication (HttpHeader, WebhookKey or HttpQueryString) and steps (message + table + filtering
 * attributes + images). After a committed change, every matching step gets a RemoteExecutionContext
 * POSTed asynchronously; failures are retried with exponential backoff (honouring Retry-After), as
 * Dataverse's asynchronous service retries system jobs.
 */
import { Type, type Static } from "@sinclair/typebox";
import { randomUUID } from "node:crypto";
import { request } from "undici";
import type { ColumnDefinition } from "../../solution/model";
import type { Metadata } from "./metadata";
import type { ChangeEvent } from "./service";
import type { Reference, Row, Value } from "./store";

export const WebhookStep = Type.Object(
  {
    message: Type.Union([Type.Literal("Create"), Type.Literal("Update"), Type.Literal("Delete")]),
    /** Table logical name, e.g. `campaign`. */
    table: Type.String({ minLength: 1, maxLength: 100 }),
    /** Update only: fire when one of these columns was set. Empty or absent: any column. */
    filteringAttributes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
    preImage: Type.Optional(Type.Boolean()),
    postImage: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const WebhookRegistrationInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    url: Type.String({ minLength: 1, maxLength: 2000, pattern: "^https?://" }),
    authType: Type.Union([Type.Literal("HttpHeader"), Type.Literal("WebhookKey"), Type.Literal("HttpQueryString")]),
    /** HttpHeader/HttpQueryString: name → value pairs; WebhookKey: the key (sent as `?code=`). */
    authValue: Type.Union([Type.String({ maxLength: 2000 }), Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.String({ maxLength: 2000 }))]),
    steps: Type.Array(WebhookStep, { minItems: 1, maxItems: 100 }),
    retry: Type.Optional(
      Type.Object(
        {
          maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
          initialDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
          maxDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type WebhookRegistrationInput = Static<typeof WebhookRegistrationInput>;
export type WebhookRegistration = WebhookRegistrationInput & { id: string };

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  error: string | null;
}

export interface Delivery {
  id: string;
  registrationId: string;
  message: string;
  table: string;
  recordId: string;
  correlationId: string;
  state: "pending" | "delivered" | "failed";
  attempts: DeliveryAttempt[];
}

const DEFAULT_RETRY = { maxAttempts: 5, initialDelayMs: 1000, maxDelayMs: 60_000 };
const CONTRACTS = "http://schemas.microsoft.com/xrm/2011/Contracts";
const ORGANIZATION_ID = "0e000000-0000-4000-8000-00000000d365";
const MAX_LOG = 500;

/** .NET DataContractJsonSerializer date: `/Date(ms)/`, as RemoteExecutionContext JSON carries it. */
const netDate = (iso: string) => `/Date(${Date.parse(iso)})/`;

export class Webhooks {
  private registrations: WebhookRegistration[] = [];
  private deliveries: Delivery[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private inFlight = new Set<Promise<void>>();
  private idleWaiters: Array<() => void> = [];
  /** Bumped by clear(): deliveries started before it never retry after it. */
  private generation = 0;

  constructor(
    private readonly metadata: Metadata,
    private readonly businessUnitOf: (userId: string) => string | null,
    private readonly objectIdOf: (userId: string) => string | null,
  ) {}

  register(input: WebhookRegistrationInput): WebhookRegistration {
    for (const step of input.steps) {
      const entry = this.metadata.byLogicalName(step.table);
      if (!entry) throw new Error(`steps: no table "${step.table}" in the model`);
      for (const attribute of step.filteringAttributes ?? []) {
        if (!entry.columns.has(attribute)) throw new Error(`steps: "${step.table}" has no column "${attribute}"`);
      }
    }
    const registration = { ...input, id: randomUUID() };
    this.registrations.push(registration);
    return registration;
  }

  list(): WebhookRegistration[] {
    return [...this.registrations];
  }

  remove(id: string): boolean {
    const before = this.registrations.length;
    this.registrations = this.registrations.filter((r) => r.id !== id);
    return before !== this.registrations.length;
  }

  log(): Delivery[] {
    return this.deliveries.map((d) => ({ ...d, attempts: [...d.attempts] }));
  }

  /** Stops pending retries and forgets registrations and deliveries (reset). */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.registrations = [];
    this.deliveries = [];
    this.generation++;
    this.settle();
  }

  /** Resolves when no delivery is in flight or waiting for a retry (tests, shutdown). */
  whenIdle(): Promise<void> {
    if (this.timers.size === 0 && this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Queues deliveries for committed changes (never blocks or fails the request that made them). */
  publish(events: ChangeEvent[], correlationId: string = randomUUID()): void {
    for (const event of events) {
      for (const registration of this.registrations) {
        for (const step of registration.steps) {
          if (step.message !== event.message || step.table !== event.table) continue;
          if (event.message === "Update" && step.filteringAttributes?.length && !step.filteringAttributes.some((a) => event.changed.includes(a))) continue;
          const delivery: Delivery = { id: randomUUID(), registrationId: registration.id, message: event.message, table: event.table, recordId: event.id, correlationId, state: "pending", attempts: [] };
          this.deliveries.push(delivery);
          if (this.deliveries.length > MAX_LOG) this.deliveries.splice(0, this.deliveries.length - MAX_LOG);
          const context = this.executionContext(event, step, registration, correlationId);
          this.attempt(registration, delivery, JSON.stringify(context), 0);
        }
      }
    }
  }

  private attempt(registration: WebhookRegistration, delivery: Delivery, body: string, delayMs: number): void {
    const run = () => {
      const promise = this.send(registration, delivery, body).finally(() => {
        this.inFlight.delete(promise);
        this.settle();
      });
      this.inFlight.add(promise);
    };
    if (delayMs <= 0) return run();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, delayMs);
    this.timers.add(timer);
  }

  private async send(registration: WebhookRegistration, delivery: Delivery, body: string): Promise<void> {
    const generation = this.generation;
    const retry = { ...DEFAULT_RETRY, ...registration.retry };
    const url = new URL(registration.url);
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-request-id": randomUUID(),
      "x-ms-correlation-request-id": delivery.correlationId,
      "x-ms-dynamics-organization": "contoso-mock.crm.dynamics.com",
      "x-ms-dynamics-entity-name": delivery.table,
      "x-ms-dynamics-request-name": delivery.message,
      "x-ms-dynamics-msg-size-exceeded": "",
    };
    if (registration.authType === "WebhookKey") url.searchParams.set("code", String(registration.authValue));
    else if (typeof registration.authValue === "object") {
      for (const [name, value] of Object.entries(registration.authValue)) {
        if (registration.authType === "HttpHeader") headers[name.toLowerCase()] = value;
        else url.searchParams.set(name, value);
      }
    }
    let retryAfterMs: number | null = null;
    const attempt: DeliveryAttempt = { at: new Date().toISOString(), status: null, error: null };
    delivery.attempts.push(attempt);
    try {
      const response = await request(url, { method: "POST", headers, body, headersTimeout: 10_000, bodyTimeout: 10_000 });
      await response.body.dump();
      attempt.status = response.statusCode;
      if (response.statusCode >= 200 && response.statusCode < 300) {
        delivery.state = "delivered";
        return;
      }
      const retryAfter = Number(response.headers["retry-after"]);
      if (Number.isFinite(retryAfter) && retryAfter >= 0) retryAfterMs = retryAfter * 1000;
    } catch (error) {
      attempt.error = (error as Error).message;
    }
    if (generation !== this.generation) return;
    if (delivery.attempts.length >= retry.maxAttempts) {
      delivery.state = "failed";
      return;
    }
    const backoff = Math.min(retry.initialDelayMs * 2 ** (delivery.attempts.length - 1), retry.maxDelayMs);
    this.attempt(registration, delivery, body, Math.min(Math.max(backoff, retryAfterMs ?? 0), retry.maxDelayMs));
  }

  private settle(): void {
    if (this.timers.size > 0 || this.inFlight.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** The RemoteExecutionContext Dataverse serializes for a service endpoint (JSON format). */
  private executionContext(event: ChangeEvent, step: Static<typeof WebhookStep>, registration: WebhookRegistration, correlationId: string) {
    const target =
      event.message === "Delete"
        ? this.entityReference({ id: event.id, table: event.table })
        : this.entity(event.table, event.id, event.post!, event.message === "Update" ? event.changed : null);
    const images = (key: string, row: Row | null, wanted: boolean | undefined) => (wanted && row ? [{ key, value: this.entity(event.table, event.id, row, null) }] : []);
    const userObjectId = this.objectIdOf(event.userId);
    return {
      BusinessUnitId: this.businessUnitOf(event.userId),
      CorrelationId: correlationId,
      Depth: 1,
      InitiatingUserAzureActiveDirectoryObjectId: userObjectId,
      InitiatingUserId: event.userId,
      InputParameters: [{ key: "Target", value: target }],
      IsExecutingOffline: false,
      IsInTransaction: false,
      IsOfflinePlayback: false,
      IsolationMode: 1,
      MessageName: event.message,
      Mode: 1,
      OperationCreatedOn: netDate(event.at),
      OperationId: randomUUID(),
      OrganizationId: ORGANIZATION_ID,
      OrganizationName: "contoso-mock",
      OutputParameters: event.message === "Create" ? [{ key: "id", value: event.id }] : [],
      OwningExtension: { Id: registration.id, KeyAttributes: [], LogicalName: "sdkmessageprocessingstep", Name: `${registration.name}: ${event.message} of ${event.table}`, RowVersion: null },
      ParentContext: null,
      PostEntityImages: images("PostImage", event.post, step.postImage),
      PreEntityImages: images("PreImage", event.pre, step.preImage),
      PrimaryEntityId: event.id,
      PrimaryEntityName: event.table,
      RequestId: randomUUID(),
      SecondaryEntityName: "none",
      SharedVariables: [],
      Stage: 40,
      UserAzureActiveDirectoryObjectId: userObjectId,
      UserId: event.userId,
    };
  }

  private entityReference(reference: Reference) {
    return { __type: `EntityReference:${CONTRACTS}`, Id: reference.id, KeyAttributes: [], LogicalName: reference.table, Name: null, RowVersion: null };
  }

  /** An Entity with its attributes (only the changed ones for an Update target, like the platform). */
  private entity(table: string, id: string, row: Row, only: string[] | null) {
    const entry = this.metadata.byLogicalName(table)!;
    const attributes = [...entry.columns.values()]
      .filter((column) => (only ? only.includes(column.logicalName) || column.logicalName === entry.table.primaryIdAttribute : row[column.logicalName] !== null && row[column.logicalName] !== undefined))
      .map((column) => ({ key: column.logicalName, value: this.attributeValue(column, row[column.logicalName] ?? null) }));
    return { __type: `Entity:${CONTRACTS}`, Attributes: attributes, EntityState: null, FormattedValues: [], Id: id, KeyAttributes: [], LogicalName: table, RelatedEntities: [], RowVersion: String(row.versionnumber ?? "") };
  }

  private attributeValue(column: ColumnDefinition, value: Value): unknown {
    if (value === null) return null;
    switch (column.type) {
      case "lookup":
      case "owner":
        return this.entityReference(value as Reference);
      case "choice":
      case "state":
      case "status":
        return { __type: `OptionSetValue:${CONTRACTS}`, Value: value };
      case "multichoice":
        return String(value).split(",").map((v) => ({ __type: `OptionSetValue:${CONTRACTS}`, Value: Number(v) }));
      case "money":
        return { __type: `Money:${CONTRACTS}`, Value: value };
      case "datetime":
        return netDate(String(value).length === 10 ? `${value}T00:00:00Z` : String(value));
      default:
        return value;
    }
  }
}
