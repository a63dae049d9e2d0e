/**
 * S5, Dynamics → PhotoShelter — a campaign ended, or a product line retired on an account or an
 * opportunity: the assets linked to that record are set "Under review" in PhotoShelter (a custom
 * metadata value, REVIEW_FIELD = REVIEW_VALUE) and the link rows say so: Needs Review, the reason,
 * and whether the flag reached PhotoShelter (synced or failed). Running it again changes nothing
 * for links already flagged and synced for the same reason; failed ones are tried again.
 * Undone the same way: a campaign active again, or a product line back on the record, takes the
 * review off the links flagged for that reason, and off the asset in PhotoShelter unless a link of
 * another record still has it under review.
 */
import type { Logger } from "pino";
import { choices } from "../../../solution/model";
import type { DataverseClient } from "../dataverse";
import type { LibraryChanges } from "../photoshelter/changes";
import type { PhotoShelterLibrary } from "../photoshelter/library";
import { assetFields } from "../photoshelter/normalize";
import { AL, type LinkRow, linksOfMedia, linksOfRecord, newCount, updateLinks } from "./linkRows";
import { mapLimited } from "./mapLimited";

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
 * Sets the review flag of each asset in PhotoShelter (`value`), or clears it (null), at most
 * CONCURRENCY at a time; what PhotoShelter answered, by asset (null: done).
 */
async function writeReviewFlag(deps: ReviewDeps, media: readonly string[], value: string | null, regarding: string): Promise<Map<string, Error | null>> {
  const outcome = new Map<string, Error | null>();
  await mapLimited(media, CONCURRENCY, async (id) => {
    try {
      await deps.changes.setCustomMetadata(id, { [deps.reviewField]: value });
      outcome.set(id, null);
    } catch (error) {
      outcome.set(id, error as Error);
      deps.log.warn({ media: id, regarding, error: (error as Error).message }, value === null ? "could not take the review flag off in PhotoShelter" : "could not set the review flag in PhotoShelter");
    }
  });
  return outcome;
}

const succeeded = (outcome: Map<string, Error | null>) => [...outcome.values()].filter((error) => error === null).length;

/** After the rows are written: PhotoShelter's first refusal, so the caller retries the event. */
function throwFirstFailure(outcome: Map<string, Error | null>): void {
  const first = [...outcome.values()].find((error): error is Error => error !== null);
  if (first) throw first;
}

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

  const outcome = await writeReviewFlag(deps, [...new Set(candidates.map((row) => row.mediaId))], deps.reviewValue, regarding);
  result.photoShelterSet = succeeded(outcome);
  const written = await updateLinks(deps.dataverse, candidates, (row) => ({
    [AL.needsReview.logicalName]: true,
    [AL.reviewReason.logicalName]: reason.slice(0, AL.reviewReason.maxLength),
    [AL.reviewStatus.logicalName]: outcome.get(row.mediaId) ? SYNC.failed.value : SYNC.synced.value,
  }));
  result.flagged = written.written;
  result.failed = outcome.size - result.photoShelterSet;
  deps.log.info({ regarding, reason, ...result }, "links flagged for review");
  throwFirstFailure(outcome);
  return result;
}

export interface ClearResult {
  /** Links whose review was taken off in this run. */
  cleared: number;
  /** Assets whose PhotoShelter flag was removed in this run. */
  photoShelterCleared: number;
  /** Assets left flagged in PhotoShelter because a link of another record still needs review. */
  stillFlaggedElsewhere: number;
  failed: number;
}

/** The reasons this module writes, and how to know them again when the cause is undone. */
export const reviewReasons = {
  campaignEnded: (name: string) => `Campaign "${name}" ended`,
  isCampaignEnded: (reason: string | null) => reason !== null && /^Campaign ".*" ended$/s.test(reason),
  productLinesRetired: (lines: readonly string[], what: string) => `Product line ${lines.join(", ")} retired on the ${what}`,
  isProductLineRetired: (reason: string | null) => reason !== null && reason.startsWith("Product line ") && / retired on the /.test(reason),
};

/**
 * Takes the review off the record's flagged links that `which` keeps: the rows first clear in
 * PhotoShelter (an asset keeps its flag while a link of another record still needs review), then on
 * the rows. Throws after writing when PhotoShelter refused some, so the caller retries them (those
 * rows stay flagged meanwhile).
 */
export async function clearReview(deps: ReviewDeps, regarding: string, which: (row: LinkRow) => Promise<boolean> | boolean): Promise<ClearResult> {
  const links = await linksOfRecord(deps.dataverse, regarding, newCount());
  const candidates: LinkRow[] = [];
  for (const row of links) if (row.needsReview && (await which(row))) candidates.push(row);
  const result: ClearResult = { cleared: 0, photoShelterCleared: 0, stillFlaggedElsewhere: 0, failed: 0 };
  if (candidates.length === 0) return result;

  const clearing = new Set(candidates.map((row) => row.id));
  const media = [...new Set(candidates.map((row) => row.mediaId))];
  const flaggedElsewhere = new Set((await linksOfMedia(deps.dataverse, media)).filter((row) => row.needsReview && !clearing.has(row.id)).map((row) => row.mediaId));
  const outcome = await writeReviewFlag(deps, media.filter((id) => !flaggedElsewhere.has(id)), null, regarding);
  result.photoShelterCleared = succeeded(outcome);
  result.stillFlaggedElsewhere = flaggedElsewhere.size;
  const written = await updateLinks(deps.dataverse, candidates, (row) =>
    outcome.get(row.mediaId) ? null : { [AL.needsReview.logicalName]: false, [AL.reviewReason.logicalName]: null, [AL.reviewStatus.logicalName]: null },
  );
  result.cleared = written.written;
  result.failed = outcome.size - result.photoShelterCleared;
  deps.log.info({ regarding, ...result }, "review taken off links");
  throwFirstFailure(outcome);
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
