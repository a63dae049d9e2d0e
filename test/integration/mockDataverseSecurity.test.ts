/**
 * The mock Dataverse's security as Dataverse has it: record-level read, write, delete and append-to by
 * the depth of the caller's privilege (own records, business unit, units below, organization), the demo roles' depths and
 * ownership (each person opens the records of their own work and is refused the others'), and
 * impersonation through CallerObjectId / MSCRMCallerID, which needs prvActOnBehalfOfAnotherUser.
 */
import { assetLink, outOfBox } from "../../solution/model";
import { ACCOUNTS, CAMPAIGNS, CASES, OPPORTUNITIES } from "../../mock-server/dataverse/demoData";
import { BUSINESS_UNITS, USERS, type DemoUser } from "../../mock-server/dataverse/demoData/users";
import { dataverseOf } from "../../mock-server/dataverse";
import { MockDataverseClient, useMockDataverse, userToken, valuesOf } from "./mockDataverseSupport";

const started = useMockDataverse();
const as = async (user: DemoUser) => new MockDataverseClient(started.mock, await userToken(started.mock, user.upn, started.mock.url));
const NORTH_AMERICA = [ACCOUNTS.northwind, ACCOUNTS.fabrikam, ACCOUNTS.litware, ACCOUNTS.woodgrove, ACCOUNTS.blueYonder];
const EMEA = [ACCOUNTS.adventureWorks, ACCOUNTS.tailspin, ACCOUNTS.alpine, ACCOUNTS.wideWorld];
const ALL_ACCOUNTS = Object.values(ACCOUNTS);
const accountIds = async (client: MockDataverseClient) => valuesOf(await client.get("accounts?$select=accountid")).map((row) => row.accountid as string).sort();
const denied = (response: { status: number; body: unknown }) => {
  expect(response.status).toBe(403);
  expect((response.body as { error: { code: string; message: string } }).error).toMatchObject({ code: "0x80040220", message: expect.stringContaining("AccessRights: ReadAccess") });
};

describe("record-level read by privilege depth", () => {
  it("a salesperson reads the accounts of their business unit and is refused the others", async () => {
    const riley = await as(USERS.salesNorthAmerica);
    expect(await accountIds(riley)).toEqual([...NORTH_AMERICA].sort());
    expect((await riley.get(`accounts(${ACCOUNTS.litware})?$select=name`)).status).toBe(200);
    denied(await riley.get(`accounts(${ACCOUNTS.tailspin})?$select=name`));
    const emma = await as(USERS.salesEmea);
    expect(await accountIds(emma)).toEqual([...EMEA].sort());
    denied(await emma.get(`accounts(${ACCOUNTS.litware})?$select=name`));
    // $count, /$count and $expand leave out what the caller cannot read too.
    expect((await emma.get("accounts?$select=name&$count=true")).body).toMatchObject({ "@odata.count": EMEA.length });
    expect((await emma.get("accounts/$count")).text).toBe(String(EMEA.length));
    const contact = valuesOf(await started.app.get(`contacts?$select=contactid&$filter=_parentcustomerid_value eq ${ACCOUNTS.litware}`))[0];
    expect((await emma.get(`contacts(${contact.contactid})?$select=fullname`)).status).toBe(403);
    const opportunity = await riley.get(`opportunities(${OPPORTUNITIES.litwareImaging})?$select=name&$expand=parentaccountid($select=name)`);
    expect(opportunity.body).toMatchObject({ parentaccountid: { name: "Litware Health" } });
    denied(await emma.get(`opportunities(${OPPORTUNITIES.litwareImaging})?$select=name`));
    expect(valuesOf(await emma.get(`opportunities?$select=name`)).map((o) => o.name)).toEqual(["Draco turbine monitoring"]);
  });

  it("the service agent reads the cases of customer service and every customer; salespeople and marketers read no cases", async () => {
    const sam = await as(USERS.serviceAgent);
    expect((await sam.get(`incidents(${CASES.damagedDelivery})?$select=title`)).status).toBe(200);
    expect(valuesOf(await sam.get("incidents?$select=title")).length).toBe(Object.keys(CASES).length);
    expect(await accountIds(sam)).toEqual([...ALL_ACCOUNTS].sort());
    denied(await (await as(USERS.salesNorthAmerica)).get(`incidents(${CASES.damagedDelivery})?$select=title`));
    expect(valuesOf(await (await as(USERS.salesNorthAmerica)).get("incidents?$select=title"))).toEqual([]);
    const marketer = await as(USERS.marketer);
    expect((await marketer.get(`incidents(${CASES.damagedDelivery})?$select=title`)).status).toBe(403);
    // …and the agent has no privilege on the marketers' campaigns at all.
    expect((await sam.get(`campaigns(${CAMPAIGNS.springLaunch})?$select=name`)).status).toBe(403);
    expect((await marketer.get(`campaigns(${CAMPAIGNS.springLaunch})?$select=name`)).status).toBe(200);
    expect(await accountIds(marketer)).toEqual([...ALL_ACCOUNTS].sort());
  });

  it("a record moves with its owner: given to the EMEA rep, Litware opens for her and no longer for Riley", async () => {
    const store = dataverseOf(started.mock.context).store;
    const litware = store.get(outOfBox.account.logicalName, ACCOUNTS.litware)!;
    store.put(outOfBox.account.logicalName, ACCOUNTS.litware, { ...litware, ownerid: { id: USERS.salesEmea.id, table: "systemuser" } });
    expect((await (await as(USERS.salesEmea)).get(`accounts(${ACCOUNTS.litware})?$select=name`)).status).toBe(200);
    denied(await (await as(USERS.salesNorthAmerica)).get(`accounts(${ACCOUNTS.litware})?$select=name`));
  });

  it("reports each privilege's depth in RetrieveUserPrivileges", async () => {
    const riley = await as(USERS.salesNorthAmerica);
    const body = (await riley.get(`systemusers(${USERS.salesNorthAmerica.id})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`)).body as { RolePrivileges: Array<{ PrivilegeName: string; Depth: string }> };
    const depth = (name: string) => body.RolePrivileges.find((p) => p.PrivilegeName === name)?.Depth;
    expect(depth("prvReadaccount")).toBe("Local");
    expect(depth("prvCreateaccount")).toBe("Basic");
    expect(depth("prvReadpsh_assetlink")).toBe("Global");
    expect(depth("prvCreatepsh_assetlink")).toBe("Basic");
    expect(depth("prvReadincident")).toBe("Local");
  });
});

describe("record-level write, delete and append-to by privilege depth", () => {
  const A = outOfBox.account.columns;
  const L = assetLink.columns;
  const refused = (response: { status: number; body: unknown }, rights: string) => {
    expect(response.status).toBe(403);
    expect((response.body as { error: { code: string; message: string } }).error).toMatchObject({ code: "0x80040220", message: expect.stringContaining(`AccessRights: ${rights}`) });
  };
  const newLink = (account: string, media: string) => ({ [L.name.logicalName]: media, [L.mediaId.logicalName]: media, [L.regardingKey.logicalName]: `account:${account}`, [`${L.accountId.targets[0].navigationProperty}@odata.bind`]: `/accounts(${account})` });

  it("a salesperson changes the accounts of their business unit, not the others; links only to records they may append to", async () => {
    const riley = await as(USERS.salesNorthAmerica);
    expect((await riley.call("PATCH", `accounts(${ACCOUNTS.litware})`, { body: { [A.accountNumber.logicalName]: "LIT-0100" } })).status).toBe(204);
    const emma = await as(USERS.salesEmea);
    refused(await emma.call("PATCH", `accounts(${ACCOUNTS.litware})`, { body: { [A.accountNumber.logicalName]: "LIT-0200" } }), "WriteAccess");
    // A link row's lookup to an account needs append-to on that account, at the caller's depth.
    refused(await emma.call("POST", "psh_assetlinks", { body: newLink(ACCOUNTS.litware, "I000000000000101") }), "AppendToAccess");
    expect((await emma.call("POST", "psh_assetlinks", { body: newLink(ACCOUNTS.tailspin, "I000000000000102") })).status).toBe(204);
  });

  it("PhotoShelter User changes and deletes only their own links, and reads everyone's", async () => {
    const riley = await as(USERS.salesNorthAmerica);
    const created = await riley.call("POST", "psh_assetlinks", { body: newLink(ACCOUNTS.litware, "I000000000000103") });
    expect(created.status).toBe(204);
    const id = /\(([^)]+)\)$/.exec(created.headers["odata-entityid"])![1];
    const marketer = await as(USERS.marketer);
    expect((await marketer.get(`psh_assetlinks(${id})?$select=psh_mediaid`)).status).toBe(200);
    refused(await marketer.call("PATCH", `psh_assetlinks(${id})`, { body: { [L.name.logicalName]: "renamed" } }), "WriteAccess");
    refused(await marketer.call("DELETE", `psh_assetlinks(${id})`), "DeleteAccess");
    expect((await riley.call("PATCH", `psh_assetlinks(${id})`, { body: { [L.name.logicalName]: "renamed" } })).status).toBe(204);
    expect((await riley.call("DELETE", `psh_assetlinks(${id})`)).status).toBe(204);
  });
});

describe("impersonation", () => {
  const EMMA = { callerobjectid: USERS.salesEmea.oid };

  it("the application user reads as the user CallerObjectId names, and is refused what that user cannot read", async () => {
    expect((await started.app.get(`accounts(${ACCOUNTS.litware})?$select=name`)).status).toBe(200);
    denied(await started.app.get(`accounts(${ACCOUNTS.litware})?$select=name`, EMMA));
    expect((await started.app.get(`accounts(${ACCOUNTS.tailspin})?$select=name`, EMMA)).status).toBe(200);
    const who = (await started.app.get("WhoAmI", EMMA)).body as { UserId: string; BusinessUnitId: string };
    expect(who).toMatchObject({ UserId: USERS.salesEmea.id, BusinessUnitId: BUSINESS_UNITS.salesEmea.id });
    expect((await started.app.get(`accounts(${ACCOUNTS.litware})?$select=name`, { mscrmcallerid: USERS.salesEmea.id })).status).toBe(403);
    expect((await started.app.get(`accounts(${ACCOUNTS.litware})?$select=name`, { mscrmcallerid: USERS.salesNorthAmerica.id })).status).toBe(200);
  });

  it("needs prvActOnBehalfOfAnotherUser: without the Delegate role the application user may not act for anyone", async () => {
    dataverseOf(started.mock.context).roles.assign(USERS.integration.id, ["integration"]);
    const response = await started.app.get(`accounts(${ACCOUNTS.tailspin})?$select=name`, EMMA);
    expect(response.status).toBe(403);
    expect((response.body as { error: { code: string; message: string } }).error).toMatchObject({ code: "0x80040220", message: expect.stringContaining("prvActOnBehalfOfAnotherUser") });
    expect((await started.app.get(`accounts(${ACCOUNTS.tailspin})?$select=name`)).status).toBe(200);
  });

  it("a user without the privilege cannot act for another user, and nobody acts for an unknown or disabled user", async () => {
    const riley = await as(USERS.salesNorthAmerica);
    expect((await riley.get(`accounts(${ACCOUNTS.tailspin})?$select=name`, EMMA)).status).toBe(403);
    expect((await started.app.get(`accounts(${ACCOUNTS.tailspin})?$select=name`, { callerobjectid: "00000000-0000-4000-8000-000000000000" })).status).toBe(403);
    const store = dataverseOf(started.mock.context).store;
    const row = store.get(outOfBox.systemUser.logicalName, USERS.salesEmea.id)!;
    store.put(outOfBox.systemUser.logicalName, USERS.salesEmea.id, { ...row, isdisabled: true });
    expect((await started.app.get(`accounts(${ACCOUNTS.tailspin})?$select=name`, EMMA)).status).toBe(403);
  });
});
