/**
 * S3 and S7 end to end, on SQLite and on PostgreSQL: a write to the mock Dataverse fires its webhook,
 * the proxy's runner handles it against the mock PhotoShelter and writes back to Dataverse.
 *   - a campaign created gets one collection under Campaigns with its metadata and a synced link row;
 *     renames and date changes follow; replays, late (out-of-order) deliveries and PhotoShelter 503 /
 *     Dataverse 429 on the way never make a second collection or link row;
 *   - a campaign PhotoShelter keeps refusing is parked, listed for the admin with its error, and an
 *     admin retry completes it with one collection;
 *   - a campaign that ends flags its linked assets for review, in PhotoShelter and on the link rows;
 *   - an event gets its collection; media added after the event started are linked back to it by the
 *     post-event sweep, once, however often the sweeps run;
 *   - where Event Management is not installed the event sweeps run and do nothing.
 */
import { dataverseOf } from "../../mock-server/dataverse";
import { CAMPAIGNS } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { COLLECTIONS } from "../../mock-server/photoshelter/wellKnown";
import { COLLECTION_FIELDS } from "../../proxy/src/automation/recordCollection";
import { assetLink, choices, collectionLink, event, outOfBox, regardingKey } from "../../solution/model";
import { deliver, remoteContext } from "../support/automation";
import { Databases, ENGINES, startAutomationStack, type AutomationStack } from "../support/automationStack";

jest.setTimeout(300_000);

const databases = new Databases();
afterAll(() => databases.close());

const L = collectionLink.columns;
const AL = assetLink.columns;
const K = outOfBox.campaign.columns;
const V = event.columns;
const SYNCED = choices.syncStatus.options.synced.value;

describe.each(ENGINES)("campaign and event collections on %s", (engine) => {
  let stack: AutomationStack;
  beforeAll(async () => {
    stack = await startAutomationStack(engine, databases);
  });
  afterAll(() => stack?.close());

  const dv = () => stack.proxy.services.dataverse;
  const rows = (table: string) => dataverseOf(stack.mock.context).store.rows(table);
  const library = () => stack.photoShelter.library;
  /** Collections below a parent that carry the record's key (what "one collection per record" counts). */
  const collectionsOf = (parent: string, key: string) => [...library().containers.values()].filter((c) => c.parentIds.includes(parent) && c.customFields[COLLECTION_FIELDS.record] === key);
  const linkRowsOf = (key: string) => rows(collectionLink.logicalName).filter((row) => row[L.regardingKey.logicalName] === key);

  it("gives a new campaign one collection carrying its metadata, and a synced link row, through PhotoShelter 503 and Dataverse 429", async () => {
    const insert = stack.admin.faults.add({ kind: "error", method: "POST", path: "/psapi/v3/mem/collection/insert", status: 503, times: 2 });
    const link = stack.admin.faults.add({ kind: "rateLimit", method: "PATCH", pathPattern: "^/api/data/v9\\.2/psh_collectionlinks\\(", retryAfterSeconds: 1, times: 4 });
    const id = await dv().create(outOfBox.campaign, {
      [K.name.logicalName]: `Autumn Launch ${engine}`,
      [K.audience.logicalName]: "Retail buyers in EMEA",
      [K.launchDate.logicalName]: "2027-03-01",
      "ownerid@odata.bind": `/systemusers(${USERS.marketer.id})`,
    });
    const key = regardingKey("campaign", id);
    await stack.settle();
    expect(insert.hits).toBe(2);
    expect(link.hits).toBeGreaterThan(0);

    const [collection, ...more] = collectionsOf(COLLECTIONS.campaigns, key);
    expect(more).toHaveLength(0);
    expect(collection).toMatchObject({ kind: "collection", name: `Autumn Launch ${engine}` });
    expect(collection.customFields).toMatchObject({ [COLLECTION_FIELDS.audience]: "Retail buyers in EMEA", [COLLECTION_FIELDS.launchDate]: "2027-03-01", [COLLECTION_FIELDS.owner]: "Mia Marketer" });
    expect(collection.description).toContain("Audience: Retail buyers in EMEA");
    const links = linkRowsOf(key);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ [L.containerId.logicalName]: collection.id, [L.syncStatus.logicalName]: SYNCED, [L.lastError.logicalName]: null });
    expect(links[0][L.lastSyncedOn.logicalName]).not.toBeNull();
    // The attempt that created it failed on the link row; the retry found it by the idempotency key kept at creation.
    expect(await stack.proxy.backbone.store.keys.get(`record-collection:${key}`)).toBe(collection.id);
    const [handled] = await stack.proxy.backbone.store.inbox.list({ status: "done", limit: 50 }).then((events) => events.filter((e) => e.recordId === id && e.message === "Create"));
    expect(handled.attempts).toBeGreaterThan(1);
    expect(handled.results["campaign-collection"]).toMatchObject({ containerId: collection.id, syncStatus: "synced" });
  });

  it("parks a campaign PhotoShelter keeps refusing, shows it to the admin with its error, and an admin retry completes it once", async () => {
    // A refusal (400) carries no Retry-After and leaves PhotoShelter's circuit closed: the ten attempts come quickly.
    const refused = stack.admin.faults.add({ kind: "error", method: "POST", path: "/psapi/v3/mem/collection/insert", status: 400 });
    const id = await dv().create(outOfBox.campaign, { [K.name.logicalName]: `Parked Launch ${engine}` });
    const key = regardingKey("campaign", id);
    await stack.settle("the campaign's event was parked");
    const { items } = (await (await stack.call("/v1/admin/events?status=parked", { token: stack.adminToken })).json()) as { items: Array<{ id: number; recordId: string; lastError: string; attempts: number }> };
    const parked = items.find((event) => event.recordId === id)!;
    expect(parked.lastError).toMatch(/PhotoShelter refused the change/);
    expect(parked.attempts).toBe(10);
    expect(collectionsOf(COLLECTIONS.campaigns, key)).toHaveLength(0);

    stack.admin.faults.remove(refused.id);
    const retried = await stack.call(`/v1/admin/events/${parked.id}/retry`, { method: "POST", token: stack.adminToken });
    expect(retried.status).toBe(200);
    await stack.settle();
    expect(collectionsOf(COLLECTIONS.campaigns, key)).toHaveLength(1);
    expect(linkRowsOf(key)).toMatchObject([{ [L.syncStatus.logicalName]: SYNCED }]);
    expect((await stack.proxy.backbone.store.inbox.get(parked.id))!.status).toBe("done");
  });

  it("carries renames and date changes over; replays and late deliveries change nothing and never make a second collection", async () => {
    const id = await dv().create(outOfBox.campaign, { [K.name.logicalName]: `Winter Promo ${engine}`, [K.launchDate.logicalName]: "2027-01-10" });
    const key = regardingKey("campaign", id);
    await stack.settle();
    const [collection] = collectionsOf(COLLECTIONS.campaigns, key);

    await dv().update(outOfBox.campaign, id, { [K.name.logicalName]: `Winter Promo 2027 ${engine}`, [K.launchDate.logicalName]: "2027-01-17" });
    await stack.settle();
    expect(library().get(collection.id)).toMatchObject({ name: `Winter Promo 2027 ${engine}` });
    expect(library().get(collection.id)!.customFields[COLLECTION_FIELDS.launchDate]).toBe("2027-01-17");

    // The same change delivered twice, and a change from an hour ago arriving last.
    const replay = remoteContext({ message: "Update", table: "campaign", id, operationId: `replay-${engine}`, target: { [K.name.logicalName]: "Winter Promo" } });
    const late = remoteContext({ message: "Update", table: "campaign", id, at: new Date(Date.now() - 3_600_000).toISOString(), target: { [K.name.logicalName]: "Winter Promo (old)" } });
    for (const body of [replay, replay, late]) expect((await deliver(stack.proxy.url, "automation-webhook-key-0123456789", body)).status).toBe(202);
    await stack.settle();
    expect(collectionsOf(COLLECTIONS.campaigns, key)).toHaveLength(1);
    expect(library().get(collection.id)).toMatchObject({ name: `Winter Promo 2027 ${engine}` });
    expect(linkRowsOf(key)).toHaveLength(1);
    expect(linkRowsOf(key)[0][L.name.logicalName]).toBe(`Winter Promo 2027 ${engine}`);
  });

  it("flags a campaign's linked assets for review when it ends: Under review in PhotoShelter (through 429s) and on the link rows", async () => {
    const key = regardingKey("campaign", CAMPAIGNS.springLaunch);
    const linked = rows(assetLink.logicalName).filter((row) => row[AL.regardingKey.logicalName] === key);
    expect(linked.length).toBeGreaterThan(0);
    const throttled = stack.admin.faults.add({ kind: "rateLimit", method: "PATCH", pathPattern: "^/psapi/v4\\.0/media/[^/]+/custom-metadata$", retryAfterSeconds: 1, times: 3 });
    await dv().update(outOfBox.campaign, CAMPAIGNS.springLaunch, { [K.statusCode.logicalName]: outOfBox.campaignStatus.options.completed.value });
    await stack.settle();
    expect(throttled.hits).toBe(3);
    for (const row of rows(assetLink.logicalName).filter((r) => r[AL.regardingKey.logicalName] === key)) {
      expect(row).toMatchObject({ [AL.needsReview.logicalName]: true, [AL.reviewStatus.logicalName]: SYNCED, [AL.reviewReason.logicalName]: 'Campaign "Spring Launch 2026" ended' });
      expect(library().mediaById(String(row[AL.mediaId.logicalName]))!.custom.reviewFlag).toBe("Under review");
    }
    // A later change to the ended campaign flags nothing again.
    const versions = rows(assetLink.logicalName).filter((r) => r[AL.regardingKey.logicalName] === key).map((r) => r.versionnumber);
    await dv().update(outOfBox.campaign, CAMPAIGNS.springLaunch, { [K.name.logicalName]: "Spring Launch 2026 (closed)" });
    await stack.settle();
    expect(rows(assetLink.logicalName).filter((r) => r[AL.regardingKey.logicalName] === key).map((r) => r.versionnumber)).toEqual(versions);
  });

  it("takes the review off a campaign's links, and off its assets in PhotoShelter, when the campaign is launched again", async () => {
    const key = regardingKey("campaign", CAMPAIGNS.springLaunch);
    const linked = () => rows(assetLink.logicalName).filter((row) => row[AL.regardingKey.logicalName] === key);
    expect(linked().every((row) => row[AL.needsReview.logicalName] === true)).toBe(true);
    await dv().update(outOfBox.campaign, CAMPAIGNS.springLaunch, { [K.stateCode.logicalName]: 0, [K.statusCode.logicalName]: outOfBox.campaignStatus.options.launched.value });
    await stack.settle();
    for (const row of linked()) {
      expect(row).toMatchObject({ [AL.needsReview.logicalName]: false, [AL.reviewReason.logicalName]: null, [AL.reviewStatus.logicalName]: null });
      expect(library().mediaById(String(row[AL.mediaId.logicalName]))!.custom.reviewFlag).toBeNull();
    }
    const [handled] = (await stack.proxy.backbone.store.inbox.list({ limit: 50 })).filter((e) => e.recordId === CAMPAIGNS.springLaunch);
    expect(handled).toMatchObject({ status: "done" });
    expect(handled.results["campaign-reactivated-review"]).toMatchObject({ cleared: linked().length, failed: 0 });
  });

  it("gives an event its collection and links media added after it started back to it, once", async () => {
    const day = 86_400_000;
    const id = await dv().create(event, {
      [V.name.logicalName]: `Field Day ${engine}`,
      [V.startDate.logicalName]: new Date(Date.now() - 3 * day).toISOString(),
      [V.endDate.logicalName]: new Date(Date.now() - 2 * day).toISOString(),
      "ownerid@odata.bind": `/systemusers(${USERS.marketer.id})`,
    });
    const key = regardingKey(event.logicalName, id);
    await stack.settle();
    const [collection] = collectionsOf(COLLECTIONS.events, key);
    expect(linkRowsOf(key)).toMatchObject([{ [L.containerId.logicalName]: collection.id, [L.syncStatus.logicalName]: SYNCED }]);

    // Headshots uploaded into a gallery of the event's collection, and an old asset filed there too.
    const galleryId = await stack.proxy.services.library.galleryFor(collection.id, "Headshots");
    const gallery = library().get(galleryId)!;
    const png = stack.photoShelter.files.picture(library().media[0], 32, 32).bytes;
    const fresh = [1, 2, 3].map((n) => library().addUpload(gallery, { fileName: `headshot-${n}.png`, contentType: "image/png", bytes: png }));
    const old = library().media[5];
    gallery.media.push(old.number);
    old.galleryIds.push(gallery.id);

    const sweep = await stack.runJob("post-event-sweep");
    expect(sweep.lastResult).toMatchObject({ events: 1, linked: 3 });
    const eventLinks = () => rows(assetLink.logicalName).filter((row) => row[AL.regardingKey.logicalName] === key);
    expect(eventLinks().map((row) => row[AL.mediaId.logicalName]).sort()).toEqual(fresh.map((m) => m.id).sort());
    for (const row of eventLinks()) {
      expect(row).toMatchObject({ [AL.source.logicalName]: choices.linkSource.options.automatic.value, [AL.linkType.logicalName]: choices.linkType.options.event.value });
      expect(row["psh_eventid"]).toMatchObject({ id, table: event.logicalName });
    }
    // Once per event; the daily sweep finds them linked already.
    expect((await stack.runJob("post-event-sweep")).lastResult).toMatchObject({ events: 0, linked: 0 });
    expect((await stack.runJob("event-sweep")).lastResult).toMatchObject({ linked: 0, alreadyLinked: 3 });
    expect(eventLinks()).toHaveLength(3);
  });
});

describe("where Event Management is not installed", () => {
  let stack: AutomationStack;
  beforeAll(async () => {
    stack = await startAutomationStack("sqlite", databases, { media: 100, mock: { dataverseEventManagement: false } });
  });
  afterAll(() => stack?.close());

  it("runs the event sweeps without an Event table and still gives campaigns their collection", async () => {
    expect((await stack.runJob("event-sweep")).lastResult).toMatchObject({ events: 0, skipped: expect.stringMatching(/no Event table/) });
    expect((await stack.runJob("post-event-sweep")).lastResult).toMatchObject({ events: 0, skipped: expect.stringMatching(/no Event table/) });
    const id = await stack.proxy.services.dataverse.create(outOfBox.campaign, { [K.name.logicalName]: "No Events Campaign" });
    await stack.settle();
    expect([...stack.photoShelter.library.containers.values()].filter((c) => c.customFields[COLLECTION_FIELDS.record] === regardingKey("campaign", id))).toHaveLength(1);
    expect((await stack.proxy.backbone.store.inbox.counts()).parked).toBe(0);
  });
});
