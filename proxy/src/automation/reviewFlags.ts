/**
 * S5, Dynamics → PhotoShelter — a campaign ended, or a product line retired on an account or an
 * opportunity: the assets linked to that record are set "Under review" in PhotoShelter (a custom
 * metadata value, REVIEW_FIELD = REVIEW_VALUE) and the link rows say so: Needs Review, the reason,
 * and whether the flag reached PhotoShelter (synced or failed). Running it again changes nothing
 * for links already flagged and synced for the same reason; failed ones are tried again.
 */
import type { Logger } from "pino";
import { choices } from "../../../solution/model";
import type { DataverseClient } from "../dataverse";
import type { LibraryChanges } from "../photoshelter/changes";
import type { PhotoShelterLibrary } from "../photoshelter/library";
import { assetFields } from "../photoshelter/normalize";
import { AL, type LinkRow, linksOfRecord, newCount, updateLinks } from "./linkRows";

export interface ReviewDeps {
  dataverse: DataverseClient;
  changes: Pick<LibraryChanges, "setCustomMetadata">;
  library: Pick<PhotoShelterLibrary, "asset">;
  reviewField: string;
  reviewValue: string;
  log: Logger;
  now?: () => Date;
}

export interface ReviewResult {
  /** Links flagged (or confirmed flagged) in this run. */
  flagged: number;
  /** Assets set "Under review" in PhotoShelter in this run. */
  photoShelterSet: number;
  failed: number;
}

const SYNC = choices.syncStatus.options;
/** PhotoShelter writes in flight at once. */
const CONCURRENCY = 4;

/**
 * Flags the record's links (those `which` keeps; all by default). Throws after writing the rows when
 * PhotoShelter refused some, so the caller retries them (the rows say failed meanwhile).
 */
export async function flagForReview(deps: ReviewDeps, regarding: string, reason: string, which?: (row: LinkRow) => Promise<boolean> | boolean): Promise<ReviewResult> {
  const links = await linksOfRecord(deps.dataverse, regarding, newCount());
  const candidates: LinkRow[] = [];
  for (const row of links) {
    const done = row.needsReview && row.reviewReason === reason.slice(0, AL.reviewReason.maxLength) && row.reviewStatus === SYNC.synced.value;
    if (!done && (!which || (await which(row)))) candidates.push(row);
  }
  const result: ReviewResult = { flagged: 0, photoShelterSet: 0, failed: 0 };
  if (candidates.length === 0) return result;

  const outcome = new Map<string, Error | null>();
  const media = [...new Set(candidates.map((row) => row.mediaId))];
  for (let i = 0; i < media.length; i += CONCURRENCY) {
    await Promise.all(
      media.slice(i, i + CONCURRENCY).map(async (id) => {
        try {
          await deps.changes.setCustomMetadata(id, { [deps.reviewField]: deps.reviewValue });
          outcome.set(id, null);
          result.photoShelterSet += 1;
        } catch (error) {
          outcome.set(id, error as Error);
          deps.log.warn({ media: id, regarding, error: (error as Error).message }, "could not set the review flag in PhotoShelter");
        }
      }),
    );
  }
  const written = await updateLinks(deps.dataverse, candidates, (row) => ({
    [AL.needsReview.logicalName]: true,
    [AL.reviewReason.logicalName]: reason.slice(0, AL.reviewReason.maxLength),
    [AL.reviewStatus.logicalName]: outcome.get(row.mediaId) ? SYNC.failed.value : SYNC.synced.value,
  }));
  result.flagged = written.written;
  result.failed = [...outcome.values()].filter(Boolean).length;
  deps.log.info({ regarding, reason, ...result }, "links flagged for review");
  const first = [...outcome.values()].find((error): error is Error => error !== null);
  if (first) throw first;
  return result;
}

/** Keeps the links whose asset carries one of these product lines (by label, as the library writes them). */
export function withProductLine(deps: Pick<ReviewDeps, "library" | "now">, lines: readonly string[]): (row: LinkRow) => Promise<boolean> {
  const wanted = new Set(lines.map((line) => line.toLowerCase()));
  return async (row) => {
    const asset = await deps.library.asset(row.mediaId);
    const line = asset ? assetFields(asset, deps.now?.() ?? new Date()).productLine : null;
    return line !== null && wanted.has(line.toLowerCase());
  };
}
