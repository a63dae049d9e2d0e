/**
 * The tables our lookups point at, with the three names the Web API uses for each (logical name in
 * `context.webAPI` calls, entity set name in URLs and `@odata.bind` values, schema name in solution
 * XML). Kept apart from the full descriptions in outOfBox.ts so the control can import it cheaply.
 */
export interface TableNames {
  readonly logicalName: string;
  readonly schemaName: string;
  readonly entitySetName: string;
  readonly primaryIdAttribute: string;
  readonly primaryNameAttribute: string;
}

export const account = { logicalName: "account", schemaName: "Account", entitySetName: "accounts", primaryIdAttribute: "accountid", primaryNameAttribute: "name" } as const;
export const contact = { logicalName: "contact", schemaName: "Contact", entitySetName: "contacts", primaryIdAttribute: "contactid", primaryNameAttribute: "fullname" } as const;
export const incident = { logicalName: "incident", schemaName: "Incident", entitySetName: "incidents", primaryIdAttribute: "incidentid", primaryNameAttribute: "title" } as const;
export const campaign = { logicalName: "campaign", schemaName: "Campaign", entitySetName: "campaigns", primaryIdAttribute: "campaignid", primaryNameAttribute: "name" } as const;
export const opportunity = { logicalName: "opportunity", schemaName: "Opportunity", entitySetName: "opportunities", primaryIdAttribute: "opportunityid", primaryNameAttribute: "name" } as const;
export const systemUser = { logicalName: "systemuser", schemaName: "SystemUser", entitySetName: "systemusers", primaryIdAttribute: "systemuserid", primaryNameAttribute: "fullname" } as const;
export const businessUnit = { logicalName: "businessunit", schemaName: "BusinessUnit", entitySetName: "businessunits", primaryIdAttribute: "businessunitid", primaryNameAttribute: "name" } as const;
export const entitlement = { logicalName: "entitlement", schemaName: "Entitlement", entitySetName: "entitlements", primaryIdAttribute: "entitlementid", primaryNameAttribute: "name" } as const;
/** Exists only where Event Management (Dynamics 365 Marketing / Customer Insights – Journeys) is installed. */
export const event = { logicalName: "msevtmgt_event", schemaName: "msevtmgt_Event", entitySetName: "msevtmgt_events", primaryIdAttribute: "msevtmgt_eventid", primaryNameAttribute: "msevtmgt_name" } as const;

/**
 * The value of `psh_regardingkey`: `<table logical name>:<lowercase guid>`, the same form as the
 * proxy's `record=` parameter. It is part of the alternate keys, so a link to the same asset from the
 * same record is always one row, whichever lookup holds the record.
 */
export function regardingKey(logicalName: string, id: string): string {
  return `${logicalName}:${id.replace(/[{}]/g, "").toLowerCase()}`;
}
