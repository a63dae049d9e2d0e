/** psh_collectionlink — a record (campaign, event, account, partner, case) ↔ a PhotoShelter collection or gallery. */
import { containerKind, linkType, syncStatus } from "./choices";
import { choice, customLookup, dateTime, memo, ownerColumn, primaryKey, systemColumns, text } from "./columns";
import { collectionLinkNames as names, logicalNameOf } from "./names";
import { defineTable } from "./types";

const table = names.logicalName;
const { columns: c, lookups } = names;

export const collectionLink = defineTable({
  logicalName: table,
  schemaName: names.schemaName,
  entitySetName: names.entitySetName,
  displayName: "PhotoShelter Collection Link",
  displayCollectionName: "PhotoShelter Collection Links",
  description: "A Dynamics 365 record's dedicated PhotoShelter collection or gallery, with its sync status.",
  primaryIdAttribute: names.primaryIdAttribute,
  primaryNameAttribute: names.primaryNameAttribute,
  ownershipType: "UserOwned",
  origin: "core",
  columns: {
    id: primaryKey(table, names.schemaName, "PhotoShelter Collection Link"),
    name: text(c.name, "Name", 200, { requiredLevel: "required" }),
    containerId: text(c.containerId, "Collection or Gallery ID", 16, { requiredLevel: "required", description: "PhotoShelter collection (C…) or gallery (G…) id." }),
    containerKind: choice(c.containerKind, "Kind", containerKind, { requiredLevel: "required" }),
    purpose: choice(c.purpose, "Purpose", linkType, { requiredLevel: "required" }),
    syncStatus: choice(c.syncStatus, "Sync Status", syncStatus, { requiredLevel: "required" }),
    lastSyncedOn: dateTime(c.lastSyncedOn, "Last Synced On", "TimeZoneIndependent"),
    lastError: memo(c.lastError, "Last Error", 4000),
    regardingKey: text(c.regardingKey, "Regarding", 100, { requiredLevel: "required", description: "<table>:<guid> of the linked record; part of the alternate key." }),
    accountId: customLookup(table, lookups.accountId.schemaName, "Account", lookups.accountId.target),
    incidentId: customLookup(table, lookups.incidentId.schemaName, "Case", lookups.incidentId.target),
    campaignId: customLookup(table, lookups.campaignId.schemaName, "Campaign", lookups.campaignId.target),
    ...systemColumns(table),
    ...ownerColumn(table),
  },
  alternateKeys: [{ schemaName: "psh_collectionlink_container_regarding", displayName: "Container and record", columns: [logicalNameOf(c.containerId), logicalNameOf(c.regardingKey)] }],
});
