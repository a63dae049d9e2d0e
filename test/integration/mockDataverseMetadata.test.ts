import { dataModel, lookupValueName } from "../../solution/model";
import { withPlatformColumns } from "../../mock-server/dataverse/platformColumns";
import type { RunningMockServer } from "../../mock-server/server";
import { Entity, MockDataverseClient, startMock, valuesOf } from "./mockDataverseSupport";

let mock: RunningMockServer;
let app: MockDataverseClient;

beforeAll(async () => {
  ({ mock, app } = await startMock());
});
afterAll(() => mock.close());

describe("mock Dataverse metadata comes from the model", () => {
  it("lists exactly the model's tables with their names, keys and columns", async () => {
    const definitions = valuesOf(await app.get("EntityDefinitions?$expand=Attributes"));
    const model = dataModel({ eventManagement: true });
    expect(definitions.map((d) => d.LogicalName).sort()).toEqual(model.map((t) => t.logicalName).sort());
    for (const table of model) {
      const definition = definitions.find((d) => d.LogicalName === table.logicalName) as Entity;
      expect(definition).toMatchObject({
        SchemaName: table.schemaName,
        EntitySetName: table.entitySetName,
        PrimaryIdAttribute: table.primaryIdAttribute,
        PrimaryNameAttribute: table.primaryNameAttribute,
        OwnershipType: table.ownershipType,
      });
      expect((definition.Keys as Array<{ KeyAttributes: string[] }>).map((k) => k.KeyAttributes)).toEqual(table.alternateKeys.map((k) => [...k.columns]));
      const attributes = definition.Attributes as Array<{ LogicalName: string; MaxLength?: number }>;
      // Microsoft's tables also have Microsoft's common columns (platformColumns.ts); ours exactly the model's.
      const columns = Object.values(withPlatformColumns([table])[0].columns).map((c) => c.logicalName);
      expect(columns.length > Object.keys(table.columns).length).toBe(table.origin === "outOfBox");
      expect(attributes.map((a) => a.LogicalName).sort()).toEqual(columns.sort());
      for (const column of Object.values(table.columns)) {
        if (column.type === "string") expect(attributes.find((a) => a.LogicalName === column.logicalName)?.MaxLength).toBe(column.maxLength);
      }
    }
  });

  it("serves every model table under its entity set name with every column readable", async () => {
    for (const table of dataModel({ eventManagement: true })) {
      const select = Object.values(table.columns)
        .map((c) => (c.type === "lookup" || c.type === "owner" ? lookupValueName(c) : c.logicalName))
        .join(",");
      const response = await app.get(`${table.entitySetName}?$select=${select}&$top=1`);
      expect(response.status).toBe(200);
    }
  });

  it("types attributes as Dataverse does (customer lookups, yes/no options, date formats, lengths)", async () => {
    const incident = (await app.get("EntityDefinitions(LogicalName='incident')?$expand=Attributes")).body as { Attributes: Entity[] };
    const attribute = (definition: { Attributes: Entity[] }, name: string) => definition.Attributes.find((a) => a.LogicalName === name);
    expect(attribute(incident, "customerid")).toMatchObject({ AttributeType: "Customer", Targets: ["account", "contact"] });
    expect(attribute(incident, "incidentid")).toMatchObject({ AttributeType: "Uniqueidentifier", IsPrimaryId: true, IsValidForCreate: true });
    const link = (await app.get("EntityDefinitions(LogicalName='psh_assetlink')?$expand=Attributes")).body as { Attributes: Entity[] };
    expect(attribute(link, "psh_needsreview")).toMatchObject({ AttributeType: "Boolean", OptionSet: { TrueOption: { Value: 1 }, FalseOption: { Value: 0 } } });
    expect(attribute(link, "psh_expireson")).toMatchObject({ Format: "DateOnly", DateTimeBehavior: { Value: "DateOnly" } });
    expect(attribute(link, "psh_name")).toMatchObject({ MaxLength: 200, IsPrimaryName: true, IsCustomAttribute: true, RequiredLevel: { Value: "ApplicationRequired" } });
    expect(attribute(link, "createdon")).toMatchObject({ IsValidForCreate: false, IsCustomAttribute: false });
    expect(attribute(link, "psh_rightsstatus")).toMatchObject({ "@odata.type": "#Microsoft.Dynamics.CRM.PicklistAttributeMetadata", OptionSet: { Name: "psh_rightsstatus" } });
  });

  it("filters EntityDefinitions by entity set name for getEntityMetadata", async () => {
    const found = valuesOf(await app.get("EntityDefinitions?$filter=EntitySetName eq 'msevtmgt_events'&$select=LogicalName,PrimaryNameAttribute"));
    expect(found).toEqual([expect.objectContaining({ LogicalName: "msevtmgt_event", PrimaryNameAttribute: "msevtmgt_name" })]);
  });
});
