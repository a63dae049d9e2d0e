/**
 * Microsoft's tables as an org has them, not only as far as solution/model reads them: the model lists
 * the columns the product uses (and the packer must not ship Microsoft's columns), while a client of
 * the mock may write or read any common column — `telephone1` on an account, `createdby`, `statuscode`.
 * Names, types and lengths follow Microsoft's table reference (MicrosoftDocs powerapps-docs
 * developer/data-platform/reference/entities/<table>.md); a column the model already has is kept as is.
 */
import { choice, dateTime, memo, platformLookup, text, wholeNumber } from "../../solution/model/columns";
import { defineChoice, type ColumnDefinition, type LookupTarget, type MoneyColumn, type TableDefinition } from "../../solution/model/types";

const userLookup = (table: string, attribute: string, displayName: string) =>
  platformLookup(attribute, displayName, [{ table: "systemuser", relationshipName: `lk_${table}_${attribute}`, navigationProperty: attribute, referencedNavigationProperty: `lk_${table}_${attribute}`, cascadeDelete: "NoCascade" }], { system: true });

const money = (logicalName: string, displayName: string): MoneyColumn => ({ logicalName, schemaName: logicalName, displayName, requiredLevel: "none", type: "money" });

const lookupTo = (table: string, attribute: string, displayName: string, target: string, relationshipName: string): ColumnDefinition =>
  platformLookup(attribute, displayName, [{ table: target, relationshipName, navigationProperty: attribute, referencedNavigationProperty: relationshipName, cascadeDelete: "RemoveLink" } satisfies LookupTarget]);

/** statuscode with the table's status reasons, as [value, label] pairs. */
const statusReason = (table: string, reasons: Array<[number, string]>) => {
  const options = Object.fromEntries(reasons.map(([value, label]) => [label.replace(/[^A-Za-z]/g, ""), { value, label }]));
  return { ...choice("statuscode", "Status Reason", defineChoice({ name: `${table}_statuscode`, displayName: "Status Reason", global: false, origin: "outOfBox", options })), type: "status" } as ColumnDefinition;
};

/** Columns every table has (audit, import and time-zone bookkeeping); user-owned tables also their business unit. */
function everyTable(table: TableDefinition): ColumnDefinition[] {
  const name = table.logicalName;
  const columns: ColumnDefinition[] = [
    userLookup(name, "createdby", "Created By"),
    userLookup(name, "modifiedby", "Modified By"),
    userLookup(name, "createdonbehalfby", "Created By (Delegate)"),
    userLookup(name, "modifiedonbehalfby", "Modified By (Delegate)"),
    dateTime("overriddencreatedon", "Record Created On", "UserLocal"),
    wholeNumber("importsequencenumber", "Import Sequence Number", { min: -2147483648 }),
    wholeNumber("timezoneruleversionnumber", "Time Zone Rule Version Number", { min: -1 }),
    wholeNumber("utcconversiontimezonecode", "UTC Conversion Time Zone Code", { min: -1 }),
  ];
  if (table.ownershipType === "UserOwned") {
    columns.push(platformLookup("owningbusinessunit", "Owning Business Unit", [{ table: "businessunit", relationshipName: `business_unit_${name}`, navigationProperty: "owningbusinessunit", referencedNavigationProperty: `business_unit_${name}`, cascadeDelete: "NoCascade" }], { system: true }));
  }
  return columns;
}

const ACTIVE_INACTIVE: Array<[number, string]> = [[1, "Active"], [2, "Inactive"]];

/** Common business columns per table (account.md, contact.md, incident.md, opportunity.md, systemuser.md). */
const BY_TABLE: Record<string, () => ColumnDefinition[]> = {
  account: () => [
    text("telephone1", "Main Phone", 50),
    text("emailaddress1", "Email", 100, { format: "email" }),
    text("websiteurl", "Website", 200, { format: "url" }),
    memo("description", "Description", 2000),
    text("address1_line1", "Address 1: Street 1", 250),
    text("address1_stateorprovince", "Address 1: State/Province", 50),
    text("address1_postalcode", "Address 1: ZIP/Postal Code", 20),
    money("revenue", "Annual Revenue"),
    wholeNumber("numberofemployees", "Number of Employees", { max: 1000000000 }),
    lookupTo("account", "parentaccountid", "Parent Account", "account", "account_parent_account"),
    statusReason("account", ACTIVE_INACTIVE),
  ],
  contact: () => [
    text("telephone1", "Business Phone", 50),
    text("mobilephone", "Mobile Phone", 50),
    text("address1_city", "Address 1: City", 80),
    text("address1_country", "Address 1: Country/Region", 80),
    memo("description", "Description", 2000),
    statusReason("contact", ACTIVE_INACTIVE),
  ],
  incident: () => [
    choice("prioritycode", "Priority", defineChoice({ name: "incident_prioritycode", displayName: "Priority", global: false, origin: "outOfBox", options: { high: { value: 1, label: "High" }, normal: { value: 2, label: "Normal" }, low: { value: 3, label: "Low" } } })),
    statusReason("incident", [[1, "In Progress"], [2, "On Hold"], [3, "Waiting for Details"], [4, "Researching"], [5, "Problem Solved"], [1000, "Information Provided"], [6, "Canceled"], [2000, "Merged"]]),
  ],
  opportunity: () => [
    memo("description", "Description", 2000),
    dateTime("estimatedclosedate", "Est. Close Date", "DateOnly"),
    statusReason("opportunity", [[1, "In Progress"], [2, "On Hold"], [3, "Won"], [4, "Canceled"], [5, "Out-Sold"]]),
  ],
  systemuser: () => [text("firstname", "First Name", 64), text("lastname", "Last Name", 64), text("mobilephone", "Mobile Phone", 64)],
};

/** The tables with Microsoft's common columns added to Microsoft's tables (ours are left as the model defines them). */
export function withPlatformColumns(tables: readonly TableDefinition[]): TableDefinition[] {
  return tables.map((table) => {
    if (table.origin !== "outOfBox") return table;
    const columns: Record<string, ColumnDefinition> = { ...table.columns };
    const have = new Set(Object.values(table.columns).map((c) => c.logicalName));
    for (const column of [...everyTable(table), ...(BY_TABLE[table.logicalName]?.() ?? [])]) {
      if (have.has(column.logicalName)) continue;
      have.add(column.logicalName);
      columns[column.logicalName] = column;
    }
    return { ...table, columns };
  });
}
