/**
 * Asset-link rows (psh_assetlink) as the control reads and writes them. Every column name comes from
 * the solution's data model, so a renamed column is a compile error here, not a blank grid.
 */
import type { Asset } from "../../contract/proxyApi";
import { StoredRightsStatus, toStoredRightsStatus } from "../../contract/rights";
import { assetLinkNames, linkSourceValues, linkTypeValues, logicalNameOf, logicalNames, mediaTypeValues, rightsStatusValues, systemColumnNames } from "../../solution/model/names";
import { regardingKey } from "../../solution/model/targets";
import { calendarDate, isoDay } from "./dates";
import { LinkType } from "./profiles";

export const ASSET_LINK_TABLE = assetLinkNames.logicalName;
/** Logical names of the columns the control reads and writes. */
const columns = logicalNames({ ...assetLinkNames.columns, createdOn: systemColumnNames.createdOn, createdBy: systemColumnNames.createdBy });

type DataSet = ComponentFramework.PropertyTypes.DataSet;

export interface LinkedAsset {
  /** psh_assetlinkid: what detach deletes. */
  linkId: string;
  mediaId: string;
  name: string;
  fileName: string;
  mediaType: Asset["mediaType"] | null;
  storedRights: StoredRightsStatus | null;
  /** YYYY-MM-DD */
  expiresOn: string | null;
  /** The expiry date as the platform formats it for the user, when it does. */
  expiresOnText: string;
  version: string | null;
  linkedBy: string;
  linkedOnText: string;
}

/** Option name of a choice value (the platform gives numbers), or null. */
export function optionName<O extends string>(optionValues: Readonly<Record<O, number>>, value: unknown): O | null {
  const numeric = typeof value === "string" ? Number(value) : value;
  const names = Object.keys(optionValues) as O[];
  return names.find((name) => optionValues[name] === numeric) ?? null;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const result = String(value).trim();
  return result === "" ? null : result;
}

/** The rows of the sub-grid, in the order the platform sorted them. */
export function linkedAssetsFrom(dataset: Pick<DataSet, "records" | "sortedRecordIds">): LinkedAsset[] {
  return dataset.sortedRecordIds
    .map((id) => dataset.records[id])
    .filter((record) => record !== undefined)
    .map((record) => {
      const value = (column: string) => record.getValue(column) as unknown;
      const formatted = (column: string) => record.getFormattedValue(column) ?? "";
      const expires = calendarDate(value(columns.expiresOn) as string | Date | null);
      const mediaId = text(value(columns.mediaId)) ?? "";
      const fileName = text(value(columns.fileName)) ?? text(value(columns.name)) ?? mediaId;
      return {
        linkId: record.getRecordId(),
        mediaId,
        name: text(value(columns.name)) ?? fileName,
        fileName,
        mediaType: optionName(mediaTypeValues, value(columns.mediaType)),
        storedRights: optionName(rightsStatusValues, value(columns.rightsStatus)),
        expiresOn: expires ? isoDay(expires) : null,
        expiresOnText: formatted(columns.expiresOn),
        version: text(value(columns.version)),
        linkedBy: formatted(columns.createdBy),
        linkedOnText: formatted(columns.createdOn),
      };
    });
}

/** The lookup of psh_assetlink that points at a table (account → psh_accountid, event → psh_eventid, …), if there is one. */
export function lookupTo(entityName: string): { logicalName: string; navigationProperty: string } | null {
  const lookup = Object.values(assetLinkNames.lookups).find((candidate) => candidate.target.logicalName === entityName);
  // A lookup we add is navigated by its schema name (see customLookup in solution/model/columns.ts).
  return lookup ? { logicalName: logicalNameOf(lookup.schemaName), navigationProperty: lookup.schemaName } : null;
}

export interface HostReference {
  entityName: string;
  id: string;
  /** From `utils.getEntityMetadata(entityName).EntitySetName`. */
  entitySetName: string;
  /** Single-valued navigation property of the lookup to the host table. */
  navigationProperty: string;
}

/** Only the path of a signed URL is worth keeping: the signature expires, the path does not. */
function pathOf(url: string): string | null {
  try {
    return new URL(url).pathname;
  } catch {
    return null;
  }
}

/** The body of `webAPI.createRecord("psh_assetlink", …)` for one asset: lookup bound, rights copied. */
export function newLinkRecord(asset: Asset, host: HostReference, type: LinkType, now: Date): Record<string, unknown> {
  const expires = calendarDate(asset.expiresOn);
  return {
    [columns.name]: (asset.caption?.trim() || asset.fileName).slice(0, 200),
    [columns.mediaId]: asset.id,
    [columns.mediaType]: mediaTypeValues[asset.mediaType],
    [columns.fileName]: asset.fileName.slice(0, 260),
    [columns.thumbnailUrl]: pathOf(asset.thumbnailUrl),
    [columns.linkType]: linkTypeValues[type],
    [columns.rightsStatus]: rightsStatusValues[toStoredRightsStatus(asset.rights.status)],
    [columns.usageRights]: asset.usageRights,
    [columns.expiresOn]: expires ? isoDay(expires) : null,
    [columns.version]: asset.version,
    [columns.lastSyncedOn]: now.toISOString(),
    [columns.source]: linkSourceValues.manual,
    [columns.regardingKey]: regardingKey(host.entityName, host.id),
    [`${host.navigationProperty}@odata.bind`]: `/${host.entitySetName}(${host.id})`,
  };
}

/** `$filter` for the links of one record to any of the given assets (the idempotency check before creating). */
export function existingLinksFilter(entityName: string, id: string, mediaIds: readonly string[]): string {
  const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;
  const media = mediaIds.map((mediaId) => `${columns.mediaId} eq ${quote(mediaId)}`).join(" or ");
  return `${columns.regardingKey} eq ${quote(regardingKey(entityName, id))} and (${media})`;
}

export const MEDIA_ID_COLUMN = columns.mediaId;
