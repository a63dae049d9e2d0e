/** The pure rules and the Dataverse seam behind the forms' own jobs: upload checks and progress, where-used. */
import { webApiAssetLinkStore } from "../../../PhotoShelterAssetPicker/services/assetLinkStore";
import { newUploads, rejectionOf, sizeText, summarize, typeOf } from "../../../PhotoShelterAssetPicker/domain/uploads";
import { usedOnFrom, whereUsedOptions } from "../../../PhotoShelterAssetPicker/domain/whereUsed";
import { createContext } from "../../support/pcfContext";
import { makeAsset } from "./support/fakes";

const limits = { maxBytes: 100, allowedTypes: ["image/jpeg", "application/pdf"] };
const blob = (bytes: number, type = "") => new Blob([new Uint8Array(bytes)], { type });

describe("upload rules", () => {
  it("checks type (from the browser or the extension) and size before sending", () => {
    expect(typeOf(blob(1), "scan.PDF")).toBe("application/pdf");
    expect(rejectionOf(blob(50, "image/jpeg"), "a.jpg", limits)).toBeNull();
    expect(rejectionOf(blob(50), "a.jpeg", limits)).toBeNull();
    expect(rejectionOf(blob(101, "image/jpeg"), "a.jpg", limits)).toBe("size");
    expect(rejectionOf(blob(10, "image/png"), "a.png", limits)).toBe("type");
    expect(rejectionOf(blob(0, "image/jpeg"), "a.jpg", limits)).toBe("empty");
  });

  it("gives every file its own key and counts progress over the files that are sent", () => {
    const items = newUploads([{ file: blob(40, "image/jpeg"), fileName: "a.jpg" }, { file: blob(60, "image/jpeg"), fileName: "b.jpg" }, { file: blob(500, "image/jpeg"), fileName: "c.jpg" }], limits);
    expect(new Set(items.map((item) => item.key)).size).toBe(3);
    expect(items.map((item) => item.status)).toEqual(["queued", "queued", "rejected"]);
    items[0] = { ...items[0], status: "done", asset: makeAsset(1) };
    items[1] = { ...items[1], status: "uploading", loaded: 30 };
    expect(summarize(items)).toEqual({ total: 2, done: 1, failed: 0, rejected: 1, active: 1, fraction: 0.7 });
  });

  it("says sizes in the largest fitting unit", () => {
    const number = (value: number, digits: number) => value.toFixed(digits);
    expect(sizeText(50 * 1024 * 1024, number)).toEqual({ value: "50", unit: "MB" });
    expect(sizeText(1.5 * 1024 * 1024, number)).toEqual({ value: "1.5", unit: "MB" });
    expect(sizeText(1024 * 1024, number)).toEqual({ value: "1", unit: "MB" });
    expect(sizeText(2048, number)).toEqual({ value: "2", unit: "KB" });
    expect(sizeText(12, number)).toEqual({ value: "12", unit: "B" });
  });
});

describe("where used", () => {
  const host = { entityName: "account", id: "a0000000-0000-4000-8000-000000000004" };

  it("asks for the links of one asset with each lookup expanded to its record's name", () => {
    const options = whereUsedOptions("I0000000000000'1", true);
    expect(options).toContain(`$filter=${encodeURIComponent("psh_mediaid eq 'I0000000000000''1'")}`);
    expect(options).toContain("psh_AccountId($select=accountid,name)");
    expect(options).toContain("psh_IncidentId($select=incidentid,title)");
    expect(options).toContain("psh_EventId($select=msevtmgt_eventid,msevtmgt_name)");
    expect(whereUsedOptions("I0000000000000001", false)).not.toContain("psh_EventId");
    // A table the user may not read at all is not expanded: Dataverse would refuse the whole query.
    expect(whereUsedOptions("I0000000000000001", true, (table) => table !== "incident")).not.toContain("psh_IncidentId");
  });

  it("keeps the records the user can read, once each, without the host record", () => {
    const rows = [
      { psh_regardingkey: `account:${host.id}`, psh_AccountId: { accountid: host.id, name: "Litware Health" } },
      { psh_regardingkey: "account:a0000000-0000-4000-8000-000000000005", psh_AccountId: null },
      { psh_regardingkey: "opportunity:0a000000-0000-4000-8000-000000000004", psh_OpportunityId: { opportunityid: "0A000000-0000-4000-8000-000000000004", name: "Aquila imaging suite" } },
      { psh_regardingkey: "campaign:c1", psh_CampaignId: { campaignid: "ca000000-0000-4000-8000-000000000001", name: "Spring Launch" } },
    ];
    expect(usedOnFrom(rows, host)).toEqual([
      { entityName: "campaign", id: "ca000000-0000-4000-8000-000000000001", name: "Spring Launch" },
      { entityName: "opportunity", id: "0a000000-0000-4000-8000-000000000004", name: "Aquila imaging suite" },
    ]);
  });

  it("is one query, and asks once more without the Event lookup where Event Management is missing", async () => {
    const context = createContext();
    context.webAPI.retrieveMultipleRecords.mockRejectedValueOnce({ errorCode: 0x80060888, message: "Could not find a property named 'psh_EventId'" }).mockResolvedValue({ entities: [] });
    const store = webApiAssetLinkStore(context.webAPI, context.utils);
    await expect(store.whereUsed("I0000000000000001", null)).resolves.toEqual([]);
    await store.whereUsed("I0000000000000002", null);
    const calls = context.webAPI.retrieveMultipleRecords.mock.calls.map(([, options]) => String(options).includes("psh_EventId"));
    expect(calls).toEqual([true, false, false]);
  });
});
