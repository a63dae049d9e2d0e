/** psh_collectionlink — a record (campaign, event, account, partner, case) ↔ a PhotoShelter collection or gallery. */
import { containerKind, linkType, syncStatus } from "./choices";
import { choice, customLookup, dateTime, memo, ownerColumn, primaryKey, systemColumns, text } from "./columns";
import { account, campaign, incident } from "./targets";
import { defineTable } from "./types";

const table = "psh_collectionlink";

export const collectionLink = defineTable({
  logicalName: table,
  schemaName: "psh_CollectionLink",
  entitySetName: "psh_collectionlinks",
  displayName: "PhotoShelter Collection Link",
  displayCollectionName: "PhotoShelter Collection Links",
  description: "A Dynamics 365 record's dedicated PhotoShelter collection or gallery, with its sync status.",
  primaryIdAttribute: "psh_collectionlinkid",
  primaryNameAttribute: "psh_name",
  ownershipType: "UserOwned",
  origin: "core",
  columns: {
    id: primaryKey(table, "psh_CollectionLink", "PhotoShelter Collection Link"),
    name: text("psh_Name", "Name", 200, { requiredLevel: "required" }),
    containerId: text("psh_ContainerId", "Collection or Gallery ID", 16, { requiredLevel: "required", description: "PhotoShelter collection (C…) or gallery (G…) id." }),
    containerKind: choice("psh_ContainerKind", "Kind", containerKind, { requiredLevel: "required" }),
    purpose: choice("psh_Purpose", "Purpose", linkType, { requiredLevel: "required" }),
    syncStatus: choice("psh_SyncStatus", "Sync Status", syncStatus, { requiredLevel: "required" }),
    lastSyncedOn: dateTime("psh_LastSyncedOn", "Last Synced On", "TimeZoneIndependent"),
    lastError: memo("psh_LastError", "Last Error", 4000),
    regardingKey: text("psh_RegardingKey", "Regarding", 100, { requiredLevel: "required", description: "<table>:<guid> of the linked record; part of the alternate key." }),
    accountId: customLookup(table, "psh_AccountId", "Account", account),
    incidentId: customLookup(table, "psh_IncidentId", "Case", incident),
    campaignId: customLookup(table, "psh_CampaignId", "Campaign", campaign),
    ...systemColumns(table),
    ...ownerColumn(table),
  },
  alternateKeys: [{ schemaName: "psh_collectionlink_container_regarding", displayName: "Container and record", columns: ["psh_containerid", "psh_regardingkey"] }],
});
