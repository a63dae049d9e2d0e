/**
 * The plug-in registration rows of the mock org: the platform's SDK messages and message filters
 * (every org has them), and service endpoints with their steps and images as the Plugin
 * Registration Tool or a solution import writes them. Webhooks (webhooks.ts) are these rows: the
 * Web API serves them (`serviceendpoints`, `sdkmessageprocessingsteps`, …; `authvalue` write-only),
 * and every delivery reads the endpoint as it is at that moment.
 */
import { XMLParser } from "fast-xml-parser";
import { createHash } from "node:crypto";
import { pluginRegistration, type TableDefinition } from "../../solution/model";
import type { Metadata } from "./metadata";
import type { Reference, Row, Store, Value } from "./store";

const { sdkMessage, sdkMessageFilter, serviceEndpoint, sdkMessageProcessingStep: step, sdkMessageProcessingStepImage: image, sdkMessageIds } = pluginRegistration;
export type MessageName = pluginRegistration.SdkMessageName;
export const MESSAGES = Object.keys(sdkMessageIds) as MessageName[];

/** A GUID derived from a name, so platform rows keep their ids across resets. */
function derivedId(...parts: string[]): string {
  const hex = createHash("sha1").update(`mock-dataverse:${parts.join("/")}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const messageFilterId = (table: string, message: MessageName) => derivedId("sdkmessagefilter", table, message);
const ref = (table: TableDefinition, id: string): Reference => ({ id, table: table.logicalName });

/** Writes a platform row with every column present (null unless given) and the platform stamps. */
export function putRow(store: Store, metadata: Metadata, table: TableDefinition, id: string, values: Record<string, Value>, createdBy: string | null = null): void {
  const entry = metadata.byLogicalName(table.logicalName)!;
  const row: Row = {};
  for (const column of entry.columns.values()) row[column.logicalName] = null;
  Object.assign(row, values);
  row[table.primaryIdAttribute] = id;
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  for (const [name, value] of [["createdon", now], ["modifiedon", now]] as const) if (entry.columns.has(name)) row[name] = value;
  if (createdBy) for (const name of ["createdby", "modifiedby"]) if (entry.columns.has(name)) row[name] = { id: createdBy, table: "systemuser" };
  row.versionnumber = store.nextVersion();
  store.put(table.logicalName, id, row);
}

/** The platform's SDK messages and a message filter per table and message, as every org has them. */
export function seedPlatform(store: Store, metadata: Metadata): void {
  for (const message of MESSAGES) putRow(store, metadata, sdkMessage, sdkMessageIds[message], { [sdkMessage.columns.name.logicalName]: message });
  for (const entry of metadata.tables.values()) {
    for (const message of MESSAGES) {
      putRow(store, metadata, sdkMessageFilter, messageFilterId(entry.table.logicalName, message), {
        [sdkMessageFilter.columns.name.logicalName]: `${message} of ${entry.table.logicalName}`,
        [sdkMessageFilter.columns.primaryObjectTypeCode.logicalName]: entry.table.logicalName,
        [sdkMessageFilter.columns.sdkMessageId.logicalName]: ref(sdkMessage, sdkMessageIds[message]),
      });
    }
  }
}

export interface EndpointRows {
  id: string;
  name: string;
  description?: string;
  url: string;
  authType: number;
  /** As stored (settings XML, a key, or nothing). */
  authValue: string | null;
}

export interface StepRows {
  message: MessageName;
  table: string;
  filteringAttributes?: readonly string[];
  preImage?: boolean;
  postImage?: boolean;
}

const E = serviceEndpoint.columns;
const S = step.columns;
const I = image.columns;
const contract = pluginRegistration.serviceEndpointContract.options.webhook.value;
const messageFormat = pluginRegistration.serviceEndpointMessageFormat.options.json.value;
const connectionMode = pluginRegistration.serviceEndpointConnectionMode.options.normal.value;
const userClaim = pluginRegistration.serviceEndpointUserClaim.options.none.value;

/** Writes a webhook endpoint and its steps (replacing the endpoint's earlier steps), as a registration does. */
export function writeRegistration(store: Store, metadata: Metadata, endpoint: EndpointRows, steps: readonly StepRows[]): void {
  removeSteps(store, endpoint.id);
  putRow(store, metadata, serviceEndpoint, endpoint.id, {
    [E.name.logicalName]: endpoint.name,
    [E.description.logicalName]: endpoint.description ?? null,
    [E.url.logicalName]: endpoint.url,
    [E.contract.logicalName]: contract,
    [E.authType.logicalName]: endpoint.authType,
    [E.authValue.logicalName]: endpoint.authValue,
    [E.messageFormat.logicalName]: messageFormat,
    [E.connectionMode.logicalName]: connectionMode,
    [E.userClaim.logicalName]: userClaim,
  });
  for (const wanted of steps) {
    const stepId = derivedId("step", endpoint.id, wanted.table, wanted.message);
    putRow(store, metadata, step, stepId, {
      [S.name.logicalName]: `${endpoint.name}: ${wanted.message} of ${wanted.table}`,
      [S.stage.logicalName]: pluginRegistration.stepStage.options.postOperation.value,
      [S.mode.logicalName]: pluginRegistration.stepMode.options.asynchronous.value,
      [S.rank.logicalName]: 1,
      [S.filteringAttributes.logicalName]: wanted.filteringAttributes?.length ? wanted.filteringAttributes.join(",") : null,
      [S.asyncAutoDelete.logicalName]: true,
      [S.supportedDeployment.logicalName]: 0,
      [S.eventHandler.logicalName]: ref(serviceEndpoint, endpoint.id),
      [S.sdkMessageId.logicalName]: ref(sdkMessage, sdkMessageIds[wanted.message]),
      [S.sdkMessageFilterId.logicalName]: ref(sdkMessageFilter, messageFilterId(wanted.table, wanted.message)),
      [S.stateCode.logicalName]: pluginRegistration.stepState.options.enabled.value,
      [S.statusCode.logicalName]: pluginRegistration.stepStatus.options.enabled.value,
    });
    for (const kind of ["pre", "post"] as const) {
      if (!(kind === "pre" ? wanted.preImage : wanted.postImage)) continue;
      const alias = kind === "pre" ? "PreImage" : "PostImage";
      putRow(store, metadata, image, derivedId("image", stepId, kind), {
        [I.name.logicalName]: alias,
        [I.entityAlias.logicalName]: alias,
        [I.imageType.logicalName]: kind === "pre" ? 0 : 1,
        [I.messagePropertyName.logicalName]: wanted.message === "Create" ? "Id" : "Target",
        [I.stepId.logicalName]: ref(step, stepId),
      });
    }
  }
}

const handlerOf = (row: Row) => (row[S.eventHandler.logicalName] as Reference | null)?.id ?? null;

function removeSteps(store: Store, endpointId: string): void {
  for (const row of store.rows(step.logicalName)) {
    if (handlerOf(row) !== endpointId) continue;
    const stepId = row[step.primaryIdAttribute] as string;
    for (const picture of store.rows(image.logicalName)) if ((picture[I.stepId.logicalName] as Reference | null)?.id === stepId) store.delete(image.logicalName, picture[image.primaryIdAttribute] as string);
    store.delete(step.logicalName, stepId);
  }
}

/** Removes a webhook endpoint with its steps; false when there is none. */
export function removeRegistration(store: Store, endpointId: string): boolean {
  if (!store.get(serviceEndpoint.logicalName, endpointId)) return false;
  removeSteps(store, endpointId);
  return store.delete(serviceEndpoint.logicalName, endpointId);
}

/** An enabled step of a webhook, read from its rows. */
export interface ActiveStep {
  id: string;
  name: string;
  endpointId: string;
  message: MessageName;
  table: string;
  filteringAttributes: string[];
  preImage: boolean;
  postImage: boolean;
  enabled: boolean;
}

/** Every step whose handler is a webhook endpoint, with its message, table and images. */
export function webhookSteps(store: Store): ActiveStep[] {
  const images = store.rows(image.logicalName);
  return store.rows(step.logicalName).flatMap((row) => {
    const endpointId = handlerOf(row);
    const endpoint = endpointId && store.get(serviceEndpoint.logicalName, endpointId);
    if (!endpoint || endpoint[E.contract.logicalName] !== contract) return [];
    const message = (store.get(sdkMessage.logicalName, (row[S.sdkMessageId.logicalName] as Reference).id)?.[sdkMessage.columns.name.logicalName] ?? null) as MessageName | null;
    const filterRef = row[S.sdkMessageFilterId.logicalName] as Reference | null;
    const table = filterRef ? ((store.get(sdkMessageFilter.logicalName, filterRef.id)?.[sdkMessageFilter.columns.primaryObjectTypeCode.logicalName] ?? null) as string | null) : null;
    if (!message || !table) return [];
    const id = row[step.primaryIdAttribute] as string;
    const types = images.filter((picture) => (picture[I.stepId.logicalName] as Reference | null)?.id === id).map((picture) => picture[I.imageType.logicalName]);
    return [
      {
        id,
        name: String(row[S.name.logicalName] ?? ""),
        endpointId: endpointId!,
        message,
        table,
        filteringAttributes: String(row[S.filteringAttributes.logicalName] ?? "").split(",").map((name) => name.trim()).filter(Boolean),
        preImage: types.includes(0) || types.includes(2),
        postImage: types.includes(1) || types.includes(2),
        enabled: row[S.stateCode.logicalName] === pluginRegistration.stepState.options.enabled.value,
      },
    ];
  });
}

/** The webhook endpoints (contract 8). */
export function webhookEndpoints(store: Store): Row[] {
  return store.rows(serviceEndpoint.logicalName).filter((row) => row[E.contract.logicalName] === contract);
}

export class InvalidAuthValue extends Error {
  constructor() {
    // The platform's own words when it cannot read an HttpHeader endpoint's authvalue (0x80050203).
    super("The webhook call failed because of invalid http headers in authValue. Check if the authValue format, header names and values are valid for your Service Endpoint entity.");
  }
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", isArray: (name) => name === "setting" });

/**
 * The name/value pairs of an HttpHeader or HttpQueryString authvalue,
 * `<settings><setting name="…" value="…"/></settings>`. Nothing stored: no pairs [unconfirmed: what
 * the platform does with a null authvalue]; anything else: InvalidAuthValue.
 */
export function settingsOf(authValue: string | null): Array<[string, string]> {
  if (authValue === null || authValue.trim() === "") return [];
  let parsed: { settings?: { setting?: Array<Record<string, unknown>> } | "" };
  try {
    parsed = xml.parse(authValue, true) as typeof parsed;
  } catch {
    throw new InvalidAuthValue();
  }
  if (parsed.settings === undefined) throw new InvalidAuthValue();
  const settings = parsed.settings === "" ? [] : (parsed.settings.setting ?? []);
  return settings.map((setting) => {
    const name = setting["@_name"];
    const value = setting["@_value"];
    if (typeof name !== "string" || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name) || value === undefined) throw new InvalidAuthValue();
    return [name, String(value)];
  });
}
