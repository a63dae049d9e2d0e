/**
 * S1 — approved assets for accounts, by themselves: when an opportunity is won, or an account's
 * industry, region, tier or product lines change, the best matches (accountMatching.ts, the same
 * rule as the control's "Suggested for this account") among what the account's segment may see are
 * linked to the account as automatic links, at most AUTO_LINK_MAX per run. Automatic links whose
 * asset no longer matches are flagged "No Longer Matches" (never deleted) and unflagged when they
 * match again; manual links are never read for changes, let alone touched.
 */
import type { Logger } from "pino";
import { isUsable } from "../../../contract/rights";
import { choices, outOfBox, regardingKey } from "../../../solution/model";
import type { DataverseClient } from "../dataverse";
import type { LoadedAsset, PhotoShelterLibrary } from "../photoshelter/library";
import { assetFields } from "../photoshelter/normalize";
import type { Directory } from "../policy/directory";
import { grantedContainers } from "../policy/rules";
import { matchAssetsForAccount, matchOf, segmentLabels, type SegmentLabels } from "./accountMatching";
import { AL, automaticLink, createLinks, type LinkRow, linksOfRecord, newCount, updateLinks } from "./linkRows";

export interface AutoLinkDeps {
  dataverse: DataverseClient;
  library: Pick<PhotoShelterLibrary, "search" | "asset" | "descendants">;
  directory: Pick<Directory, "segment" | "accessRules" | "partnerGrants">;
  /** AUTO_LINK_MAX: most new automatic links per account per run. */
  max: number;
  log: Logger;
  now?: () => Date;
}

export interface AutoLinkResult {
  /** Best matches found (at most `max`). */
  matches: number;
  linked: number;
  /** Matches already linked (by hand or earlier). */
  alreadyLinked: number;
  flaggedNoLongerMatching: number;
  unflagged: number;
  dataverseReads: number;
  dataverseWrites: number;
}

const AUTOMATIC = choices.linkSource.options.automatic.value;

/** The galleries an account's segment may see without a user: its rules (no business-unit rules) and partner grants, and everything below them. */
export async function accountGalleries(deps: Pick<AutoLinkDeps, "directory" | "library">, accountId: string, segment: NonNullable<Awaited<ReturnType<Directory["segment"]>>>): Promise<string[]> {
  const [rules, grants] = await Promise.all([deps.directory.accessRules(), deps.directory.partnerGrants(accountId)]);
  const roots = [...grantedContainers(rules, segment, null, grants)];
  const below = await Promise.all(roots.map((id) => deps.library.descendants(id)));
  return [...new Set([...roots, ...below.flat()])].filter((id) => id.startsWith("G")).sort();
}

function stillMatches(segment: SegmentLabels, asset: LoadedAsset | null, galleries: ReadonlySet<string>, today: Date): boolean {
  if (!asset || !asset.galleryIds.some((id) => galleries.has(id))) return false;
  const fields = assetFields(asset, today);
  return fields.approvalStatus === "approved" && isUsable(fields.rights.status) && fields.rights.status !== "unknown" && matchOf(segment, fields) !== null;
}

export async function autoLinkAccount(deps: AutoLinkDeps, accountId: string): Promise<AutoLinkResult> {
  const now = deps.now?.() ?? new Date();
  const count = newCount();
  const result: AutoLinkResult = { matches: 0, linked: 0, alreadyLinked: 0, flaggedNoLongerMatching: 0, unflagged: 0, dataverseReads: 0, dataverseWrites: 0 };
  const segment = await deps.directory.segment(accountId);
  // A deleted account has nothing to link; that is not an error.
  if (!segment) return result;
  const labels = segmentLabels(segment);
  const galleries = await accountGalleries(deps, accountId, segment);
  const matches = await matchAssetsForAccount(deps.library, labels, { galleries, limit: deps.max, today: now });
  result.matches = matches.length;

  const regarding = regardingKey(outOfBox.account.logicalName, accountId);
  const existing = await linksOfRecord(deps.dataverse, regarding, count);
  const linked = new Set(existing.map((row) => row.mediaId));
  const fresh = matches.filter((match) => !linked.has(match.asset.media.id));
  result.alreadyLinked = matches.length - fresh.length;
  const created = await createLinks(deps.dataverse, regarding, fresh.map((match) => automaticLink(match.asset, outOfBox.account.logicalName, accountId, "brand", now)), count);
  result.linked = created.created;
  result.alreadyLinked += created.existing;

  // Automatic links only: does each still match? (the top matches do; the others are read again)
  const matched = new Set(matches.map((match) => match.asset.media.id));
  const visible = new Set(galleries);
  const automatic = existing.filter((row) => row.source === AUTOMATIC);
  const verdict = new Map<string, boolean>();
  for (const row of automatic) {
    if (verdict.has(row.mediaId)) continue;
    verdict.set(row.mediaId, matched.has(row.mediaId) || stillMatches(labels, await deps.library.asset(row.mediaId), visible, now));
  }
  const changes = await updateLinks(deps.dataverse, automatic, (row: LinkRow) => {
    const matches = verdict.get(row.mediaId) === true;
    return matches === !row.noLongerMatches ? null : { [AL.noLongerMatches.logicalName]: !matches };
  }, count);
  for (const row of automatic) {
    const matches = verdict.get(row.mediaId) === true;
    if (matches === row.noLongerMatches) {
      if (matches) result.unflagged += 1;
      else result.flaggedNoLongerMatching += 1;
    }
  }
  result.dataverseReads = count.reads;
  result.dataverseWrites = count.writes;
  deps.log.info({ account: accountId, ...result, written: changes.written }, "automatic links for the account updated");
  return result;
}
