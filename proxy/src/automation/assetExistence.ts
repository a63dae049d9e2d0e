/**
 * Daily: links to assets deleted in PhotoShelter. PhotoShelter's change listing never shows a deleted
 * asset and its API has no trash, so every asset a link points at is read once (through the read
 * cache, at most CONCURRENCY at a time): a link whose asset is gone gets Needs Review with the reason
 * DELETED_REASON and Rights Status Unknown — never deleted, the record keeps what it was given. An
 * asset found again (a 404 that was PhotoShelter's, not a deletion) takes the flag off and gets its
 * rights back. An asset that could not be read (PhotoShelter down) changes nothing; the run says how
 * many. Running it again writes nothing.
 */
import type { Logger } from "pino";
import { choices } from "../../../solution/model";
import type { DataverseClient } from "../dataverse";
import type { LoadedAsset } from "../photoshelter/library";
import { activeLinks, AL, newCount, storedRights, updateLinks } from "./linkRows";
import { mapLimited } from "./mapLimited";

export const DELETED_REASON = "Deleted in PhotoShelter";

/** PhotoShelter reads in flight at once. */
const CONCURRENCY = 4;

export interface AssetExistenceDeps {
  dataverse: DataverseClient;
  library: { asset(id: string): Promise<LoadedAsset | null> };
  log: Logger;
  now?: () => Date;
}

export interface AssetExistenceResult {
  linksRead: number;
  assetsRead: number;
  /** Assets PhotoShelter no longer knows. */
  missing: number;
  /** Assets that could not be read this time (their links unchanged). */
  unreadable: number;
  flagged: number;
  restored: number;
  dataverseWrites: number;
}

export async function checkLinkedAssets(deps: AssetExistenceDeps): Promise<AssetExistenceResult> {
  const today = deps.now?.() ?? new Date();
  const count = newCount();
  const links = (await activeLinks(deps.dataverse, count)).filter((row) => row.mediaId !== "");
  const media = [...new Set(links.map((row) => row.mediaId))];
  const found = new Map<string, LoadedAsset | null>();
  let unreadable = 0;
  await mapLimited(media, CONCURRENCY, async (id) => {
    try {
      found.set(id, await deps.library.asset(id));
    } catch (error) {
      unreadable += 1;
      deps.log.warn({ media: id, error: (error as Error).message }, "asset existence: PhotoShelter did not answer; its links are left as they are");
    }
  });
  const UNKNOWN = choices.rightsStatus.options.unknown.value;
  // Sets, not counters: a row that changed meanwhile is read again and decided again.
  const flagged = new Set<string>();
  const restored = new Set<string>();
  const written = await updateLinks(deps.dataverse, links, (row) => {
    if (!found.has(row.mediaId)) return null;
    const asset = found.get(row.mediaId)!;
    const flaggedAsDeleted = row.needsReview && row.reviewReason === DELETED_REASON;
    if (!asset) {
      if (flaggedAsDeleted && row.rightsStatus === UNKNOWN) return null;
      flagged.add(row.id);
      return { [AL.needsReview.logicalName]: true, [AL.reviewReason.logicalName]: DELETED_REASON, [AL.reviewStatus.logicalName]: null, [AL.rightsStatus.logicalName]: UNKNOWN };
    }
    if (!flaggedAsDeleted) return null;
    restored.add(row.id);
    const rights = storedRights(asset, today);
    return {
      [AL.needsReview.logicalName]: false,
      [AL.reviewReason.logicalName]: null,
      [AL.rightsStatus.logicalName]: rights.rightsStatus,
      [AL.usageRights.logicalName]: rights.usageRights,
      [AL.expiresOn.logicalName]: rights.expiresOn,
      [AL.version.logicalName]: rights.version,
      [AL.lastSyncedOn.logicalName]: today.toISOString(),
    };
  }, count);
  const missing = [...found.values()].filter((asset) => asset === null).length;
  const result = { linksRead: links.length, assetsRead: found.size, missing, unreadable, flagged: flagged.size, restored: restored.size, dataverseWrites: count.writes };
  deps.log.info({ job: "asset-existence", ...result, written: written.written }, "asset existence check finished");
  return result;
}
