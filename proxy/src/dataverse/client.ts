/**
 * The Dataverse client the proxy and its jobs use: typed CRUD, upsert by alternate key, queries
 * that follow @odata.nextLink, and batched upserts in change sets — over the proxy's UpstreamHttp
 * (keep-alive pool, bounded retries honouring Retry-After on 429/5xx, circuit breaker).
 * Table names come from solution/model; values go through odata.ts.
 */
import { webApiPath } from "../../../solution/model";
import type { UpstreamHttp, UpstreamRequest } from "../upstream/http";
import { changeSetBody, parseBatchResponse, type BatchRequest } from "./batch";
import { keySegment, propertyName, type RecordKey } from "./odata";
import type { TokenSource } from "./tokens";

/** The names of a table the client needs (every TableDefinition of the model fits). */
export interface TableRef {
  logicalName: string;
  entitySetName: string;
  primaryIdAttribute: string;
}

export type Row = Record<string, unknown>;

export interface QueryOptions {
  select?: readonly string[];
  /** Build it with `odataFilter` so values are escaped. */
  filter?: string;
  orderBy?: readonly string[];
  /** Caps the total number of rows. */
  top?: number;
  /** Raw $expand, e.g. `psh_AccountId($select=name)`. */
  expand?: string;
  /** Rows per page (Prefer: odata.maxpagesize), default 5000. */
  pageSize?: number;
  /** Ask for formatted values and lookup annotations. */
  annotations?: boolean;
}

export interface UpsertRow {
  key: RecordKey;
  data: Row;
  /** `*`: update only, never create (404 when the row is gone); an etag: only that version (412 when it changed). */
  ifMatch?: string;
  /** `*`: create only, never change an existing row (412 when it exists). */
  ifNoneMatch?: "*";
}

/** A Dataverse error answer (after retries), with its platform code. */
export class DataverseApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Milliseconds Dataverse asked to wait (429). */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = "DataverseApiError";
  }
}

export interface DataverseClient {
  retrieve<T extends Row = Row>(table: TableRef, key: RecordKey, options?: Pick<QueryOptions, "select" | "expand" | "annotations">): Promise<T | null>;
  /** Every matching row, following @odata.nextLink page by page. */
  query<T extends Row = Row>(table: TableRef, options?: QueryOptions): Promise<T[]>;
  pages<T extends Row = Row>(table: TableRef, options?: QueryOptions): AsyncGenerator<T[]>;
  /** Creates a row; returns its id. */
  create(table: TableRef, data: Row): Promise<string>;
  /** Updates an existing row (If-Match: * — never creates); `etag` makes it conditional (412 on change). */
  update(table: TableRef, key: RecordKey, data: Row, etag?: string): Promise<void>;
  /** Creates or updates by id or alternate key; returns the row id. */
  upsert(table: TableRef, key: RecordKey, data: Row): Promise<string>;
  /** Deletes; false when the row was already gone. */
  delete(table: TableRef, key: RecordKey): Promise<boolean>;
  /** Upserts in $batch change sets of `changeSetSize` (atomic each); returns ids in input order. */
  upsertMany(table: TableRef, rows: readonly UpsertRow[], changeSetSize?: number): Promise<string[]>;
  whoAmI(): Promise<{ userId: string; businessUnitId: string }>;
  /** The privileges a user holds, by lower-case name (`prvcreatepsh_assetlink`), with the deepest depth. */
  userPrivileges(systemUserId: string): Promise<Map<string, PrivilegeDepth>>;
  /** The names of the user's security roles, their own and those of the teams they are a member of. */
  userRoles(systemUserId: string): Promise<string[]>;
  /**
   * This client acting as another user (impersonation): every call carries `CallerObjectId` = that
   * user's Entra object id, so Dataverse applies the user's security roles — what they may read, down
   * to the record. The application user needs prvActOnBehalfOfAnotherUser (the Delegate role).
   */
  as(callerObjectId: string): DataverseClient;
}

export type PrivilegeDepth = "Basic" | "Local" | "Deep" | "Global";
const DEPTHS: readonly PrivilegeDepth[] = ["Basic", "Local", "Deep", "Global"];

const MAX_PAGE = 5000;
const ENTITY_ID = /\(([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)$/i;
const ANNOTATIONS = 'odata.include-annotations="OData.Community.Display.V1.FormattedValue,Microsoft.Dynamics.CRM.lookuplogicalname,Microsoft.Dynamics.CRM.associatednavigationproperty"';

export interface DataverseClientOptions {
  /** Organization URL, e.g. https://contoso.crm.dynamics.com (the mock: its base URL). */
  url: string;
  http: UpstreamHttp;
  tokens: TokenSource;
  /** Entra object id of the user this client acts as (CallerObjectId); none: the application user itself. */
  callerObjectId?: string;
}

/** `name [asc|desc]`, checked: names and directions are syntax. */
function orderByItem(item: string): string {
  const [name, direction = "asc", extra] = item.trim().split(/\s+/);
  if (extra !== undefined || (direction !== "asc" && direction !== "desc")) throw new TypeError(`Bad $orderby item: ${JSON.stringify(item).slice(0, 80)}`);
  return `${propertyName(name)} ${direction}`;
}

export function createDataverseClient(options: DataverseClientOptions): DataverseClient {
  return new WebApiClient(options);
}

class WebApiClient implements DataverseClient {
  private readonly api: string;
  private readonly origin: string;

  constructor(private readonly options: DataverseClientOptions) {
    const base = options.url.replace(/\/+$/, "");
    this.api = `${base}${webApiPath}/`;
    this.origin = new URL(base).origin;
  }

  async retrieve<T extends Row>(table: TableRef, key: RecordKey, options: Pick<QueryOptions, "select" | "expand" | "annotations"> = {}): Promise<T | null> {
    const url = `${this.api}${table.entitySetName}(${keySegment(key)})${this.queryString(options)}`;
    const response = await this.call({ method: "GET", url, headers: options.annotations ? { prefer: ANNOTATIONS } : {} }, [404]);
    return response.status === 404 ? null : (response.body as T);
  }

  async query<T extends Row>(table: TableRef, options: QueryOptions = {}): Promise<T[]> {
    const rows: T[] = [];
    for await (const page of this.pages<T>(table, options)) rows.push(...page);
    return rows;
  }

  async *pages<T extends Row>(table: TableRef, options: QueryOptions = {}): AsyncGenerator<T[]> {
    const pageSize = Math.min(Math.max(1, options.pageSize ?? MAX_PAGE), MAX_PAGE);
    const prefer = [`odata.maxpagesize=${pageSize}`, ...(options.annotations ? [ANNOTATIONS] : [])].join(",");
    let url: string | undefined = `${this.api}${table.entitySetName}${this.queryString(options)}`;
    let remaining = options.top ?? Infinity;
    while (url && remaining > 0) {
      // The token goes only to the organization it was issued for, whatever a nextLink says.
      if (new URL(url).origin !== this.origin) throw new DataverseApiError(502, "", `Refusing to follow an @odata.nextLink to another origin: ${new URL(url).origin}`);
      const response = await this.call({ method: "GET", url, headers: { prefer } });
      const body = response.body as { value?: T[]; "@odata.nextLink"?: string };
      const page = (body.value ?? []).slice(0, remaining);
      remaining -= page.length;
      yield page;
      url = body["@odata.nextLink"];
    }
  }

  async create(table: TableRef, data: Row): Promise<string> {
    const response = await this.call({ method: "POST", url: `${this.api}${table.entitySetName}`, body: data });
    return this.idOf(response.headers);
  }

  async update(table: TableRef, key: RecordKey, data: Row, etag = "*"): Promise<void> {
    await this.call({ method: "PATCH", url: `${this.api}${table.entitySetName}(${keySegment(key)})`, body: data, headers: { "if-match": etag }, idempotent: true });
  }

  async upsert(table: TableRef, key: RecordKey, data: Row): Promise<string> {
    const response = await this.call({ method: "PATCH", url: `${this.api}${table.entitySetName}(${keySegment(key)})`, body: data, idempotent: true });
    return this.idOf(response.headers);
  }

  async delete(table: TableRef, key: RecordKey): Promise<boolean> {
    const response = await this.call({ method: "DELETE", url: `${this.api}${table.entitySetName}(${keySegment(key)})`, idempotent: true }, [404]);
    return response.status !== 404;
  }

  async upsertMany(table: TableRef, rows: readonly UpsertRow[], changeSetSize = 100): Promise<string[]> {
    if (!Number.isInteger(changeSetSize) || changeSetSize < 1 || changeSetSize > 1000) throw new RangeError("changeSetSize must be 1..1000");
    const ids: string[] = [];
    for (let start = 0; start < rows.length; start += changeSetSize) {
      const requests: BatchRequest[] = rows.slice(start, start + changeSetSize).map((row) => ({
        method: "PATCH",
        url: `${this.api}${table.entitySetName}(${keySegment(row.key)})`,
        body: row.data,
        headers: { ...(row.ifMatch ? { "If-Match": row.ifMatch } : {}), ...(row.ifNoneMatch ? { "If-None-Match": row.ifNoneMatch } : {}) },
      }));
      const { contentType, body } = changeSetBody(requests);
      // A change set of upserts can be sent again safely: it commits whole or not at all.
      const response = await this.call({ method: "POST", url: `${this.api}$batch`, body, headers: { "content-type": contentType }, idempotent: true, raw: true }, "any");
      const type = response.headers["content-type"] ?? "";
      // A failed batch answers with its status and the failing part; throttling answers plain JSON.
      if (!/^multipart\/mixed/i.test(type)) throw this.errorOf(response.status, response.body, response.headers);
      const parts = parseBatchResponse(type, response.text);
      const failed = parts.find((part) => part.status >= 400);
      if (failed) throw this.errorOf(failed.status, failed.body, failed.headers);
      if (parts.length !== requests.length) throw new DataverseApiError(502, "", `The $batch answered ${parts.length} parts for ${requests.length} requests`);
      ids.push(...parts.map((part) => this.idOf(part.headers)));
    }
    return ids;
  }

  async whoAmI(): Promise<{ userId: string; businessUnitId: string }> {
    const response = await this.call({ method: "GET", url: `${this.api}WhoAmI` });
    const body = response.body as { UserId: string; BusinessUnitId: string };
    return { userId: body.UserId, businessUnitId: body.BusinessUnitId };
  }

  async userPrivileges(systemUserId: string): Promise<Map<string, PrivilegeDepth>> {
    const response = await this.call({ method: "GET", url: `${this.api}systemusers(${keySegment(systemUserId)})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()` });
    const held = new Map<string, PrivilegeDepth>();
    for (const privilege of (response.body as { RolePrivileges?: Array<{ PrivilegeName?: unknown; Depth?: unknown }> } | undefined)?.RolePrivileges ?? []) {
      if (typeof privilege.PrivilegeName !== "string") continue;
      // Depth comes as a name ("Basic" … "Global") or its number (0 … 3).
      const depth = typeof privilege.Depth === "number" ? DEPTHS[privilege.Depth] : DEPTHS.find((d) => d.toLowerCase() === String(privilege.Depth).toLowerCase());
      if (!depth) continue;
      const name = privilege.PrivilegeName.toLowerCase();
      const known = held.get(name);
      if (!known || DEPTHS.indexOf(depth) > DEPTHS.indexOf(known)) held.set(name, depth);
    }
    return held;
  }

  async userRoles(systemUserId: string): Promise<string[]> {
    const user = `${this.api}systemusers(${keySegment(systemUserId)})`;
    // Roles held through a team (an Entra group team, an owner team) count as much as the user's own.
    const [own, teams] = await Promise.all([
      this.call({ method: "GET", url: `${user}/systemuserroles_association?$select=name` }),
      this.call({ method: "GET", url: `${user}/teammembership_association?$select=teamid&$expand=teamroles_association($select=name)` }),
    ]);
    type Named = { name?: unknown };
    const values = <T>(body: unknown): T[] => (body as { value?: T[] } | undefined)?.value ?? [];
    const names = [...values<Named>(own.body), ...values<{ teamroles_association?: Named[] }>(teams.body).flatMap((team) => team.teamroles_association ?? [])].map((role) => role.name);
    return [...new Set(names.filter((name): name is string => typeof name === "string"))];
  }

  as(callerObjectId: string): DataverseClient {
    return new WebApiClient({ ...this.options, callerObjectId });
  }

  // ---- plumbing ------------------------------------------------------------------------------

  private queryString(options: QueryOptions): string {
    const params: string[] = [];
    if (options.select?.length) params.push(`$select=${options.select.map(propertyName).join(",")}`);
    if (options.filter) params.push(`$filter=${encodeURIComponent(options.filter)}`);
    if (options.orderBy?.length) params.push(`$orderby=${options.orderBy.map(orderByItem).map(encodeURIComponent).join(",")}`);
    if (options.top !== undefined) {
      if (!Number.isInteger(options.top) || options.top < 0) throw new TypeError("top must be a non-negative integer");
      params.push(`$top=${options.top}`);
    }
    if (options.expand) params.push(`$expand=${encodeURIComponent(options.expand)}`);
    return params.length ? `?${params.join("&")}` : "";
  }

  private idOf(headers: Record<string, string | string[] | undefined>): string {
    const entityId = headers["odata-entityid"];
    const match = ENTITY_ID.exec(Array.isArray(entityId) ? entityId[0] : entityId ?? "");
    if (!match) throw new DataverseApiError(502, "", "Dataverse did not say which row it wrote (no OData-EntityId)");
    return match[1].toLowerCase();
  }

  private errorOf(status: number, body: unknown, headers: Record<string, string | string[] | undefined>): DataverseApiError {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const retryAfter = Number(Array.isArray(headers["retry-after"]) ? headers["retry-after"][0] : headers["retry-after"]);
    return new DataverseApiError(
      status,
      typeof error?.code === "string" ? error.code : "",
      typeof error?.message === "string" ? error.message : `Dataverse answered HTTP ${status}`,
      Number.isFinite(retryAfter) ? retryAfter * 1000 : null,
    );
  }

  /** Sends with a bearer token (renewed once on 401); error statuses not in `allowed` throw. */
  private async call(
    request: Omit<UpstreamRequest, "body" | "headers"> & { body?: unknown; headers?: Record<string, string>; raw?: boolean },
    allowed: number[] | "any" = [],
  ): Promise<{ status: number; headers: Record<string, string | undefined>; body: unknown; text: string }> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.options.tokens.token();
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        "odata-version": "4.0",
        "odata-maxversion": "4.0",
        ...(this.options.callerObjectId ? { callerobjectid: this.options.callerObjectId } : {}),
        ...request.headers,
      };
      let body: string | undefined;
      if (request.body !== undefined) {
        body = request.raw ? String(request.body) : JSON.stringify(request.body);
        headers["content-type"] ??= "application/json; charset=utf-8";
      }
      const response = await this.options.http.send({ method: request.method, url: request.url, headers, body, idempotent: request.idempotent });
      const text = await response.body.text();
      const responseHeaders = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
      if (response.status === 401 && attempt === 0) {
        this.options.tokens.invalidate();
        continue;
      }
      let parsed: unknown = undefined;
      if (text && /json/i.test(responseHeaders["content-type"] ?? "")) {
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new DataverseApiError(502, "", `Dataverse sent JSON the client could not read (HTTP ${response.status})`);
        }
      }
      if (response.status >= 400 && allowed !== "any" && !allowed.includes(response.status)) throw this.errorOf(response.status, parsed, response.headers);
      return { status: response.status, headers: responseHeaders, body: parsed, text };
    }
  }
}
