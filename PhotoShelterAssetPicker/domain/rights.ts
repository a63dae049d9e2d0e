import type { Asset } from "../../contract/proxyApi";
import { RightsResult, StoredRightsStatus, rightsStatus, toStoredRightsStatus } from "../../contract/rights";

/**
 * What a badge shows for a row as Dataverse stored it (used until, or instead of, live rights from the
 * proxy). The stored choice cannot tell 14 from 30 days, and an expiry date may have passed since the
 * last sync, so the days are recomputed from the stored expiry date.
 */
export function storedRights(stored: StoredRightsStatus | null, expiresOn: string | null, today: Date): RightsResult {
  if (stored === "retired" || stored === "restricted") return { status: stored, daysToExpiry: rightsStatus({ approvalStatus: null, expiresOn }, today).daysToExpiry };
  const fromDate = rightsStatus({ approvalStatus: stored === null || stored === "unknown" ? null : "approved", expiresOn }, today);
  if (stored === "expired" && fromDate.status === "approved") return { status: "expired", daysToExpiry: fromDate.daysToExpiry };
  return fromDate;
}

export interface StoredLinkRights {
  storedRights: StoredRightsStatus | null;
  expiresOn: string | null;
  version: string | null;
}

/** The row's stored rights, expiry or version no longer match PhotoShelter: the next sync will update it. */
export function isStale(link: StoredLinkRights, live: Pick<Asset, "rights" | "expiresOn" | "version">): boolean {
  return toStoredRightsStatus(live.rights.status) !== link.storedRights || (live.expiresOn ?? null) !== link.expiresOn || (live.version ?? null) !== link.version;
}
