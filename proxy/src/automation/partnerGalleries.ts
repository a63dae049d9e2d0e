/**
 * S6 — partner galleries. A partner account (relationship type Partner or Reseller) with an active
 * entitlement gets the entitlement's galleries (its PhotoShelter Galleries column, else
 * PARTNER_GALLERY_IDS) granted in PhotoShelter to its contact group (the account's PhotoShelter
 * Contact Group) or else to each of its active contacts with an e-mail, expiring at the end of the
 * entitlement's end date. An entitlement that ends, is cancelled or deleted, or an account that is no
 * longer a partner, loses them. Every grant and revoke is recorded in psh_partnergrant (one row per
 * gallery and account, the row the access policy reads).
 *
 * One function decides for one account, from what both sides say now: the webhook handlers call it
 * for the account a change concerns, and the nightly reconcile calls it for every account that is a
 * partner or has grant rows — so a grant removed in PhotoShelter by hand is restored, one that should
 * not exist is removed, and replays or out-of-order deliveries converge on the same state.
 *
 * PhotoShelter permissions the automation manages are those of the account's contacts' e-mails
 * (active or not) and of its contact group; other permissions on the same galleries are left alone.
 */
import type { Logger } from "pino";
import { choices, lookupValueName, outOfBox, partnerGrant, regardingKey } from "../../../solution/model";
import { type DataverseClient, guid, literal, type Row } from "../dataverse";
import type { GalleryAccess, GalleryPermission, Grantee } from "../photoshelter/galleryAccess";
import { parseContainerIds } from "../policy/rules";

export interface PartnerDeps {
  dataverse: DataverseClient;
  galleries: Pick<GalleryAccess, "permissions" | "grant" | "revoke">;
  /** Galleries an entitlement grants when it names none. */
  defaultGalleryIds: readonly string[];
  log: Logger;
  now?: () => Date;
}

export interface PartnerReport {
  accounts: number;
  /** Permissions created in PhotoShelter (a new grant, or one restored after it went missing). */
  granted: number;
  /** Permissions removed from PhotoShelter (an ended grant, or one that should not exist). */
  revoked: number;
  /** psh_partnergrant rows written. */
  rowsWritten: number;
  failed: number;
  /** What changed, in words, for the job's report. */
  changes: string[];
}

const { account, contact, entitlement } = outOfBox;
const A = account.columns;
const C = contact.columns;
const E = entitlement.columns;
const P = partnerGrant.columns;
const GRANT = choices.grantStatus.options;
const ENTITLEMENT_ACTIVE = outOfBox.entitlementState.options.active.value;
/** Relationship types that make an account a partner. */
const PARTNER_TYPES: ReadonlySet<number> = new Set([outOfBox.customerTypeCode.options.partner.value, outOfBox.customerTypeCode.options.reseller.value]);
const GROUP_ID = /^CTG00[A-Za-z0-9._]{11}$/;

const str = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);
const day = (value: unknown): string | null => str(value)?.slice(0, 10) ?? null;

export const emptyReport = (): PartnerReport => ({ accounts: 0, granted: 0, revoked: 0, rowsWritten: 0, failed: 0, changes: [] });

export function mergeReports(into: PartnerReport, from: PartnerReport): PartnerReport {
  into.accounts += from.accounts;
  into.granted += from.granted;
  into.revoked += from.revoked;
  into.rowsWritten += from.rowsWritten;
  into.failed += from.failed;
  into.changes.push(...from.changes);
  return into;
}

/** What Dataverse says an account should have: gallery → the entitlement that grants it and until when. */
interface Entitled {
  entitlementId: string;
  name: string;
  lastDay: string;
}

interface GrantRow {
  galleryId: string;
  status: number | null;
  grantedOn: string | null;
  entitlementId: string | null;
  lastError: string | null;
}

async function entitledGalleries(deps: PartnerDeps, accountId: string, today: string): Promise<Map<string, Entitled>> {
  const rows = await deps.dataverse.query(entitlement, {
    select: [E.id, E.name, E.startDate, E.endDate, E.stateCode, E.galleryIds].map((c) => c.logicalName),
    filter: `${lookupValueName(E.customerId)} eq ${literal(guid(accountId))} and statecode eq ${ENTITLEMENT_ACTIVE}`,
  });
  const out = new Map<string, Entitled>();
  for (const row of rows) {
    const start = day(row[E.startDate.logicalName]);
    const end = day(row[E.endDate.logicalName]);
    if (!end || end < today || (start && start > today)) continue;
    const named = parseContainerIds(str(row[E.galleryIds.logicalName])).filter((id) => id.startsWith("G"));
    for (const galleryId of named.length ? named : deps.defaultGalleryIds) {
      const known = out.get(galleryId);
      // Several entitlements may grant a gallery: the one lasting longest decides the expiry.
      if (!known || end > known.lastDay) out.set(galleryId, { entitlementId: String(row[E.id.logicalName]), name: str(row[E.name.logicalName]) ?? "", lastDay: end });
    }
  }
  return out;
}

async function grantRows(deps: PartnerDeps, accountId: string): Promise<Map<string, GrantRow>> {
  const rows = await deps.dataverse.query(partnerGrant, {
    select: [P.galleryId, P.status, P.grantedOn, P.lastError].map((c) => c.logicalName).concat(lookupValueName(P.entitlementId)),
    filter: `${lookupValueName(P.accountId)} eq ${literal(guid(accountId))}`,
  });
  return new Map(
    rows.map((row) => {
      const galleryId = String(row[P.galleryId.logicalName] ?? "");
      const status = row[P.status.logicalName];
      return [galleryId, { galleryId, status: typeof status === "number" ? status : null, grantedOn: str(row[P.grantedOn.logicalName]), entitlementId: str(row[lookupValueName(P.entitlementId)]), lastError: str(row[P.lastError.logicalName]) }];
    }),
  );
}

/** Who of the account gets the galleries (grantees) and every e-mail/group the automation may manage for it. */
async function people(deps: PartnerDeps, accountId: string, groupId: string | null): Promise<{ grantees: Grantee[]; managedEmails: Set<string> }> {
  const rows = await deps.dataverse.query(contact, { select: [C.email.logicalName, C.stateCode.logicalName], filter: `${lookupValueName(C.parentCustomerId)} eq ${literal(guid(accountId))}` });
  const managedEmails = new Set<string>();
  const active = new Set<string>();
  for (const row of rows) {
    const email = str(row[C.email.logicalName])?.toLowerCase();
    if (!email) continue;
    managedEmails.add(email);
    if ((row[C.stateCode.logicalName] ?? 0) === 0) active.add(email);
  }
  const grantees: Grantee[] = groupId ? [{ groupId }] : [...active].sort().map((email) => ({ email }));
  return { grantees, managedEmails };
}

const granteeKey = (grantee: Grantee) => ("email" in grantee ? `email:${grantee.email}` : `group:${grantee.groupId}`);
const permissionKey = (permission: GalleryPermission) => (permission.email ? `email:${permission.email}` : permission.groupId ? `group:${permission.groupId}` : null);

/** Brings one account's partner galleries in line, in PhotoShelter and in psh_partnergrant. */
export async function syncPartner(deps: PartnerDeps, accountId: string): Promise<PartnerReport> {
  const now = deps.now?.() ?? new Date();
  const today = now.toISOString().slice(0, 10);
  const report = emptyReport();
  report.accounts = 1;
  const row = await deps.dataverse.retrieve(account, guid(accountId), { select: [A.name, A.customerTypeCode, A.partnerGroupId, A.stateCode].map((c) => c.logicalName) });
  const isPartner = !!row && row[A.stateCode.logicalName] === 0 && PARTNER_TYPES.has(Number(row[A.customerTypeCode.logicalName]));
  const groupCandidate = row ? str(row[A.partnerGroupId.logicalName]) : null;
  const groupId = groupCandidate && GROUP_ID.test(groupCandidate) ? groupCandidate : null;
  const accountName = (row && str(row[A.name.logicalName])) ?? accountId;

  const [entitled, rows, who] = await Promise.all([
    isPartner ? entitledGalleries(deps, accountId, today) : Promise.resolve(new Map<string, Entitled>()),
    grantRows(deps, accountId),
    row ? people(deps, accountId, groupId) : Promise.resolve({ grantees: [] as Grantee[], managedEmails: new Set<string>() }),
  ]);
  const managed = (permission: GalleryPermission) => (permission.email !== null && who.managedEmails.has(permission.email)) || (permission.groupId !== null && (permission.groupId === groupId || permission.groupId === groupCandidate));
  const galleries = [...new Set([...entitled.keys(), ...rows.keys()])].sort();
  let firstError: Error | null = null;

  for (const galleryId of galleries) {
    const wanted = entitled.get(galleryId) ?? null;
    const stored = rows.get(galleryId) ?? null;
    try {
      const current = (await deps.galleries.permissions(galleryId)) ?? [];
      const ours = current.filter(managed);
      const keep = new Set<string>();
      if (wanted) {
        for (const grantee of who.grantees) {
          const key = granteeKey(grantee);
          const match = ours.find((permission) => permissionKey(permission) === key && permission.expires?.slice(0, 10) === wanted.lastDay);
          if (match) {
            keep.add(match.id);
            continue;
          }
          const made = await deps.galleries.grant(galleryId, grantee, wanted.lastDay);
          keep.add(made.id);
          report.granted += 1;
          report.changes.push(`granted ${galleryId} to ${key.replace(/^\w+:/, "")} of ${accountName} until ${wanted.lastDay}`);
        }
      }
      // Everything else of this account's people on the gallery: ended grants, old expiries, strays.
      for (const permission of ours) {
        if (keep.has(permission.id)) continue;
        await deps.galleries.revoke(galleryId, permission.id);
        report.revoked += 1;
        report.changes.push(`revoked ${galleryId} from ${permissionKey(permission)?.replace(/^\w+:/, "")} of ${accountName}`);
      }
      if (await writeRow(deps, accountId, accountName, galleryId, wanted, stored, null, now)) report.rowsWritten += 1;
    } catch (error) {
      report.failed += 1;
      firstError ??= error as Error;
      deps.log.warn({ account: accountId, gallery: galleryId, error: (error as Error).message }, "partner gallery not in line");
      await writeRow(deps, accountId, accountName, galleryId, wanted, stored, (error as Error).message, now).catch((rowError: unknown) =>
        deps.log.warn({ account: accountId, gallery: galleryId, error: (rowError as Error).message }, "partner grant row not written"),
      );
    }
  }
  if (report.changes.length) deps.log.info({ account: accountId, changes: report.changes }, "partner galleries changed");
  if (firstError) throw firstError;
  return report;
}

/** The grant row as it should read now; written only when something differs. */
async function writeRow(deps: PartnerDeps, accountId: string, accountName: string, galleryId: string, wanted: Entitled | null, stored: GrantRow | null, failure: string | null, now: Date): Promise<boolean> {
  // No row and nothing to grant: nothing to record.
  if (!stored && !wanted && !failure) return false;
  const status = failure ? GRANT.failed.value : wanted ? GRANT.granted.value : GRANT.revoked.value;
  const unchanged = stored && stored.status === status && (stored.lastError ?? null) === (failure?.slice(0, P.lastError.maxLength) ?? null) && (!wanted || stored.entitlementId === wanted.entitlementId);
  if (unchanged) return false;
  const data: Row = {
    // A row an admin made keeps its name.
    ...(stored ? {} : { [P.name.logicalName]: `${accountName} → ${galleryId}`.slice(0, P.name.maxLength) }),
    [P.status.logicalName]: status,
    [P.lastError.logicalName]: failure ? failure.slice(0, P.lastError.maxLength) : null,
    [`${P.accountId.targets[0].navigationProperty}@odata.bind`]: `/${account.entitySetName}(${accountId})`,
  };
  if (!failure && wanted) {
    data[P.revokedOn.logicalName] = null;
    if (stored?.status !== GRANT.granted.value || !stored.grantedOn) data[P.grantedOn.logicalName] = now.toISOString();
    data[`${P.entitlementId.targets[0].navigationProperty}@odata.bind`] = `/${entitlement.entitySetName}(${wanted.entitlementId})`;
    data[P.contractReference.logicalName] = wanted.name.slice(0, P.contractReference.maxLength) || null;
  }
  if (!failure && !wanted) data[P.revokedOn.logicalName] = now.toISOString();
  await deps.dataverse.upsert(partnerGrant, { [P.galleryId.logicalName]: galleryId, [P.regardingKey.logicalName]: regardingKey(account.logicalName, accountId) }, data);
  return true;
}

/** The account an entitlement belongs to, from a webhook image or by reading it; null when it is not an account's. */
export function customerAccount(value: unknown): string | null {
  const ref = value as { id?: unknown; logicalName?: unknown } | null;
  return ref && typeof ref.id === "string" && ref.logicalName === account.logicalName ? ref.id.toLowerCase() : null;
}

/** Every account the reconcile looks at: partners, and accounts with grant rows (former partners among them). */
async function accountsToReconcile(deps: PartnerDeps): Promise<string[]> {
  const ids = new Set<string>();
  const partnerFilter = [...PARTNER_TYPES].map((type) => `${A.customerTypeCode.logicalName} eq ${type}`).join(" or ");
  for (const row of await deps.dataverse.query(account, { select: [account.primaryIdAttribute], filter: partnerFilter })) ids.add(String(row[account.primaryIdAttribute]).toLowerCase());
  for (const row of await deps.dataverse.query(partnerGrant, { select: [lookupValueName(P.accountId)] })) {
    const id = str(row[lookupValueName(P.accountId)]);
    if (id) ids.add(id.toLowerCase());
  }
  return [...ids].sort();
}

/**
 * Nightly: every partner account brought in line with what Dataverse says, both ways. Goes on past
 * an account that fails and throws at the end, naming how many failed, with the report of the rest.
 */
export async function reconcilePartners(deps: PartnerDeps): Promise<PartnerReport> {
  const report = emptyReport();
  const failures: string[] = [];
  for (const accountId of await accountsToReconcile(deps)) {
    try {
      mergeReports(report, await syncPartner(deps, accountId));
    } catch (error) {
      report.accounts += 1;
      report.failed += 1;
      failures.push(`${accountId}: ${(error as Error).message}`);
    }
  }
  deps.log.info({ job: "partner-reconcile", ...report }, "partner galleries reconciled");
  if (failures.length) throw Object.assign(new Error(`${failures.length} partner account(s) not reconciled: ${failures.join("; ")}`.slice(0, 1900)), { report });
  return report;
}
