import { assetLink } from "../../../solution/model/assetLink";
import { linkType, rightsStatus } from "../../../solution/model/choices";
import { webApiAssetLinkStore, isDuplicateKeyError } from "../../../PhotoShelterAssetPicker/services/assetLinkStore";
import { proxyBaseUrlResolver } from "../../../PhotoShelterAssetPicker/services/proxyBaseUrl";
import { linkedAssetsFrom, lookupTo } from "../../../PhotoShelterAssetPicker/domain/assetLinks";
import { DEFAULT_HOST, createContext, createDataset } from "../../support/pcfContext";
import { linkRow, makeAsset } from "./support/fakes";

const columns = assetLink.columns;
const record = { entityName: "account", id: DEFAULT_HOST.entityId, name: null };

describe("webApiAssetLinkStore", () => {
  it("creates a link row bound to the host record through the entity set from metadata, with the asset's rights copied", async () => {
    const context = createContext();
    context.webAPI.createRecord.mockResolvedValue({ id: "new", entityType: "psh_assetlink" });
    const asset = makeAsset(1, { expiresInDays: 20, version: "4", caption: "Blue logo" });
    const store = webApiAssetLinkStore(context.webAPI, context.utils);
    await expect(store.createLink(record, asset, "brand")).resolves.toBe("created");
    expect(context.utils.getEntityMetadata).toHaveBeenCalledWith("account", []);
    const [table, body] = context.webAPI.createRecord.mock.calls[0];
    expect(table).toBe(assetLink.logicalName);
    expect(body).toMatchObject({
      [`${columns.accountId.targets[0].navigationProperty}@odata.bind`]: `/accounts(${DEFAULT_HOST.entityId})`,
      [columns.mediaId.logicalName]: asset.id,
      [columns.name.logicalName]: "Blue logo",
      [columns.linkType.logicalName]: linkType.options.brand.value,
      [columns.rightsStatus.logicalName]: rightsStatus.options.expiring.value,
      [columns.expiresOn.logicalName]: asset.expiresOn,
      [columns.version.logicalName]: "4",
      [columns.usageRights.logicalName]: asset.usageRights,
      [columns.regardingKey.logicalName]: `account:${DEFAULT_HOST.entityId}`,
      [columns.thumbnailUrl.logicalName]: `/v1/media/${asset.id}/thumb`,
    });
  });

  it("binds an event through the Event Management lookup and reads each entity set once", async () => {
    const context = createContext();
    const store = webApiAssetLinkStore(context.webAPI, context.utils);
    const event = { entityName: "msevtmgt_event", id: "11111111-2222-4333-8444-555555555555", name: null };
    await store.createLink(event, makeAsset(1), "event");
    await store.createLink(event, makeAsset(2), "event");
    expect(context.webAPI.createRecord.mock.calls[1][1]).toMatchObject({ "psh_EventId@odata.bind": `/msevtmgt_events(${event.id})` });
    expect(context.utils.getEntityMetadata).toHaveBeenCalledTimes(1);
  });

  it("treats Dataverse's duplicate-key error as already linked, and other errors as failures", async () => {
    const context = createContext();
    const store = webApiAssetLinkStore(context.webAPI, context.utils);
    context.webAPI.createRecord.mockRejectedValueOnce({ errorCode: -2147220937, message: "A record with matching key values already exists." });
    await expect(store.createLink(record, makeAsset(1), "brand")).resolves.toBe("alreadyLinked");
    context.webAPI.createRecord.mockRejectedValueOnce(new Error("Principal user is missing prvCreatepsh_assetlink"));
    await expect(store.createLink(record, makeAsset(1), "brand")).rejects.toThrow("prvCreate");
    expect(isDuplicateKeyError({ code: "0x80040237" })).toBe(true);
    expect(isDuplicateKeyError(null)).toBe(false);
  });

  it("finds the assets already linked to the record with $select and an escaped $filter", async () => {
    const context = createContext();
    context.webAPI.retrieveMultipleRecords.mockResolvedValue({ entities: [{ [columns.mediaId.logicalName]: makeAsset(2).id }], nextLink: undefined });
    const store = webApiAssetLinkStore(context.webAPI, context.utils);
    const found = await store.findLinkedMediaIds(record, [makeAsset(1).id, makeAsset(2).id, "I0000x'); drop"]);
    expect([...found]).toEqual([makeAsset(2).id]);
    const [table, options] = context.webAPI.retrieveMultipleRecords.mock.calls[0] as [string, string];
    expect(table).toBe("psh_assetlink");
    const query = new URLSearchParams(options.slice(1));
    expect(query.get("$select")).toBe(columns.mediaId.logicalName);
    expect(query.get("$filter")).toBe(
      `psh_regardingkey eq 'account:${DEFAULT_HOST.entityId}' and (psh_mediaid eq '${makeAsset(1).id}' or psh_mediaid eq '${makeAsset(2).id}' or psh_mediaid eq 'I0000x''); drop')`,
    );
  });

  it("refuses tables no lookup points at, and unsaved records", async () => {
    const context = createContext();
    const store = webApiAssetLinkStore(context.webAPI, context.utils);
    await expect(store.createLink({ entityName: "lead", id: "x", name: null }, makeAsset(1), "brand")).rejects.toThrow("cannot be linked to lead");
    await expect(store.createLink({ entityName: "account", id: null, name: null }, makeAsset(1), "brand")).rejects.toThrow("Save the record");
    expect(lookupTo("incident")?.logicalName).toBe(columns.incidentId.logicalName);
  });

  it("deletes a link by its id", async () => {
    const context = createContext();
    await webApiAssetLinkStore(context.webAPI, context.utils).deleteLink("link-1");
    expect(context.webAPI.deleteRecord).toHaveBeenCalledWith("psh_assetlink", "link-1");
  });
});

describe("reading the sub-grid rows", () => {
  it("maps dataset rows by the model's column names, choice values to names", () => {
    const asset = makeAsset(5, { mediaType: "video", expiresInDays: -1, version: "2" });
    const [link] = linkedAssetsFrom(createDataset([linkRow(asset)]));
    expect(link).toEqual({
      linkId: `link-${asset.id}`,
      mediaId: asset.id,
      name: "Caption 5",
      fileName: "asset-5.mp4",
      mediaType: "video",
      storedRights: "expired",
      expiresOn: asset.expiresOn,
      expiresOnText: asset.expiresOn,
      version: "2",
      linkedBy: "Avery Rep",
      linkedOnText: "11/20/2026",
    });
  });
});

describe("proxy base URL", () => {
  it("uses the control property when set", async () => {
    const context = createContext();
    await expect(proxyBaseUrlResolver(() => " http://proxy.test ", context.webAPI)()).resolves.toBe("http://proxy.test");
    expect(context.webAPI.retrieveMultipleRecords).not.toHaveBeenCalled();
  });

  it("falls back to the environment variable psh_ProxyBaseUrl (current value over default), read once", async () => {
    const context = createContext();
    context.webAPI.retrieveMultipleRecords.mockResolvedValue({
      entities: [{ schemaname: "psh_ProxyBaseUrl", defaultvalue: "http://default.test", environmentvariabledefinition_environmentvariablevalue: [{ value: "https://proxy.contoso.com" }] }],
    });
    const resolve = proxyBaseUrlResolver(() => null, context.webAPI);
    await expect(resolve()).resolves.toBe("https://proxy.contoso.com");
    await expect(resolve()).resolves.toBe("https://proxy.contoso.com");
    expect(context.webAPI.retrieveMultipleRecords).toHaveBeenCalledTimes(1);
    expect(context.webAPI.retrieveMultipleRecords.mock.calls[0][0]).toBe("environmentvariabledefinition");
  });

  it("says the proxy is not configured when neither is set, and asks again next time", async () => {
    const context = createContext();
    context.webAPI.retrieveMultipleRecords.mockResolvedValueOnce({ entities: [] }).mockResolvedValueOnce({ entities: [{ defaultvalue: "http://default.test" }] });
    const resolve = proxyBaseUrlResolver(() => "", context.webAPI);
    await expect(resolve()).rejects.toThrow("No proxy URL");
    await expect(resolve()).resolves.toBe("http://default.test");
  });
});
