/**
 * Record-level access by depth in the mock Dataverse (RecordAccess), on the demo org: user depth
 * reaches the caller's own rows, business unit depth the owner's unit, deep depth that unit and the
 * units below it, global depth every row; organization-owned tables ignore depth.
 */
import { accessRule, outOfBox } from "../../../solution/model";
import { seedDemoData, ACCOUNTS } from "../../../mock-server/dataverse/demoData";
import { BUSINESS_UNITS, USERS, type PrivilegeDepth } from "../../../mock-server/dataverse/demoData/users";
import { Metadata } from "../../../mock-server/dataverse/metadata";
import { RecordAccess, type Principal } from "../../../mock-server/dataverse/security";
import { Store } from "../../../mock-server/dataverse/store";

const metadata = new Metadata();
const store = new Store(metadata.tables.keys(), Object.fromEntries([...metadata.tables.values()].map((e) => [e.table.logicalName, e.table.alternateKeys.map((k) => k.columns)])));
seedDemoData(store, metadata, new Date("2026-03-01T00:00:00Z"));
const access = new RecordAccess(store);

/** A principal whose every privilege has one depth. */
const principal = (userId: string, businessUnitId: string, depth: PrivilegeDepth): Principal => ({
  userId,
  businessUnitId,
  depth: () => depth,
  can: () => true,
  holds: () => false,
  privileges: () => [],
  roles: () => [],
  teams: () => [],
});

const readableAccounts = (who: Principal) => {
  const entry = metadata.byLogicalName(outOfBox.account.logicalName)!;
  return store.rows(entry.table.logicalName).filter((row) => access.canRead(who, entry, row)).map((row) => row.accountid as string).sort();
};
const NORTH_AMERICA = [ACCOUNTS.northwind, ACCOUNTS.fabrikam, ACCOUNTS.litware, ACCOUNTS.woodgrove, ACCOUNTS.blueYonder].sort();

describe("RecordAccess", () => {
  it("user depth: the caller's own rows only", () => {
    expect(readableAccounts(principal(USERS.salesNorthAmerica.id, BUSINESS_UNITS.salesNorthAmerica.id, "Basic"))).toEqual(NORTH_AMERICA);
    // Rowan is in the same unit but owns no account.
    expect(readableAccounts(principal(USERS.readOnly.id, BUSINESS_UNITS.salesNorthAmerica.id, "Basic"))).toEqual([]);
  });

  it("business unit depth: rows owned by anyone in the caller's unit", () => {
    expect(readableAccounts(principal(USERS.readOnly.id, BUSINESS_UNITS.salesNorthAmerica.id, "Local"))).toEqual(NORTH_AMERICA);
    expect(readableAccounts(principal(USERS.admin.id, BUSINESS_UNITS.root.id, "Local"))).toEqual([]);
  });

  it("deep depth: the caller's unit and the units below it", () => {
    expect(readableAccounts(principal(USERS.admin.id, BUSINESS_UNITS.root.id, "Deep"))).toEqual(Object.values(ACCOUNTS).sort());
    expect(readableAccounts(principal(USERS.readOnly.id, BUSINESS_UNITS.salesNorthAmerica.id, "Deep"))).toEqual(NORTH_AMERICA);
  });

  it("global depth: every row", () => {
    expect(readableAccounts(principal(USERS.readOnly.id, BUSINESS_UNITS.marketing.id, "Global"))).toEqual(Object.values(ACCOUNTS).sort());
  });

  it("organization-owned rows are read with any depth, and no privilege reads nothing", () => {
    const rules = metadata.byLogicalName(accessRule.logicalName)!;
    const basic = principal(USERS.readOnly.id, BUSINESS_UNITS.salesNorthAmerica.id, "Basic");
    expect(store.rows(accessRule.logicalName).every((row) => access.canRead(basic, rules, row))).toBe(true);
    const none: Principal = { ...basic, depth: () => null, can: () => false };
    expect(store.rows(accessRule.logicalName).some((row) => access.canRead(none, rules, row))).toBe(false);
  });
});
