/**
 * The record services over real HTTP against the mocks: a campaign's or event's own collection
 * (created once, linked, synced, retried after a failure, found again after a crash), the media added
 * to an event's collection since it started, the assets suggested for an account, and uploads made
 * idempotent by their key.
 */
import type { Asset, RecordAdditions, RecordCollection, Suggestions } from "../../contract/proxyApi";
import { ACCOUNTS, CAMPAIGNS, CASES, EVENTS } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { COLLECTIONS } from "../../mock-server/photoshelter/wellKnown";
import { COLLECTION_FIELDS } from "../../proxy/src/automation/recordCollection";
import { choices, collectionLink, outOfBox, regardingKey } from "../../solution/model";
import { Stack, startStack } from "./proxyHarness";

const RILEY = "riley.rep@contoso.example";
const MIA = "mia.marketer@contoso.example";
const SAM = "sam.service@contoso.example";

let stack: Stack;
let mia: string;
let riley: string;

beforeAll(async () => {
  stack = await startStack({ UPSTREAM_MAX_RETRIES: "0", POLICY_TTL_MS: "0" });
  [mia, riley] = await Promise.all([stack.token(MIA), stack.token(RILEY)]);
});
afterAll(() => stack?.close());

const json = async <T>(response: Response, status = 200): Promise<T> => {
  const body = await response.text();
  if (response.status !== status) throw new Error(`expected HTTP ${status}, got ${response.status}: ${body}`);
  return JSON.parse(body) as T;
};

const library = () => stack.photoShelter.library;
const collectionsNamed = (parent: string, name: string) => [...library().containers.values()].filter((c) => c.kind === "collection" && c.parentIds.includes(parent) && c.name === name);
const linkRows = (entity: string, id: string) =>
  stack.proxy.services.dataverse.query(collectionLink, { select: [collectionLink.columns.containerId.logicalName, collectionLink.columns.syncStatus.logicalName, collectionLink.columns.lastError.logicalName], filter: `${collectionLink.columns.regardingKey.logicalName} eq '${regardingKey(entity, id)}'` });
const SYNCED = choices.syncStatus.options.synced.value;
const FAILED = choices.syncStatus.options.failed.value;

describe("a campaign's collection", () => {
  const record = `campaign:${CAMPAIGNS.holidayPromo}`;

  it("is created once under Campaigns, carries the campaign's metadata and is linked as synced", async () => {
    expect(await json<RecordCollection>(await stack.call(`/v1/collection?record=${record}`, { token: mia }))).toEqual({ link: null, collection: null });

    const created = await json<RecordCollection>(await stack.call(`/v1/collection?record=${record}`, { token: mia, method: "POST" }), 201);
    expect(created.link).toMatchObject({ kind: "collection", name: "Holiday Promo 2026", syncStatus: "synced", lastError: null });
    expect(created.collection).toMatchObject({ name: "Holiday Promo 2026", audience: "SMB retail", owner: "Mia Marketer" });
    const [collection] = collectionsNamed(COLLECTIONS.campaigns, "Holiday Promo 2026");
    expect(collection.id).toBe(created.link!.containerId);
    expect(collection.customFields[COLLECTION_FIELDS.record]).toBe(regardingKey("campaign", CAMPAIGNS.holidayPromo));
    expect(collection.description).toContain("Audience: SMB retail");

    // Replays, concurrent or not, never make a second collection or a second link row.
    const again = await Promise.all([1, 2, 3].map(() => stack.call(`/v1/collection?record=${record}`, { token: mia, method: "POST" })));
    for (const response of again) expect((await json<RecordCollection>(response)).link!.containerId).toBe(collection.id);
    expect(collectionsNamed(COLLECTIONS.campaigns, "Holiday Promo 2026")).toHaveLength(1);
    const rows = await linkRows("campaign", CAMPAIGNS.holidayPromo);
    expect(rows).toHaveLength(1);
    expect(rows[0][collectionLink.columns.syncStatus.logicalName]).toBe(SYNCED);

    // Browsing scoped to it works for the marketer: it is below the Campaigns collection they may see.
    expect((await stack.call(`/v1/search?record=${record}&containerId=${collection.id}`, { token: mia })).status).toBe(200);
  });

  it("retries a failed sync: the row says failed with the error, the next call makes it synced", async () => {
    const before = await linkRows("campaign", CAMPAIGNS.sustainability);
    expect(before[0][collectionLink.columns.syncStatus.logicalName]).toBe(FAILED);
    const synced = await json<RecordCollection>(await stack.call(`/v1/collection?record=campaign:${CAMPAIGNS.sustainability}`, { token: mia, method: "POST" }));
    expect(synced.link).toMatchObject({ kind: "gallery", syncStatus: "synced", lastError: null });
    expect(synced.collection).toMatchObject({ name: "Sustainability Story 2025" });
  });

  it("finds the collection made before a crash by its key instead of making another", async () => {
    // Mia's own campaign: a marketer reads the campaigns of her business unit, and the proxy reads the record as her.
    const campaignId = await stack.proxy.services.dataverse.create(outOfBox.campaign, { name: "Crash Test Campaign", psh_audience: "Partners", "ownerid@odata.bind": `/systemusers(${USERS.marketer.id})` });
    const orphan = await stack.proxy.services.library.createCollection(COLLECTIONS.campaigns, "Crash Test Campaign", "");
    await stack.proxy.services.library.updateContainer(orphan, { custom: { [COLLECTION_FIELDS.record]: regardingKey("campaign", campaignId) } });
    const result = await json<RecordCollection>(await stack.call(`/v1/collection?record=campaign:${campaignId}`, { token: mia, method: "POST" }));
    expect(result.link!.containerId).toBe(orphan);
    expect(collectionsNamed(COLLECTIONS.campaigns, "Crash Test Campaign")).toHaveLength(1);
  });

  it("is created only by someone who may change the record (write on it), checked on the server", async () => {
    const refused = await stack.call(`/v1/collection?record=campaign:${CAMPAIGNS.borealisGoToMarket}`, { token: riley, method: "POST" });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("prvwritecampaign");
    // Reading it stays open to whoever may read the campaign.
    expect((await stack.call(`/v1/collection?record=campaign:${CAMPAIGNS.borealisGoToMarket}`, { token: riley })).status).toBe(200);
  });

  it("answers 400 for records that have no collection of their own", async () => {
    expect((await stack.call(`/v1/collection?record=account:${ACCOUNTS.litware}`, { token: riley, method: "POST" })).status).toBe(400);
  });
});

describe("an event's collection", () => {
  const record = `msevtmgt_event:${EVENTS.partnerKickoff}`;

  it("records a PhotoShelter failure on the link row and recovers on the next call, still with one collection", async () => {
    const fault = stack.admin.faults.add({ kind: "error", method: "PATCH", path: "/psapi/v4.0/collections", status: 503 });
    const failed = await stack.call(`/v1/collection?record=${record}`, { token: mia, method: "POST" });
    expect(failed.status).toBe(503);
    const rows = await linkRows("msevtmgt_event", EVENTS.partnerKickoff);
    expect(rows).toHaveLength(1);
    expect(rows[0][collectionLink.columns.syncStatus.logicalName]).toBe(FAILED);
    expect(String(rows[0][collectionLink.columns.lastError.logicalName])).toMatch(/PhotoShelter/);
    const shown = await json<RecordCollection>(await stack.call(`/v1/collection?record=${record}`, { token: mia }));
    expect(shown.link).toMatchObject({ syncStatus: "failed" });

    stack.admin.faults.remove(fault.id);
    const recovered = await json<RecordCollection>(await stack.call(`/v1/collection?record=${record}`, { token: mia, method: "POST" }));
    expect(recovered.link).toMatchObject({ syncStatus: "synced", lastError: null, containerId: rows[0][collectionLink.columns.containerId.logicalName] });
    expect(collectionsNamed(COLLECTIONS.events, "Partner Kickoff 2027")).toHaveLength(1);
  });

  it("lists media uploaded into the event's collection since the event started, for those who may see it", async () => {
    const gallery = library().get("G000000000000452")!;
    const older = gallery.media.map((n) => library().media[n - 1].id);
    const fresh = library().addUpload(gallery, { fileName: "headshot-after.png", contentType: "image/png", bytes: stack.photoShelter.files.picture(library().media[0], 32, 32).bytes });
    const additions = await json<RecordAdditions>(await stack.call(`/v1/collection/additions?record=msevtmgt_event:${EVENTS.customerDay}`, { token: mia }));
    expect(Date.parse(additions.since!)).toBeLessThan(Date.now());
    const ids = additions.items.map((item) => item.id);
    expect(ids).toContain(fresh.id);
    for (const id of older) expect(ids).not.toContain(id);
    // A sales rep's segment does not include event collections: nothing is listed for them.
    expect((await json<RecordAdditions>(await stack.call(`/v1/collection/additions?record=msevtmgt_event:${EVENTS.customerDay}`, { token: riley }))).items).toEqual([]);
  });
});

describe("suggestions for an account", () => {
  it("are approved, unexpired assets agreeing with the account and disagreeing on nothing, best first", async () => {
    // Litware Health: Healthcare, NA, Strategic, Aquila.
    const { items } = await json<Suggestions>(await stack.call(`/v1/suggestions?record=account:${ACCOUNTS.litware}&limit=30`, { token: riley }));
    expect(items.length).toBeGreaterThan(0);
    const wanted: Record<string, string> = { industry: "Healthcare", region: "NA", tier: "Strategic", productLine: "Aquila" };
    for (const { asset, matched } of items) {
      expect(asset.approvalStatus).toBe("approved");
      expect(["approved", "expiring30", "expiring14"]).toContain(asset.rights.status);
      expect(matched.length).toBeGreaterThan(0);
      for (const field of ["industry", "region", "tier", "productLine"] as const) {
        if (asset[field] !== null) expect(asset[field]).toBe(wanted[field]);
        expect(matched.includes(field)).toBe(asset[field] !== null);
      }
    }
    const counts = items.map((item) => item.matched.length);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    // A case uses its customer's segment.
    const forCase = await json<Suggestions>(await stack.call(`/v1/suggestions?record=incident:${CASES.damagedDelivery}&limit=30`, { token: await stack.token(SAM) }));
    expect(forCase.items.length).toBeGreaterThan(0);
  });

  it("are none for an account without a segment, without an error", async () => {
    expect(await json<Suggestions>(await stack.call(`/v1/suggestions?record=account:${ACCOUNTS.blueYonder}`, { token: riley }))).toEqual({ items: [] });
  });
});

describe("uploads with an idempotency key", () => {
  const CASE = `incident:${CASES.warrantyClaim}`;
  const upload = (token: string, key: string | null, name = "crack.png") => {
    const data = new FormData();
    data.set("file", new Blob([new Uint8Array(stack.photoShelter.files.picture(library().media[1], 40, 30).bytes)], { type: "image/png" }), name);
    return stack.call(`/v1/uploads?record=${CASE}`, { token, method: "POST", body: data, headers: key ? { "idempotency-key": key } : {} });
  };

  it("stores the file once: a retry with the same key gets the first asset", async () => {
    const sam = await stack.token(SAM);
    const count = library().media.length;
    const first = await json<Asset>(await upload(sam, "file-0001-abcdef"), 201);
    const retry = await upload(sam, "file-0001-abcdef");
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect((await json<Asset>(retry, 201)).id).toBe(first.id);
    expect(library().media.length).toBe(count + 1);
    // Another key is another file.
    expect((await json<Asset>(await upload(sam, "file-0002-abcdef"), 201)).id).not.toBe(first.id);
    expect(library().media.length).toBe(count + 2);
  });

  it("uploads again after a failed first try with the same key, once", async () => {
    const sam = await stack.token(SAM);
    const count = library().media.length;
    const fault = stack.admin.faults.add({ kind: "error", method: "POST", path: "/psapi/v3/mem/image/upload", status: 500, times: 1 });
    expect((await upload(sam, "file-0003-abcdef")).status).toBeGreaterThanOrEqual(500);
    stack.admin.faults.remove(fault.id);
    expect(library().media.length).toBe(count);
    await json<Asset>(await upload(sam, "file-0003-abcdef"), 201);
    expect(library().media.length).toBe(count + 1);
  });

  it("refuses a malformed key before storing anything", async () => {
    const count = library().media.length;
    expect((await upload(await stack.token(SAM), "bad key!")).status).toBe(400);
    expect(library().media.length).toBe(count);
  });
});
