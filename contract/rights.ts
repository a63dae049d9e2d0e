/**
 * Rights status of an asset: one pure rule shared by the proxy (which computes it for every asset it
 * returns) and the control (which recomputes it for badges when "today" moves on). No runtime
 * dependencies, so the control can bundle it.
 *
 * Thresholds follow PhotoShelter's License Alerts: a warning 30 days before expiry and a second,
 * stronger one 14 days before.
 */

export type RightsStatus = "approved" | "expiring30" | "expiring14" | "expired" | "restricted" | "retired" | "unknown";

/** The values of the Dataverse choice column psh_rightsstatus (expiring30/expiring14 collapse to expiring). */
export type StoredRightsStatus = "approved" | "expiring" | "expired" | "restricted" | "retired" | "unknown";

export type ApprovalStatus = "approved" | "pending" | "rejected" | "retired";

export interface RightsInput {
  approvalStatus: ApprovalStatus | null | undefined;
  /** Last day the asset may be used, "YYYY-MM-DD" (a full ISO timestamp is accepted; only its date counts). */
  expiresOn: string | null | undefined;
  usageRights?: string | null;
}

export interface RightsResult {
  status: RightsStatus;
  /** Whole days from today to the expiry date (negative once expired); null without an expiry date. */
  daysToExpiry: number | null;
}

export const EXPIRING_SOON_DAYS = 30;
export const EXPIRING_VERY_SOON_DAYS = 14;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Midnight UTC of a calendar date, or null when the text is not a valid date. */
function utcDay(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const value = Date.UTC(year, month - 1, day);
  const check = new Date(value);
  // Date.UTC rolls 2026-02-31 over to March; a date that does not round-trip is not a date.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return value;
}

function todayUtc(today: Date): number {
  return Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
}

/**
 * retired approval → retired; rejected or pending → restricted; expiry date in the past → expired;
 * ≤ 14 days left → expiring14; ≤ 30 days → expiring30; approved, or not approved-tracked but with
 * known rights → approved; nothing known → unknown. The expiry day itself is still usable (0 days left).
 */
export function rightsStatus(input: RightsInput, today: Date): RightsResult {
  const expiry = input.expiresOn ? utcDay(input.expiresOn) : null;
  const daysToExpiry = expiry === null ? null : Math.round((expiry - todayUtc(today)) / DAY_MS);
  const approval = input.approvalStatus ?? null;

  if (approval === "retired") return { status: "retired", daysToExpiry };
  if (approval === "rejected" || approval === "pending") return { status: "restricted", daysToExpiry };
  if (daysToExpiry !== null) {
    if (daysToExpiry < 0) return { status: "expired", daysToExpiry };
    if (daysToExpiry <= EXPIRING_VERY_SOON_DAYS) return { status: "expiring14", daysToExpiry };
    if (daysToExpiry <= EXPIRING_SOON_DAYS) return { status: "expiring30", daysToExpiry };
  }
  const hasUsageRights = typeof input.usageRights === "string" && input.usageRights.trim() !== "";
  if (approval === "approved" || daysToExpiry !== null || hasUsageRights) return { status: "approved", daysToExpiry };
  return { status: "unknown", daysToExpiry };
}

/** Maps a computed status to the psh_rightsstatus choice stored on asset-link rows. */
export function toStoredRightsStatus(status: RightsStatus): StoredRightsStatus {
  return status === "expiring14" || status === "expiring30" ? "expiring" : status;
}

/** Statuses a search hides unless the caller asks for restricted assets too. */
export const HIDDEN_BY_DEFAULT: readonly RightsStatus[] = ["expired", "restricted", "retired"];

export function isUsable(status: RightsStatus): boolean {
  return !HIDDEN_BY_DEFAULT.includes(status);
}
