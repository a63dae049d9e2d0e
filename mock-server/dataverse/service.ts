/**
 * The Web API operations, independent of HTTP: one request in, one response out. The route group
 * calls it for plain requests and the $batch handler for every part of a batch.
 */
import { randomUUID } from "node:crypto";
import { webApiPath, type LookupColumn } from "../../solution/model";
import type { PrivilegeVerb } from "./demoData/users";
import { badRequest, CODES, DataverseError, notFound, preconditionFailed, unknownProperty } from "./errors";
import type { Metadata, TableMetadata } from "./metadata";
import { FilterCompiler, isGuid, orderComparator, parseExpand, parseKey, propertyValue, splitTopLevel, type QueryOptions } from "./odata";
import { RecordAccess, type Principal } from "./security";
import type { Reference, Row, Store } from "./store";
import { coerceValue, formattedValue } from "./values";

export type { Principal } from "./security";

export interface ServiceRequest {
  method: string;
  /** Path after `/api/data/v9.2/`, e.g. `accounts(…)`. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: unknown;
  principal: Principal;
}

export interface ServiceResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface ChangeEvent {
  message: "Create" | "Update" | "Delete";
  table: string;
  id: string;
  pre: Row | null;
  post: Row | null;
  /** Logical names of the columns the request set. */
  changed: string[];
  userId: string;
  at: string;
}

const MAX_PAGE = 5000;
const OVERRIDDEN_CREATED_ON = "overriddencreatedon";
const ALLOWED_OPTIONS = new Set(["$select", "$filter", "$orderby", "$top", "$expand", "$count", "$skiptoken"]);
const JSON_HEADERS = { "content-type": "application/json; odata.metadata=minimal", "odata-version": "4.0" };

interface Preferences {
  returnRepresentation: boolean;
  maxPageSize: number | null;
  annotations: string | null;
}

function preferences(header: string | undefined): Preferences {
  const result: Preferences = { returnRepresentation: false, maxPageSize: null, annotations: null };
  // Preferences are comma-separated; a quoted value (the annotation list) has commas of its own.
  for (const part of (header ?? "").match(/(?:[^,"]+|"[^"]*")+/g) ?? []) {
    const [name, raw = ""] = part.split("=", 2).map((s) => s.trim());
    const value = raw.replace(/^"|"$/g, "");
    if (name === "return" && value === "representation") result.returnRepresentation = true;
    else if (name === "odata.maxpagesize" && /^\d+$/.test(value) && Number(value) > 0) result.maxPageSize = Math.min(Number(value), MAX_PAGE);
    else if (name === "odata.include-annotations") result.annotations = value;
  }
  return result;
}

/** Does the include-annotations preference (`*`, a list, `Prefix.*`) ask for this annotation? */
function wants(preference: string | null, annotation: string): boolean {
  if (!preference) return false;
  return preference.split(",").some((p) => {
    const wanted = p.trim();
    return wanted === "*" || wanted === annotation || (wanted.endsWith(".*") && annotation.startsWith(wanted.slice(0, -1)));
  });
}

const FORMATTED = "OData.Community.Display.V1.FormattedValue";
const LOOKUP_NAME = "Microsoft.Dynamics.CRM.lookuplogicalname";
const NAVIGATION = "Microsoft.Dynamics.CRM.associatednavigationproperty";

function queryOptions(query: string): QueryOptions {
  const options: QueryOptions = {};
  for (const [name, value] of new URLSearchParams(query)) {
    if (!name.startsWith("$")) continue;
    if (!ALLOWED_OPTIONS.has(name)) throw badRequest(`The query parameter ${name} is not supported`);
    options[name.slice(1) as keyof QueryOptions] = value;
  }
  return options;
}

const etagOf = (row: Row) => `W/"${row.versionnumber}"`;

export class DataverseService {
  private readonly filters: FilterCompiler;
  private readonly access: RecordAccess;

  constructor(
    readonly metadata: Metadata,
    readonly store: Store,
    private readonly baseUrl: () => string,
  ) {
    this.filters = new FilterCompiler(metadata, store);
    this.access = new RecordAccess(store);
  }

  apiBase(): string {
    return `${this.baseUrl()}${webApiPath}/`;
  }

  /** Runs one request; errors become Dataverse error responses. Changes are appended to `events`. */
  handle(request: ServiceRequest, events: ChangeEvent[]): ServiceResponse {
    try {
      return this.execute(request, events);
    } catch (error) {
      if (error instanceof DataverseError) return { status: error.status, headers: { ...JSON_HEADERS, ...error.headers }, body: error.body() };
      throw error;
    }
  }

  /** One request on its own: all its writes (cascades included) or none. */
  handleAtomically(request: ServiceRequest, events: ChangeEvent[]): ServiceResponse {
    const own: ChangeEvent[] = [];
    const response = this.store.transaction((rollback) => {
      const result = this.handle(request, own);
      if (result.status >= 400) rollback();
      return result;
    });
    if (response.status < 400) events.push(...own);
    return response;
  }

  execute(request: ServiceRequest, events: ChangeEvent[]): ServiceResponse {
    const method = request.method.toUpperCase();
    let path: string;
    try {
      path = decodeURIComponent(request.path).replace(/\/+$/, "");
    } catch {
      throw badRequest(`The URL segment '${request.path}' is not correctly percent-encoded.`);
    }
    if (path === "WhoAmI" || path === "WhoAmI()") return this.whoAmI(request);
    if (path === "EntityDefinitions" || path.startsWith("EntityDefinitions(")) return this.entityDefinitions(path, request);
    const { set, keyText, rest } = resourcePath(path);
    const entry = this.metadata.byEntitySet(set);
    if (!entry) throw new DataverseError(404, CODES.resourceNotFound, `Resource not found for the segment '${set}'.`);
    if (keyText === undefined) {
      if (rest === "$count" && method === "GET") return this.count(entry, request);
      if (rest !== undefined) throw new DataverseError(404, CODES.resourceNotFound, `Resource not found for the segment '${rest}'.`);
      if (method === "GET") return this.query(entry, request);
      if (method === "POST") return this.create(entry, request, events);
      throw new DataverseError(405, "0x80060888", `The HTTP method '${method}' is not allowed on the collection '${set}'.`);
    }
    if (rest === "Microsoft.Dynamics.CRM.RetrieveUserPrivileges()" && entry.table.logicalName === "systemuser" && method === "GET") {
      return this.userPrivileges(entry, keyText, request);
    }
    if (rest === "systemuserroles_association" && entry.table.logicalName === "systemuser" && method === "GET") {
      return this.userRoles(entry, keyText, request);
    }
    if (rest === "teammembership_association" && entry.table.logicalName === "systemuser" && method === "GET") {
      return this.userTeams(entry, keyText, request);
    }
    if (rest !== undefined) {
      const ref = /^([A-Za-z_][A-Za-z0-9_]*)\/\$ref$/.exec(rest);
      if (ref && method === "DELETE") return this.clearLookup(entry, keyText, ref[1], request, events);
      if (/^[a-z_][a-z0-9_]*$/.test(rest) && (method === "PUT" || method === "DELETE")) return this.setProperty(entry, keyText, rest, method, request, events);
      throw new DataverseError(404, "", `No HTTP resource was found that matches the request URI '${this.apiBase()}${path}'.`);
    }
    if (method === "GET") return this.retrieve(entry, keyText, request);
    if (method === "PATCH") return this.upsert(entry, keyText, request, events);
    if (method === "DELETE") return this.remove(entry, keyText, request, events);
    throw new DataverseError(405, "", `The HTTP method '${method}' is not allowed on a single record.`);
  }

  // ---- reads -------------------------------------------------------------------------------

  private query(entry: TableMetadata, request: ServiceRequest): ServiceResponse {
    this.demand(request.principal, entry, "Read");
    const options = queryOptions(request.query);
    const prefs = preferences(request.headers.prefer);
    const select = this.selection(entry, options.select);
    const expand = options.expand ? parseExpand(options.expand) : [];
    let rows = this.readable(entry, this.matching(entry, options), request.principal);
    const total = rows.length;
    if (options.top !== undefined) rows = rows.slice(0, this.top(options.top));
    const pageSize = prefs.maxPageSize ?? MAX_PAGE;
    const page = options.skiptoken ? this.pageOfSkipToken(options.skiptoken) : 1;
    const start = (page - 1) * pageSize;
    const value = rows.slice(start, start + pageSize).map((row) => this.format(entry, row, select, prefs.annotations, expand, request.principal));
    const body: Record<string, unknown> = { "@odata.context": this.context(entry, select) };
    if (options.count === "true") body["@odata.count"] = Math.min(total, MAX_PAGE);
    body.value = value;
    if (start + pageSize < rows.length) body["@odata.nextLink"] = this.nextLink(request, page + 1);
    return { status: 200, headers: { ...JSON_HEADERS, ...this.applied(prefs) }, body };
  }

  private retrieve(entry: TableMetadata, keyText: string, request: ServiceRequest): ServiceResponse {
    this.demand(request.principal, entry, "Read");
    const options = queryOptions(request.query);
    const prefs = preferences(request.headers.prefer);
    const row = this.find(entry, keyText);
    if (!row) throw this.missing(entry, keyText);
    if (!this.access.canRead(request.principal, entry, row)) throw this.access.denied(request.principal, entry, row);
    const expand = options.expand ? parseExpand(options.expand) : [];
    const ifNoneMatch = request.headers["if-none-match"];
    if (ifNoneMatch && ifNoneMatch === etagOf(row) && expand.length === 0 && !prefs.annotations) return { status: 304, headers: { "odata-version": "4.0" } };
    const select = this.selection(entry, options.select);
    const body = { "@odata.context": `${this.context(entry, select)}/$entity`, ...this.format(entry, row, select, prefs.annotations, expand, request.principal) };
    return { status: 200, headers: { ...JSON_HEADERS, ...this.applied(prefs), etag: etagOf(row) }, body };
  }

  private matching(entry: TableMetadata, options: QueryOptions): Row[] {
    let rows = this.store.rows(entry.table.logicalName);
    if (options.filter) {
      const predicate = this.filters.compile(entry, options.filter);
      rows = rows.filter(predicate);
    }
    if (options.orderby) rows.sort(orderComparator(entry, options.orderby));
    return rows;
  }

  /** The rows the caller's read depth reaches; Dataverse leaves the others out of every answer. */
  private readable(entry: TableMetadata, rows: Row[], principal: Principal): Row[] {
    return rows.filter((row) => this.access.canRead(principal, entry, row));
  }

  private top(text: string): number {
    if (!/^\d+$/.test(text)) throw badRequest(`Invalid value '${text}' for $top query option found. The $top query option requires a non-negative integer value.`);
    return Number(text);
  }

  private pageOfSkipToken(token: string): number {
    const page = /pagenumber="(\d+)"/.exec(token);
    if (!page) throw badRequest("The $skiptoken is not valid; reuse the @odata.nextLink unchanged.");
    return Number(page[1]);
  }

  private nextLink(request: ServiceRequest, page: number): string {
    const params = new URLSearchParams(request.query);
    params.delete("$skiptoken");
    const cookie = `<cookie pagenumber="${page}" pagingcookie="%3ccookie%20page%3d%22${page - 1}%22%3e%3c%2fcookie%3e" istracking="False" />`;
    const rest = params.toString().replace(/\+/g, "%20");
    return `${this.apiBase()}${request.path}?${rest ? `${rest}&` : ""}$skiptoken=${encodeURIComponent(cookie)}`;
  }

  private selection(entry: TableMetadata, text: string | undefined): string[] | null {
    if (!text) return null;
    const names = splitTopLevel(text, ",");
    for (const name of names) {
      if (!entry.properties.has(name)) throw unknownProperty(name, entry.table.logicalName);
    }
    return names;
  }

  private context(entry: TableMetadata, select: string[] | null): string {
    return `${this.apiBase()}$metadata#${entry.table.entitySetName}${select ? `(${select.join(",")})` : ""}`;
  }

  private applied(prefs: Preferences): Record<string, string> {
    const applied: string[] = [];
    if (prefs.maxPageSize !== null) applied.push(`odata.maxpagesize=${prefs.maxPageSize}`);
    if (prefs.annotations) applied.push(`odata.include-annotations="${prefs.annotations}"`);
    return applied.length ? { "preference-applied": applied.join(",") } : {};
  }

  /** A row as the Web API returns it: etag, selected properties (all when no $select), annotations, expansions. */
  private format(entry: TableMetadata, row: Row, select: string[] | null, annotations: string | null, expand: ReturnType<typeof parseExpand>, principal: Principal): Record<string, unknown> {
    const out: Record<string, unknown> = { "@odata.etag": etagOf(row) };
    const names = select ? [...new Set([...select, entry.table.primaryIdAttribute])] : [...entry.properties.keys()];
    for (const name of names) {
      const column = entry.properties.get(name)!;
      const value = propertyValue(row, column);
      const stored = column.writeOnly ? null : (row[column.logicalName] ?? null);
      if (annotations && stored !== null) {
        const formatted = formattedValue(column, stored, (ref) => this.primaryName(ref));
        if (formatted !== undefined && wants(annotations, FORMATTED)) out[`${name}@${FORMATTED}`] = formatted;
        if (column.type === "lookup" || column.type === "owner") {
          const reference = stored as Reference;
          const target = column.targets.find((t) => t.table === reference.table);
          if (target && wants(annotations, NAVIGATION)) out[`${name}@${NAVIGATION}`] = target.navigationProperty;
          if (wants(annotations, LOOKUP_NAME)) out[`${name}@${LOOKUP_NAME}`] = reference.table;
        }
      }
      out[name] = value;
    }
    for (const item of expand) out[item.navigation] = this.expanded(entry, row, item, annotations, principal);
    return out;
  }

  private expanded(entry: TableMetadata, row: Row, item: ReturnType<typeof parseExpand>[number], annotations: string | null, principal: Principal): unknown {
    const single = entry.singleNavigations.get(item.navigation);
    if (single) {
      const reference = row[single.column.logicalName] as Reference | null;
      if (!reference || reference.table !== single.target) return null;
      const target = this.metadata.byLogicalName(single.target)!;
      this.demand(principal, target, "Read");
      const related = this.store.get(target.table.logicalName, reference.id);
      if (!related || !this.access.canRead(principal, target, related)) return null;
      return this.format(target, related, this.selection(target, item.options.select), annotations, item.options.expand ? parseExpand(item.options.expand) : [], principal);
    }
    const collection = entry.collectionNavigations.get(item.navigation);
    if (!collection) throw unknownProperty(item.navigation, entry.table.logicalName);
    const target = this.metadata.byLogicalName(collection.referencingTable)!;
    this.demand(principal, target, "Read");
    const id = row[entry.table.primaryIdAttribute] as string;
    let rows = this.readable(target, this.matching(target, item.options), principal).filter((child) => (child[collection.referencingAttribute] as Reference | null)?.id === id);
    if (item.options.top !== undefined) rows = rows.slice(0, this.top(item.options.top));
    const select = this.selection(target, item.options.select);
    return rows.map((child) => this.format(target, child, select, annotations, item.options.expand ? parseExpand(item.options.expand) : [], principal));
  }

  private primaryName(reference: { id: string; table: string }): string | null {
    const target = this.metadata.byLogicalName(reference.table);
    const row = target && this.store.get(reference.table, reference.id);
    return row && target ? ((row[target.table.primaryNameAttribute] as string | null) ?? null) : null;
  }

  // ---- writes ------------------------------------------------------------------------------

  private create(entry: TableMetadata, request: ServiceRequest, events: ChangeEvent[]): ServiceResponse {
    this.demand(request.principal, entry, "Create");
    const body = this.body(request);
    const { row, changed } = this.newRow(entry, body, request.principal, null);
    return this.afterWrite(entry, row, request, events, { message: "Create", pre: null, changed }, 201);
  }

  private upsert(entry: TableMetadata, keyText: string, request: ServiceRequest, events: ChangeEvent[]): ServiceResponse {
    const existing = this.find(entry, keyText);
    const ifMatch = request.headers["if-match"];
    const ifNoneMatch = request.headers["if-none-match"];
    const body = this.body(request);
    if (!existing) {
      if (ifMatch) throw this.missing(entry, keyText); // If-Match: * (or an etag) forbids creating
      this.demand(request.principal, entry, "Create");
      const { row, changed } = this.newRow(entry, body, request.principal, keyText);
      return this.afterWrite(entry, row, request, events, { message: "Create", pre: null, changed }, 201);
    }
    if (ifNoneMatch === "*") throw new DataverseError(412, "0x80060892", "A record with matching key values already exists.");
    if (ifMatch && ifMatch !== "*" && ifMatch !== etagOf(existing)) throw preconditionFailed();
    this.demand(request.principal, entry, "Write");
    this.access.demand(request.principal, entry, existing, "Write");
    const pre = structuredClone(existing);
    const row = structuredClone(existing);
    const changed = this.apply(entry, row, body, request.principal);
    const id = existing[entry.table.primaryIdAttribute] as string;
    if (row[entry.table.primaryIdAttribute] !== id) throw badRequest("The primary key in the body does not match the record being updated.");
    this.stamp(row, request.principal, false);
    this.checkKeys(entry, row, id);
    this.store.put(entry.table.logicalName, id, row);
    return this.afterWrite(entry, row, request, events, { message: "Update", pre, changed }, 200);
  }

  private remove(entry: TableMetadata, keyText: string, request: ServiceRequest, events: ChangeEvent[]): ServiceResponse {
    this.demand(request.principal, entry, "Delete");
    const existing = this.find(entry, keyText);
    if (!existing) throw this.missing(entry, keyText);
    this.access.demand(request.principal, entry, existing, "Delete");
    const ifMatch = request.headers["if-match"];
    if (ifMatch && ifMatch !== "*" && ifMatch !== etagOf(existing)) throw preconditionFailed();
    const id = existing[entry.table.primaryIdAttribute] as string;
    this.cascadeDelete(entry, id, request.principal, events);
    this.store.delete(entry.table.logicalName, id);
    events.push({ message: "Delete", table: entry.table.logicalName, id, pre: existing, post: null, changed: [], userId: request.principal.userId, at: new Date().toISOString() });
    return { status: 204, headers: { "odata-version": "4.0" } };
  }

  private clearLookup(entry: TableMetadata, keyText: string, navigation: string, request: ServiceRequest, events: ChangeEvent[]): ServiceResponse {
    const nav = entry.singleNavigations.get(navigation);
    if (!nav) throw badRequest(`Expand with $ref is only supported on lookup type navigation property.`, "0x80060888");
    this.demand(request.principal, entry, "Write");
    const existing = this.find(entry, keyText);
    if (!existing) throw this.missing(entry, keyText);
    this.access.demand(request.principal, entry, existing, "Write");
    const row = structuredClone(existing);
    row[nav.column.logicalName] = null;
    this.stamp(row, request.principal, false);
    const id = row[entry.table.primaryIdAttribute] as string;
    this.store.put(entry.table.logicalName, id, row);
    events.push({ message: "Update", table: entry.table.logicalName, id, pre: existing, post: structuredClone(row), changed: [nav.column.logicalName], userId: request.principal.userId, at: new Date().toISOString() });
    return { status: 204, headers: { "odata-version": "4.0" } };
  }

  /** `GET set/$count`: the number of rows as plain text (at most 5000, like Dataverse). */
  private count(entry: TableMetadata, request: ServiceRequest): ServiceResponse {
    this.demand(request.principal, entry, "Read");
    return { status: 200, headers: { "content-type": "text/plain", "odata-version": "4.0" }, body: Math.min(this.readable(entry, this.store.rows(entry.table.logicalName), request.principal).length, MAX_PAGE) };
  }

  /** `PUT …(id)/column {"value": x}` sets one column; `DELETE …(id)/column` clears it (not for lookups). */
  private setProperty(entry: TableMetadata, keyText: string, name: string, method: "PUT" | "DELETE", request: ServiceRequest, events: ChangeEvent[]): ServiceResponse {
    const column = entry.columns.get(name);
    if (!column || column.type === "lookup" || column.type === "owner" || column.system || column.type === "primarykey") throw unknownProperty(name, entry.table.logicalName);
    let value: unknown = null;
    if (method === "PUT") {
      const body = this.body(request);
      if (!("value" in body)) throw badRequest(`PUT to a single property takes {"value": …}.`);
      value = body.value;
    }
    this.demand(request.principal, entry, "Write");
    const existing = this.find(entry, keyText);
    if (!existing) throw this.missing(entry, keyText);
    this.access.demand(request.principal, entry, existing, "Write");
    const row = { ...existing, [column.logicalName]: coerceValue(entry.table.logicalName, column, value) };
    this.stamp(row, request.principal, false);
    const id = row[entry.table.primaryIdAttribute] as string;
    this.checkKeys(entry, row, id);
    this.store.put(entry.table.logicalName, id, row);
    events.push({ message: "Update", table: entry.table.logicalName, id, pre: existing, post: structuredClone(row), changed: [column.logicalName], userId: request.principal.userId, at: new Date().toISOString() });
    return { status: 204, headers: { "odata-version": "4.0" } };
  }

  /** Deleting a referenced row: Cascade deletes children, RemoveLink clears their lookup, Restrict refuses. */
  private cascadeDelete(entry: TableMetadata, id: string, principal: Principal, events: ChangeEvent[]): void {
    for (const [navigation, collection] of entry.collectionNavigations) {
      const child = this.metadata.byLogicalName(collection.referencingTable)!;
      const column = child.columns.get(collection.referencingAttribute) as LookupColumn;
      const behaviour = column.targets.find((t) => t.referencedNavigationProperty === navigation)?.cascadeDelete ?? "RemoveLink";
      for (const row of this.store.rows(child.table.logicalName)) {
        if ((row[column.logicalName] as Reference | null)?.id !== id) continue;
        const childId = row[child.table.primaryIdAttribute] as string;
        if (behaviour === "Restrict") throw badRequest(`The record cannot be deleted because it is referenced by ${child.table.logicalName} ${childId}.`, "0x8004f01f");
        if (behaviour === "Cascade") {
          this.cascadeDelete(child, childId, principal, events);
          this.store.delete(child.table.logicalName, childId);
          events.push({ message: "Delete", table: child.table.logicalName, id: childId, pre: row, post: null, changed: [], userId: principal.userId, at: new Date().toISOString() });
        } else if (behaviour === "RemoveLink") {
          this.store.put(child.table.logicalName, childId, { ...row, [column.logicalName]: null, versionnumber: this.store.nextVersion() });
        }
      }
    }
  }

  private afterWrite(entry: TableMetadata, row: Row, request: ServiceRequest, events: ChangeEvent[], change: Pick<ChangeEvent, "message" | "pre" | "changed">, representationStatus: 200 | 201): ServiceResponse {
    const id = row[entry.table.primaryIdAttribute] as string;
    events.push({ ...change, table: entry.table.logicalName, id, post: structuredClone(row), userId: request.principal.userId, at: new Date().toISOString() });
    const entityId = `${this.apiBase()}${entry.table.entitySetName}(${id})`;
    const prefs = preferences(request.headers.prefer);
    if (prefs.returnRepresentation) {
      const options = queryOptions(request.query);
      const select = this.selection(entry, options.select);
      const body = { "@odata.context": `${this.context(entry, select)}/$entity`, ...this.format(entry, row, select, prefs.annotations, [], request.principal) };
      return { status: representationStatus, headers: { ...JSON_HEADERS, "preference-applied": "return=representation", etag: etagOf(row) }, body };
    }
    return { status: 204, headers: { "odata-version": "4.0", "odata-entityid": entityId, location: entityId } };
  }

  private newRow(entry: TableMetadata, body: Record<string, unknown>, principal: Principal, keyText: string | null): { row: Row; changed: string[] } {
    const { table } = entry;
    const row: Row = {};
    for (const column of entry.columns.values()) row[column.logicalName] = null;
    // Key values in the URL of an upsert become column values of the new row.
    if (keyText !== null) {
      const key = parseKey(keyText);
      if ("id" in key) row[table.primaryIdAttribute] = key.id;
      else for (const [name, value] of Object.entries(key.values)) row[name] = coerceValue(table.logicalName, entry.columns.get(name)!, value);
    }
    const changed = this.apply(entry, row, body, principal, true);
    const id = (row[table.primaryIdAttribute] as string | null) ?? randomUUID();
    if (this.store.get(table.logicalName, id)) throw new DataverseError(412, "0x80040237", "Cannot insert duplicate key.");
    row[table.primaryIdAttribute] = id;
    const state = entry.columns.get("statecode");
    if (state && row.statecode === null && "choice" in state) row.statecode = Object.values(state.choice.options)[0].value;
    const status = entry.columns.get("statuscode");
    if (status && row.statuscode === null && "choice" in status) row.statuscode = Object.values(status.choice.options)[0].value;
    if (entry.columns.has("ownerid") && row.ownerid === null) row.ownerid = { id: principal.userId, table: "systemuser" };
    if (entry.columns.has("createdby")) row.createdby = { id: principal.userId, table: "systemuser" };
    // Impersonation: the row is the impersonated user's, and says who really created it.
    if (entry.columns.has("createdonbehalfby") && principal.actingUserId) row.createdonbehalfby = { id: principal.actingUserId, table: "systemuser" };
    if (entry.columns.has("createdon")) row.createdon = now();
    // A migration's backdated creation time: createdon takes it, overriddencreatedon keeps the real one.
    if (row[OVERRIDDEN_CREATED_ON] != null) {
      const actual = row.createdon ?? now();
      row.createdon = row[OVERRIDDEN_CREATED_ON];
      row[OVERRIDDEN_CREATED_ON] = actual;
    }
    // At user depth a user creates rows they own, at business unit depth rows of their unit's people, and so on.
    this.access.demand(principal, entry, row, "Create");
    this.stamp(row, principal, true);
    this.checkKeys(entry, row, id);
    this.store.put(table.logicalName, id, row);
    return { row, changed: [...new Set([...changed, table.primaryIdAttribute])] };
  }

  private stamp(row: Row, principal: Principal, created: boolean): void {
    if ("modifiedon" in row) row.modifiedon = created && row.createdon ? row.createdon : now();
    if ("modifiedby" in row) row.modifiedby = { id: principal.userId, table: "systemuser" };
    row.versionnumber = this.store.nextVersion();
  }

  /** Applies a JSON body to a row: columns by logical name, lookups only through `nav@odata.bind`. */
  private apply(entry: TableMetadata, row: Row, body: Record<string, unknown>, principal: Principal, creating = false): string[] {
    const table = entry.table.logicalName;
    const changed: string[] = [];
    for (const [key, value] of Object.entries(body)) {
      if (key.endsWith("@odata.bind")) {
        const navigation = key.slice(0, -"@odata.bind".length);
        const nav = entry.singleNavigations.get(navigation);
        if (!nav) {
          throw badRequest(
            `Error identified in Payload provided by the user for Entity :'${entry.table.entitySetName}'  ---->  InnerException : Microsoft.OData.ODataException: An undeclared property '${navigation}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`,
            CODES.badBind,
          );
        }
        row[nav.column.logicalName] = value === null ? null : this.bind(nav.target, navigation, value, principal);
        changed.push(nav.column.logicalName);
        continue;
      }
      if (key.includes("@")) continue; // other instance annotations (@odata.type, @odata.etag) carry no value
      const column = entry.columns.get(key);
      if (!column || column.type === "lookup" || column.type === "owner") {
        if (entry.properties.get(key)?.type === "lookup" || entry.properties.get(key)?.type === "owner") throw badRequest("CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.");
        throw badRequest(`An error occurred while validating input parameters: Microsoft.Crm.CrmException: Invalid property '${key}' was found in entity 'Microsoft.Dynamics.CRM.${table}'. ---> Microsoft.OData.ODataException: Does not support untyped value in non-open type.`);
      }
      // The platform maintains these and ignores written values (overriddencreatedon may be set on create).
      if (column.system && !(creating && column.logicalName === OVERRIDDEN_CREATED_ON)) continue;
      row[column.logicalName] = coerceValue(table, column, value);
      changed.push(column.logicalName);
    }
    return changed;
  }

  /** Resolves `/<set>(<key>)` (leading slash and absolute URL optional) for a navigation property. */
  private bind(targetTable: string, navigation: string, value: unknown, principal: Principal): Reference {
    const text = typeof value === "string" ? value.replace(/^.*\/api\/data\/v9\.\d\//, "").replace(/^\//, "") : "";
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\((.+)\)$/.exec(text);
    const target = match ? this.metadata.byEntitySet(match[1]) : undefined;
    if (!match || !target || target.table.logicalName !== targetTable) {
      throw badRequest(`The value '${String(value)}' of '${navigation}@odata.bind' must reference /${this.metadata.byLogicalName(targetTable)?.table.entitySetName ?? targetTable}(<id>).`, CODES.badBind);
    }
    this.demand(principal, target, "AppendTo");
    const row = this.find(target, match[2]);
    if (!row) throw this.missing(target, match[2]);
    this.access.demand(principal, target, row, "AppendTo");
    return { id: row[target.table.primaryIdAttribute] as string, table: targetTable };
  }

  private body(request: ServiceRequest): Record<string, unknown> {
    const body = request.body;
    if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest("The request body must be a JSON object.", CODES.badBind);
    return body as Record<string, unknown>;
  }

  /** Alternate keys are unique across the rows whose key columns are all set. */
  private checkKeys(entry: TableMetadata, row: Row, id: string): void {
    for (const key of entry.table.alternateKeys) {
      const values = key.columns.map((c) => row[c]);
      if (values.some((v) => v === null || v === undefined)) continue;
      const owner = this.store.findByKey(entry.table.logicalName, key.columns, values as Array<string | number>);
      if (owner !== undefined && owner !== id.toLowerCase()) {
        throw new DataverseError(412, "0x80060892", `A record that has the attribute values ${values.join(", ")} already exists. The entity key ${key.schemaName} requires that this set of attributes contains unique values.`);
      }
    }
  }

  // ---- lookups by key ----------------------------------------------------------------------

  private find(entry: TableMetadata, keyText: string): Row | undefined {
    const key = parseKey(keyText);
    if ("id" in key) return this.store.get(entry.table.logicalName, key.id);
    const names = Object.keys(key.values);
    const isKey = entry.table.alternateKeys.some((k) => k.columns.length === names.length && k.columns.every((c) => names.includes(c)));
    if (!isKey) {
      const column = names.find((n) => !entry.columns.has(n));
      if (column) throw unknownProperty(column, entry.table.logicalName);
      throw badRequest(`The key '${names.join(",")}' is not an alternate key of '${entry.table.logicalName}'.`, "0x80060891");
    }
    const alternateKey = entry.table.alternateKeys.find((k) => k.columns.length === names.length && k.columns.every((c) => names.includes(c)))!;
    const id = this.store.findByKey(entry.table.logicalName, alternateKey.columns, alternateKey.columns.map((c) => key.values[c]));
    return id === undefined ? undefined : this.store.get(entry.table.logicalName, id);
  }

  private missing(entry: TableMetadata, keyText: string): DataverseError {
    const key = parseKey(keyText);
    return "id" in key ? notFound(entry.table.logicalName, key.id) : new DataverseError(404, CODES.doesNotExist, `A record with the specified key values does not exist in ${entry.table.logicalName} entity`);
  }

  // ---- security and functions --------------------------------------------------------------

  private demand(principal: Principal, entry: TableMetadata, verb: PrivilegeVerb): void {
    if (principal.can(entry.table.logicalName, verb)) return;
    throw new DataverseError(
      403,
      CODES.missingPrivilege,
      `Principal user (Id=${principal.userId}, type=8) is missing prv${verb}${entry.table.logicalName} privilege on entity '${entry.table.logicalName}'.`,
    );
  }

  private whoAmI(request: ServiceRequest): ServiceResponse {
    return {
      status: 200,
      headers: JSON_HEADERS,
      body: {
        "@odata.context": `${this.apiBase()}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
        BusinessUnitId: request.principal.businessUnitId,
        UserId: request.principal.userId,
        OrganizationId: "0e000000-0000-4000-8000-00000000d365",
      },
    };
  }

  private userPrivileges(entry: TableMetadata, keyText: string, request: ServiceRequest): ServiceResponse {
    this.demand(request.principal, entry, "Read");
    if (!isGuid(keyText)) throw badRequest(`Bad key '${keyText}'.`);
    if (keyText.toLowerCase() !== request.principal.userId) throw badRequest("The mock reports privileges of the calling user only.");
    const RolePrivileges = request.principal.privileges().map(({ table, verb, depth }) => ({
      Depth: depth,
      PrivilegeId: privilegeId(`${verb}:${table}`),
      BusinessUnitId: request.principal.businessUnitId,
      PrivilegeName: `prv${verb}${table}`,
    }));
    return { status: 200, headers: JSON_HEADERS, body: { "@odata.context": `${this.apiBase()}$metadata#Microsoft.Dynamics.CRM.RetrieveUserPrivilegesResponse`, RolePrivileges } };
  }

  /** The N:N navigation from a user to their security roles (the calling user's, as RetrieveUserPrivileges). */
  private userRoles(entry: TableMetadata, keyText: string, request: ServiceRequest): ServiceResponse {
    this.demand(request.principal, entry, "Read");
    if (!isGuid(keyText)) throw badRequest(`Bad key '${keyText}'.`);
    if (keyText.toLowerCase() !== request.principal.userId) throw badRequest("The mock reports the roles of the calling user only.");
    const value = request.principal.roles().map((role) => ({ "@odata.etag": `W/"${role.id.slice(-6)}"`, roleid: role.id, name: role.name }));
    return { status: 200, headers: JSON_HEADERS, body: { "@odata.context": `${this.apiBase()}$metadata#roles(roleid,name)`, value } };
  }

  /**
   * The N:N navigation from a user to the teams they are a member of; `$expand=teamroles_association`
   * adds each team's security roles (the calling user's, as systemuserroles_association).
   */
  private userTeams(entry: TableMetadata, keyText: string, request: ServiceRequest): ServiceResponse {
    this.demand(request.principal, entry, "Read");
    if (!isGuid(keyText)) throw badRequest(`Bad key '${keyText}'.`);
    if (keyText.toLowerCase() !== request.principal.userId) throw badRequest("The mock reports the teams of the calling user only.");
    const expand = new URLSearchParams(request.query).get("$expand") ?? "";
    if (expand !== "" && !/^teamroles_association(\(\$select=[a-z,]+\))?$/.test(expand.trim())) throw badRequest(`The mock expands only teamroles_association, not '${expand}'.`);
    const value = request.principal.teams().map((team) => ({
      "@odata.etag": `W/"${team.id.slice(-6)}"`,
      teamid: team.id,
      name: team.name,
      ...(expand ? { teamroles_association: team.roles.map((role) => ({ "@odata.etag": `W/"${role.id.slice(-6)}"`, roleid: role.id, name: role.name })) } : {}),
    }));
    return { status: 200, headers: JSON_HEADERS, body: { "@odata.context": `${this.apiBase()}$metadata#teams(teamid,name)`, value } };
  }

  private entityDefinitions(path: string, request: ServiceRequest): ServiceResponse {
    const options = new URLSearchParams(request.query);
    const withAttributes = (options.get("$expand") ?? "").split(",").some((e) => e.trim().startsWith("Attributes"));
    const select = options.get("$select")?.split(",").map((s) => s.trim());
    const pick = (definition: Record<string, unknown>) =>
      select ? Object.fromEntries(Object.entries(definition).filter(([k]) => select.includes(k) || k === "MetadataId" || (withAttributes && k === "Attributes"))) : definition;
    const all = [...this.metadata.tables.values()];
    const key = /^EntityDefinitions\((.+)\)$/.exec(path);
    if (key) {
      const byName = /^LogicalName='([^']*)'$/.exec(key[1]);
      const entry = all.find((e) => (byName ? e.table.logicalName === byName[1] : this.metadata.entityDefinition(e, false).MetadataId === key[1].toLowerCase()));
      if (!entry) throw new DataverseError(404, "0x80040217", `Could not find entity with ${key[1]}.`);
      return { status: 200, headers: JSON_HEADERS, body: { "@odata.context": `${this.apiBase()}$metadata#EntityDefinitions/$entity`, ...pick(this.metadata.entityDefinition(entry, withAttributes)) } };
    }
    const filter = options.get("$filter");
    let entries = all;
    if (filter) {
      const match = /^(LogicalName|EntitySetName) eq '([^']*)'$/.exec(filter.trim());
      if (!match) throw badRequest("EntityDefinitions supports $filter=LogicalName eq '…' or EntitySetName eq '…' only.");
      entries = all.filter((e) => (match[1] === "LogicalName" ? e.table.logicalName : e.table.entitySetName) === match[2]);
    }
    return {
      status: 200,
      headers: JSON_HEADERS,
      body: { "@odata.context": `${this.apiBase()}$metadata#EntityDefinitions`, value: entries.map((e) => pick(this.metadata.entityDefinition(e, withAttributes))) },
    };
  }
}

/** Splits `set(key)/rest`; the key may hold quoted values with parentheses and slashes. */
function resourcePath(path: string): { set: string; keyText?: string; rest?: string } {
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(path)?.[0];
  if (!name) throw new DataverseError(404, CODES.resourceNotFound, `Resource not found for the segment '${path}'.`);
  let i = name.length;
  let keyText: string | undefined;
  if (path[i] === "(") {
    let quoted = false;
    let end = -1;
    for (let j = i + 1; j < path.length; j++) {
      if (path[j] === "'") quoted = !quoted;
      else if (path[j] === ")" && !quoted) {
        end = j;
        break;
      }
    }
    if (end === -1) throw badRequest(`Bad key segment in '${path}'.`);
    keyText = path.slice(i + 1, end);
    i = end + 1;
  }
  if (i === path.length) return { set: name, keyText };
  if (path[i] !== "/") throw new DataverseError(404, CODES.resourceNotFound, `Resource not found for the segment '${path}'.`);
  return { set: name, keyText, rest: path.slice(i + 1) };
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A stable GUID per privilege name. */
function privilegeId(name: string): string {
  let h = 0x811c9dc5;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  const hex = h.toString(16).padStart(8, "0");
  return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}

