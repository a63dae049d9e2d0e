/**
 * psh_accessrule — admin-maintained segment rules: when a record's account matches every condition
 * that is set (an empty condition matches anything), users may see the listed PhotoShelter
 * collections/galleries. Optionally limited to users of one business unit.
 */
import { industrySegment, productLine, region, tier } from "./choices";
import { choice, customLookup, memo, primaryKey, systemColumns, text, wholeNumber } from "./columns";
import { businessUnit } from "./targets";
import { defineTable } from "./types";

const table = "psh_accessrule";

export const accessRule = defineTable({
  logicalName: table,
  schemaName: "psh_AccessRule",
  entitySetName: "psh_accessrules",
  displayName: "PhotoShelter Access Rule",
  displayCollectionName: "PhotoShelter Access Rules",
  description: "Maps account segments (industry, region, tier, product line) to the PhotoShelter collections and galleries users may see.",
  primaryIdAttribute: "psh_accessruleid",
  primaryNameAttribute: "psh_name",
  ownershipType: "OrganizationOwned",
  origin: "core",
  columns: {
    id: primaryKey(table, "psh_AccessRule", "PhotoShelter Access Rule"),
    name: text("psh_Name", "Name", 200, { requiredLevel: "required" }),
    description: memo("psh_Description", "Description", 2000),
    industry: choice("psh_Industry", "Industry Segment", industrySegment, { description: "Empty matches every industry." }),
    region: choice("psh_Region", "Region", region, { description: "Empty matches every region." }),
    tier: choice("psh_Tier", "Tier", tier, { description: "Empty matches every tier." }),
    productLine: choice("psh_ProductLine", "Product Line", productLine, { description: "Empty matches every product line; otherwise the account must own it." }),
    businessUnitId: customLookup(table, "psh_BusinessUnitId", "Business Unit", businessUnit, { description: "Empty applies to every user; otherwise only to users of this business unit." }),
    containerIds: memo("psh_ContainerIds", "Collections and Galleries", 4000, { requiredLevel: "required", description: "PhotoShelter collection (C…) and gallery (G…) ids, separated by commas, spaces or new lines." }),
    priority: wholeNumber("psh_Priority", "Priority", { max: 1000, description: "Lower first; informational, every matching rule grants access." }),
    ...systemColumns(table),
  },
  alternateKeys: [],
});
