import { assetLink, choices, outOfBox, regardingKey } from "../../solution/model";
import { ACCOUNTS, CAMPAIGNS, CASES } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { dataverseOf } from "../../mock-server/dataverse";
import type { RunningMockServer } from "../../mock-server/server";
import { appToken, Entity, MockDataverseClient, startMock, userToken, valuesOf } from "./mockDataverseSupport";

let mock: RunningMockServer;
let app: MockDataverseClient;

beforeAll(async () => {
  ({ mock, app } = await startMock());
});
afterAll(() => mock.close());
afterEach(() => dataverseOf(mock.context).reset());

const L = assetLink.columns;
const A = outOfBox.account.columns;
const names = (response: { body: unknown }) => valuesOf(response as never).map((row) => row.name);
const link = (media: string, accountId: string, extra: Entity = {}) => ({
  [L.name.logicalName]: `Link ${media}`,
  [L.mediaId.logicalName]: media,
  [L.linkType.logicalName]: choices.linkType.options.brand.value,
  [L.rightsStatus.logicalName]: choices.rightsStatus.options.approved.value,
  [L.source.logicalName]: choices.linkSource.options.manual.value,
  [L.regardingKey.logicalName]: regardingKey("account", accountId),
  [`${L.accountId.targets[0].navigationProperty}@odata.bind`]: `/accounts(${accountId})`,
  ...extra,
});

describe("mock Dataverse: authentication", () => {
  it("answers 401 without a valid token for this server", async () => {
    const anonymous = new MockDataverseClient(mock, "not-a-jwt");
    const response = await anonymous.get("accounts");
    expect(response.status).toBe(401);
    expect(response.headers["www-authenticate"]).toMatch(/^Bearer authorization_uri=/);
    expect((response.body as { error: { code: string } }).error.code).toBe("0x80072560");
    const otherAudience = new MockDataverseClient(mock, await userToken(mock, USERS.admin.upn, "api://someone-else"));
    expect((await otherAudience.get("accounts")).status).toBe(401);
    const otherResource = new MockDataverseClient(mock, await appToken(mock, "http://evil.example"));
    expect((await otherResource.call("GET", "accounts", { headers: { host: "evil.example" } })).status).toBe(401);
    const loopback = new MockDataverseClient(mock, await appToken(mock, mock.url.replace("127.0.0.1", "localhost")));
    expect((await loopback.get("accounts?$top=1")).status).toBe(200);
  });
});

describe("mock Dataverse: queries", () => {
  it("returns the primary key with $select and rejects unknown or lookup column names", async () => {
    const response = await app.get(`accounts(${ACCOUNTS.litware})?$select=name`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ name: "Litware Health", accountid: ACCOUNTS.litware, "@odata.etag": expect.stringMatching(/^W\/"\d+"$/) });
    expect(Object.keys(response.body as object)).not.toContain("industrycode");
    const unknown = await app.get("accounts?$select=Name");
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: { code: "0x0", message: "Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'." } });
    expect((await app.get("accounts?$select=primarycontactid")).status).toBe(400);
    expect((await app.get("Accounts")).status).toBe(404);
  });

  it.each([
    ["eq", `${A.tier.logicalName} eq ${choices.tier.options.strategic.value}`, ["Litware Health", "Northwind Traders", "Trey Research", "Woodgrove Bank"]],
    ["ne", `${A.region.logicalName} ne ${choices.region.options.na.value}`, ["Adventure Works Cycles", "Alpine Ski House", "Blue Yonder Airlines", "Coho Winery", "Proseware Medical", "Tailspin Energy", "Trey Research", "Wide World Importers"]],
    ["gt/lt", `accountnumber gt 'ACC-1009' and accountnumber lt 'ACC-1012'`, ["Trey Research", "Wide World Importers"]],
    ["ge/le", `accountnumber ge 'ACC-1011' and accountnumber le 'ACC-1012'`, ["Blue Yonder Airlines", "Wide World Importers"]],
    ["or", `name eq 'coho winery' or name eq 'Trey Research'`, ["Coho Winery", "Trey Research"]],
    ["not", `not (${A.region.logicalName} ne null)`, ["Blue Yonder Airlines"]],
    ["contains", `contains(name,'WORLD')`, ["Wide World Importers"]],
    ["startswith", `startswith(name,'Al')`, ["Alpine Ski House"]],
    ["endswith", `endswith(name,'Bank')`, ["Woodgrove Bank"]],
    ["null", `${A.industryCode.logicalName} eq null`, ["Blue Yonder Airlines"]],
    ["lookup", `_primarycontactid_value eq c0000000-0000-4000-8000-000000000001`, ["Northwind Traders"]],
    ["quoted lookup", `_primarycontactid_value eq 'c0000000-0000-4000-8000-000000000004'`, ["Litware Health"]],
    ["navigation", `primarycontactid/lastname eq 'Peacock'`, ["Litware Health"]],
  ])("filters with %s", async (_operator, filter, expected) => {
    const response = await app.get(`accounts?$select=name&$orderby=name&$filter=${encodeURIComponent(filter)}`);
    expect(response.status).toBe(200);
    expect(names(response)).toEqual(expected);
  });

  it("treats a quote inside a string literal as data, and rejects malformed filters", async () => {
    const created = await app.call("POST", "accounts", { body: { name: "O'Brien & Sons" } });
    expect(created.status).toBe(204);
    expect(names(await app.get(`accounts?$select=name&$filter=${encodeURIComponent("name eq 'O''Brien & Sons'")}`))).toEqual(["O'Brien & Sons"]);
    expect((await app.get(`accounts?$filter=${encodeURIComponent("name eq 'O'Brien'")}`)).status).toBe(400);
    expect((await app.get(`accounts?$filter=${encodeURIComponent("name eq 'x' or 1 eq 1")}`)).status).toBe(400);
    expect((await app.get(`accounts?$filter=${encodeURIComponent("industrycode eq 'x'")}`)).status).toBe(400);
    expect((await app.get("accounts?$skip=2")).status).toBe(400);
  });

  it("answers /$count with the number of rows as text", async () => {
    const response = await app.get("accounts/$count");
    expect(response.status).toBe(200);
    expect(response.text).toBe("12");
  });

  it("orders, limits with $top and counts", async () => {
    const response = await app.get("accounts?$select=name&$orderby=name desc&$top=3&$count=true");
    expect(names(response)).toEqual(["Woodgrove Bank", "Wide World Importers", "Trey Research"]);
    expect((response.body as Entity)["@odata.count"]).toBe(12);
  });

  it("pages with Prefer: odata.maxpagesize and follows @odata.nextLink unchanged to the end", async () => {
    const seen: string[] = [];
    let next: string | undefined = "accounts?$select=name&$orderby=accountnumber";
    let pages = 0;
    while (next) {
      const response = await app.get(next.replace(`${app.api}/`, ""), { prefer: "odata.maxpagesize=5" });
      expect(response.headers["preference-applied"]).toBe("odata.maxpagesize=5");
      seen.push(...(names(response) as string[]));
      next = (response.body as Entity)["@odata.nextLink"] as string | undefined;
      if (next) expect(next.startsWith(`${app.api}/accounts?`)).toBe(true);
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
  });

  it("expands single-valued and collection-valued navigation properties", async () => {
    const response = await app.get(
      `incidents(${CASES.damagedDelivery})?$select=title&$expand=customerid_account($select=name),psh_incident_psh_assetlink_IncidentId($select=psh_mediaid;$orderby=psh_mediaid)`,
    );
    const body = response.body as Entity;
    expect(body.customerid_account).toMatchObject({ name: "Litware Health", accountid: ACCOUNTS.litware });
    const direct = valuesOf(await app.get(`psh_assetlinks?$select=psh_mediaid&$orderby=psh_mediaid&$filter=_psh_incidentid_value eq ${CASES.damagedDelivery}`));
    expect(direct).toHaveLength(2);
    expect((body.psh_incident_psh_assetlink_IncidentId as Entity[]).map((r) => r.psh_mediaid)).toEqual(direct.map((r) => r.psh_mediaid));
    expect((await app.get(`incidents(${CASES.damagedDelivery})?$expand=nope`)).status).toBe(400);
  });

  it("adds formatted values and lookup annotations only when asked", async () => {
    const plain = (await app.get(`incidents(${CASES.installQuestion})?$select=_customerid_value,statecode`)).body as Entity;
    expect(Object.keys(plain).some((k) => k.includes("@OData.Community"))).toBe(false);
    const response = await app.get(`incidents(${CASES.installQuestion})?$select=_customerid_value,statecode`, { prefer: 'odata.include-annotations="*"' });
    expect(response.headers["preference-applied"]).toBe('odata.include-annotations="*"');
    expect(response.body).toMatchObject({
      "_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "contact",
      "_customerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty": "customerid_contact",
      "_customerid_value@OData.Community.Display.V1.FormattedValue": "Robert King",
      "statecode@OData.Community.Display.V1.FormattedValue": "Active",
    });
  });

  it("serves EntityDefinitions by logical name with the Web API's three names", async () => {
    const response = await app.get("EntityDefinitions(LogicalName='psh_assetlink')?$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute");
    expect(response.body).toMatchObject({ LogicalName: "psh_assetlink", EntitySetName: "psh_assetlinks", PrimaryIdAttribute: "psh_assetlinkid", PrimaryNameAttribute: "psh_name" });
  });
});

describe("mock Dataverse: writes", () => {
  it("creates with 204 + OData-EntityId, or 201 with the representation, recording the calling user", async () => {
    const created = await app.call("POST", assetLink.entitySetName, { body: link("I000000000000101", ACCOUNTS.alpine) });
    expect(created.status).toBe(204);
    expect(created.headers["odata-entityid"]).toMatch(new RegExp(`^${app.api}/psh_assetlinks\\([0-9a-f-]{36}\\)$`));

    const rep = new MockDataverseClient(mock, await userToken(mock, USERS.salesEmea.upn));
    const response = await rep.call("POST", `${assetLink.entitySetName}?$select=psh_name,_createdby_value,_ownerid_value,_psh_accountid_value,statecode`, {
      body: link("I000000000000102", ACCOUNTS.alpine),
      headers: { prefer: "return=representation" },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ psh_name: "Link I000000000000102", _createdby_value: USERS.salesEmea.id, _ownerid_value: USERS.salesEmea.id, _psh_accountid_value: ACCOUNTS.alpine, statecode: 0 });
  });

  it("updates with If-Match and answers 412 when the row changed since it was read", async () => {
    const before = await app.get(`accounts(${ACCOUNTS.coho})?$select=name`);
    const etag = (before.body as Entity)["@odata.etag"] as string;
    const stale = await app.call("PATCH", `accounts(${ACCOUNTS.coho})`, { body: { name: "Coho Vineyard" }, headers: { "if-match": 'W/"1"' } });
    expect(stale.status).toBe(412);
    expect((await app.call("PATCH", `accounts(${ACCOUNTS.coho})`, { body: { name: "Coho Vineyard" }, headers: { "if-match": etag } })).status).toBe(204);
    const after = await app.get(`accounts(${ACCOUNTS.coho})?$select=name`);
    expect(after.body).toMatchObject({ name: "Coho Vineyard" });
    expect((after.body as Entity)["@odata.etag"]).not.toBe(etag);
    expect((await app.get(`accounts(${ACCOUNTS.coho})?$select=name`, { "if-none-match": (after.body as Entity)["@odata.etag"] as string })).status).toBe(304);
  });

  it("upserts by alternate key: creates once, then updates the same row; If-Match/If-None-Match limit it", async () => {
    const key = `psh_assetlinks(psh_mediaid='I000000000000201',psh_regardingkey='${regardingKey("account", ACCOUNTS.trey)}')`;
    const missing = await app.call("PATCH", key, { body: link("I000000000000201", ACCOUNTS.trey), headers: { "if-match": "*" } });
    expect(missing.status).toBe(404);
    const first = await app.call("PATCH", key, { body: { ...link("I000000000000201", ACCOUNTS.trey), [L.version.logicalName]: "1.0" } });
    expect(first.status).toBe(204);
    const second = await app.call("PATCH", key, { body: { [L.version.logicalName]: "2.0" } });
    expect(second.status).toBe(204);
    expect(second.headers["odata-entityid"]).toBe(first.headers["odata-entityid"]);
    const rows = valuesOf(await app.get(`psh_assetlinks?$select=psh_version&$filter=psh_mediaid eq 'I000000000000201'`));
    expect(rows.map((r) => r.psh_version)).toEqual(["2.0"]);
    expect((await app.call("PATCH", key, { body: { [L.version.logicalName]: "3.0" }, headers: { "if-none-match": "*" } })).status).toBe(412);
    // The same media on the same record through POST is a duplicate key.
    expect((await app.call("POST", assetLink.entitySetName, { body: link("I000000000000201", ACCOUNTS.trey) })).status).toBe(412);
  });

  it("keeps a quote in an alternate-key value as data", async () => {
    const weird = await app.call("PATCH", `psh_assetusages(psh_mediaid='I''0',psh_period='2026-01',psh_regardingkey='account:''x')`, {
      body: { psh_name: "quote test", psh_periodstart: "2026-01-01" },
    });
    expect(weird.status).toBe(204);
    const row = valuesOf(await app.get(`psh_assetusages?$select=psh_mediaid,psh_regardingkey&$filter=${encodeURIComponent("psh_name eq 'quote test'")}`))[0];
    expect(row).toMatchObject({ psh_mediaid: "I'0", psh_regardingkey: "account:'x" });
    expect((await app.call("PATCH", "psh_assetusages(psh_mediaid='I'0',psh_period='x',psh_regardingkey='y')", { body: {} })).status).toBe(400);
  });

  it("deletes with 204 and answers 404 with Dataverse's code afterwards", async () => {
    const created = await app.call("POST", assetLink.entitySetName, { body: link("I000000000000301", ACCOUNTS.alpine) });
    const id = /\(([^)]+)\)$/.exec(created.headers["odata-entityid"])![1];
    expect((await app.call("DELETE", `psh_assetlinks(${id})`)).status).toBe(204);
    const again = await app.call("DELETE", `psh_assetlinks(${id})`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ error: { code: "0x80040217", message: `psh_assetlink With Id = ${id} Does Not Exist` } });
  });

  it("validates bodies: navigation property names, bind targets, lookups, lengths and options", async () => {
    const wrongNav = await app.call("POST", assetLink.entitySetName, { body: { ...link("I000000000000401", ACCOUNTS.alpine), "psh_accountid@odata.bind": `/accounts(${ACCOUNTS.alpine})` } });
    expect(wrongNav.status).toBe(400);
    expect((wrongNav.body as { error: { code: string } }).error.code).toBe("0x80048d19");
    const wrongSet = await app.call("POST", assetLink.entitySetName, { body: link("I000000000000402", ACCOUNTS.alpine, { "psh_AccountId@odata.bind": `/contacts(${ACCOUNTS.alpine})` }) });
    expect(wrongSet.status).toBe(400);
    const missingTarget = await app.call("POST", assetLink.entitySetName, { body: link("I000000000000403", "a0000000-0000-4000-8000-0000000000ff") });
    expect(missingTarget.status).toBe(404);
    const direct = await app.call("POST", assetLink.entitySetName, { body: { ...link("I000000000000404", ACCOUNTS.alpine), _psh_accountid_value: ACCOUNTS.alpine } });
    expect(direct.status).toBe(400);
    const tooLong = await app.call("POST", assetLink.entitySetName, { body: link("I0000000000004050", ACCOUNTS.alpine) });
    expect(tooLong.status).toBe(400);
    expect((tooLong.body as { error: { code: string; message: string } }).error).toMatchObject({ code: "0x80044331", message: expect.stringContaining("'psh_mediaid'") });
    const badOption = await app.call("POST", assetLink.entitySetName, { body: link("I000000000000406", ACCOUNTS.alpine, { psh_rightsstatus: 1 }) });
    expect(badOption.status).toBe(400);
    const unknown = await app.call("POST", assetLink.entitySetName, { body: link("I000000000000407", ACCOUNTS.alpine, { psh_colour: "red" }) });
    expect(unknown.status).toBe(400);
    const notJson = await app.call("POST", assetLink.entitySetName, { raw: "{", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);
    expect(valuesOf(await app.get("psh_assetlinks?$filter=startswith(psh_mediaid,'I0000000000004')"))).toHaveLength(0);
  });

  it("cascades a delete as the relationships say: grants go with the partner, links lose their lookup", async () => {
    const links = valuesOf(await app.get(`psh_assetlinks?$select=psh_assetlinkid&$filter=_psh_accountid_value eq ${ACCOUNTS.litware}`));
    expect(links.length).toBeGreaterThan(0);
    expect((await app.call("DELETE", `accounts(${ACCOUNTS.litware})`)).status).toBe(204);
    for (const row of links) expect((await app.get(`psh_assetlinks(${row.psh_assetlinkid})?$select=_psh_accountid_value`)).body).toMatchObject({ _psh_accountid_value: null });
    expect(valuesOf(await app.get(`psh_partnergrants?$filter=_psh_accountid_value eq ${ACCOUNTS.northwind}`))).toHaveLength(1);
    expect((await app.call("DELETE", `accounts(${ACCOUNTS.northwind})`)).status).toBe(204);
    expect(valuesOf(await app.get(`psh_partnergrants?$filter=_psh_accountid_value eq ${ACCOUNTS.northwind}`))).toHaveLength(0);
  });

  it("sets one column with PUT …/column and clears it with DELETE …/column", async () => {
    expect((await app.call("PUT", `accounts(${ACCOUNTS.coho})/name`, { body: { value: "Coho Cellars" } })).status).toBe(204);
    expect((await app.call("DELETE", `accounts(${ACCOUNTS.coho})/address1_city`)).status).toBe(204);
    expect((await app.get(`accounts(${ACCOUNTS.coho})?$select=name,address1_city`)).body).toMatchObject({ name: "Coho Cellars", address1_city: null });
    expect((await app.call("DELETE", `accounts(${ACCOUNTS.coho})/primarycontactid`)).status).toBe(400);
    expect((await app.call("PUT", `accounts(${ACCOUNTS.coho})/name`, { body: { name: "x" } })).status).toBe(400);
  });

  it("clears a lookup with DELETE …/nav/$ref and with a null bind", async () => {
    expect((await app.call("DELETE", `accounts(${ACCOUNTS.northwind})/primarycontactid/$ref`)).status).toBe(204);
    expect((await app.get(`accounts(${ACCOUNTS.northwind})?$select=_primarycontactid_value`)).body).toMatchObject({ _primarycontactid_value: null });
    const rebound = await app.call("PATCH", `accounts(${ACCOUNTS.litware})`, { body: { "primarycontactid@odata.bind": null } });
    expect(rebound.status).toBe(204);
    expect((await app.get(`accounts(${ACCOUNTS.litware})?$select=_primarycontactid_value`)).body).toMatchObject({ _primarycontactid_value: null });
  });

  it("enforces the role: the read-only user reads but cannot create, and RetrieveUserPrivileges says so", async () => {
    const reader = new MockDataverseClient(mock, await userToken(mock, USERS.readOnly.upn));
    expect((await reader.get(`accounts(${ACCOUNTS.litware})?$select=name`)).status).toBe(200);
    const denied = await reader.call("POST", assetLink.entitySetName, { body: link("I000000000000501", ACCOUNTS.litware) });
    expect(denied.status).toBe(403);
    expect((denied.body as { error: { code: string; message: string } }).error).toMatchObject({ code: "0x80040220", message: expect.stringContaining("prvCreatepsh_assetlink") });
    const privileges = (await reader.get(`systemusers(${USERS.readOnly.id})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`)).body as { RolePrivileges: Array<{ PrivilegeName: string }> };
    const names = privileges.RolePrivileges.map((p) => p.PrivilegeName);
    expect(names).toContain("prvReadpsh_assetlink");
    expect(names).not.toContain("prvCreatepsh_assetlink");
    const rep = new MockDataverseClient(mock, await userToken(mock, USERS.salesNorthAmerica.upn));
    const repPrivileges = (await rep.get(`systemusers(${USERS.salesNorthAmerica.id})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`)).body as { RolePrivileges: Array<{ PrivilegeName: string }> };
    expect(repPrivileges.RolePrivileges.map((p) => p.PrivilegeName)).toContain("prvCreatepsh_assetlink");
  });

  it("answers 429 with Retry-After and the service-protection error when a fault asks for it", async () => {
    const fault = await fetch(`${mock.url}/__admin/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ kind: "rateLimit", path: "/api/data/v9.2/accounts", times: 1, retryAfterSeconds: 7 }) });
    expect(fault.status).toBe(201);
    const limited = await app.get("accounts?$select=name");
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBe("7");
    expect((limited.body as { error: { code: string } }).error.code).toBe("0x80072322");
    expect((await app.get("accounts?$select=name")).status).toBe(200);
  });

  it("returns to the seeded org on reset", async () => {
    await app.call("DELETE", `campaigns(${CAMPAIGNS.holidayPromo})`);
    expect((await app.get(`campaigns(${CAMPAIGNS.holidayPromo})`)).status).toBe(404);
    expect((await fetch(`${mock.url}/__admin/dataverse/reset`, { method: "POST" })).status).toBe(200);
    expect((await app.get(`campaigns(${CAMPAIGNS.holidayPromo})?$select=name`)).body).toMatchObject({ name: "Holiday Promo 2026" });
  });
});
