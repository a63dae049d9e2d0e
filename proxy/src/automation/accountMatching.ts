/**
 * S1 — the approved, unexpired assets that fit an account: one matching function, used by the
 * control's "Suggested for this account" and by the automation that links assets to accounts when
 * an opportunity is won or the account's segment changes.
 *
 * An asset fits when its custom metadata agrees with the account on at least one of industry,
 * region, tier and product line, and disagrees on none (an asset tagged for another region is
 * meant for that region). Fields the asset leaves empty neither count nor exclude. Best matches
 * first: more agreeing fields, then newer.
 */
import type { SegmentField } from "../../../contract/proxyApi";
import { isUsable } from "../../../contract/rights";
import { choices } from "../../../solution/model";
import type { ChoiceDefinition } from "../../../solution/model";
import type { LoadedAsset, PhotoShelterLibrary } from "../photoshelter/library";
import { AssetFields, assetFields, CUSTOM_FIELD_NAMES } from "../photoshelter/normalize";
import type { Segment } from "../policy/rules";

/** An account's segment in the library's own words (the choice labels are the library's values). */
export interface SegmentLabels {
  industry: string | null;
  region: string | null;
  tier: string | null;
  productLines: string[];
}

function labelOf(choice: ChoiceDefinition<string>, value: number | null): string | null {
  if (value === null) return null;
  return Object.values(choice.options).find((option) => option.value === value)?.label ?? null;
}

export function segmentLabels(segment: Segment): SegmentLabels {
  return {
    industry: labelOf(choices.industrySegment, segment.industry),
    region: labelOf(choices.region, segment.region),
    tier: labelOf(choices.tier, segment.tier),
    productLines: segment.productLines.map((value) => labelOf(choices.productLine, value)).filter((label): label is string => label !== null),
  };
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** What of the account the asset matches, or null when it does not fit (no agreement, or a disagreement). */
export function matchOf(segment: SegmentLabels, asset: Pick<AssetFields, "industry" | "region" | "tier" | "productLine">): SegmentField[] | null {
  const matched: SegmentField[] = [];
  for (const field of ["industry", "region", "tier"] as const) {
    const wanted = segment[field];
    const has = asset[field];
    if (!wanted || !has) continue;
    if (!same(wanted, has)) return null;
    matched.push(field);
  }
  if (asset.productLine && segment.productLines.length > 0) {
    if (!segment.productLines.some((line) => same(line, asset.productLine!))) return null;
    matched.push("productLine");
  }
  return matched.length > 0 ? matched : null;
}

export interface Match {
  asset: LoadedAsset;
  fields: AssetFields;
  matched: SegmentField[];
}

export interface MatchOptions {
  /** Galleries the caller may see (the record's segment); only assets in them are considered. */
  galleries: string[];
  limit: number;
  today?: Date;
  /** Candidates fetched per segment field (one search each). */
  perField?: number;
}

/**
 * Approved, unexpired assets in `galleries` matching the account, best first, at most `limit`.
 * One PhotoShelter search per field the account has (cached and coalesced like every read).
 */
export async function matchAssetsForAccount(library: Pick<PhotoShelterLibrary, "search">, segment: SegmentLabels, options: MatchOptions): Promise<Match[]> {
  const today = options.today ?? new Date();
  if (options.galleries.length === 0) return [];
  const queries: Array<Record<string, string | string[]>> = [];
  if (segment.industry) queries.push({ [CUSTOM_FIELD_NAMES.industry]: segment.industry });
  if (segment.region) queries.push({ [CUSTOM_FIELD_NAMES.region]: segment.region });
  if (segment.tier) queries.push({ [CUSTOM_FIELD_NAMES.tier]: segment.tier });
  if (segment.productLines.length > 0) queries.push({ [CUSTOM_FIELD_NAMES.productLine]: segment.productLines });
  if (queries.length === 0) return [];
  const galleries = [...options.galleries].sort();
  const pages = await Promise.all(
    queries.map((custom) =>
      library.search({ custom: { [CUSTOM_FIELD_NAMES.approvalStatus]: "approved", ...custom }, galleries, sort: "newest", page: 1, perPage: options.perField ?? 100 }),
    ),
  );
  const seen = new Map<string, Match>();
  for (const asset of pages.flatMap((page) => page.items)) {
    if (seen.has(asset.media.id)) continue;
    const fields = assetFields(asset, today);
    if (fields.approvalStatus !== "approved" || !isUsable(fields.rights.status) || fields.rights.status === "unknown") continue;
    const matched = matchOf(segment, fields);
    if (matched) seen.set(asset.media.id, { asset, fields, matched });
  }
  return [...seen.values()].sort((a, b) => b.matched.length - a.matched.length || b.fields.createdOn.localeCompare(a.fields.createdOn)).slice(0, options.limit);
}
