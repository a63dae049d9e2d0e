/**
 * The mock Dataverse as Dataverse answers: service document and CSDL $metadata from the model,
 * Microsoft's common columns on Microsoft's tables, the query functions (`Microsoft.Dynamics.CRM.In`…)
 * with `@p` aliases, and success Content-Types exactly as the service sends them.
 */
import { XMLParser } from "fast-xml-parser";
import { Metadata } from "../../mock-server/dataverse/metadata";
import type { RunningMockServer } from "../../mock-server/server";
import { assetLink, dataModel, outOfBox } from "../../solution/model";
import { Entity, MockDataverseClient, startMock, valuesOf } from "./mockDataverseSupport";

let mock: RunningMockServer;
let app: MockDataverseClient;
beforeAll(async () => {
  ({ mock, app } = await startMock());
});
afterAll(() => mock.close());

const filter = (set: string, expression: string, extra = "") => app.get(`${set}?$filter=${encodeURIComponent(expression)}${extra}`);
const names = (response: { body: unknown }) => valuesOf(response as never).map((row) => row.name as string).sort();

describe("service documents (web-api-service-documents.md)", () => {
  it("GET /api/data/v9.2/ lists every entity set", async () => {
    const response = await app.get("");
    expect(response.status).toBe(200);
    const body = response.body as { "@odata.context": string; value: Array<{ name: string; kind: string; url: string }> };
    expect(body["@odata.context"]).toBe(`${mock.url}/api/data/v9.2/$metadata`);
    const sets = dataModel({ eventManagement: true }).map((t) => t.entitySetName).sort();
    expect(body.value).toEqual(sets.map((name) => ({ name, kind: "EntitySet", url: name })));
  });

  describe("CSDL $metadata", () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let schema: any;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const types = () => new Map<string, any>(schema.EntityType.map((t: { Name: string }) => [t.Name, t]));
    const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
    beforeAll(async () => {
      const response = await app.get("$metadata");
      expect(response.status).toBe(200);
      const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(response.text);
      expect(xml["edmx:Edmx"]).toMatchObject({ Version: "4.0", "xmlns:edmx": "http://docs.oasis-open.org/odata/ns/edmx" });
      schema = xml["edmx:Edmx"]["edmx:DataServices"].Schema;
    });

    it("is the Microsoft.Dynamics.CRM namespace (alias mscrm) with an entity type and set per table", () => {
      expect(schema).toMatchObject({ Namespace: "Microsoft.Dynamics.CRM", Alias: "mscrm" });
      const metadata = new Metadata();
      const entityTypes = types();
      expect(entityTypes.get("crmbaseentity")).toMatchObject({ Abstract: "true" });
      for (const { table, columns } of metadata.tables.values()) {
        const type = entityTypes.get(table.logicalName);
        expect(type).toMatchObject({ BaseType: "mscrm.crmbaseentity", Key: { PropertyRef: { Name: table.primaryIdAttribute } } });
        expect(list(type.Property).length).toBe(columns.size);
      }
      const sets = list(schema.EntityContainer.EntitySet) as Array<{ Name: string; EntityType: string }>;
      expect(schema.EntityContainer.Name).toBe("System");
      expect(sets.map((s) => [s.Name, s.EntityType]).sort()).toEqual([...metadata.tables.values()].map((e) => [e.table.entitySetName, `Microsoft.Dynamics.CRM.${e.table.logicalName}`]).sort());
    });

    it("types properties as the Web API does, with `_x_value` lookup properties", () => {
      const link = types().get(assetLink.logicalName);
      const type = (name: string) => list(link.Property).find((p: { Name: string }) => p.Name === name)?.Type;
      const c = assetLink.columns;
      expect(type(c.id.logicalName)).toBe("Edm.Guid");
      expect(type(c.mediaId.logicalName)).toBe("Edm.String");
      expect(type(c.expiresOn.logicalName)).toBe("Edm.Date");
      expect(type("createdon")).toBe("Edm.DateTimeOffset");
      expect(type("versionnumber")).toBe("Edm.Int64");
      expect(type("statecode")).toBe("Edm.Int32");
      expect(type(c.needsReview.logicalName)).toBe("Edm.Boolean");
      expect(type(`_${c.accountId.logicalName}_value`)).toBe("Edm.Guid");
      expect(type(c.accountId.logicalName)).toBeUndefined();
      expect(list(types().get("opportunity").Property).find((p: { Name: string }) => p.Name === "estimatedvalue")).toMatchObject({ Type: "Edm.Decimal", Scale: "Variable" });
    });

    it("pairs every navigation property with its partner and constrains single-valued ones by the lookup property", () => {
      const entityTypes = types();
      let pairs = 0;
      for (const [name, type] of entityTypes) {
        for (const nav of list(type.NavigationProperty) as Array<{ Name: string; Type: string; Partner?: string; ReferentialConstraint?: { Property: string; ReferencedProperty: string } }>) {
          const collection = /^Collection\(mscrm\.(.+)\)$/.exec(nav.Type);
          const target = entityTypes.get(collection ? collection[1] : nav.Type.replace(/^mscrm\./, ""));
          expect(target).toBeDefined();
          const partner = list(target.NavigationProperty).find((n: { Name: string }) => n.Name === nav.Partner) as { Type: string; Partner?: string } | undefined;
          expect({ from: `${name}.${nav.Name}`, partner: partner?.Partner }).toEqual({ from: `${name}.${nav.Name}`, partner: nav.Name });
          if (!collection) {
            expect(partner!.Type).toBe(`Collection(mscrm.${name})`);
            expect(list(type.Property).map((p: { Name: string }) => p.Name)).toContain(nav.ReferentialConstraint!.Property);
            expect(nav.ReferentialConstraint!.ReferencedProperty).toBe(target.Key.PropertyRef.Name);
          }
          pairs += 1;
        }
      }
      expect(pairs).toBeGreaterThan(20);
      const account = assetLink.columns.accountId.targets[0];
      expect(list(entityTypes.get("psh_assetlink").NavigationProperty)).toContainEqual({
        Name: account.navigationProperty,
        Type: "mscrm.account",
        Nullable: "false",
        Partner: account.referencedNavigationProperty,
        ReferentialConstraint: { Property: `_${assetLink.columns.accountId.logicalName}_value`, ReferencedProperty: "accountid" },
      });
    });

    it("describes alternate keys with the OData.Community.Keys annotation", () => {
      const annotation = list(types().get(assetLink.logicalName).Annotation).find((a: { Term: string }) => a.Term === "OData.Community.Keys.V1.AlternateKeys");
      const records = list(annotation.Collection.Record) as Array<{ PropertyValue: { Collection: { Record: unknown } } }>;
      expect(records).toHaveLength(assetLink.alternateKeys.length);
      const keyColumns = records.map((r) => list(r.PropertyValue.Collection.Record as Array<{ PropertyValue: Array<{ Property: string; String?: string }> }>).map((p) => p.PropertyValue.find((v) => v.Property === "Alias")!.String));
      expect(keyColumns).toEqual(assetLink.alternateKeys.map((k) => [...k.columns]));
    });

    it("declares the functions the mock answers", () => {
      expect(list(schema.Function).map((f: { Name: string }) => f.Name).sort()).toEqual(["RetrieveUserPrivileges", "WhoAmI"]);
      expect(schema.EntityContainer.FunctionImport).toEqual({ Name: "WhoAmI", Function: "Microsoft.Dynamics.CRM.WhoAmI" });
    });

    it("adds descriptions and read-only marks with ?annotations=true", async () => {
      const plain = await app.get("$metadata");
      expect(plain.text).not.toContain("Org.OData.Core.V1.Description");
      const annotated = await app.get("$metadata?annotations=true");
      expect(annotated.text).toContain(`<Annotation Term="Org.OData.Core.V1.Description" String="${outOfBox.account.description}"/>`);
      expect(annotated.text).toMatch(/<Property Name="createdon" Type="Edm.DateTimeOffset"><Annotation Term="Org.OData.Core.V1.Computed" Bool="true"\/><Annotation Term="Org.OData.Core.V1.Permissions"><EnumMember>Org.OData.Core.V1.PermissionType\/Read<\/EnumMember>/);
    });
  });
});

describe("success Content-Type exactly as Dataverse sends it", () => {
  const JSON_TYPE = "application/json; odata.metadata=minimal";
  it("is application/json; odata.metadata=minimal for JSON, without quotes or charset", async () => {
    const link = valuesOf(await app.get(`${assetLink.entitySetName}?$top=1`))[0];
    const id = link[assetLink.primaryIdAttribute] as string;
    const checks: Array<[string, Promise<{ status: number; headers: Record<string, string> }>, number, string]> = [
      ["service document", app.get(""), 200, JSON_TYPE],
      ["query", app.get(`${assetLink.entitySetName}?$select=psh_name&$top=2`), 200, JSON_TYPE],
      ["retrieve", app.get(`${assetLink.entitySetName}(${id})`), 200, JSON_TYPE],
      ["WhoAmI", app.get("WhoAmI"), 200, JSON_TYPE],
      ["EntityDefinitions", app.get("EntityDefinitions(LogicalName='account')"), 200, JSON_TYPE],
      ["create with representation", app.call("POST", "contacts", { body: { lastname: "Types" }, headers: { prefer: "return=representation" } }), 201, JSON_TYPE],
      ["update with representation", app.call("PATCH", `${assetLink.entitySetName}(${id})`, { body: { psh_name: "Renamed" }, headers: { prefer: "return=representation" } }), 200, JSON_TYPE],
      ["error", app.get("Accounts"), 404, JSON_TYPE],
      ["$metadata", app.get("$metadata"), 200, "application/xml"],
      ["$count", app.get("accounts/$count"), 200, "text/plain"],
    ];
    for (const [what, pending, status, type] of checks) {
      const response = await pending;
      expect({ what, status: response.status, type: response.headers["content-type"], version: response.headers["odata-version"] }).toEqual({ what, status, type, version: "4.0" });
    }
  });

  it("answers $batch as multipart/mixed with the batchresponse boundary", async () => {
    const boundary = "batch_types";
    const raw = [`--${boundary}`, "Content-Type: application/http", "Content-Transfer-Encoding: binary", "", "GET /api/data/v9.2/WhoAmI HTTP/1.1", "Accept: application/json", "", `--${boundary}--`, ""].join("\r\n");
    const response = await app.call("POST", "$batch", { raw, headers: { "content-type": `multipart/mixed; boundary=${boundary}` } });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^multipart\/mixed; boundary=batchresponse_[0-9a-f-]+$/);
  });
});

describe("Microsoft's tables with their common columns", () => {
  let parentId: string;
  it("accept and return common columns the model does not list", async () => {
    const parent = await app.call("POST", "accounts", { body: { name: "Common Columns Parent" }, headers: { prefer: "return=representation" } });
    parentId = (parent.body as Entity).accountid as string;
    const created = await app.call("POST", "accounts", {
      body: { name: "Common Columns Inc", telephone1: "+1 555 0100", emailaddress1: "info@common.example", websiteurl: "https://common.example", description: "Made by a test", revenue: 1250000.5, numberofemployees: 420, "parentaccountid@odata.bind": `/accounts(${parentId})` },
      headers: { prefer: 'return=representation,odata.include-annotations="*"' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      telephone1: "+1 555 0100",
      emailaddress1: "info@common.example",
      revenue: 1250000.5,
      numberofemployees: 420,
      _parentaccountid_value: parentId,
      statuscode: 1,
      "statuscode@OData.Community.Display.V1.FormattedValue": "Active",
      _createdby_value: expect.any(String),
      _owningbusinessunit_value: null,
    });
    const who = (await app.get("WhoAmI")).body as { UserId: string };
    expect((created.body as Entity)._createdby_value).toBe(who.UserId);
    expect((created.body as Entity)._modifiedby_value).toBe(who.UserId);
    const found = await filter("accounts", "telephone1 eq '+1 555 0100'", "&$select=name,_parentaccountid_value,description");
    expect(valuesOf(found)).toEqual([expect.objectContaining({ name: "Common Columns Inc", _parentaccountid_value: parentId, description: "Made by a test" })]);
    const expanded = (await app.get(`accounts(${parentId})?$select=name&$expand=account_parent_account($select=name)`)).body as Entity;
    expect((expanded.account_parent_account as Entity[]).map((a) => a.name)).toEqual(["Common Columns Inc"]);
  });

  it("still validate them (lengths, types)", async () => {
    expect((await app.call("POST", "accounts", { body: { name: "Too long", telephone1: "5".repeat(51) } })).status).toBe(400);
    expect((await app.call("POST", "accounts", { body: { name: "Wrong type", numberofemployees: "many" } })).status).toBe(400);
    const written = await app.call("POST", "contacts", { body: { lastname: "Audit", mobilephone: "+49 30 1234" }, headers: { prefer: "return=representation" } });
    expect(written.status).toBe(201);
    expect(written.body).toMatchObject({ mobilephone: "+49 30 1234", statuscode: 1 });
  });

  it("leave our tables exactly as the model defines them", async () => {
    const response = await app.call("POST", assetLink.entitySetName, { body: { psh_name: "x", telephone1: "1" } });
    expect(response.status).toBe(400);
    expect((response.body as { error: { message: string } }).error.message).toContain("Invalid property 'telephone1'");
  });
});

describe("query functions (filter-rows.md: Dataverse query functions)", () => {
  beforeAll(async () => {
    for (const [name, employees, city] of [
      ["QF Alpha", 5, "Lyon"],
      ["QF Beta", 250, "O'Fallon"],
      ["QF Gamma", 2000, "Lyon"],
      ["QF Delta", 2001, null],
    ] as const) {
      expect((await app.call("POST", "accounts", { body: { name, numberofemployees: employees, address1_city: city } })).status).toBe(204);
    }
  });
  const qf = (expression: string) => filter("accounts", `startswith(name,'QF ') and ${expression}`, "&$select=name");

  it("In and NotIn over text, numbers and GUIDs", async () => {
    expect(names(await qf("Microsoft.Dynamics.CRM.In(PropertyName='address1_city',PropertyValues=['lyon','Nowhere'])"))).toEqual(["QF Alpha", "QF Gamma"]);
    expect(names(await qf("Microsoft.Dynamics.CRM.In(PropertyName='numberofemployees',PropertyValues=[\"250\",\"2001\"])"))).toEqual(["QF Beta", "QF Delta"]);
    expect(names(await qf("Microsoft.Dynamics.CRM.NotIn(PropertyName='address1_city',PropertyValues=['Lyon'])"))).toEqual(["QF Beta"]);
    const alpha = valuesOf(await filter("accounts", "name eq 'QF Alpha'", "&$select=accountid"))[0].accountid as string;
    expect(names(await qf(`Microsoft.Dynamics.CRM.In(PropertyName='accountid',PropertyValues=['${alpha.toUpperCase()}'])`))).toEqual(["QF Alpha"]);
  });

  it("Between and NotBetween are inclusive (the documented numberofemployees example)", async () => {
    expect(names(await qf('Microsoft.Dynamics.CRM.Between(PropertyName=\'numberofemployees\',PropertyValues=["5","2000"])'))).toEqual(["QF Alpha", "QF Beta", "QF Gamma"]);
    expect(names(await qf('Microsoft.Dynamics.CRM.NotBetween(PropertyName=\'numberofemployees\',PropertyValues=["5","2000"])'))).toEqual(["QF Delta"]);
  });

  it("combine with and, or, not and parentheses", async () => {
    expect(names(await qf("(Microsoft.Dynamics.CRM.In(PropertyName='address1_city',PropertyValues=['Lyon']) or numberofemployees eq 250) and not Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['QF Gamma'])"))).toEqual(["QF Alpha", "QF Beta"]);
  });

  it("take @p parameter aliases, with double quotes around values that contain a single quote", async () => {
    const response = await app.get(`accounts?$select=name&$filter=${encodeURIComponent("Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2)")}&@p1=${encodeURIComponent("'address1_city'")}&@p2=${encodeURIComponent(`["O'Fallon","Nowhere"]`)}`);
    expect(names(response)).toEqual(["QF Beta"]);
    expect((await app.get(`accounts?$filter=${encodeURIComponent("Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p9)")}&@p1='name'`)).status).toBe(400);
  });

  it("date functions: On, OnOrAfter, OnOrBefore, Today, LastXDays, OlderThanXDays", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const count = async (expression: string) => valuesOf(await qf(expression)).length;
    expect(await count(`Microsoft.Dynamics.CRM.On(PropertyName='createdon',PropertyValue='${today}')`)).toBe(4);
    expect(await count(`Microsoft.Dynamics.CRM.OnOrAfter(PropertyName='createdon',PropertyValue='${today}')`)).toBe(4);
    expect(await count("Microsoft.Dynamics.CRM.OnOrBefore(PropertyName='createdon',PropertyValue='2020-01-01')")).toBe(0);
    expect(await count("Microsoft.Dynamics.CRM.Today(PropertyName='createdon')")).toBe(4);
    expect(await count("Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=7)")).toBe(4);
    expect(await count("Microsoft.Dynamics.CRM.OlderThanXDays(PropertyName='createdon',PropertyValue=1)")).toBe(0);
  });

  it("ContainValues and DoesNotContainValues on a choices column", async () => {
    const productLines = outOfBox.account.columns.productLines;
    const [first, second] = Object.values(productLines.choice.options).map((o) => o.value);
    await app.call("POST", "accounts", { body: { name: "QF Choices", [productLines.logicalName]: `${first},${second}` } });
    expect(names(await qf(`Microsoft.Dynamics.CRM.ContainValues(PropertyName='${productLines.logicalName}',PropertyValues=['${second}'])`))).toEqual(["QF Choices"]);
    expect(names(await qf(`Microsoft.Dynamics.CRM.DoesNotContainValues(PropertyName='${productLines.logicalName}',PropertyValues=['${first}'])`))).toEqual(["QF Alpha", "QF Beta", "QF Delta", "QF Gamma"]);
  });

  it("work inside $batch parts, aliases included", async () => {
    const boundary = "batch_qf";
    const url = `/api/data/v9.2/accounts?$select=name&$filter=${encodeURIComponent("Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=@v)")}&@v=${encodeURIComponent("['QF Alpha','QF Delta']")}`;
    const raw = [`--${boundary}`, "Content-Type: application/http", "Content-Transfer-Encoding: binary", "", `GET ${url} HTTP/1.1`, "Accept: application/json", "", `--${boundary}--`, ""].join("\r\n");
    const response = await app.call("POST", "$batch", { raw, headers: { "content-type": `multipart/mixed; boundary=${boundary}` } });
    expect(response.text).toContain('"name":"QF Alpha"');
    expect(response.text).toContain('"name":"QF Delta"');
    expect(response.text).not.toContain('"name":"QF Beta"');
  });

  it("answer 400 with a clear message for what they cannot take", async () => {
    const cases: Array<[string, string]> = [
      ["Microsoft.Dynamics.CRM.Above(PropertyName='accountid',PropertyValue='00000000-0000-0000-0000-000000000001')", "is not supported"],
      ["Microsoft.Dynamics.CRM.Between(PropertyName='numberofemployees',PropertyValues=['1'])", "takes 2 PropertyValues"],
      ["Microsoft.Dynamics.CRM.In(PropertyName='numberofemployees',PropertyValues=['many'])", "is not a number"],
      ["Microsoft.Dynamics.CRM.In(PropertyName='nosuchcolumn',PropertyValues=['1'])", "Could not find a property named 'nosuchcolumn'"],
      ["Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['OBrian' 'OBryan'])", "A comma character ',' was expected"],
      ["Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['O'Brian'])", "unterminated literal"],
      ["Microsoft.Dynamics.CRM.LastXDays(PropertyName='name',PropertyValue=3)", "applies to date columns"],
      ["Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['x']", "is not closed"],
      ["__crmfn0__ eq true", "Could not find a property named '__crmfn0__'"],
    ];
    for (const [expression, message] of cases) {
      const response = await filter("accounts", expression);
      expect({ expression, status: response.status, message: (response.body as { error: { message: string } }).error.message.includes(message) }).toEqual({ expression, status: 400, message: true });
    }
  });
});
