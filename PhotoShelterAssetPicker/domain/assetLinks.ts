/**
 * Asset-link rows (psh_assetlink) as the control reads and writes them. Every column name comes from
 * the solution's data model, so a renamed column is a compile error here, not a blank grid.
 */
import type { Asset } from "../../contract/proxyApi";
import { StoredRightsStatus, toStoredRightsStatus } from "../../contract/rights";
import { assetLink } from "../../solution/model/assetLink";
import { linkSource, linkType as linkTypeChoice, mediaType as mediaTypeChoice, rightsStatus as rightsChoice } from "../../solution/model/choices";
import { eventLookups } from "../../solution/model/eventManagement";
import { regardingKey } from "../../solution/model/targets";
import type { ChoiceDefinition, LookupColumn } from "../../solution/model/types";
import { calendarDate, isoDay } from "./dates";
import { LinkType } from "./profiles";

export const ASSET_LINK_TABLE = assetLink.logicalName;
const columns = assetLink.columns;

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
export function optionName<O extends string>(choice: ChoiceDefinition<O>, value: unknown): O | null {
  const numeric = typeof value === "string" ? Number(value) : value;
  const names = Object.keys(choice.options) as O[];
  return names.find((name) => choice.options[name].value === numeric) ?? null;
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
      const value = (column: { logicalName: string }) => record.getValue(column.logicalName) as unknown;
      const formatted = (column: { logicalName: string }) => record.getFormattedValue(column.logicalName) ?? "";
      const expires = calendarDate(value(columns.expiresOn) as string | Date | null);
      const mediaId = text(value(columns.mediaId)) ?? "";
      const fileName = text(value(columns.fileName)) ?? text(value(columns.name)) ?? mediaId;
      return {
        linkId: record.getRecordId(),
        mediaId,
        name: text(value(columns.name)) ?? fileName,
        fileName,
        mediaType: optionName(mediaTypeChoice, value(columns.mediaType)),
        storedRights: optionName(rightsChoice, value(columns.rightsStatus)),
        expiresOn: expires ? isoDay(expires) : null,
        expiresOnText: formatted(columns.expiresOn),
        version: text(value(columns.version)),
        linkedBy: formatted(columns.createdBy),
        linkedOnText: formatted(columns.createdOn),
      };
    });
}

/** The lookup column of psh_assetlink that points at a table (account → psh_accountid, event → psh_eventid, …), if there is one. */
export function lookupTo(entityName: string): LookupColumn | null {
  const lookups = [...Object.values(columns), ...Object.values(eventLookups.psh_assetlink)].filter((column): column is LookupColumn => column.type === "lookup" && !column.system);
  return lookups.find((column) => column.targets.some((target) => target.table === entityName)) ?? null;
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
    [columns.name.logicalName]: (asset.caption?.trim() || asset.fileName).slice(0, 200),
    [columns.mediaId.logicalName]: asset.id,
    [columns.mediaType.logicalName]: mediaTypeChoice.options[asset.mediaType].value,
    [columns.fileName.logicalName]: asset.fileName.slice(0, 260),
    [columns.thumbnailUrl.logicalName]: pathOf(asset.thumbnailUrl),
    [columns.linkType.logicalName]: linkTypeChoice.options[type].value,
    [columns.rightsStatus.logicalName]: rightsChoice.options[toStoredRightsStatus(asset.rights.status)].value,
    [columns.usageRights.logicalName]: asset.usageRights,
    [columns.expiresOn.logicalName]: expires ? isoDay(expires) : null,
    [columns.version.logicalName]: asset.version,
    [columns.lastSyncedOn.logicalName]: now.toISOString(),
    [columns.source.logicalName]: linkSource.options.manual.value,
    [columns.regardingKey.logicalName]: regardingKey(host.entityName, host.id),
    [`${host.navigationProperty}@odata.bind`]: `/${host.entitySetName}(${host.id})`,
  };
}

/** `$filter` for the links of one record to any of the given assets (the idempotency check before creating). */
export function existingLinksFilter(entityName: string, id: string, mediaIds: readonly string[]): string {
  const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;
  const media = mediaIds.map((mediaId) => `${columns.mediaId.logicalName} eq ${quote(mediaId)}`).join(" or ");
  return `${columns.regardingKey.logicalName} eq ${quote(regardingKey(entityName, id))} and (${media})`;
}

export const MEDIA_ID_COLUMN = columns.mediaId.logicalName;
