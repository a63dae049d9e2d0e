/** psh_assetusage — downloads and views of one asset on one day, tied to the record it was used for. */
import { choice, customLookup, dateTime, ownerColumn, primaryKey, systemColumns, text, wholeNumber } from "./columns";
import { mediaType } from "./choices";
import { account, campaign, opportunity } from "./targets";
import { defineTable } from "./types";

const table = "psh_assetusage";

export const assetUsage = defineTable({
  logicalName: table,
  schemaName: "psh_AssetUsage",
  entitySetName: "psh_assetusages",
  displayName: "PhotoShelter Asset Usage",
  displayCollectionName: "PhotoShelter Asset Usage",
  description: "Downloads and views per asset and day, tied to the campaign, account or opportunity they came from.",
  primaryIdAttribute: "psh_assetusageid",
  primaryNameAttribute: "psh_name",
  ownershipType: "UserOwned",
  origin: "core",
  columns: {
    id: primaryKey(table, "psh_AssetUsage", "PhotoShelter Asset Usage"),
    name: text("psh_Name", "Name", 200, { requiredLevel: "required" }),
    mediaId: text("psh_MediaId", "Media ID", 16, { requiredLevel: "required" }),
    mediaType: choice("psh_MediaType", "Media Type", mediaType),
    period: text("psh_Period", "Period", 10, { requiredLevel: "required", description: "Day as YYYY-MM-DD (UTC); part of the alternate key." }),
    periodStart: dateTime("psh_PeriodStart", "Period Start", "DateOnly", { requiredLevel: "required" }),
    downloads: wholeNumber("psh_Downloads", "Downloads"),
    views: wholeNumber("psh_Views", "Views"),
    regardingKey: text("psh_RegardingKey", "Regarding", 100, { requiredLevel: "required", description: "<table>:<guid> of the record; part of the alternate key." }),
    accountId: customLookup(table, "psh_AccountId", "Account", account),
    campaignId: customLookup(table, "psh_CampaignId", "Campaign", campaign),
    opportunityId: customLookup(table, "psh_OpportunityId", "Opportunity", opportunity),
    ...systemColumns(table),
    ...ownerColumn(table),
  },
  alternateKeys: [{ schemaName: "psh_assetusage_media_period_regarding", displayName: "Media, period and record", columns: ["psh_mediaid", "psh_period", "psh_regardingkey"] }],
});
