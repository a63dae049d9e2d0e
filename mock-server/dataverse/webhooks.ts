/**
 * Webhooks like Dataverse service endpoints: an endpoint (URL, authentication HttpHeader, WebhookKey
 * or HttpQueryString) and steps (message + table + filtering attributes + images) are rows of the
 * org (pluginRegistration.ts), served by the Web API like any table — `authvalue` write-only. After a
 * committed change, every enabled step that matches gets a RemoteExecutionContext POSTed
 * asynchronously, authenticated with what the endpoint holds *at that attempt* (so a missing or wrong
 * header value shows in the deliveries, and a value set meanwhile is used by the next retry);
 * failures are retried with exponential backoff (honouring Retry-After), as Dataverse's asynchronous
 * service retries system jobs.
 */
import { Type, type Static } from "@sinclair/typebox";
import { randomUUID } from "node:crypto";
import { request } from "undici";
import { automationEndpoint, automationSteps, headerSettings, pluginRegistration, type ColumnDefinition } from "../../solution/model";
import type { Metadata } from "./metadata";
import { InvalidAuthValue, removeRegistration, settingsOf, webhookEndpoints, webhookSteps, writeRegistration, type ActiveStep } from "./pluginRegistration";
import type { ChangeEvent } from "./service";
import type { Reference, Row, Store, Value } from "./store";

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

const AUTH_TYPES = {
  WebhookKey: pluginRegistration.serviceEndpointAuthType.options.webhookKey.value,
  HttpHeader: pluginRegistration.serviceEndpointAuthType.options.httpHeader.value,
  HttpQueryString: pluginRegistration.serviceEndpointAuthType.options.httpQueryString.value,
} as const;
type AuthTypeName = keyof typeof AUTH_TYPES;

export const WebhookRegistrationInput = Type.Object(
  {
    /** The serviceendpointid (default: a new one); registering an existing id replaces that endpoint and its steps. */
    id: Type.Optional(Type.String({ pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$" })),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    url: Type.String({ minLength: 1, maxLength: 2000, pattern: "^https?://" }),
    authType: Type.Union([Type.Literal("HttpHeader"), Type.Literal("WebhookKey"), Type.Literal("HttpQueryString")]),
    /**
     * HttpHeader/HttpQueryString: name → value pairs (stored as the platform's settings XML) or the
     * raw authvalue; WebhookKey: the key (sent as `?code=`). Absent or null: none set (as after a
     * solution import, which never carries it).
     */
    authValue: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 2000 }), Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.String({ maxLength: 2000 }))])),
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

/** A registration as the org holds it; like the Web API, it never shows the authentication value, only whether one is stored. */
export interface WebhookRegistration {
  id: string;
  name: string;
  url: string;
  authType: AuthTypeName | "other";
  authValueSet: boolean;
  steps: Array<Static<typeof WebhookStep> & { enabled: boolean }>;
}

export interface DeliveryAttempt {
  at: string;
  status: number | null;
  error: string | null;
}

export interface Delivery {
  id: string;
  /** The service endpoint (serviceendpointid) and the step that sent it. */
  registrationId: string;
  stepId: string;
  message: string;
  table: string;
  recordId: string;
  correlationId: string;
  state: "pending" | "delivered" | "failed";
  attempts: DeliveryAttempt[];
}

type Retry = { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
const DEFAULT_RETRY: Retry = { maxAttempts: 5, initialDelayMs: 1000, maxDelayMs: 60_000 };
const CONTRACTS = "http://schemas.microsoft.com/xrm/2011/Contracts";
const ORGANIZATION_ID = "0e000000-0000-4000-8000-00000000d365";
const MAX_LOG = 500;
const E = pluginRegistration.serviceEndpoint.columns;

/** .NET DataContractJsonSerializer date: `/Date(ms)/`, as RemoteExecutionContext JSON carries it. */
const netDate = (iso: string) => `/Date(${Date.parse(iso)})/`;

function storedAuthValue(input: WebhookRegistrationInput): string | null {
  const value = input.authValue;
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  return headerSettings(value);
}

export class Webhooks {
  private deliveries: Delivery[] = [];
  /** Retry settings per endpoint (the mock's own, for tests; the org has no such column). */
  private retries = new Map<string, Retry>();
  private timers = new Set<NodeJS.Timeout>();
  private inFlight = new Set<Promise<void>>();
  private idleWaiters: Array<() => void> = [];
  /** Bumped by clear(): deliveries started before it never retry after it. */
  private generation = 0;

  constructor(
    private readonly metadata: Metadata,
    private readonly store: Store,
    private readonly businessUnitOf: (userId: string) => string | null,
    private readonly objectIdOf: (userId: string) => string | null,
  ) {}

  /** Writes a webhook endpoint and its steps into the org, as the Plugin Registration Tool does. */
  register(input: WebhookRegistrationInput): WebhookRegistration {
    for (const step of input.steps) {
      const entry = this.metadata.byLogicalName(step.table);
      if (!entry) throw new Error(`steps: no table "${step.table}" in the model`);
      for (const attribute of step.filteringAttributes ?? []) {
        if (!entry.columns.has(attribute)) throw new Error(`steps: "${step.table}" has no column "${attribute}"`);
      }
    }
    const id = input.id ?? randomUUID();
    writeRegistration(this.store, this.metadata, { id, name: input.name, description: input.description, url: input.url, authType: AUTH_TYPES[input.authType], authValue: storedAuthValue(input) }, input.steps);
    if (input.retry) this.retries.set(id, { ...DEFAULT_RETRY, ...input.retry });
    else this.retries.delete(id);
    return this.list().find((registration) => registration.id === id)!;
  }

  /** The webhook endpoints of the org with their steps. */
  list(): WebhookRegistration[] {
    const steps = webhookSteps(this.store);
    return webhookEndpoints(this.store).map((row) => {
      const id = row[pluginRegistration.serviceEndpoint.primaryIdAttribute] as string;
      const authType = (Object.entries(AUTH_TYPES).find(([, value]) => value === row[E.authType.logicalName])?.[0] ?? "other") as WebhookRegistration["authType"];
      return {
        id,
        name: String(row[E.name.logicalName] ?? ""),
        url: String(row[E.url.logicalName] ?? ""),
        authType,
        authValueSet: row[E.authValue.logicalName] !== null && row[E.authValue.logicalName] !== "",
        steps: steps
          .filter((step) => step.endpointId === id)
          .map((step) => ({ message: step.message, table: step.table, ...(step.filteringAttributes.length ? { filteringAttributes: step.filteringAttributes } : {}), preImage: step.preImage, postImage: step.postImage, enabled: step.enabled })),
      };
    });
  }

  remove(id: string): boolean {
    this.retries.delete(id);
    return removeRegistration(this.store, id);
  }

  log(): Delivery[] {
    return this.deliveries.map((d) => ({ ...d, attempts: [...d.attempts] }));
  }

  /** Stops pending retries and forgets retry settings and deliveries (reset; the rows go with the store). */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.retries.clear();
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
    if (events.length === 0) return;
    const steps = webhookSteps(this.store).filter((step) => step.enabled);
    if (steps.length === 0) return;
    for (const event of events) {
      for (const step of steps) {
        if (step.message !== event.message || step.table !== event.table) continue;
        if (event.message === "Update" && step.filteringAttributes.length && !step.filteringAttributes.some((a) => event.changed.includes(a))) continue;
        const delivery: Delivery = { id: randomUUID(), registrationId: step.endpointId, stepId: step.id, message: event.message, table: event.table, recordId: event.id, correlationId, state: "pending", attempts: [] };
        this.deliveries.push(delivery);
        if (this.deliveries.length > MAX_LOG) this.deliveries.splice(0, this.deliveries.length - MAX_LOG);
        const context = this.executionContext(event, step, correlationId);
        this.attempt(delivery, JSON.stringify(context), 0);
      }
    }
  }

  private attempt(delivery: Delivery, body: string, delayMs: number): void {
    const run = () => {
      const promise = this.send(delivery, body).finally(() => {
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

  /** The URL and headers of an attempt, from the endpoint as it is now. */
  private target(delivery: Delivery): { url: URL; headers: Record<string, string> } {
    const endpoint = this.store.get(pluginRegistration.serviceEndpoint.logicalName, delivery.registrationId);
    if (!endpoint) throw new Error("The service endpoint of this step no longer exists.");
    const url = new URL(String(endpoint[E.url.logicalName]));
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-request-id": randomUUID(),
      "x-ms-correlation-request-id": delivery.correlationId,
      "x-ms-dynamics-organization": "contoso-mock.crm.dynamics.com",
      "x-ms-dynamics-entity-name": delivery.table,
      "x-ms-dynamics-request-name": delivery.message,
      "x-ms-dynamics-msg-size-exceeded": "",
    };
    const authType = endpoint[E.authType.logicalName];
    const authValue = (endpoint[E.authValue.logicalName] as string | null) ?? null;
    if (authType === AUTH_TYPES.WebhookKey) {
      if (authValue) url.searchParams.set("code", authValue);
    } else if (authType === AUTH_TYPES.HttpHeader) {
      for (const [name, value] of settingsOf(authValue)) headers[name.toLowerCase()] = value;
    } else if (authType === AUTH_TYPES.HttpQueryString) {
      for (const [name, value] of settingsOf(authValue)) url.searchParams.set(name, value);
    }
    return { url, headers };
  }

  private async send(delivery: Delivery, body: string): Promise<void> {
    const generation = this.generation;
    const retry = this.retries.get(delivery.registrationId) ?? DEFAULT_RETRY;
    let retryAfterMs: number | null = null;
    const attempt: DeliveryAttempt = { at: new Date().toISOString(), status: null, error: null };
    delivery.attempts.push(attempt);
    let target: { url: URL; headers: Record<string, string> };
    try {
      target = this.target(delivery);
    } catch (error) {
      // Nothing to send to (an unreadable authvalue, a deleted endpoint): the system job fails.
      attempt.error = error instanceof InvalidAuthValue ? error.message : (error as Error).message;
      delivery.state = "failed";
      return;
    }
    try {
      const response = await request(target.url, { method: "POST", headers: target.headers, body, headersTimeout: 10_000, bodyTimeout: 10_000 });
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
    this.attempt(delivery, body, Math.min(Math.max(backoff, retryAfterMs ?? 0), retry.maxDelayMs));
  }

  private settle(): void {
    if (this.timers.size > 0 || this.inFlight.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** The RemoteExecutionContext Dataverse serializes for a service endpoint (JSON format). */
  private executionContext(event: ChangeEvent, step: ActiveStep, correlationId: string) {
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
      OwningExtension: { Id: step.id, KeyAttributes: [], LogicalName: "sdkmessageprocessingstep", Name: step.name, RowVersion: null },
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

/**
 * The solution's service endpoint (`automationEndpoint`: its id, name and header) with the steps the
 * solution registers — as an org has it once the solution is imported and the endpoint pointed at
 * `url`. `key` null: no header value set (what a solution import leaves). Tables the org lacks are
 * left out (`hasTable`).
 */
export function defaultWebhook(url: string, key: string | null, hasTable: (logicalName: string) => boolean = () => true): WebhookRegistrationInput {
  return {
    id: automationEndpoint.id,
    name: automationEndpoint.name,
    description: automationEndpoint.description,
    url,
    authType: "HttpHeader",
    authValue: key === null ? null : { [automationEndpoint.header]: key },
    steps: automationSteps()
      .filter((step) => hasTable(step.table.logicalName))
      .map(({ table, filteringAttributes, ...step }) => ({ ...step, table: table.logicalName, ...(filteringAttributes ? { filteringAttributes: [...filteringAttributes] } : {}) })),
  };
}
