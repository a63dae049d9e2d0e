/**
 * "Where used": the records an asset is linked to, read with ONE Dataverse query by media id as the
 * user (their own privileges). Each lookup of the link row is expanded to its record's name; a
 * record the user may not read comes back empty from Dataverse and is left out.
 */
import { assetLinkNames, logicalNameOf } from "../../solution/model/names";
import type { TableNames } from "../../solution/model/targets";
import { regardingKey } from "../../solution/model/targets";

export interface UsedOn {
  entityName: string;
  id: string;
  name: string;
}

type Lookup = { schemaName: string; target: TableNames };
const LOOKUPS: readonly Lookup[] = Object.values(assetLinkNames.lookups);
/** The Event lookup exists only with Event Management; without it the query is sent again without it. */
export const EVENT_LOOKUP = assetLinkNames.lookups.eventId.schemaName;

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/**
 * `retrieveMultipleRecords` options for the links of one asset, each lookup to a table the user may
 * read expanded to its record's name (expanding to a table without read privilege fails the query).
 */
export function whereUsedOptions(mediaId: string, withEvents: boolean, mayRead: (table: string) => boolean = () => true): string {
  const lookups = LOOKUPS.filter((lookup) => (withEvents || lookup.schemaName !== EVENT_LOOKUP) && mayRead(lookup.target.logicalName));
  const expand = lookups.map(({ schemaName, target }) => `${schemaName}($select=${target.primaryIdAttribute},${target.primaryNameAttribute})`).join(",");
  const filter = `${logicalNameOf(assetLinkNames.columns.mediaId)} eq ${quote(mediaId)}`;
  return `?$select=${logicalNameOf(assetLinkNames.columns.regardingKey)}&$filter=${encodeURIComponent(filter)}&$expand=${expand}`;
}

/** The readable records of the link rows, without the host record, each once, by name. */
export function usedOnFrom(rows: ReadonlyArray<Record<string, unknown>>, host: { entityName: string; id: string | null } | null): UsedOn[] {
  const hostKey = host?.id ? regardingKey(host.entityName, host.id) : null;
  const found = new Map<string, UsedOn>();
  for (const row of rows) {
    for (const { schemaName, target } of LOOKUPS) {
      const record = row[schemaName] as Record<string, unknown> | null | undefined;
      const id = record?.[target.primaryIdAttribute];
      if (typeof id !== "string") continue;
      const key = regardingKey(target.logicalName, id);
      if (key === hostKey || found.has(key)) continue;
      const name = record?.[target.primaryNameAttribute];
      found.set(key, { entityName: target.logicalName, id: id.toLowerCase(), name: typeof name === "string" && name !== "" ? name : id });
    }
  }
  return [...found.values()].sort((a, b) => a.entityName.localeCompare(b.entityName) || a.name.localeCompare(b.name));
}
