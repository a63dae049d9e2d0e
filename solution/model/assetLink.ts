/**
 * psh_assetlink — one PhotoShelter asset linked to one record (account, case, campaign, opportunity;
 * the Event lookup is added by eventManagement.ts). Its names are in names.ts, which is all the
 * control imports of it.
 */
import { linkSource, linkType, mediaType, rightsStatus, syncStatus } from "./choices";
import { choice, customLookup, dateTime, memo, ownerColumn, primaryKey, systemColumns, text, yesNo } from "./columns";
import { assetLinkNames as names, logicalNameOf } from "./names";
import { defineTable } from "./types";

const table = names.logicalName;
const { columns: c, lookups } = names;

export const assetLink = defineTable({
  logicalName: table,
  schemaName: names.schemaName,
  entitySetName: names.entitySetName,
  displayName: "PhotoShelter Asset Link",
  displayCollectionName: "PhotoShelter Asset Links",
  description: "A PhotoShelter asset linked to a Dynamics 365 record, with the asset's rights as last synced.",
  primaryIdAttribute: names.primaryIdAttribute,
  primaryNameAttribute: names.primaryNameAttribute,
  ownershipType: "UserOwned",
  origin: "core",
  columns: {
    id: primaryKey(table, names.schemaName, "PhotoShelter Asset Link"),
    name: text(c.name, "Name", 200, { requiredLevel: "required", description: "Caption or file name of the asset." }),
    mediaId: text(c.mediaId, "Media ID", 16, { requiredLevel: "required", description: "PhotoShelter media id (I + 15 characters)." }),
    mediaType: choice(c.mediaType, "Media Type", mediaType),
    fileName: text(c.fileName, "File Name", 260),
    thumbnailUrl: text(c.thumbnailUrl, "Thumbnail URL", 2000, { format: "url", description: "Proxy path of the thumbnail (signed on each view, never a PhotoShelter URL)." }),
    linkType: choice(c.linkType, "Link Type", linkType, { requiredLevel: "required" }),
    rightsStatus: choice(c.rightsStatus, "Rights Status", rightsStatus, { requiredLevel: "required" }),
    usageRights: memo(c.usageRights, "Usage Rights", 4000),
    expiresOn: dateTime(c.expiresOn, "Expires On", "DateOnly"),
    version: text(c.version, "Version", 50),
    lastSyncedOn: dateTime(c.lastSyncedOn, "Last Synced On", "TimeZoneIndependent"),
    source: choice(c.source, "Source", linkSource, { requiredLevel: "required" }),
    needsReview: yesNo(c.needsReview, "Needs Review", false, { description: "Set when the record changed in a way that may retire the asset (ended campaign, retired product line)." }),
    // Written by the automation only (the control never reads them), so their names live here, not in names.ts.
    reviewReason: text("psh_ReviewReason", "Review Reason", 200, { description: "Why the automation flagged the link for review (ended campaign, retired product line)." }),
    reviewStatus: choice("psh_ReviewStatus", "Review Sync Status", syncStatus, { description: "Whether the \"Under review\" flag reached the asset in PhotoShelter: pending, synced or failed." }),
    noLongerMatches: yesNo("psh_NoLongerMatches", "No Longer Matches", false, { description: "Set on an automatic link whose asset no longer matches the account's industry, region, tier or product lines; the link is kept." }),
    regardingKey: text(c.regardingKey, "Regarding", 100, { requiredLevel: "required", description: "<table>:<guid> of the linked record; part of the alternate key." }),
    accountId: customLookup(table, lookups.accountId.schemaName, "Account", lookups.accountId.target),
    incidentId: customLookup(table, lookups.incidentId.schemaName, "Case", lookups.incidentId.target),
    campaignId: customLookup(table, lookups.campaignId.schemaName, "Campaign", lookups.campaignId.target),
    opportunityId: customLookup(table, lookups.opportunityId.schemaName, "Opportunity", lookups.opportunityId.target),
    ...systemColumns(table),
    ...ownerColumn(table),
  },
  alternateKeys: [{ schemaName: "psh_assetlink_mediaid_regarding", displayName: "Media and record", columns: [logicalNameOf(c.mediaId), logicalNameOf(c.regardingKey)] }],
});
