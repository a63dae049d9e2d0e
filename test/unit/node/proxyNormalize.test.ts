import { assetFields, customValues, included, isoOf } from "../../../proxy/src/photoshelter/normalize";

const today = new Date("2026-11-28T12:00:00Z");

const resource = {
  id: "I000000000000042",
  type: "image",
  attributes: { file_name: "hero.png", width: 1200, height: 1600, created_at: "2024-05-06 07:08:09 GMT", model_released: true, property_released: "f" },
  includes: {
    iptc: { data: { id: "I000000000000042", type: "iptc", attributes: { caption: "Hero shot", credit: "Ana Ruiz", copyright: "© Contoso", keywords: "hero, studio ,product", rights: "Web only" } } },
    custom_metadata: {
      data: {
        id: "I000000000000042",
        type: "customMetadata",
        attributes: {
          custom_metadata: [
            { name: "Approval Status", value: "Approved" },
            { name: "License Expiration Date", value: "2026-12-10" },
            { name: "Asset Version", value: "2.1" },
            { name: "Product Line", value: "Aquila" },
            { name: "Tier", value: null },
          ],
        },
      },
    },
  },
};

describe("normalize", () => {
  it("maps a media item with its IPTC and custom metadata to the contract's asset", () => {
    const fields = assetFields({ media: resource, iptc: included(resource, "iptc"), custom: included(resource, "custom_metadata") }, today);
    expect(fields).toEqual({
      id: "I000000000000042",
      mediaType: "image",
      fileName: "hero.png",
      width: 1200,
      height: 1600,
      orientation: "portrait",
      caption: "Hero shot",
      credit: "Ana Ruiz",
      copyright: "© Contoso",
      keywords: ["hero", "studio", "product"],
      usageRights: "Web only",
      releases: { model: true, property: false },
      approvalStatus: "approved",
      expiresOn: "2026-12-10",
      version: "2.1",
      productLine: "Aquila",
      region: null,
      industry: null,
      tier: null,
      rights: { status: "expiring14", daysToExpiry: 12 },
      createdOn: "2024-05-06T07:08:09.000Z",
    });
  });

  it("falls back to the id's type prefix and leaves unknown values null", () => {
    const fields = assetFields({ media: { id: "VD00000000000007", type: "media", attributes: {} }, iptc: null, custom: null }, today);
    expect(fields).toMatchObject({ mediaType: "video", fileName: "VD00000000000007", width: null, orientation: null, keywords: [], approvalStatus: null, rights: { status: "unknown", daysToExpiry: null } });
  });

  it("reads custom metadata as a list or an object, and PhotoShelter's date formats", () => {
    expect([...customValues({ custom_metadata: [{ field_name: "Region", values: ["EMEA"] }] })]).toEqual([["region", "EMEA"]]);
    expect([...customValues({ fields: { Tier: "SMB" } })]).toEqual([["tier", "SMB"]]);
    expect(isoOf("2019-10-02 14:39:23 GMT")).toBe("2019-10-02T14:39:23.000Z");
    expect(isoOf("2019-04-25T14:54:12.136828")).toMatch(/^2019-04-25T/);
    expect(isoOf(1700000000)).toBe("2023-11-14T22:13:20.000Z");
    expect(isoOf("yesterday")).toBeNull();
  });
});
