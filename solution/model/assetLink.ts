/**
 * psh_assetlink — one PhotoShelter asset linked to one record (account, case, campaign, opportunity;
 * the Event lookup is added by eventManagement.ts). The control imports this file on its own, so it
 * depends only on the small choice/target/builder files.
 */
import { linkSource, linkType, mediaType, rightsStatus } from "./choices";
import { choice, customLookup, dateTime, memo, ownerColumn, primaryKey, systemColumns, text, yesNo } from "./columns";
import { account, campaign, incident, opportunity } from "./targets";
import { defineTable } from "./types";

const table = "psh_assetlink";

export const assetLink = defineTable({
  logicalName: table,
  schemaName: "psh_AssetLink",
  entitySetName: "psh_assetlinks",
  displayName: "PhotoShelter Asset Link",
  displayCollectionName: "PhotoShelter Asset Links",
  description: "A PhotoShelter asset linked to a Dynamics 365 record, with the asset's rights as last synced.",
  primaryIdAttribute: "psh_assetlinkid",
  primaryNameAttribute: "psh_name",
  ownershipType: "UserOwned",
  origin: "core",
  columns: {
    id: primaryKey(table, "psh_AssetLink", "PhotoShelter Asset Link"),
    name: text("psh_Name", "Name", 200, { requiredLevel: "required", description: "Caption or file name of the asset." }),
    mediaId: text("psh_MediaId", "Media ID", 16, { requiredLevel: "required", description: "PhotoShelter media id (I + 15 characters)." }),
    mediaType: choice("psh_MediaType", "Media Type", mediaType),
    fileName: text("psh_FileName", "File Name", 260),
    thumbnailUrl: text("psh_ThumbnailUrl", "Thumbnail URL", 2000, { format: "url", description: "Proxy path of the thumbnail (signed on each view, never a PhotoShelter URL)." }),
    linkType: choice("psh_LinkType", "Link Type", linkType, { requiredLevel: "required" }),
    rightsStatus: choice("psh_RightsStatus", "Rights Status", rightsStatus, { requiredLevel: "required" }),
    usageRights: memo("psh_UsageRights", "Usage Rights", 4000),
    expiresOn: dateTime("psh_ExpiresOn", "Expires On", "DateOnly"),
    version: text("psh_Version", "Version", 50),
    lastSyncedOn: dateTime("psh_LastSyncedOn", "Last Synced On", "TimeZoneIndependent"),
    source: choice("psh_Source", "Source", linkSource, { requiredLevel: "required" }),
    needsReview: yesNo("psh_NeedsReview", "Needs Review", false, { description: "Set when the record changed in a way that may retire the asset (ended campaign, retired product line)." }),
    regardingKey: text("psh_RegardingKey", "Regarding", 100, { requiredLevel: "required", description: "<table>:<guid> of the linked record; part of the alternate key." }),
    accountId: customLookup(table, "psh_AccountId", "Account", account),
    incidentId: customLookup(table, "psh_IncidentId", "Case", incident),
    campaignId: customLookup(table, "psh_CampaignId", "Campaign", campaign),
    opportunityId: customLookup(table, "psh_OpportunityId", "Opportunity", opportunity),
    ...systemColumns(table),
    ...ownerColumn(table),
  },
  alternateKeys: [{ schemaName: "psh_assetlink_mediaid_regarding", displayName: "Media and record", columns: ["psh_mediaid", "psh_regardingkey"] }],
});
