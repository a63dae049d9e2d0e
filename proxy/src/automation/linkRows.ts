/**
 * psh_assetlink rows as the automation reads and writes them: read in pages by asset or by record,
 * written in $batch change sets of at most 100. Changes to existing rows are conditional on the
 * version read (If-Match: etag), so a link someone detached meanwhile is never brought back and one
 * changed meanwhile is read again and recomputed; new rows are create-only (If-None-Match: *), so a
 * link that exists already — a manual one above all — is never touched. Both are bounded retries.
 */
import { toStoredRightsStatus } from "../../../contract/rights";
import { assetLink, choices, eventLookups, outOfBox, regardingKey } from "../../../solution/model";
import type { LookupColumn } from "../../../solution/model";
import { anyOf, DataverseApiError, type DataverseClient, guid, literal, type Row, type UpsertRow } from "../dataverse";
import type { LoadedAsset } from "../photoshelter/library";
import { assetFields } from "../photoshelter/normalize";

export const AL = assetLink.columns;
/** The most rows in one $batch change set (and ids in one `or` filter). */
export const CHANGE_SET = 100;
/** Rounds of "re-read what changed meanwhile, write again" before a write gives up. */
const MAX_ROUNDS = 5;

export interface LinkRow {
  id: string;
  etag: string;
  mediaId: string;
  regardingKey: string;
  source: number | null;
  rightsStatus: number | null;
  usageRights: string | null;
  expiresOn: string | null;
  version: string | null;
  lastSyncedOn: string | null;
  needsReview: boolean;
  reviewReason: string | null;
  reviewStatus: number | null;
  noLongerMatches: boolean;
}

const COLUMNS = [AL.id, AL.mediaId, AL.regardingKey, AL.source, AL.rightsStatus, AL.usageRights, AL.expiresOn, AL.version, AL.lastSyncedOn, AL.needsReview, AL.reviewReason, AL.reviewStatus, AL.noLongerMatches];
const SELECT = COLUMNS.map((column) => column.logicalName);

const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" ? value : null);

export function toLinkRow(row: Row): LinkRow {
  const get = (column: { logicalName: string }) => row[column.logicalName];
  return {
    id: String(get(AL.id)),
    etag: String(row["@odata.etag"] ?? "*"),
    mediaId: String(get(AL.mediaId) ?? ""),
    regardingKey: String(get(AL.regardingKey) ?? ""),
    source: num(get(AL.source)),
    rightsStatus: num(get(AL.rightsStatus)),
    usageRights: str(get(AL.usageRights)),
    expiresOn: str(get(AL.expiresOn))?.slice(0, 10) ?? null,
    version: str(get(AL.version)),
    lastSyncedOn: str(get(AL.lastSyncedOn)),
    needsReview: get(AL.needsReview) === true,
    reviewReason: str(get(AL.reviewReason)),
    reviewStatus: num(get(AL.reviewStatus)),
    noLongerMatches: get(AL.noLongerMatches) === true,
  };
}

/** Counts the Dataverse requests a piece of work made (the sync budget is stated in requests). */
export interface RequestCount {
  reads: number;
  writes: number;
}

export const newCount = (): RequestCount => ({ reads: 0, writes: 0 });

async function readPages(dataverse: DataverseClient, filter: string, count: RequestCount): Promise<LinkRow[]> {
  const rows: LinkRow[] = [];
  for await (const page of dataverse.pages(assetLink, { select: SELECT, filter })) {
    count.reads += 1;
    rows.push(...page.map(toLinkRow));
  }
  return rows;
}

const chunks = <T>(items: readonly T[], size = CHANGE_SET): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Active links to any of these assets, from any record: one query per 100 assets. */
export async function linksOfMedia(dataverse: DataverseClient, mediaIds: readonly string[], count: RequestCount = newCount()): Promise<LinkRow[]> {
  const out: LinkRow[] = [];
  for (const part of chunks([...new Set(mediaIds)])) out.push(...(await readPages(dataverse, `statecode eq 0 and (${anyOf(AL.mediaId.logicalName, part)})`, count)));
  return out;
}

/** Every active link, of every record. */
export function activeLinks(dataverse: DataverseClient, count: RequestCount = newCount()): Promise<LinkRow[]> {
  return readPages(dataverse, "statecode eq 0", count);
}

/** Active links of one record (`<table>:<guid>`). */
export function linksOfRecord(dataverse: DataverseClient, regarding: string, count: RequestCount = newCount(), extraFilter?: string): Promise<LinkRow[]> {
  return readPages(dataverse, `statecode eq 0 and ${AL.regardingKey.logicalName} eq ${literal(regarding)}${extraFilter ? ` and (${extraFilter})` : ""}`, count);
}

async function linksById(dataverse: DataverseClient, ids: readonly string[], count: RequestCount): Promise<LinkRow[]> {
  const out: LinkRow[] = [];
  for (const part of chunks(ids)) out.push(...(await readPages(dataverse, `statecode eq 0 and (${anyOf(AL.id.logicalName, part.map((id) => guid(id)))})`, count)));
  return out;
}

/** A change set failed because a row changed (412) or went away (404) since it was read. */
const isStale = (error: unknown) => error instanceof DataverseApiError && (error.status === 412 || error.status === 404);

export interface UpdateResult {
  written: number;
  /** Rows deleted (or deactivated) meanwhile: left alone. */
  gone: number;
}

/**
 * Writes `change(row)` onto each row that needs it (null: nothing to write), at most 100 per change
 * set, each row only at the version read. A change set refused because a row changed or went away
 * meanwhile is read again and recomputed, up to MAX_ROUNDS times.
 */
export async function updateLinks(dataverse: DataverseClient, rows: readonly LinkRow[], change: (row: LinkRow) => Row | null, count: RequestCount = newCount()): Promise<UpdateResult> {
  const result: UpdateResult = { written: 0, gone: 0 };
  const pending = rows.map((row) => ({ row, data: change(row) })).filter((item): item is { row: LinkRow; data: Row } => item.data !== null);
  for (let batch of chunks(pending)) {
    for (let round = 1; ; round += 1) {
      try {
        count.writes += 1;
        await dataverse.upsertMany(assetLink, batch.map(({ row, data }): UpsertRow => ({ key: row.id, data, ifMatch: row.etag })), CHANGE_SET);
        result.written += batch.length;
        break;
      } catch (error) {
        if (!isStale(error) || round >= MAX_ROUNDS) throw error;
        const fresh = new Map((await linksById(dataverse, batch.map(({ row }) => row.id), count)).map((row) => [row.id, row]));
        const next: Array<{ row: LinkRow; data: Row }> = [];
        for (const { row } of batch) {
          const now = fresh.get(row.id);
          if (!now) {
            result.gone += 1;
            continue;
          }
          const data = change(now);
          if (data) next.push({ row: now, data });
        }
        batch = next;
        if (batch.length === 0) break;
      }
    }
  }
  return result;
}

export interface NewLink {
  mediaId: string;
  data: Row;
}

/**
 * Creates links of one record that do not exist yet, 100 per change set, create-only: a link that
 * exists (made by hand, or by an earlier run that was cut short) is skipped, never changed.
 */
export async function createLinks(dataverse: DataverseClient, regarding: string, links: readonly NewLink[], count: RequestCount = newCount()): Promise<{ created: number; existing: number }> {
  const result = { created: 0, existing: 0 };
  for (let batch of chunks(links)) {
    for (let round = 1; ; round += 1) {
      try {
        count.writes += 1;
        await dataverse.upsertMany(
          assetLink,
          batch.map((link): UpsertRow => ({ key: { [AL.mediaId.logicalName]: link.mediaId, [AL.regardingKey.logicalName]: regarding }, data: link.data, ifNoneMatch: "*" })),
          CHANGE_SET,
        );
        result.created += batch.length;
        break;
      } catch (error) {
        if (!(error instanceof DataverseApiError && error.status === 412) || round >= MAX_ROUNDS) throw error;
        // Any row holding the key counts, active or not: it is someone's link, and never ours to change.
        const filter = `${AL.regardingKey.logicalName} eq ${literal(regarding)} and (${anyOf(AL.mediaId.logicalName, batch.map((link) => link.mediaId))})`;
        count.reads += 1;
        const existing = new Set((await dataverse.query(assetLink, { select: [AL.mediaId.logicalName], filter })).map((row) => String(row[AL.mediaId.logicalName])));
        result.existing += batch.filter((link) => existing.has(link.mediaId)).length;
        batch = batch.filter((link) => !existing.has(link.mediaId));
        if (batch.length === 0) break;
      }
    }
  }
  return result;
}

/** The lookup a link to a record of this table is bound through, and the table's entity set. */
const HOST_LOOKUPS: Readonly<Record<string, { lookup: LookupColumn; entitySetName: string }>> = {
  [outOfBox.account.logicalName]: { lookup: AL.accountId, entitySetName: outOfBox.account.entitySetName },
  [outOfBox.campaign.logicalName]: { lookup: AL.campaignId, entitySetName: outOfBox.campaign.entitySetName },
  [outOfBox.opportunity.logicalName]: { lookup: AL.opportunityId, entitySetName: outOfBox.opportunity.entitySetName },
  [outOfBox.incident.logicalName]: { lookup: AL.incidentId, entitySetName: outOfBox.incident.entitySetName },
  msevtmgt_event: { lookup: eventLookups.psh_assetlink.eventId, entitySetName: "msevtmgt_events" },
};

/** The asset's rights as stored on a link: status choice, usage rights, expiry day, version. */
export function storedRights(asset: LoadedAsset, today: Date): { rightsStatus: number; usageRights: string | null; expiresOn: string | null; version: string | null } {
  const fields = assetFields(asset, today);
  return {
    rightsStatus: choices.rightsStatus.options[toStoredRightsStatus(fields.rights.status)].value,
    usageRights: fields.usageRights?.slice(0, AL.usageRights.maxLength) ?? null,
    expiresOn: fields.expiresOn,
    version: fields.version?.slice(0, AL.version.maxLength) ?? null,
  };
}

/** A new automatic link of `asset` to the record, rights copied as of now. */
export function automaticLink(asset: LoadedAsset, entity: string, id: string, linkType: keyof typeof choices.linkType.options, now: Date): NewLink {
  const host = HOST_LOOKUPS[entity];
  if (!host) throw new Error(`Links to ${entity} records are not supported`);
  const fields = assetFields(asset, now);
  const rights = storedRights(asset, now);
  return {
    mediaId: fields.id,
    data: {
      [AL.name.logicalName]: (fields.caption?.trim() || fields.fileName).slice(0, AL.name.maxLength),
      [AL.mediaType.logicalName]: choices.mediaType.options[fields.mediaType].value,
      [AL.fileName.logicalName]: fields.fileName.slice(0, AL.fileName.maxLength),
      [AL.thumbnailUrl.logicalName]: `/v1/media/${fields.id}/thumb`,
      [AL.linkType.logicalName]: choices.linkType.options[linkType].value,
      [AL.rightsStatus.logicalName]: rights.rightsStatus,
      [AL.usageRights.logicalName]: rights.usageRights,
      [AL.expiresOn.logicalName]: rights.expiresOn,
      [AL.version.logicalName]: rights.version,
      [AL.lastSyncedOn.logicalName]: now.toISOString(),
      [AL.source.logicalName]: choices.linkSource.options.automatic.value,
      [AL.needsReview.logicalName]: false,
      [AL.noLongerMatches.logicalName]: false,
      [AL.regardingKey.logicalName]: regardingKey(entity, id),
      [`${host.lookup.targets[0].navigationProperty}@odata.bind`]: `/${host.entitySetName}(${id})`,
    },
  };
}

