/**
 * S1 and the Dynamics → PhotoShelter half of S5 end to end, on SQLite and on PostgreSQL: writes to
 * the mock Dataverse fire its webhook and the proxy's runner does the rest.
 *   - an opportunity won links at most AUTO_LINK_MAX approved, unexpired, matching assets to its
 *     account (source automatic), leaving a manual link to one of them as it was;
 *   - an account's segment changing links the new matches and flags the automatic links that no
 *     longer match — none deleted, manual ones untouched;
 *   - an account left with no segment gets no link and no error;
 *   - a product line retired on an account or an opportunity puts the linked assets of that line
 *     "Under review" in PhotoShelter and on the link rows, and no others.
 */
import { dataverseOf } from "../../mock-server/dataverse";
import { ACCOUNTS, OPPORTUNITIES } from "../../mock-server/dataverse/demoData";
import type { Media } from "../../mock-server/photoshelter/library";
import { assetLink, choices, outOfBox, regardingKey } from "../../solution/model";
import { Databases, ENGINES, startAutomationStack, type AutomationStack } from "../support/automationStack";

jest.setTimeout(300_000);

const databases = new Databases();
afterAll(() => databases.close());

const AL = assetLink.columns;
const A = outOfBox.account.columns;
const O = outOfBox.opportunity.columns;
const MAX = 5;
const AUTOMATIC = choices.linkSource.options.automatic.value;
const MANUAL = choices.linkSource.options.manual.value;
const pl = choices.productLine.options;
const SYNCED = choices.syncStatus.options.synced.value;

describe.each(ENGINES)("account automation on %s", (engine) => {
  let stack: AutomationStack;
  beforeAll(async () => {
    stack = await startAutomationStack(engine, databases, { env: { AUTO_LINK_MAX: String(MAX) }, media: 600 });
  });
  afterAll(() => stack?.close());

  const dv = () => stack.proxy.services.dataverse;
  const links = (record: string) => dataverseOf(stack.mock.context).store.rows(assetLink.logicalName).filter((row) => row[AL.regardingKey.logicalName] === record);
  const media = (id: unknown) => stack.photoShelter.library.mediaById(String(id))!;
  const today = new Date().toISOString().slice(0, 10);
  const usable = (m: Media) => m.custom.approvalStatus === "approved" && (m.custom.licenseExpirationDate === null || m.custom.licenseExpirationDate >= today);
  /** A manual link as the control writes it. */
  const linkByHand = (table: "account" | "opportunity", id: string, asset: Media) =>
    dv().create(assetLink, {
      [AL.name.logicalName]: asset.fileName,
      [AL.mediaId.logicalName]: asset.id,
      [AL.linkType.logicalName]: choices.linkType.options.brand.value,
      [AL.rightsStatus.logicalName]: choices.rightsStatus.options.approved.value,
      [AL.source.logicalName]: MANUAL,
      [AL.regardingKey.logicalName]: regardingKey(table, id),
      [`${(table === "account" ? AL.accountId : AL.opportunityId).targets[0].navigationProperty}@odata.bind`]: `/${table === "account" ? "accounts" : "opportunities"}(${id})`,
    });
  const northwind = regardingKey("account", ACCOUNTS.northwind);

  let manualRow: Record<string, unknown>;

  it("links at most AUTO_LINK_MAX matching assets to the account of a won opportunity, and leaves a manual link to one of them alone", async () => {
    // Northwind Traders: Retail, NA, Strategic, Aquila and Borealis. What the control suggests is what the automation links.
    const rep = await stack.token("riley.rep@contoso.example");
    const suggested = (await (await stack.call(`/v1/suggestions?record=account:${ACCOUNTS.northwind}&limit=${MAX}`, { token: rep })).json()) as { items: Array<{ asset: { id: string } }> };
    expect(suggested.items.length).toBeGreaterThan(0);
    const manualId = await linkByHand("account", ACCOUNTS.northwind, media(suggested.items[0].asset.id));
    manualRow = { ...dataverseOf(stack.mock.context).store.get(assetLink.logicalName, manualId)! };
    await stack.settle();

    await dv().update(outOfBox.opportunity, OPPORTUNITIES.northwindRenewal, { [O.stateCode.logicalName]: outOfBox.opportunityState.options.won.value });
    await stack.settle();
    const automatic = links(northwind).filter((row) => row[AL.source.logicalName] === AUTOMATIC);
    expect(automatic.length).toBeGreaterThan(0);
    expect(automatic.length).toBeLessThanOrEqual(MAX);
    for (const row of automatic) {
      const asset = media(row[AL.mediaId.logicalName]);
      expect(usable(asset)).toBe(true);
      // Agrees with Northwind on something, disagrees on nothing.
      const agrees = [asset.custom.industry === "Retail", asset.custom.region === "NA", asset.custom.tier === "Strategic", ["Aquila", "Borealis"].includes(asset.custom.productLine ?? "")];
      expect(agrees.some(Boolean)).toBe(true);
      if (asset.custom.region) expect(asset.custom.region).toBe("NA");
      expect(row).toMatchObject({ [AL.linkType.logicalName]: choices.linkType.options.brand.value, [AL.noLongerMatches.logicalName]: false, [AL.accountId.logicalName]: { id: ACCOUNTS.northwind, table: "account" } });
    }
    // The manual link counts as linked: not changed, not doubled.
    const [won] = (await stack.proxy.backbone.store.inbox.list({ limit: 50 })).filter((event) => event.recordId === OPPORTUNITIES.northwindRenewal);
    expect(won.results["opportunity-won-auto-link"]).toMatchObject({ account: ACCOUNTS.northwind, alreadyLinked: 1, linked: automatic.length });
    expect(dataverseOf(stack.mock.context).store.get(assetLink.logicalName, String(manualRow[AL.id.logicalName]))).toEqual(manualRow);
    expect(links(northwind).filter((row) => row[AL.mediaId.logicalName] === manualRow[AL.mediaId.logicalName])).toHaveLength(1);
  });

  it("links the new matches when the account's segment changes and flags the automatic links that no longer match, deleting none", async () => {
    const before = links(northwind).filter((row) => row[AL.source.logicalName] === AUTOMATIC).map((row) => row[AL.id.logicalName]);
    await dv().update(outOfBox.account, ACCOUNTS.northwind, { [A.region.logicalName]: choices.region.options.emea.value });
    await stack.settle();
    const automatic = links(northwind).filter((row) => row[AL.source.logicalName] === AUTOMATIC);
    expect(automatic.map((row) => row[AL.id.logicalName])).toEqual(expect.arrayContaining(before));
    expect(automatic.length - before.length).toBeLessThanOrEqual(MAX);
    let flagged = 0;
    for (const row of automatic) {
      const asset = media(row[AL.mediaId.logicalName]);
      const disagrees = (asset.custom.region !== null && asset.custom.region !== "EMEA") || (asset.custom.industry !== null && asset.custom.industry !== "Retail") || (asset.custom.tier !== null && asset.custom.tier !== "Strategic") || (asset.custom.productLine !== null && !["Aquila", "Borealis"].includes(asset.custom.productLine));
      if (disagrees || !usable(asset)) expect(row[AL.noLongerMatches.logicalName]).toBe(true);
      if (row[AL.noLongerMatches.logicalName]) flagged += 1;
    }
    // NA assets were linked for the NA account; now in EMEA they no longer match.
    expect(flagged).toBeGreaterThan(0);
    expect(dataverseOf(stack.mock.context).store.get(assetLink.logicalName, String(manualRow[AL.id.logicalName]))).toEqual(manualRow);
  });

  it("gives an account left without a segment no link and no error", async () => {
    const alpine = regardingKey("account", ACCOUNTS.alpine);
    const before = links(alpine).length;
    await dv().update(outOfBox.account, ACCOUNTS.alpine, { [A.region.logicalName]: null, [A.tier.logicalName]: null, [A.industryCode.logicalName]: null });
    await stack.settle();
    expect(links(alpine)).toHaveLength(before);
    const [handled] = (await stack.proxy.backbone.store.inbox.list({ limit: 20 })).filter((event) => event.recordId === ACCOUNTS.alpine);
    expect(handled).toMatchObject({ status: "done", attempts: 1 });
    expect(handled.results["account-auto-link"]).toMatchObject({ matches: 0, linked: 0 });
  });

  it("puts the account's assets of a retired product line under review, in PhotoShelter and on the link rows, and no others", async () => {
    const borealis = stack.photoShelter.library.media.find((m) => m.custom.productLine === "Borealis" && usable(m) && !links(northwind).some((row) => row[AL.mediaId.logicalName] === m.id))!;
    const aquila = stack.photoShelter.library.media.find((m) => m.custom.productLine === "Aquila" && usable(m) && !links(northwind).some((row) => row[AL.mediaId.logicalName] === m.id))!;
    await linkByHand("account", ACCOUNTS.northwind, borealis);
    await linkByHand("account", ACCOUNTS.northwind, aquila);
    await stack.settle();
    await dv().update(outOfBox.account, ACCOUNTS.northwind, { [A.productLines.logicalName]: String(pl.aquila.value) });
    await stack.settle();
    for (const row of links(northwind)) {
      const line = media(row[AL.mediaId.logicalName]).custom.productLine;
      if (line === "Borealis") {
        expect(row).toMatchObject({ [AL.needsReview.logicalName]: true, [AL.reviewStatus.logicalName]: SYNCED, [AL.reviewReason.logicalName]: "Product line Borealis retired on the account" });
        expect(media(row[AL.mediaId.logicalName]).custom.reviewFlag).toBe("Under review");
      } else expect(row[AL.needsReview.logicalName]).not.toBe(true);
    }
    expect(media(aquila.id).custom.reviewFlag).toBeNull();
  });

  it("takes the review off when the product line is back on the account, but leaves PhotoShelter's flag on an asset another record still has under review", async () => {
    const flagged = () => links(northwind).filter((row) => row[AL.needsReview.logicalName] === true);
    const borealis = flagged().map((row) => media(row[AL.mediaId.logicalName]));
    expect(borealis.length).toBeGreaterThan(1);
    // One of them is under review on another record too (a link flagged there).
    const shared = borealis[0];
    const elsewhere = await linkByHand("account", ACCOUNTS.fabrikam, shared);
    await dv().update(assetLink, elsewhere, { [AL.needsReview.logicalName]: true, [AL.reviewReason.logicalName]: "Checked by legal" });
    await stack.settle();
    await dv().update(outOfBox.account, ACCOUNTS.northwind, { [A.productLines.logicalName]: `${pl.aquila.value},${pl.borealis.value}` });
    await stack.settle();
    expect(flagged()).toEqual([]);
    for (const asset of borealis.slice(1)) expect(media(asset.id).custom.reviewFlag).toBeNull();
    expect(media(shared.id).custom.reviewFlag).toBe("Under review");
    expect(dataverseOf(stack.mock.context).store.get(assetLink.logicalName, elsewhere)).toMatchObject({ [AL.needsReview.logicalName]: true, [AL.reviewReason.logicalName]: "Checked by legal" });
  });

  it("puts an opportunity's assets of the product line it no longer has under review", async () => {
    const opportunity = regardingKey("opportunity", OPPORTUNITIES.tailspinTurbines);
    const draco = stack.photoShelter.library.media.filter((m) => m.custom.productLine === "Draco" && usable(m) && m.custom.reviewFlag === null).slice(0, 2);
    const cirrus = stack.photoShelter.library.media.find((m) => m.custom.productLine === "Cirrus" && m.custom.reviewFlag === null)!;
    for (const asset of [...draco, cirrus]) await linkByHand("opportunity", OPPORTUNITIES.tailspinTurbines, asset);
    await dv().update(outOfBox.opportunity, OPPORTUNITIES.tailspinTurbines, { [O.productLine.logicalName]: pl.cirrus.value });
    await stack.settle();
    const rows = links(opportunity);
    expect(rows.filter((row) => row[AL.needsReview.logicalName] === true).map((row) => row[AL.mediaId.logicalName]).sort()).toEqual(draco.map((m) => m.id).sort());
    for (const asset of draco) expect(media(asset.id).custom.reviewFlag).toBe("Under review");
    expect(media(cirrus.id).custom.reviewFlag).toBeNull();
  });
});
