/**
 * What the automation reacts to, defined once: the webhook steps the solution registers on its
 * service endpoint (the packer) and the mock Dataverse's development webhook both come from here.
 * Campaigns (S3, S5), account segments and partner fields (S1, S5, S6), won deals and product lines
 * of opportunities (S1, S5), partner entitlements (S6) and events (S7). Updates carry the row before
 * and after, so the proxy sees what changed.
 */
import { event } from "./eventManagement";
import * as outOfBox from "./outOfBox";
import type { ColumnDefinition, TableDefinition } from "./types";

export interface AutomationStep {
  table: TableDefinition;
  message: "Create" | "Update" | "Delete";
  /** Update only: the columns whose change triggers the step (logical names); none = every change. */
  filteringAttributes?: readonly string[];
  preImage?: boolean;
  postImage?: boolean;
}

const names = (...columns: ColumnDefinition[]) => columns.map((column) => column.logicalName);

export function automationSteps(): AutomationStep[] {
  const a = outOfBox.account.columns;
  const cp = outOfBox.campaign.columns;
  const o = outOfBox.opportunity.columns;
  const en = outOfBox.entitlement.columns;
  return [
    { table: outOfBox.campaign, message: "Create", postImage: true },
    { table: outOfBox.campaign, message: "Update", filteringAttributes: names(cp.name, cp.audience, cp.launchDate, cp.endDate, cp.statusCode, cp.stateCode, cp.ownerId), preImage: true, postImage: true },
    { table: outOfBox.account, message: "Update", filteringAttributes: names(a.industryCode, a.region, a.tier, a.productLines, a.customerTypeCode, a.partnerGroupId), preImage: true, postImage: true },
    { table: outOfBox.opportunity, message: "Update", filteringAttributes: names(o.stateCode, o.productLine), preImage: true, postImage: true },
    { table: outOfBox.entitlement, message: "Create", postImage: true },
    { table: outOfBox.entitlement, message: "Update", filteringAttributes: names(en.stateCode, en.endDate, en.startDate, en.galleryIds), preImage: true, postImage: true },
    { table: outOfBox.entitlement, message: "Delete", preImage: true },
    { table: event, message: "Create", postImage: true },
    { table: event, message: "Update", preImage: true, postImage: true },
  ];
}
