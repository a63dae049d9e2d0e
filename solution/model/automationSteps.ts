/**
 * What the automation reacts to, defined once: the webhook steps the solution registers on its
 * service endpoint (the packer) and the mock Dataverse's development webhook both come from here.
 * Campaigns (S3, S5), account segments and partner fields (S1, S5, S6), won deals and product lines
 * of opportunities (S1, S5), partner entitlements (S6) and events (S7). Updates carry the row before
 * and after, so the proxy sees what changed.
 */
import { event } from "./eventManagement";
import * as outOfBox from "./outOfBox";
import { serviceEndpointAuthType, serviceEndpointConnectionMode, serviceEndpointContract, serviceEndpointMessageFormat, serviceEndpointUserClaim } from "./pluginRegistration";
import type { ColumnDefinition, TableDefinition } from "./types";

/**
 * The service endpoint the core solution ships: a webhook to the proxy's receiver that authenticates
 * with one HTTP header. Its value (WEBHOOK_KEY) cannot be shipped; the proxy sets it, or reports
 * in /readyz what the admin must do (proxy/README.md).
 */
export const automationEndpoint = {
  /** ServiceEndpointId in the solution (stable, so a newer import updates it in place). */
  id: "5c58e7ee-8819-57e1-a4a9-5f3023631329",
  /** The packer derives the steps' ids from it. */
  key: "automation",
  name: "PhotoShelter automation",
  description: "The PhotoShelter proxy's Dataverse webhook receiver (/hooks/dataverse). The proxy sets the URL and the HTTP header value after import (or see its /readyz).",
  /** The URL the solution ships: a placeholder, replaced by the proxy's public URL + `path`. */
  placeholderUrl: "https://photoshelter-proxy.example.com/hooks/dataverse",
  /** Where the proxy receives the webhook. */
  path: "/hooks/dataverse",
  /** The HTTP header (AuthType HttpHeader) that carries the shared key; the proxy compares it with WEBHOOK_KEY. */
  header: "x-psh-webhook-key",
  contract: serviceEndpointContract.options.webhook.value,
  authType: serviceEndpointAuthType.options.httpHeader.value,
  messageFormat: serviceEndpointMessageFormat.options.json.value,
  connectionMode: serviceEndpointConnectionMode.options.normal.value,
  userClaim: serviceEndpointUserClaim.options.none.value,
} as const;

/** `authvalue` of an HttpHeader (or HttpQueryString) endpoint: the XML the platform reads its name/value pairs from. */
export function headerSettings(values: Readonly<Record<string, string>>): string {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<settings>${Object.entries(values).map(([name, value]) => `<setting name="${escape(name)}" value="${escape(value)}"/>`).join("")}</settings>`;
}

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
