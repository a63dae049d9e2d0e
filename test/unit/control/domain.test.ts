import { storedRights, isStale } from "../../../PhotoShelterAssetPicker/domain/rights";
import { EMPTY_SELECTION, extendTo, moveFocus, selectAll, toggle } from "../../../PhotoShelterAssetPicker/domain/selection";
import { EMPTY_QUERY, queryKey, searchParams } from "../../../PhotoShelterAssetPicker/domain/searchQuery";
import { effectiveProfile, linkTypeOf } from "../../../PhotoShelterAssetPicker/domain/profiles";
import { calendarDate } from "../../../PhotoShelterAssetPicker/domain/dates";
import { TODAY, makeAsset } from "./support/fakes";

describe("rights as stored on a row", () => {
  it("recomputes days from the stored expiry date and notices an expiry that passed since the last sync", () => {
    expect(storedRights("expiring", "2026-12-08", TODAY)).toEqual({ status: "expiring14", daysToExpiry: 10 });
    expect(storedRights("expiring", "2026-11-20", TODAY)).toEqual({ status: "expired", daysToExpiry: -8 });
    expect(storedRights("approved", null, TODAY)).toEqual({ status: "approved", daysToExpiry: null });
    expect(storedRights("expired", null, TODAY).status).toBe("expired");
    expect(storedRights("retired", "2030-01-01", TODAY).status).toBe("retired");
    expect(storedRights(null, null, TODAY).status).toBe("unknown");
  });

  it("is stale when live rights, expiry or version differ from the row", () => {
    const asset = makeAsset(1, { expiresInDays: 60, version: "2" });
    const row = { storedRights: "approved" as const, expiresOn: asset.expiresOn, version: "2" };
    expect(isStale(row, asset)).toBe(false);
    expect(isStale({ ...row, version: "1" }, asset)).toBe(true);
    expect(isStale({ ...row, expiresOn: null }, asset)).toBe(true);
    expect(isStale({ ...row, storedRights: "expiring" }, asset)).toBe(true);
  });
});

describe("multi-select", () => {
  const ids = ["a", "b", "c", "d", "e"];
  it("toggles, extends from the anchor in both directions, selects all", () => {
    let selection = toggle(EMPTY_SELECTION, 1, "b");
    selection = extendTo(selection, 3, (i) => ids[i]);
    expect([...selection.ids].sort()).toEqual(["b", "c", "d"]);
    selection = toggle(selection, 4, "e");
    selection = extendTo(selection, 0, (i) => (i === 2 ? undefined : ids[i]));
    expect([...selection.ids].sort()).toEqual(["a", "b", "c", "d", "e"]);
    expect([...toggle(selection, 0, "a").ids]).not.toContain("a");
    expect(extendTo(EMPTY_SELECTION, 2, (i) => ids[i]).ids).toEqual(new Set(["c"]));
    expect(selectAll(ids).ids.size).toBe(5);
  });

  it("moves focus through a grid and stops at the edges", () => {
    expect(moveFocus("ArrowRight", 0, 10, 4)).toBe(1);
    expect(moveFocus("ArrowDown", 1, 10, 4)).toBe(5);
    expect(moveFocus("ArrowDown", 8, 10, 4)).toBe(9);
    expect(moveFocus("ArrowUp", 2, 10, 4)).toBe(0);
    expect(moveFocus("ArrowLeft", 0, 10, 4)).toBe(0);
    expect(moveFocus("End", 0, 10, 4)).toBe(9);
    expect(moveFocus("Home", 7, 10, 4)).toBe(0);
    expect(moveFocus("a", 0, 10, 4)).toBeNull();
    expect(moveFocus("ArrowRight", 0, 0, 4)).toBeNull();
  });
});

describe("search query", () => {
  it("sends only the filters that are set, and keys equal queries equally", () => {
    expect(searchParams(EMPTY_QUERY)).toEqual({ sort: "relevance", includeRestricted: "false" });
    expect(searchParams({ ...EMPTY_QUERY, rights: "expiring14", orientation: "square", from: "2026-01-01", to: "2026-02-01", includeRestricted: true })).toEqual({
      sort: "relevance",
      includeRestricted: "true",
      rights: "expiring14",
      orientation: "square",
      from: "2026-01-01",
      to: "2026-02-01",
    });
    expect(queryKey({ ...EMPTY_QUERY, text: "logo " })).toBe(queryKey({ ...EMPTY_QUERY, text: "logo" }));
    expect(queryKey({ ...EMPTY_QUERY, text: "logo" })).not.toBe(queryKey(EMPTY_QUERY));
  });
});

describe("profiles", () => {
  it("picks the link type from the maker's profile or the record's table", () => {
    expect(linkTypeOf(effectiveProfile("auto", "incident"))).toBe("evidence");
    expect(linkTypeOf(effectiveProfile("auto", "msevtmgt_event"))).toBe("event");
    expect(linkTypeOf(effectiveProfile("auto", "campaign"))).toBe("campaign");
    expect(linkTypeOf(effectiveProfile(null, "opportunity"))).toBe("brand");
    expect(linkTypeOf(effectiveProfile("case", "account"))).toBe("evidence");
  });
});

describe("calendar dates", () => {
  it("keeps the calendar day whatever the time zone", () => {
    expect(calendarDate("2026-12-08")?.getDate()).toBe(8);
    expect(calendarDate("2026-12-08T23:30:00Z")?.getDate()).toBe(8);
    expect(calendarDate("not a date")).toBeNull();
    expect(calendarDate(null)).toBeNull();
  });
});
