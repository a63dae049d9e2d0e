/**
 * The Web API's service documents, generated from the mock's metadata (solution/model plus
 * platformColumns.ts), in the shapes "Web API Service Documents", "Web API EntityTypes", "Web API
 * Properties" and "Web API Navigation Properties" describe (MicrosoftDocs powerapps-docs
 * developer/data-platform/webapi/web-api-service-documents.md, web-api-entitytypes.md,
 * web-api-properties.md, web-api-navigation-properties.md):
 *
 * - `GET /api/data/v9.2/`: `{"@odata.context": "…/$metadata", "value": [{name, kind: "EntitySet", url}]}`;
 * - `GET /api/data/v9.2/$metadata`: CSDL XML, namespace Microsoft.Dynamics.CRM (alias mscrm), one
 *   EntityType per table (BaseType mscrm.crmbaseentity, Key, Property, `_x_value` lookup properties,
 *   single- and collection-valued NavigationProperty with Partner and ReferentialConstraint, the
 *   alternate keys annotation), the functions the mock answers, and EntityContainer "System";
 *   `?annotations=true` (or `Prefer: odata.include-annotations`) adds descriptions and read-only marks.
 */
import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";
import { lookupValueName, type ColumnDefinition } from "../../solution/model";
import type { Metadata, TableMetadata } from "./metadata";

const EDM: Record<Exclude<ColumnDefinition["type"], "lookup" | "owner" | "datetime">, string> = {
  primarykey: "Edm.Guid",
  uniqueidentifier: "Edm.Guid",
  string: "Edm.String",
  memo: "Edm.String",
  integer: "Edm.Int32",
  bigint: "Edm.Int64",
  money: "Edm.Decimal",
  boolean: "Edm.Boolean",
  choice: "Edm.Int32",
  state: "Edm.Int32",
  status: "Edm.Int32",
  // A choices column reads and writes as "1,2" (a string of option values).
  multichoice: "Edm.String",
};

const edmType = (column: ColumnDefinition) => (column.type === "datetime" ? (column.behavior === "DateOnly" ? "Edm.Date" : "Edm.DateTimeOffset") : column.type === "lookup" || column.type === "owner" ? "Edm.Guid" : EDM[column.type]);

/** The service document: every entity set, by name. */
export function serviceDocument(metadata: Metadata, apiBase: string): Record<string, unknown> {
  const sets = [...metadata.tables.values()].map((entry) => entry.table.entitySetName).sort();
  return { "@odata.context": `${apiBase}$metadata`, value: sets.map((name) => ({ name, kind: "EntitySet", url: name })) };
}

function describe(element: XMLBuilder, text: string | undefined, annotations: boolean): void {
  if (annotations && text) element.ele("Annotation", { Term: "Org.OData.Core.V1.Description", String: text });
}

/** Computed, read-only properties carry both annotations (web-api-properties.md). */
function readOnly(element: XMLBuilder, annotations: boolean): void {
  if (!annotations) return;
  element.ele("Annotation", { Term: "Org.OData.Core.V1.Computed", Bool: "true" });
  element.ele("Annotation", { Term: "Org.OData.Core.V1.Permissions" }).ele("EnumMember").txt("Org.OData.Core.V1.PermissionType/Read");
}

function entityType(schema: XMLBuilder, entry: TableMetadata, metadata: Metadata, annotations: boolean): void {
  const { table } = entry;
  const type = schema.ele("EntityType", { Name: table.logicalName, BaseType: "mscrm.crmbaseentity" });
  type.ele("Key").ele("PropertyRef", { Name: table.primaryIdAttribute });
  for (const column of entry.columns.values()) {
    const isLookup = column.type === "lookup" || column.type === "owner";
    const property = type.ele("Property", {
      Name: isLookup ? lookupValueName(column) : column.logicalName,
      Type: edmType(column),
      ...(column.type === "money" ? { Scale: "Variable" } : {}),
    });
    describe(property, column.description, annotations);
    if (isLookup || column.system) readOnly(property, annotations);
  }
  for (const [name, navigation] of entry.singleNavigations) {
    const target = metadata.byLogicalName(navigation.target);
    if (!target) continue;
    const lookupTarget = navigation.column.targets.find((t) => t.table === navigation.target)!;
    type
      .ele("NavigationProperty", { Name: name, Type: `mscrm.${navigation.target}`, Nullable: "false", Partner: lookupTarget.referencedNavigationProperty })
      .ele("ReferentialConstraint", { Property: lookupValueName(navigation.column), ReferencedProperty: target.table.primaryIdAttribute });
  }
  for (const [name, collection] of entry.collectionNavigations) {
    const referencing = metadata.byLogicalName(collection.referencingTable)!;
    const column = referencing.columns.get(collection.referencingAttribute)!;
    const partner = column.type === "lookup" || column.type === "owner" ? column.targets.find((t) => t.referencedNavigationProperty === name)?.navigationProperty : undefined;
    type.ele("NavigationProperty", { Name: name, Type: `Collection(mscrm.${collection.referencingTable})`, ...(partner ? { Partner: partner } : {}) });
  }
  if (table.alternateKeys.length) {
    const keys = type.ele("Annotation", { Term: "OData.Community.Keys.V1.AlternateKeys" }).ele("Collection");
    for (const key of table.alternateKeys) {
      const refs = keys.ele("Record", { Type: "OData.Community.Keys.V1.AlternateKey" }).ele("PropertyValue", { Property: "Key" }).ele("Collection");
      for (const name of key.columns) {
        const record = refs.ele("Record", { Type: "OData.Community.Keys.V1.PropertyRef" });
        record.ele("PropertyValue", { Property: "Alias", String: name });
        record.ele("PropertyValue", { Property: "Name", PropertyPath: name });
      }
    }
  }
  describe(type, table.description, annotations);
}

/** The CSDL $metadata document. */
export function csdlDocument(metadata: Metadata, annotations: boolean): string {
  const root = create({ version: "1.0", encoding: "utf-8" }).ele("edmx:Edmx", { Version: "4.0", "xmlns:edmx": "http://docs.oasis-open.org/odata/ns/edmx" });
  const schema = root.ele("edmx:DataServices").ele("Schema", { Namespace: "Microsoft.Dynamics.CRM", Alias: "mscrm", xmlns: "http://docs.oasis-open.org/odata/ns/edm" });
  schema.ele("EntityType", { Name: "crmbaseentity", Abstract: "true" });
  const entries = [...metadata.tables.values()].sort((a, b) => a.table.logicalName.localeCompare(b.table.logicalName));
  for (const entry of entries) entityType(schema, entry, metadata, annotations);

  // The functions the mock answers (service.ts): WhoAmI and systemuser's RetrieveUserPrivileges.
  const whoAmI = schema.ele("ComplexType", { Name: "WhoAmIResponse" });
  for (const name of ["BusinessUnitId", "UserId", "OrganizationId"]) whoAmI.ele("Property", { Name: name, Type: "Edm.Guid", Nullable: "false" });
  const privilege = schema.ele("ComplexType", { Name: "RolePrivilege" });
  privilege.ele("Property", { Name: "Depth", Type: "mscrm.PrivilegeDepth", Nullable: "false" });
  privilege.ele("Property", { Name: "PrivilegeId", Type: "Edm.Guid", Nullable: "false" });
  privilege.ele("Property", { Name: "BusinessUnitId", Type: "Edm.Guid", Nullable: "false" });
  privilege.ele("Property", { Name: "PrivilegeName", Type: "Edm.String", Unicode: "false" });
  const depth = schema.ele("EnumType", { Name: "PrivilegeDepth" });
  ["Basic", "Local", "Deep", "Global"].forEach((name, i) => depth.ele("Member", { Name: name, Value: String(i) }));
  schema.ele("ComplexType", { Name: "RetrieveUserPrivilegesResponse" }).ele("Property", { Name: "RolePrivileges", Type: "Collection(mscrm.RolePrivilege)" });
  schema.ele("Function", { Name: "WhoAmI" }).ele("ReturnType", { Type: "mscrm.WhoAmIResponse", Nullable: "false" });
  const retrieve = schema.ele("Function", { Name: "RetrieveUserPrivileges", IsBound: "true" });
  retrieve.ele("Parameter", { Name: "entity", Type: "mscrm.systemuser", Nullable: "false" });
  retrieve.ele("ReturnType", { Type: "mscrm.RetrieveUserPrivilegesResponse", Nullable: "false" });

  const container = schema.ele("EntityContainer", { Name: "System" });
  for (const entry of entries) {
    const set = container.ele("EntitySet", { Name: entry.table.entitySetName, EntityType: `Microsoft.Dynamics.CRM.${entry.table.logicalName}` });
    for (const [name, navigation] of entry.singleNavigations) {
      const target = metadata.byLogicalName(navigation.target);
      if (target) set.ele("NavigationPropertyBinding", { Path: name, Target: target.table.entitySetName });
    }
    for (const [name, collection] of entry.collectionNavigations) set.ele("NavigationPropertyBinding", { Path: name, Target: metadata.byLogicalName(collection.referencingTable)!.table.entitySetName });
  }
  container.ele("FunctionImport", { Name: "WhoAmI", Function: "Microsoft.Dynamics.CRM.WhoAmI" });
  return root.end({ prettyPrint: false });
}

const documents = new WeakMap<Metadata, Map<boolean, string>>();

/**
 * The answer to `GET /api/data/v9.2/` or `GET /api/data/v9.2/$metadata`, or null for any other
 * request. The CSDL is built once per metadata (and annotations choice): the model does not change
 * while the mock runs.
 */
export function serviceDocuments(metadata: Metadata, apiBase: string, method: string, path: string, query: string, prefer: string | undefined): { status: number; headers: Record<string, string>; body: unknown } | null {
  if (method !== "GET" || (path !== "" && path !== "$metadata")) return null;
  if (path === "") return { status: 200, headers: { "content-type": "application/json; odata.metadata=minimal", "odata-version": "4.0" }, body: serviceDocument(metadata, apiBase) };
  const annotations = new URLSearchParams(query).get("annotations") === "true" || /odata\.include-annotations/.test(prefer ?? "");
  let cached = documents.get(metadata);
  if (!cached) documents.set(metadata, (cached = new Map()));
  let xml = cached.get(annotations);
  if (xml === undefined) cached.set(annotations, (xml = csdlDocument(metadata, annotations)));
  return { status: 200, headers: { "content-type": "application/xml", "odata-version": "4.0" }, body: xml };
}
