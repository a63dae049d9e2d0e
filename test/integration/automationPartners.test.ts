/**
 * S6 partner galleries end to end, on SQLite and on PostgreSQL: entitlements and partner accounts
 * written to the mock Dataverse fire its webhook; the proxy grants and revokes gallery access in the
 * mock PhotoShelter and records each in psh_partnergrant; the nightly reconcile fixes drift both ways.
 *   - the first reconcile grants what the demo's active entitlements give (contacts, expiring at the
 *     end of the entitlement's end date);
 *   - a new entitlement grants (through PhotoShelter 429s, once), an ended one revokes, a deleted one
 *     revokes; an account that becomes a partner gets its entitled galleries;
 *   - a grant removed in PhotoShelter by hand is restored and one that should not exist is removed,
 *     and the reconcile says what it changed; a contact group replaces the per-contact grants.
 */
import { dataverseOf } from "../../mock-server/dataverse";
import { ACCOUNTS, ENTITLEMENTS } from "../../mock-server/dataverse/demoData";
import type { Permission } from "../../mock-server/photoshelter/library";
import { choices, outOfBox, partnerGrant, regardingKey } from "../../solution/model";
import { Databases, ENGINES, startAutomationStack, type AutomationStack } from "../support/automationStack";

jest.setTimeout(300_000);

const databases = new Databases();
afterAll(() => databases.close());

const P = partnerGrant.columns;
const E = outOfBox.entitlement.columns;
const A = outOfBox.account.columns;
const GRANT = choices.grantStatus.options;
const NORTHWIND_KIT = "G000000000000501";
const RESELLER_KIT = "G000000000000502";
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe.each(ENGINES)("partner galleries on %s", (engine) => {
  let stack: AutomationStack;
  beforeAll(async () => {
    stack = await startAutomationStack(engine, databases, { media: 100 });
  });
  afterAll(() => stack?.close());

  const dv = () => stack.proxy.services.dataverse;
  const gallery = (id: string) => stack.photoShelter.library.get(id)!;
  const permissionsOf = (galleryId: string, who: string): Permission[] => gallery(galleryId).permissions.filter((p) => p.email === who || p.groupId === who);
  const grantRow = (accountId: string, galleryId: string) =>
    dataverseOf(stack.mock.context).store.rows(partnerGrant.logicalName).filter((row) => row[P.regardingKey.logicalName] === regardingKey("account", accountId) && row[P.galleryId.logicalName] === galleryId);

  it("grants what the active entitlements give on the first reconcile, expiring with the entitlement, and reports it", async () => {
    const job = await stack.runJob("partner-reconcile");
    expect(job.lastResult).toMatchObject({ granted: 2, revoked: 0, failed: 0 });
    expect(job.lastResult!.changes).toEqual(expect.arrayContaining([expect.stringMatching(/^granted G000000000000501 to nancy\.davolio@northwind\.example of Northwind Traders until \d{4}-\d{2}-\d{2}$/)]));
    const [nancy] = permissionsOf(NORTHWIND_KIT, "nancy.davolio@northwind.example");
    const entitlement = dataverseOf(stack.mock.context).store.get(outOfBox.entitlement.logicalName, ENTITLEMENTS.northwindActive)!;
    expect(nancy).toMatchObject({ type: "contact", expires: `${entitlement[E.endDate.logicalName]}T23:59:59.000Z` });
    expect(permissionsOf(RESELLER_KIT, "andrew.fuller@fabrikam.example")).toHaveLength(1);
    // The ended Adventure Works entitlement grants nothing.
    expect(permissionsOf(RESELLER_KIT, "janet.leverling@adventure-works.example")).toHaveLength(0);
    // A second reconcile finds nothing to change.
    expect((await stack.runJob("partner-reconcile")).lastResult).toMatchObject({ granted: 0, revoked: 0, changes: [] });
  });

  let renewal: string;

  it("grants the galleries of a new entitlement once, through PhotoShelter 429s, and records the grant", async () => {
    const throttled = stack.admin.faults.add({ kind: "rateLimit", method: "POST", pathPattern: "^/psapi/v4\\.0/galleries/[^/]+/permissions$", retryAfterSeconds: 1, times: 2 });
    renewal = await dv().create(outOfBox.entitlement, {
      [E.name.logicalName]: `Adventure Works Partner Content Access ${engine}`,
      "customerid_account@odata.bind": `/accounts(${ACCOUNTS.adventureWorks})`,
      [E.startDate.logicalName]: day(-1),
      [E.endDate.logicalName]: day(60),
      [E.galleryIds.logicalName]: RESELLER_KIT,
    });
    await stack.settle();
    expect(throttled.hits).toBe(2);
    expect(permissionsOf(RESELLER_KIT, "janet.leverling@adventure-works.example")).toMatchObject([{ type: "contact", expires: `${day(60)}T23:59:59.000Z` }]);
    const [row, ...others] = grantRow(ACCOUNTS.adventureWorks, RESELLER_KIT);
    expect(others).toHaveLength(0);
    expect(row).toMatchObject({ [P.status.logicalName]: GRANT.granted.value, [P.revokedOn.logicalName]: null, [P.lastError.logicalName]: null, [P.entitlementId.logicalName]: { id: renewal, table: "entitlement" } });
  });

  it("revokes when an entitlement ends and when it is deleted, and records the revoke", async () => {
    await dv().update(outOfBox.entitlement, ENTITLEMENTS.fabrikamExpiring, { [E.stateCode.logicalName]: outOfBox.entitlementState.options.expired.value });
    await stack.settle();
    expect(permissionsOf(RESELLER_KIT, "andrew.fuller@fabrikam.example")).toHaveLength(0);
    expect(grantRow(ACCOUNTS.fabrikam, RESELLER_KIT)[0]).toMatchObject({ [P.status.logicalName]: GRANT.revoked.value });
    expect(grantRow(ACCOUNTS.fabrikam, RESELLER_KIT)[0][P.revokedOn.logicalName]).not.toBeNull();

    await dv().delete(outOfBox.entitlement, renewal);
    await stack.settle();
    expect(permissionsOf(RESELLER_KIT, "janet.leverling@adventure-works.example")).toHaveLength(0);
    expect(grantRow(ACCOUNTS.adventureWorks, RESELLER_KIT)[0]).toMatchObject({ [P.status.logicalName]: GRANT.revoked.value });
  });

  it("restores a grant removed in PhotoShelter by hand and removes one that should not exist, saying what it changed", async () => {
    gallery(NORTHWIND_KIT).permissions = gallery(NORTHWIND_KIT).permissions.filter((p) => p.email !== "nancy.davolio@northwind.example");
    stack.photoShelter.library.addPermission(gallery(RESELLER_KIT), { type: "contact", email: "janet.leverling@adventure-works.example", expires: null, contactId: null, groupId: null, token: null, password: null, accessLevel: null, maxDownloads: null, downloadImageFiletype: "original", downloadImageSize: null });
    // Someone else's access to the same gallery is not the automation's to judge.
    stack.photoShelter.library.addPermission(gallery(RESELLER_KIT), { type: "contact", email: "agency@example.com", expires: null, contactId: null, groupId: null, token: null, password: null, accessLevel: null, maxDownloads: null, downloadImageFiletype: "original", downloadImageSize: null });
    const job = await stack.runJob("partner-reconcile");
    expect(job.lastResult).toMatchObject({ granted: 1, revoked: 1, failed: 0 });
    expect(job.lastResult!.changes).toEqual(
      expect.arrayContaining([expect.stringMatching(/^granted G000000000000501 to nancy\.davolio@northwind\.example of Northwind Traders/), "revoked G000000000000502 from janet.leverling@adventure-works.example of Adventure Works Cycles"]),
    );
    expect(permissionsOf(NORTHWIND_KIT, "nancy.davolio@northwind.example")).toHaveLength(1);
    expect(permissionsOf(RESELLER_KIT, "janet.leverling@adventure-works.example")).toHaveLength(0);
    expect(permissionsOf(RESELLER_KIT, "agency@example.com")).toHaveLength(1);
  });

  it("grants an account's entitled galleries when it becomes a partner, and to its contact group once it has one", async () => {
    // Litware (a customer) gets an entitlement first: nothing is granted to a customer.
    await dv().create(outOfBox.entitlement, {
      [E.name.logicalName]: `Litware Content Access ${engine}`,
      "customerid_account@odata.bind": `/accounts(${ACCOUNTS.litware})`,
      [E.startDate.logicalName]: day(-10),
      [E.endDate.logicalName]: day(100),
      [E.galleryIds.logicalName]: NORTHWIND_KIT,
    });
    await stack.settle();
    expect(permissionsOf(NORTHWIND_KIT, "margaret.peacock@litware.example")).toHaveLength(0);
    await dv().update(outOfBox.account, ACCOUNTS.litware, { [A.customerTypeCode.logicalName]: outOfBox.customerTypeCode.options.partner.value });
    await stack.settle();
    expect(permissionsOf(NORTHWIND_KIT, "margaret.peacock@litware.example")).toMatchObject([{ type: "contact", expires: `${day(100)}T23:59:59.000Z` }]);
    expect(grantRow(ACCOUNTS.litware, NORTHWIND_KIT)[0]).toMatchObject({ [P.status.logicalName]: GRANT.granted.value });

    const group = "CTG0000Litware01";
    await dv().update(outOfBox.account, ACCOUNTS.litware, { [A.partnerGroupId.logicalName]: group });
    await stack.settle();
    expect(permissionsOf(NORTHWIND_KIT, group)).toMatchObject([{ type: "group", groupId: group }]);
    expect(permissionsOf(NORTHWIND_KIT, "margaret.peacock@litware.example")).toHaveLength(0);
    expect((await stack.proxy.backbone.store.inbox.counts()).parked).toBe(0);
  });
});
