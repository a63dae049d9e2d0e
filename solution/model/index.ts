/**
 * The Dataverse data model, defined once. The mock Dataverse serves its metadata from here, the
 * proxy and the control take table/column names from here, and the solution packer generates the
 * solution XML from here. Import single tables (`solution/model/assetLink`) where bundle size matters.
 */
import { accessRule } from "./accessRule";
import { assetLink } from "./assetLink";
import { assetUsage } from "./assetUsage";
import { collectionLink } from "./collectionLink";
import { event, eventLookups } from "./eventManagement";
import * as outOfBox from "./outOfBox";
import { partnerGrant } from "./partnerGrant";
import { pluginRegistrationTables } from "./pluginRegistration";
import { signInRequest } from "./signInRequest";
import type { ColumnDefinition, LookupColumn, LookupTarget, Origin, TableDefinition } from "./types";

export * from "./types";
export * as choices from "./choices";
export { publisher, solutions, webApiPath } from "./publisher";
export { regardingKey } from "./targets";
export { environmentVariables, proxyBaseUrl, proxyTokenAudience } from "./environmentVariables";
export { automationEndpoint, automationSteps, headerSettings, type AutomationStep } from "./automationSteps";
export * as pluginRegistration from "./pluginRegistration";
export { accessRule, assetLink, assetUsage, collectionLink, event, eventLookups, outOfBox, partnerGrant, signInRequest };

/** Our tables, as the core solution ships them (without the Event lookups). */
export const coreTables = [assetLink, collectionLink, accessRule, partnerGrant, assetUsage, signInRequest] as const;

/** Microsoft tables we read (and, for account/campaign/opportunity, add a few columns to). */
export const outOfBoxTables = [
  outOfBox.account,
  outOfBox.contact,
  outOfBox.incident,
  outOfBox.campaign,
  outOfBox.opportunity,
  outOfBox.systemUser,
  outOfBox.businessUnit,
  outOfBox.entitlement,
  ...pluginRegistrationTables,
] as const;

export interface ModelOptions {
  /** Include msevtmgt_event and the Event lookups (an org with Event Management). */
  eventManagement: boolean;
}

/**
 * Every table of an org with our solution(s) installed: our tables (with the Event lookups when
 * Event Management is there) and the Microsoft tables we use.
 */
export function dataModel(options: ModelOptions = { eventManagement: true }): TableDefinition[] {
  const ours: TableDefinition[] = coreTables.map((table) => {
    const extra = options.eventManagement ? (eventLookups as Record<string, Record<string, ColumnDefinition>>)[table.logicalName] : undefined;
    return extra ? { ...table, columns: { ...table.columns, ...extra } } : table;
  });
  return [...ours, ...outOfBoxTables, ...(options.eventManagement ? [event] : [])];
}

/** A 1:N relationship, as the solution XML and the Web API see it. */
export interface Relationship extends LookupTarget {
  /** Logical name of the table holding the lookup (many side). */
  referencingTable: string;
  /** Logical name of the lookup column. */
  referencingAttribute: string;
  referencingAttributeSchemaName: string;
  /** Which solution adds the relationship; `outOfBox` ones exist already. */
  origin: Origin;
}

/** Every 1:N relationship of the given tables' lookups (one per lookup target). */
export function relationshipsOf(tables: readonly TableDefinition[]): Relationship[] {
  return tables.flatMap((table) =>
    Object.values(table.columns)
      .filter((column): column is LookupColumn => column.type === "lookup" || column.type === "owner")
      .flatMap((column) =>
        column.targets.map((target) => ({
          ...target,
          referencingTable: table.logicalName,
          referencingAttribute: column.logicalName,
          referencingAttributeSchemaName: column.schemaName,
          origin: column.origin ?? (column.system ? "outOfBox" : table.origin),
        })),
      ),
  );
}

/** The Web API name of a lookup's value: `_<logicalname>_value`. */
export function lookupValueName(column: { logicalName: string }): string {
  return `_${column.logicalName}_value`;
}
