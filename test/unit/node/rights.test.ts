import { isUsable, rightsStatus, toStoredRightsStatus } from "../../../contract/rights";

const today = new Date("2026-11-28T15:30:00Z");

describe("rightsStatus", () => {
  it("puts approval before dates: retired, then rejected/pending as restricted", () => {
    expect(rightsStatus({ approvalStatus: "retired", expiresOn: "2027-01-01" }, today)).toEqual({ status: "retired", daysToExpiry: 34 });
    expect(rightsStatus({ approvalStatus: "rejected", expiresOn: "2020-01-01" }, today).status).toBe("restricted");
    expect(rightsStatus({ approvalStatus: "pending", expiresOn: null }, today)).toEqual({ status: "restricted", daysToExpiry: null });
  });

  it("counts whole calendar days and keeps the expiry day usable", () => {
    expect(rightsStatus({ approvalStatus: "approved", expiresOn: "2026-11-27" }, today)).toEqual({ status: "expired", daysToExpiry: -1 });
    expect(rightsStatus({ approvalStatus: "approved", expiresOn: "2026-11-28" }, today)).toEqual({ status: "expiring14", daysToExpiry: 0 });
    expect(rightsStatus({ approvalStatus: "approved", expiresOn: "2026-12-12" }, today)).toEqual({ status: "expiring14", daysToExpiry: 14 });
    expect(rightsStatus({ approvalStatus: "approved", expiresOn: "2026-12-13" }, today)).toEqual({ status: "expiring30", daysToExpiry: 15 });
    expect(rightsStatus({ approvalStatus: "approved", expiresOn: "2026-12-28" }, today)).toEqual({ status: "expiring30", daysToExpiry: 30 });
    expect(rightsStatus({ approvalStatus: "approved", expiresOn: "2026-12-29" }, today)).toEqual({ status: "approved", daysToExpiry: 31 });
  });

  it("uses only the date of a full timestamp", () => {
    expect(rightsStatus({ approvalStatus: null, expiresOn: "2026-11-28T00:00:00Z" }, today).daysToExpiry).toBe(0);
  });

  it("treats an asset without approval tracking but with known rights as approved, and nothing known as unknown", () => {
    expect(rightsStatus({ approvalStatus: null, expiresOn: null, usageRights: "Internal use" }, today).status).toBe("approved");
    expect(rightsStatus({ approvalStatus: undefined, expiresOn: "2027-06-01" }, today).status).toBe("approved");
    expect(rightsStatus({ approvalStatus: null, expiresOn: null, usageRights: "  " }, today)).toEqual({ status: "unknown", daysToExpiry: null });
  });

  it("ignores an expiry that is not a real date", () => {
    expect(rightsStatus({ approvalStatus: "approved", expiresOn: "2026-02-31" }, today)).toEqual({ status: "approved", daysToExpiry: null });
    expect(rightsStatus({ approvalStatus: null, expiresOn: "soon" }, today).status).toBe("unknown");
  });
});

describe("toStoredRightsStatus and isUsable", () => {
  it("collapses both expiring levels to the stored choice 'expiring'", () => {
    expect(toStoredRightsStatus("expiring14")).toBe("expiring");
    expect(toStoredRightsStatus("expiring30")).toBe("expiring");
    expect(toStoredRightsStatus("retired")).toBe("retired");
  });

  it("hides expired, restricted and retired by default", () => {
    expect(["approved", "expiring30", "expiring14", "unknown"].every((s) => isUsable(s as never))).toBe(true);
    expect(["expired", "restricted", "retired"].some((s) => isUsable(s as never))).toBe(false);
  });
});
