/**
 * The webhook's service endpoint, as the proxy sees it from Dataverse (issue 15 item 2): the core
 * solution ships it (`automationEndpoint`: a webhook with HttpHeader authentication, header
 * x-psh-webhook-key) with a placeholder URL and without the header's value, which no solution can
 * carry and Dataverse never returns once stored. So the proxy — its application user — reads the
 * endpoint by its id (else by name) and its steps, and reports in /readyz whether it exists, points at
 * this proxy's public URL + /hooks/dataverse, authenticates with our header, and whether the value is
 * known to be set; with WEBHOOK_SETUP=auto (default) it also sets what it safely can — the URL while
 * it is still the solution's placeholder, and the header value (from WEBHOOK_KEY) once the endpoint
 * points here — and says what it did. What it cannot do is a problem that says what the admin must do.
 *
 * "Known to be set" is the proxy's own record, not Dataverse's: the value it wrote (a fingerprint of
 * WEBHOOK_KEY in the state store, shared by every instance), or a delivery the receiver accepted;
 * a delivery it refused since then (this instance) makes it unknown again, and auto sets it again.
 * Readiness does not depend on any of it (see proxy/README.md): the control works without the webhook.
 */
import { createHmac } from "node:crypto";
import type { Logger } from "pino";
import { automationEndpoint, automationSteps, headerSettings, lookupValueName, pluginRegistration } from "../../../solution/model";
import { tableSolutions } from "../../../solution/model/microsoftSolutions";
import type { ProxyRole, WebhookSetup } from "../config";
import { DataverseApiError, guid, literal, propertyName, type DataverseClient } from "../dataverse";
import type { StateStore } from "../state";

const { serviceEndpoint, sdkMessageProcessingStep: stepTable, serviceEndpointAuthType, serviceEndpointMessageFormat, serviceEndpointContract, stepState } = pluginRegistration;
const E = serviceEndpoint.columns;
const S = stepTable.columns;

export type WebhookStatus = "ok" | "attention" | "unknown" | "not checked";

export interface WebhookReport {
  /** ok: found, pointing here, HttpHeader with our header, value known set, steps enabled. attention: see problems. unknown: Dataverse could not be asked. */
  status: WebhookStatus;
  checkedAt: string;
  /** WEBHOOK_SETUP: what this proxy may change. */
  setup: WebhookSetup["mode"];
  endpoint?: {
    id: string;
    name: string;
    /** How it was found: the solution's id, or (an endpoint someone registered by hand) its name. */
    foundBy: "id" | "name" | null;
    url: string | null;
    /** This proxy's receiver: PROXY_PUBLIC_URL (else the listening address, outside production) + /hooks/dataverse. */
    expectedUrl: string | null;
    authType: string | null;
    messageFormat: string | null;
    header: string;
  };
  /** Dataverse never returns the header value: what the proxy knows about it. */
  headerValue?: string;
  steps?: { enabled: number; disabled: string[]; notRegistered: string[] } | { unreadable: string };
  /** What this check changed in Dataverse. */
  changed: string[];
  /** Each says what is wrong and what the admin must do. */
  problems: string[];
  /** Worth knowing, nothing to fix. */
  notes: string[];
}

export interface WebhookEndpointDependencies {
  dataverse: DataverseClient;
  state: StateStore;
  /** WEBHOOK_KEY; null: the receiver refuses everything. */
  webhookKey: string | null;
  setup: WebhookSetup;
  role: ProxyRole;
  /** PROXY_PUBLIC_URL; null: the listening address stands in for it where the setup allows (outside production). */
  configuredPublicUrl: string | null;
  /** This proxy's base URL as it listens ("" until it does). */
  publicUrl(): string;
  /** The Dataverse organization URL, for the instructions. */
  dataverseUrl: string;
  log: Logger;
}

type DeliveryOutcome = "accepted" | "missing" | "wrong";
type EndpointRow = Record<string, unknown>;

const RECORD = `webhook-endpoint:${automationEndpoint.id}`;
/** Refused deliveries re-check the endpoint at most this often (anyone can send refused requests). */
const REFUSAL_RECHECK_MS = 10_000;
/** A report that needs attention is reused at most this long. */
const ATTENTION_RECHECK_MS = 10_000;
const label = (choice: { options: Record<string, { value: number; label: string }> }, value: unknown) =>
  value === null || value === undefined ? null : (Object.values(choice.options).find((option) => option.value === value)?.label ?? String(value));

/** scheme://host[:port]/path, lower-case host, no default port, no trailing slash: two spellings of one URL compare equal. */
function normalized(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, "")}${parsed.search}`;
  } catch {
    return url;
  }
}

export class WebhookEndpointCheck {
  private last: WebhookReport | null = null;
  private lastAt = 0;
  private running: Promise<WebhookReport> | null = null;
  private recheckedAt = 0;
  /** What the receiver of this instance last saw. */
  private deliveries: { acceptedAt: number | null; refusedAt: number | null; refused: DeliveryOutcome | null } = { acceptedAt: null, refusedAt: null, refused: null };

  constructor(private readonly deps: WebhookEndpointDependencies) {}

  /**
   * The receiver saw a delivery: accepted, or refused for a missing or wrong header. A refusal checks
   * again at once (at most every REFUSAL_RECHECK_MS, whoever sends them), so with WEBHOOK_SETUP=auto a
   * value lost since is set again before Dataverse retries the delivery.
   */
  delivery(outcome: DeliveryOutcome): void {
    const now = Date.now();
    if (outcome === "accepted") {
      this.deliveries.acceptedAt = now;
      return;
    }
    this.deliveries.refusedAt = now;
    this.deliveries.refused = outcome;
    this.lastAt = 0;
    if (now - this.recheckedAt < REFUSAL_RECHECK_MS) return;
    this.recheckedAt = now;
    void this.report();
  }

  /**
   * The last report if it is fresh enough, else a new check (one at a time): WEBHOOK_CHECK_SECONDS
   * while all is well, at most ATTENTION_RECHECK_MS while something needs attention — an admin fixing
   * it sees the result at the next probe.
   */
  report(): Promise<WebhookReport> {
    const maxAge = Math.min(this.deps.setup.checkSeconds * 1000, this.last?.status === "ok" || this.last?.status === "not checked" ? Infinity : ATTENTION_RECHECK_MS);
    if (this.last && Date.now() - this.lastAt < maxAge) return Promise.resolve(this.last);
    this.running ??= this.check().finally(() => (this.running = null));
    return this.running;
  }

  private async check(): Promise<WebhookReport> {
    let report: WebhookReport;
    try {
      report = await this.inspect();
    } catch (error) {
      report = this.base("unknown");
      report.problems.push(`Dataverse could not be asked about the webhook: ${(error as Error).message}`);
    }
    this.remember(report);
    return report;
  }

  private base(status: WebhookStatus): WebhookReport {
    return { status, checkedAt: new Date().toISOString(), setup: this.deps.setup.mode, changed: [], problems: [], notes: [] };
  }

  /** Logs a change of status (and of problems) once, not at every probe. */
  private remember(report: WebhookReport): void {
    const before = this.last;
    this.last = report;
    this.lastAt = Date.now();
    const same = before && before.status === report.status && before.problems.join("\n") === report.problems.join("\n");
    if (same && report.changed.length === 0) return;
    const fields = { status: report.status, problems: report.problems.join(" | "), changed: report.changed.join(" | ") };
    if (report.status === "ok" || report.status === "not checked") this.deps.log.info(fields, "webhook endpoint");
    else this.deps.log.warn(fields, "webhook endpoint needs attention");
  }

  private expectedUrl(): string | null {
    const base = this.deps.configuredPublicUrl ?? (this.deps.setup.listeningUrlAllowed ? this.deps.publicUrl() : "");
    return base ? `${base.replace(/\/+$/, "")}${automationEndpoint.path}` : null;
  }

  private fingerprint(key: string): string {
    return createHmac("sha256", key).update(`${automationEndpoint.id}:${automationEndpoint.header}`).digest("hex").slice(0, 32);
  }

  private patchInstructions(endpointId: string): string {
    return `PATCH ${this.deps.dataverseUrl}/api/data/v9.2/serviceendpoints(${endpointId}) with {"authvalue": "${headerSettings({ [automationEndpoint.header]: "{WEBHOOK_KEY}" }).replace(/"/g, '\\"')}"} as a user with write on Service Endpoint`;
  }

  private async findEndpoint(): Promise<{ row: EndpointRow | null; foundBy: "id" | "name" | null }> {
    const select = [serviceEndpoint.primaryIdAttribute, E.name.logicalName, E.url.logicalName, E.contract.logicalName, E.authType.logicalName, E.messageFormat.logicalName];
    const byId = await this.deps.dataverse.retrieve(serviceEndpoint, automationEndpoint.id, { select });
    if (byId) return { row: byId, foundBy: "id" };
    const named = await this.deps.dataverse.query(serviceEndpoint, { select, filter: `${propertyName(E.name.logicalName)} eq ${literal(automationEndpoint.name)}`, top: 1 });
    return named.length ? { row: named[0], foundBy: "name" } : { row: null, foundBy: null };
  }

  private async inspect(): Promise<WebhookReport> {
    if (this.deps.role === "worker") {
      const report = this.base("not checked");
      report.notes.push("PROXY_ROLE=worker receives no webhook: the instances with PROXY_ROLE=all or api check it.");
      return report;
    }
    const report = this.base("ok");
    if (this.deps.role === "api") report.notes.push("PROXY_ROLE=api runs no jobs: the events it stores are handled by PROXY_ROLE=all or worker instances on the same STATE_URL.");
    const key = this.deps.webhookKey;
    if (key === null) report.problems.push("WEBHOOK_KEY is not set: the receiver refuses every delivery (503). Set WEBHOOK_KEY (32 characters or more) on every instance.");

    let found: Awaited<ReturnType<WebhookEndpointCheck["findEndpoint"]>>;
    try {
      found = await this.findEndpoint();
    } catch (error) {
      if (error instanceof DataverseApiError && error.status === 403) {
        report.status = "unknown";
        report.problems.push("The proxy's application user may not read service endpoints: give it a security role with read on Service Endpoint (prvReadServiceEndpoint), so it can check (and set) the webhook.");
        return report;
      }
      throw error;
    }
    const expectedUrl = this.expectedUrl();
    if (!found.row) {
      report.endpoint = { id: automationEndpoint.id, name: automationEndpoint.name, foundBy: null, url: null, expectedUrl, authType: null, messageFormat: null, header: automationEndpoint.header };
      report.problems.push(`The service endpoint "${automationEndpoint.name}" (${automationEndpoint.id}) is not in Dataverse: import the core solution (PhotoShelterIntegration); the proxy then points it here and sets its header value.`);
      return this.finish(report);
    }
    const row = found.row;
    const endpointId = String(row[serviceEndpoint.primaryIdAttribute]);
    const url = (row[E.url.logicalName] as string | null) ?? null;
    const settingsRight = row[E.authType.logicalName] === automationEndpoint.authType && row[E.messageFormat.logicalName] === automationEndpoint.messageFormat;
    const pointsHere = expectedUrl !== null && normalized(url) === normalized(expectedUrl);
    const placeholder = normalized(url) === normalized(automationEndpoint.placeholderUrl);
    report.endpoint = {
      id: endpointId,
      name: String(row[E.name.logicalName] ?? ""),
      foundBy: found.foundBy,
      url,
      expectedUrl,
      authType: label(serviceEndpointAuthType, row[E.authType.logicalName]),
      messageFormat: label(serviceEndpointMessageFormat, row[E.messageFormat.logicalName]),
      header: automationEndpoint.header,
    };
    if (found.foundBy === "name") report.notes.push(`Found by its name, not as the solution's endpoint (${automationEndpoint.id}): it was registered by hand.`);
    if (row[E.contract.logicalName] !== serviceEndpointContract.options.webhook.value) {
      report.problems.push(`The service endpoint ${endpointId} is not a webhook (contract ${label(serviceEndpointContract, row[E.contract.logicalName])}): delete it and import the core solution again.`);
      return this.finish(report);
    }

    // What should change, and whether this proxy may change it.
    const patch: Record<string, unknown> = {};
    /** Each change as done (reported) and as still to do (when the proxy may not). */
    const change: Array<{ done: string; todo: string }> = [];
    const mode = this.deps.setup.mode;
    const takeOver = expectedUrl !== null && !pointsHere && (mode === "force" || (mode === "auto" && placeholder));
    if (expectedUrl === null) {
      report.problems.push("PROXY_PUBLIC_URL is not set, so the proxy cannot tell which URL Dataverse should call: set it to the address Dataverse reaches this proxy at.");
    } else if (!pointsHere && !takeOver) {
      report.problems.push(
        placeholder
          ? `The endpoint's URL is still the solution's placeholder (${url}); WEBHOOK_SETUP=${mode} leaves it: set it to ${expectedUrl} (PATCH serviceendpoints(${endpointId}) {"url": …}), or set WEBHOOK_SETUP=auto.`
          : `The endpoint points at ${url ?? "nothing"}, not at this proxy (${expectedUrl}). If this proxy should receive the webhook, set WEBHOOK_SETUP=force (it then takes the endpoint over) or PATCH its url; the header value is left alone so the other receiver keeps working.`,
      );
    }
    if (takeOver) {
      patch[E.url.logicalName] = expectedUrl;
      change.push({ done: `pointed the endpoint at ${expectedUrl}`, todo: `point the endpoint at ${expectedUrl}` });
    }
    const ours = pointsHere || takeOver;
    if (!settingsRight) {
      if (ours && mode !== "report") {
        Object.assign(patch, { [E.authType.logicalName]: automationEndpoint.authType, [E.messageFormat.logicalName]: automationEndpoint.messageFormat });
        change.push({ done: "made the endpoint a JSON webhook with HttpHeader authentication", todo: "make the endpoint a JSON webhook with HttpHeader authentication" });
      } else {
        report.problems.push(`The endpoint is not a JSON webhook with HttpHeader authentication (auth type ${report.endpoint.authType}, format ${report.endpoint.messageFormat}): set authtype 5 and messageformat 2 on serviceendpoints(${endpointId}).`);
      }
    }

    // The header value: Dataverse never returns it, so what the proxy knows is its own record and what its receiver saw.
    const record = key === null ? null : await this.record();
    const setByUs = key !== null && record !== null && record.fingerprint === this.fingerprint(key) ? record.at : null;
    const refusedSince = this.deliveries.refusedAt !== null && this.deliveries.refusedAt > Math.max(setByUs ?? 0, this.deliveries.acceptedAt ?? 0) ? this.deliveries.refusedAt : null;
    const acceptedAt = Math.max(this.deliveries.acceptedAt ?? 0, (await this.deps.state.inbox.lastReceivedAt()) ?? 0) || null;
    // Written when it cannot be right (taken over, refused since, an older key of ours) or nothing says it is.
    const staleKey = key !== null && record !== null && setByUs === null;
    const needsValue = key !== null && (takeOver || refusedSince !== null || staleKey || (setByUs === null && acceptedAt === null));
    if (needsValue && ours && mode !== "report") {
      patch[E.authValue.logicalName] = headerSettings({ [automationEndpoint.header]: key });
      change.push({ done: `set the ${automationEndpoint.header} header value from WEBHOOK_KEY`, todo: `set the ${automationEndpoint.header} header value` });
    }

    if (Object.keys(patch).length > 0) {
      try {
        await this.deps.dataverse.update(serviceEndpoint, guid(endpointId), patch);
        report.changed.push(...change.map((item) => item.done));
        if (patch[E.url.logicalName]) report.endpoint.url = expectedUrl;
        if (patch[E.authType.logicalName]) Object.assign(report.endpoint, { authType: label(serviceEndpointAuthType, automationEndpoint.authType), messageFormat: label(serviceEndpointMessageFormat, automationEndpoint.messageFormat) });
        if (patch[E.authValue.logicalName]) {
          const at = Date.now();
          await this.deps.state.cursors.set(RECORD, JSON.stringify({ fingerprint: this.fingerprint(key!), at }));
          report.headerValue = `set by this proxy at ${new Date(at).toISOString()}`;
        }
      } catch (error) {
        if (!(error instanceof DataverseApiError && error.status === 403)) throw error;
        report.problems.push(
          `The proxy's application user may not change service endpoints, so it could not ${change.map((item) => item.todo).join(" and ")}: give it a security role with write on Service Endpoint (prvWriteServiceEndpoint) — it then does it by itself — or do it yourself: ${this.patchInstructions(endpointId)}${patch[E.url.logicalName] ? ` and "url": "${expectedUrl}"` : ""}.`,
        );
      }
    }

    if (report.headerValue === undefined) {
      if (key === null) report.headerValue = "unknown: WEBHOOK_KEY is not set";
      else if (refusedSince !== null) {
        report.headerValue = `refused: a delivery ${this.deliveries.refused === "missing" ? "without the" : "with a wrong"} ${automationEndpoint.header} header was refused at ${new Date(refusedSince).toISOString()}`;
        if (!report.problems.some((problem) => problem.includes("may not change"))) {
          report.problems.push(`Deliveries are refused: the endpoint's header value is not this proxy's WEBHOOK_KEY. ${mode === "report" ? `Set it: ${this.patchInstructions(endpointId)}.` : "The proxy sets it when the endpoint points here."}`);
        }
      } else if (setByUs !== null) report.headerValue = `set by this proxy at ${new Date(setByUs).toISOString()}`;
      else if (acceptedAt !== null) report.headerValue = `confirmed by a delivery accepted at ${new Date(acceptedAt).toISOString()}`;
      else {
        report.headerValue = "unknown: Dataverse never returns it, this proxy has not set it, and no delivery has arrived yet";
        if (ours && mode === "report") report.problems.push(`The header value is not known to be set: ${this.patchInstructions(endpointId)}, or set WEBHOOK_SETUP=auto so the proxy sets it.`);
      }
    }

    await this.inspectSteps(endpointId, report);
    return this.finish(report);
  }

  private finish(report: WebhookReport): WebhookReport {
    if (report.status === "ok" && report.problems.length > 0) report.status = "attention";
    return report;
  }

  private async record(): Promise<{ fingerprint: string; at: number } | null> {
    const raw = await this.deps.state.cursors.get(RECORD);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as { fingerprint: string; at: number };
    } catch {
      return null;
    }
  }

  /** The steps on the endpoint against the ones the solutions register: a disabled one, or a missing one of the core, needs the admin. */
  private async inspectSteps(endpointId: string, report: WebhookReport): Promise<void> {
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await this.deps.dataverse.query(stepTable, {
        select: [S.name.logicalName, S.stateCode.logicalName],
        filter: `${propertyName(lookupValueName(S.eventHandler))} eq ${literal(guid(endpointId))}`,
        expand: `${S.sdkMessageId.logicalName}($select=name),${S.sdkMessageFilterId.logicalName}($select=primaryobjecttypecode)`,
      });
    } catch (error) {
      if (!(error instanceof DataverseApiError && error.status === 403)) throw error;
      report.steps = { unreadable: "the application user may not read Sdk Message Processing Steps (prvReadSdkMessageProcessingStep); grant it to have the steps checked" };
      report.notes.push("The steps were not checked: the application user may not read them.");
      return;
    }
    const stepName = (message: string, table: string) => `${message} of ${table}`;
    const found = new Map(
      rows.map((row) => [
        stepName(String((row[S.sdkMessageId.logicalName] as { name?: string } | null)?.name), String((row[S.sdkMessageFilterId.logicalName] as { primaryobjecttypecode?: string } | null)?.primaryobjecttypecode)),
        row[S.stateCode.logicalName] === stepState.options.enabled.value,
      ]),
    );
    const disabled = [...found].filter(([, enabled]) => !enabled).map(([name]) => name);
    const expected = automationSteps().map((step) => ({ name: stepName(step.message, step.table.logicalName), core: tableSolutions[step.table.logicalName] === undefined }));
    const missing = expected.filter((step) => !found.has(step.name));
    report.steps = { enabled: [...found.values()].filter(Boolean).length, disabled, notRegistered: missing.map((step) => step.name) };
    if (disabled.length) report.problems.push(`Steps of the webhook are disabled, so those changes are never sent: ${disabled.join(", ")}. Enable them (statecode 0 on their sdkmessageprocessingsteps rows, or Activate in the solution).`);
    const core = missing.filter((step) => step.core);
    if (core.length) report.problems.push(`The core solution's steps are missing: ${core.map((step) => step.name).join(", ")}. Import the core solution (PhotoShelterIntegration) again.`);
    const addOns = missing.filter((step) => !step.core);
    if (addOns.length) report.notes.push(`Not registered, as where their add-on solution is not imported: ${addOns.map((step) => step.name).join(", ")}.`);
  }
}
