/**
 * S5 — rights, expiry and version from PhotoShelter onto the asset links in Dataverse.
 *
 * The sync reads the assets PhotoShelter changed since its cursor, oldest change first, and brings
 * every active link of each of them up to date (rights status by the 0/14/30-day thresholds in
 * contract/rights.ts, usage rights, expiry, version, last synced on) in $batch change sets of at
 * most 100. Listing restarts from the last modification time reached instead of walking deep pages,
 * so an asset changed while the sync runs moves to the end of the listing and is never skipped. The
 * cursor is stored after each page is written: a killed process resumes from the last page it
 * finished, and what it does again changes nothing (a link already up to date is not rewritten).
 *
 * The calendar pass recomputes, from the stored expiry alone, the states that change as days pass
 * (approved → expiring → expired) without asking PhotoShelter.
 */
import type { Logger } from "pino";
import { EXPIRING_SOON_DAYS, rightsStatus, toStoredRightsStatus, type StoredRightsStatus } from "../../../contract/rights";
import { assetLink, choices } from "../../../solution/model";
import type { Cursors } from "../state/records";
import type { DataverseClient, Row } from "../dataverse";
import type { ChangedAsset, LibraryChanges } from "../photoshelter/changes";
import { AL, type LinkRow, linksOfMedia, newCount, type RequestCount, storedRights, toLinkRow, updateLinks } from "./linkRows";

export const RIGHTS_CURSOR = "rights-sync";

export interface RightsSyncDeps {
  dataverse: DataverseClient;
  changes: Pick<LibraryChanges, "modifiedSince">;
  cursors: Pick<Cursors, "get" | "set">;
  log: Logger;
  now?: () => Date;
  /** Media per listing page (PhotoShelter allows up to 1000; the draft suggests small pages). */
  pageSize?: number;
}

export interface RightsSyncResult {
  /** Listing pages read from PhotoShelter. */
  pages: number;
  assetsChanged: number;
  linksRead: number;
  linksWritten: number;
  linksGone: number;
  dataverseReads: number;
  dataverseWrites: number;
  /** Where the next run starts (ISO). */
  cursor: string;
}

const STATUS = choices.rightsStatus.options;
const SECOND = 1000;
const floorSecond = (ms: number) => Math.floor(ms / SECOND) * SECOND;

/** The columns of a link that follow the asset; null when the link already says all of it. */
function rightsChange(row: LinkRow, rights: ReturnType<typeof storedRights>, modifiedAt: number, now: Date): Row | null {
  const same = row.rightsStatus === rights.rightsStatus && row.usageRights === rights.usageRights && row.expiresOn === rights.expiresOn && row.version === rights.version;
  const syncedAfterChange = row.lastSyncedOn !== null && Date.parse(row.lastSyncedOn) >= modifiedAt;
  if (same && syncedAfterChange) return null;
  return {
    [AL.rightsStatus.logicalName]: rights.rightsStatus,
    [AL.usageRights.logicalName]: rights.usageRights,
    [AL.expiresOn.logicalName]: rights.expiresOn,
    [AL.version.logicalName]: rights.version,
    [AL.lastSyncedOn.logicalName]: now.toISOString(),
  };
}

/** Brings the links of one listing page up to date. */
async function syncPage(deps: RightsSyncDeps, items: readonly ChangedAsset[], count: RequestCount, result: RightsSyncResult): Promise<void> {
  if (items.length === 0) return;
  const now = deps.now?.() ?? new Date();
  const byId = new Map(items.map((item) => [item.asset.media.id, { rights: storedRights(item.asset, now), modifiedAt: item.modifiedAt }]));
  const links = await linksOfMedia(deps.dataverse, [...byId.keys()], count);
  result.linksRead += links.length;
  const written = await updateLinks(deps.dataverse, links, (row) => {
    const asset = byId.get(row.mediaId);
    return asset ? rightsChange(row, asset.rights, asset.modifiedAt, now) : null;
  }, count);
  result.linksWritten += written.written;
  result.linksGone += written.gone;
}

/** One run of the PhotoShelter → Dataverse rights sync, from the stored cursor to now. */
export async function syncRights(deps: RightsSyncDeps, signal?: AbortSignal): Promise<RightsSyncResult> {
  const pageSize = deps.pageSize ?? 100;
  const stored = await deps.cursors.get(RIGHTS_CURSOR);
  let since = stored && !Number.isNaN(Date.parse(stored)) ? Date.parse(stored) : 0;
  const count = newCount();
  const result: RightsSyncResult = { pages: 0, assetsChanged: 0, linksRead: 0, linksWritten: 0, linksGone: 0, dataverseReads: 0, dataverseWrites: 0, cursor: new Date(since).toISOString() };
  // Assets of the cursor's own second already handled in this run (the listing repeats them).
  let handled = new Set<string>();
  let page = 1;
  for (;;) {
    signal?.throwIfAborted();
    const { items } = await deps.changes.modifiedSince(since, page, pageSize);
    result.pages += 1;
    const fresh = items.filter((item) => !handled.has(item.asset.media.id));
    await syncPage(deps, fresh, count, result);
    result.assetsChanged += fresh.length;
    if (items.length === 0) break;
    const last = floorSecond(items[items.length - 1].modifiedAt);
    if (last > since) {
      // Restart the listing at the last second reached: no deep pages, nothing skipped.
      since = last;
      page = 1;
      handled = new Set(items.filter((item) => floorSecond(item.modifiedAt) === last).map((item) => item.asset.media.id));
    } else {
      // A whole page changed within one second: page on within it.
      page += 1;
      for (const item of items) handled.add(item.asset.media.id);
    }
    await deps.cursors.set(RIGHTS_CURSOR, new Date(since).toISOString());
    result.cursor = new Date(since).toISOString();
    if (items.length < pageSize) break;
  }
  result.dataverseReads = count.reads;
  result.dataverseWrites = count.writes;
  deps.log.info({ job: "rights-sync", ...result }, "rights sync finished");
  return result;
}

export interface CalendarResult {
  linksRead: number;
  linksWritten: number;
  dataverseWrites: number;
}

const STORED_BY_VALUE = new Map(Object.entries(STATUS).map(([name, option]) => [option.value, name as StoredRightsStatus]));

/**
 * Daily: links whose stored status depends on the date (approved or expiring, with an expiry in the
 * next 30 days or past) get the status the calendar gives them today, from what the link stores.
 */
export async function recomputeCalendarStates(deps: Pick<RightsSyncDeps, "dataverse" | "log" | "now">): Promise<CalendarResult> {
  const today = deps.now?.() ?? new Date();
  const horizon = new Date(today.getTime() + (EXPIRING_SOON_DAYS + 1) * 86_400_000).toISOString().slice(0, 10);
  const count = newCount();
  const filter = `statecode eq 0 and ${AL.expiresOn.logicalName} ne null and ${AL.expiresOn.logicalName} le ${horizon} and (${AL.rightsStatus.logicalName} eq ${STATUS.approved.value} or ${AL.rightsStatus.logicalName} eq ${STATUS.expiring.value})`;
  const rows: LinkRow[] = [];
  for await (const page of deps.dataverse.pages(assetLink, { select: [AL.id, AL.mediaId, AL.regardingKey, AL.rightsStatus, AL.expiresOn, AL.usageRights].map((c) => c.logicalName), filter })) {
    count.reads += 1;
    rows.push(...page.map(toLinkRow));
  }
  const written = await updateLinks(deps.dataverse, rows, (row) => {
    // Only approved or expiring links are read, so the asset was approved when last synced.
    const status = toStoredRightsStatus(rightsStatus({ approvalStatus: "approved", expiresOn: row.expiresOn, usageRights: row.usageRights }, today).status);
    return STORED_BY_VALUE.get(row.rightsStatus ?? -1) === status ? null : { [AL.rightsStatus.logicalName]: STATUS[status].value };
  }, count);
  const result = { linksRead: rows.length, linksWritten: written.written, dataverseWrites: count.writes };
  deps.log.info({ job: "rights-calendar", ...result }, "rights calendar pass finished");
  return result;
}
