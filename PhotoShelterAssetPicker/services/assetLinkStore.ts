import type { Asset } from "../../contract/proxyApi";
import { ASSET_LINK_TABLE, HostReference, MEDIA_ID_COLUMN, existingLinksFilter, lookupTo, newLinkRecord } from "../domain/assetLinks";
import type { LinkType } from "../domain/profiles";
import { UsedOn, usedOnFrom, whereUsedOptions } from "../domain/whereUsed";
import type { HostRecord } from "./hostRecord";

/** "Created" or "already there" — both mean the asset is linked, which is all attach promises. */
export type CreateOutcome = "created" | "alreadyLinked";

/** Writes and checks asset-link rows. One implementation wraps `context.webAPI`; tests fake it. */
export interface AssetLinkStore {
  /** Media ids among `mediaIds` that already have a link row for the record. */
  findLinkedMediaIds(record: HostRecord, mediaIds: readonly string[]): Promise<Set<string>>;
  createLink(record: HostRecord, asset: Asset, linkType: LinkType): Promise<CreateOutcome>;
  deleteLink(linkId: string): Promise<void>;
  /** The other records the asset is linked to that the user may read (one query, the user's privileges). */
  whereUsed(mediaId: string, host: HostRecord | null): Promise<UsedOn[]>;
}

/** `hasEntityPrivilege` arguments: PrivilegeType Read, PrivilegeDepth Basic (any depth at all). */
const PRIVILEGE_READ = 2 as ComponentFramework.PropertyHelper.Types.PrivilegeType;
const DEPTH_BASIC = 0 as ComponentFramework.PropertyHelper.Types.PrivilegeDepth;

/** Dataverse's "a record with matching key values already exists" (0x80040237), signed and unsigned. */
const DUPLICATE_KEY_CODES = new Set([-2147220937, 0x80040237]);

export function isDuplicateKeyError(error: unknown): boolean {
  const details = error as { errorCode?: unknown; code?: unknown; message?: unknown } | null;
  if (!details) return false;
  const code = typeof details.errorCode === "number" ? details.errorCode : typeof details.code === "string" ? parseInt(details.code, 16) : NaN;
  if (DUPLICATE_KEY_CODES.has(code)) return true;
  return typeof details.message === "string" && /matching key values already exists|duplicate key/i.test(details.message);
}

/** Some hosts give no entity-set name in metadata; Dataverse's default is then the plural of the logical name. */
async function entitySetName(utils: ComponentFramework.Utility, entityName: string): Promise<string> {
  const metadata = (await utils.getEntityMetadata(entityName, [])) as { EntitySetName?: unknown };
  if (typeof metadata?.EntitySetName !== "string" || metadata.EntitySetName === "") throw new Error(`No entity set name in the metadata of ${entityName}`);
  return metadata.EntitySetName;
}

export function webApiAssetLinkStore(webAPI: ComponentFramework.WebApi, utils: ComponentFramework.Utility): AssetLinkStore {
  const setNames = new Map<string, Promise<string>>();
  /** Until an org shows it has no Event lookup (no Event Management). */
  let events = true;

  const hostReference = async (record: HostRecord): Promise<HostReference> => {
    if (!record.id) throw new Error("Save the record before linking assets to it");
    const lookup = lookupTo(record.entityName);
    if (!lookup) throw new Error(`Assets cannot be linked to ${record.entityName} records`);
    let setName = setNames.get(record.entityName);
    if (!setName) {
      setName = entitySetName(utils, record.entityName);
      setNames.set(record.entityName, setName);
      setName.catch(() => setNames.delete(record.entityName));
    }
    return { entityName: record.entityName, id: record.id, entitySetName: await setName, navigationProperty: lookup.navigationProperty };
  };

  return {
    async findLinkedMediaIds(record, mediaIds) {
      const found = new Set<string>();
      if (!record.id) return found;
      // Keep each $filter well under URL limits.
      for (let start = 0; start < mediaIds.length; start += 50) {
        const result = await webAPI.retrieveMultipleRecords(ASSET_LINK_TABLE, `?$select=${MEDIA_ID_COLUMN}&$filter=${encodeURIComponent(existingLinksFilter(record.entityName, record.id, mediaIds.slice(start, start + 50)))}`);
        for (const entity of result.entities) {
          const mediaId = entity[MEDIA_ID_COLUMN] as unknown;
          if (typeof mediaId === "string") found.add(mediaId);
        }
      }
      return found;
    },

    async createLink(record, asset, linkType) {
      const host = await hostReference(record);
      try {
        await webAPI.createRecord(ASSET_LINK_TABLE, newLinkRecord(asset, host, linkType, new Date()));
        return "created";
      } catch (error) {
        // Another tab (or a double click that slipped through) created it first: the alternate key caught it.
        if (isDuplicateKeyError(error)) return "alreadyLinked";
        throw error;
      }
    },

    async deleteLink(linkId) {
      await webAPI.deleteRecord(ASSET_LINK_TABLE, linkId);
    },

    async whereUsed(mediaId, host) {
      const mayRead = (table: string) => utils.hasEntityPrivilege(table, PRIVILEGE_READ, DEPTH_BASIC);
      let result: ComponentFramework.WebApi.RetrieveMultipleResponse;
      try {
        result = await webAPI.retrieveMultipleRecords(ASSET_LINK_TABLE, whereUsedOptions(mediaId, events, mayRead));
      } catch (error) {
        // An org without Event Management has no Event lookup: ask once more without it, and from now on.
        if (!events) throw error;
        events = false;
        result = await webAPI.retrieveMultipleRecords(ASSET_LINK_TABLE, whereUsedOptions(mediaId, false, mayRead));
      }
      return usedOnFrom(result.entities, host);
    },
  };
}
