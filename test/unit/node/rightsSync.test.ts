/**
 * The rights sync's walk over PhotoShelter's change listing, with the listing and Dataverse faked at
 * their seams: every changed asset is seen once however the listing shifts under it, a whole page of
 * changes within one second does not loop, the cursor moves only past pages whose links were written,
 * a link already up to date is not written again, and rows are written in change sets of at most 100.
 */
import pino from "pino";
import { choices } from "../../../solution/model";
import { DataverseApiError, type DataverseClient, type UpsertRow } from "../../../proxy/src/dataverse";
import type { ChangedAsset } from "../../../proxy/src/photoshelter/changes";
import { AL } from "../../../proxy/src/automation/linkRows";
import { RIGHTS_CURSOR, recomputeCalendarStates, syncRights } from "../../../proxy/src/automation/rightsSync";

const log = pino({ level: "silent" });
const NOW = new Date("2026-12-01T12:00:00Z");
const STATUS = choices.rightsStatus.options;

interface FakeAsset {
  id: string;
  modifiedAt: number;
  approval: string;
  expires: string | null;
}

/** PhotoShelter's listing: modified at or after `since`, ascending, paged. */
class FakeListing {
  assets: FakeAsset[] = [];
  calls: Array<{ since: number; page: number }> = [];
  /** Runs before each listing call (to change assets while the sync runs). */
  beforeCall: ((call: number) => void) | null = null;

  async modifiedSince(since: number, page: number, perPage: number): Promise<{ items: ChangedAsset[]; total: number }> {
    this.beforeCall?.(this.calls.length);
    this.calls.push({ since, page });
    const matching = this.assets.filter((a) => a.modifiedAt >= since).sort((a, b) => a.modifiedAt - b.modifiedAt || a.id.localeCompare(b.id));
    const items = matching.slice((page - 1) * perPage, page * perPage).map((a) => ({
      modifiedAt: Math.floor(a.modifiedAt / 1000) * 1000,
      asset: {
        media: { id: a.id, type: "image", attributes: { file_name: `${a.id}.png`, type: "image", modified_at: new Date(a.modifiedAt).toISOString() } },
        iptc: null,
        custom: { custom_metadata: [{ name: "Approval Status", value: a.approval }, ...(a.expires ? [{ name: "License Expiration Date", value: a.expires }] : [])] },
        galleryIds: [],
      },
    }));
    return { items, total: matching.length };
  }
}

type Link = { id: string; mediaId: string; rightsStatus: number | null; expiresOn: string | null; lastSyncedOn: string | null; version: number };

/** Dataverse at the client seam: link rows by media id, conditional change sets. */
class FakeDataverse {
  links: Link[] = [];
  batches: number[] = [];
  queries = 0;
  failNextBatchWith: number | null = null;

  async *pages(_table: unknown, options: { filter?: string }) {
    this.queries += 1;
    const wanted = [...(options.filter ?? "").matchAll(/eq '([^']+)'|psh_assetlinkid eq ([0-9a-f-]{36})/g)].map((m) => m[1] ?? m[2]);
    const expiring = /psh_expireson le/.test(options.filter ?? "");
    yield this.links.filter((l) => (expiring ? l.expiresOn !== null : wanted.includes(l.mediaId) || wanted.includes(l.id))).map(rowOf);
  }

  async upsertMany(_table: unknown, rows: readonly UpsertRow[]) {
    this.batches.push(rows.length);
    if (this.failNextBatchWith) {
      const status = this.failNextBatchWith;
      this.failNextBatchWith = null;
      throw new DataverseApiError(status, "", `injected ${status}`);
    }
    for (const r of rows) {
      const link = this.links.find((l) => l.id === r.key);
      if (!link || `W/"${link.version}"` !== r.ifMatch) throw new DataverseApiError(412, "", "changed meanwhile");
    }
    for (const r of rows) {
      const link = this.links.find((l) => l.id === r.key)!;
      if (AL.rightsStatus.logicalName in r.data) link.rightsStatus = r.data[AL.rightsStatus.logicalName] as number;
      if (AL.expiresOn.logicalName in r.data) link.expiresOn = r.data[AL.expiresOn.logicalName] as string | null;
      if (AL.lastSyncedOn.logicalName in r.data) link.lastSyncedOn = r.data[AL.lastSyncedOn.logicalName] as string;
      link.version += 1;
    }
    return rows.map((r) => String(r.key));
  }

  client(): DataverseClient {
    return { pages: this.pages.bind(this), upsertMany: this.upsertMany.bind(this) } as unknown as DataverseClient;
  }
}

const rowOf = (l: Link) => ({ "@odata.etag": `W/"${l.version}"`, [AL.id.logicalName]: l.id, [AL.mediaId.logicalName]: l.mediaId, [AL.rightsStatus.logicalName]: l.rightsStatus, [AL.expiresOn.logicalName]: l.expiresOn, [AL.lastSyncedOn.logicalName]: l.lastSyncedOn, [AL.regardingKey.logicalName]: `account:${l.id}` });

const guidOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const T0 = Date.parse("2026-11-01T00:00:00Z");

function library(count: number, perSecond = 1): FakeAsset[] {
  return Array.from({ length: count }, (_, i) => ({ id: `I0000${String(i).padStart(11, "0")}`, modifiedAt: T0 + Math.floor(i / perSecond) * 1000 + 1, approval: "approved", expires: null }));
}

function cursors() {
  const values = new Map<string, string>();
  return { values, get: async (name: string) => values.get(name) ?? null, set: async (name: string, value: string) => void values.set(name, value) };
}

describe("rights sync", () => {
  it("sees every changed asset once although the listing shifts while it runs", async () => {
    const listing = new FakeListing();
    listing.assets = library(250);
    const dataverse = new FakeDataverse();
    dataverse.links = listing.assets.map((a, i) => ({ id: guidOf(i), mediaId: a.id, rightsStatus: STATUS.approved.value, expiresOn: null, lastSyncedOn: null, version: 1 }));
    const seen: string[] = [];
    const original = listing.modifiedSince.bind(listing);
    listing.modifiedSince = async (since, page, perPage) => {
      const result = await original(since, page, perPage);
      seen.push(...result.items.map((i) => i.asset.media.id));
      return result;
    };
    // After the first page, an early asset changes again: it moves to the end of the listing.
    listing.beforeCall = (call) => {
      if (call === 1) listing.assets[10].modifiedAt = T0 + 10_000_000;
    };
    const store = cursors();
    const result = await syncRights({ dataverse: dataverse.client(), changes: listing, cursors: store, log, now: () => NOW, pageSize: 100 });
    expect(new Set(seen).size).toBe(250);
    // No deep pages: each listing restarts from the last second reached.
    expect(listing.calls.every((c) => c.page === 1)).toBe(true);
    expect(result.assetsChanged).toBe(251);
    expect(dataverse.links.every((l) => l.lastSyncedOn === NOW.toISOString())).toBe(true);
    expect(store.values.get(RIGHTS_CURSOR)).toBe(new Date(T0 + 10_000_000).toISOString());
    expect(Math.max(...dataverse.batches)).toBeLessThanOrEqual(100);
  });

  it("pages on within one second when a whole page changed in it, and ends", async () => {
    const listing = new FakeListing();
    listing.assets = library(230, 1000);
    const dataverse = new FakeDataverse();
    const result = await syncRights({ dataverse: dataverse.client(), changes: listing, cursors: cursors(), log, now: () => NOW, pageSize: 100 });
    expect(result.assetsChanged).toBe(230);
    // The first listing (from the start of time) moves the cursor to that second; then pages 1–3 within it.
    expect(listing.calls.map((c) => [c.since, c.page])).toEqual([[0, 1], [T0, 1], [T0, 2], [T0, 3]]);
  });

  it("writes nothing for links already up to date, and only the changed ones after a change", async () => {
    const listing = new FakeListing();
    listing.assets = library(50);
    const dataverse = new FakeDataverse();
    dataverse.links = listing.assets.flatMap((a, i) => [0, 1].map((k) => ({ id: guidOf(i * 2 + k), mediaId: a.id, rightsStatus: null, expiresOn: null, lastSyncedOn: null, version: 1 })));
    const store = cursors();
    const deps = { dataverse: dataverse.client(), changes: listing, cursors: store, log, now: () => NOW, pageSize: 100 };
    expect((await syncRights(deps)).linksWritten).toBe(100);
    dataverse.batches = [];
    expect((await syncRights(deps)).linksWritten).toBe(0);
    expect(dataverse.batches).toEqual([]);
    listing.assets[7] = { ...listing.assets[7], modifiedAt: Date.parse("2026-12-01T11:00:00Z"), approval: "retired" };
    const third = await syncRights({ ...deps, now: () => new Date("2026-12-01T11:30:00Z") });
    expect(third.linksWritten).toBe(2);
    expect(dataverse.links.filter((l) => l.rightsStatus === STATUS.retired.value).map((l) => l.mediaId)).toEqual([listing.assets[7].id, listing.assets[7].id]);
  });

  it("keeps the cursor before a page whose write failed, and the next run finishes it", async () => {
    const listing = new FakeListing();
    listing.assets = library(150);
    const dataverse = new FakeDataverse();
    dataverse.links = listing.assets.map((a, i) => ({ id: guidOf(i), mediaId: a.id, rightsStatus: null, expiresOn: null, lastSyncedOn: null, version: 1 }));
    const store = cursors();
    const deps = { dataverse: dataverse.client(), changes: listing, cursors: store, log, now: () => NOW, pageSize: 100 };
    const original = dataverse.client().upsertMany;
    let calls = 0;
    const failing = { ...deps.dataverse, upsertMany: async (...args: Parameters<DataverseClient["upsertMany"]>) => (++calls === 2 ? Promise.reject(new Error("Dataverse is down")) : original(...args)) } as DataverseClient;
    await expect(syncRights({ ...deps, dataverse: failing })).rejects.toThrow("Dataverse is down");
    const stopped = store.values.get(RIGHTS_CURSOR)!;
    expect(Date.parse(stopped)).toBeLessThan(listing.assets[149].modifiedAt);
    await syncRights(deps);
    expect(dataverse.links.every((l) => l.lastSyncedOn !== null)).toBe(true);
  });

  it("reads a change set again after a 412 (a row changed meanwhile) and writes it at the new version", async () => {
    const listing = new FakeListing();
    listing.assets = library(30);
    const dataverse = new FakeDataverse();
    dataverse.links = listing.assets.map((a, i) => ({ id: guidOf(i), mediaId: a.id, rightsStatus: null, expiresOn: null, lastSyncedOn: null, version: 1 }));
    dataverse.failNextBatchWith = 412;
    const result = await syncRights({ dataverse: dataverse.client(), changes: listing, cursors: cursors(), log, now: () => NOW, pageSize: 100 });
    expect(result.linksWritten).toBe(30);
    expect(dataverse.batches).toEqual([30, 30]);
    expect(dataverse.links.every((l) => l.rightsStatus === STATUS.approved.value && l.version === 2)).toBe(true);
  });
});

describe("calendar pass", () => {
  it("moves approved links to expiring and expiring ones to expired as days pass, from the stored expiry alone", async () => {
    const dataverse = new FakeDataverse();
    dataverse.links = [
      { id: guidOf(1), mediaId: "I0000000000000001", rightsStatus: STATUS.approved.value, expiresOn: "2026-12-10", lastSyncedOn: null, version: 1 },
      { id: guidOf(2), mediaId: "I0000000000000002", rightsStatus: STATUS.expiring.value, expiresOn: "2026-11-30", lastSyncedOn: null, version: 1 },
      { id: guidOf(3), mediaId: "I0000000000000003", rightsStatus: STATUS.expiring.value, expiresOn: "2026-12-01", lastSyncedOn: null, version: 1 },
      { id: guidOf(4), mediaId: "I0000000000000004", rightsStatus: STATUS.approved.value, expiresOn: "2027-06-01", lastSyncedOn: null, version: 1 },
    ];
    const result = await recomputeCalendarStates({ dataverse: dataverse.client(), log, now: () => NOW });
    expect(dataverse.links.map((l) => l.rightsStatus)).toEqual([STATUS.expiring.value, STATUS.expired.value, STATUS.expiring.value, STATUS.approved.value]);
    expect(result.linksWritten).toBe(2);
  });
});
