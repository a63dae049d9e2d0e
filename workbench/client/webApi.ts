/**
 * PCF's `context.webAPI` over real HTTP, as Dynamics implements it: logical names in, entity set
 * names resolved from metadata, options as "?$select=…" query strings (or "?fetchXml=…"),
 * `maxPageSize` as `Prefer: odata.maxpagesize`, results as `{ entities, nextLink }`, failures as
 * `{ errorCode, message }`.
 */
import { DataverseHttp, WebApiError } from "./dataverse";
import { MetadataCache } from "./metadata";

type Entity = ComponentFramework.WebApi.Entity;
type LookupValue = ComponentFramework.LookupValue;

const GUID = /^[{]?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}[}]?$/i;

function bareId(id: string): string {
  if (!GUID.test(id)) throw { errorCode: 0x80040203, message: `"${id}" is not a valid record id (a GUID).`, code: "0x80040203" } satisfies WebApiError;
  return id.replace(/[{}]/g, "").toLowerCase();
}

function checkOptions(options: string | undefined): string {
  if (options === undefined || options === "") return "";
  if (!options.startsWith("?")) throw { errorCode: 0x80060888, message: `Options must start with "?", got "${options}".`, code: "0x80060888" } satisfies WebApiError;
  return options;
}

/** The record id from `OData-EntityId: …/accounts(<guid>)`. */
function idFromEntityIdHeader(header: string | null): string {
  const match = header ? /\(([0-9a-f-]{36})\)\s*$/i.exec(header) : null;
  if (!match) throw { errorCode: 0, message: "Dataverse did not return the id of the new record (OData-EntityId).", code: "" } satisfies WebApiError;
  return match[1];
}

export class WebApi implements ComponentFramework.WebApi {
  constructor(
    private readonly http: DataverseHttp,
    private readonly metadata: MetadataCache,
  ) {}

  private async entitySet(logicalName: string): Promise<string> {
    return (await this.metadata.table(logicalName)).EntitySetName;
  }

  async createRecord(entityType: string, data: Entity): Promise<LookupValue> {
    const set = await this.entitySet(entityType);
    const response = await this.http.send("POST", set, { body: data });
    return { id: idFromEntityIdHeader(response.headers.get("OData-EntityId")), entityType };
  }

  async updateRecord(entityType: string, id: string, data: Entity): Promise<LookupValue> {
    const set = await this.entitySet(entityType);
    const key = bareId(id);
    await this.http.send("PATCH", `${set}(${key})`, { body: data, headers: { "If-Match": "*" } });
    return { id: key, entityType };
  }

  async deleteRecord(entityType: string, id: string): Promise<LookupValue> {
    const set = await this.entitySet(entityType);
    const key = bareId(id);
    await this.http.send("DELETE", `${set}(${key})`);
    return { id: key, entityType };
  }

  async retrieveRecord(entityType: string, id: string, options?: string): Promise<Entity> {
    const set = await this.entitySet(entityType);
    const response = await this.http.send("GET", `${set}(${bareId(id)})${checkOptions(options)}`);
    return response.body as Entity;
  }

  async retrieveMultipleRecords(entityType: string, options?: string, maxPageSize?: number): Promise<ComponentFramework.WebApi.RetrieveMultipleResponse> {
    // A nextLink from an earlier page may be passed back as the options, as in Dynamics.
    const path = options && /^https?:\/\//.test(options) ? options : `${await this.entitySet(entityType)}${checkOptions(options)}`;
    const pageSize = maxPageSize && maxPageSize > 0 ? Math.min(maxPageSize, 5000) : 5000;
    const response = await this.http.send("GET", path, { prefer: [`odata.maxpagesize=${pageSize}`] });
    const body = response.body as { value?: Entity[]; "@odata.nextLink"?: string };
    return { entities: body.value ?? [], nextLink: body["@odata.nextLink"] as string };
  }
}
