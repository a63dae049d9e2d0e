/**
 * What the platform gives every table of a given ownership, written the way a real export of a new
 * custom table writes it (Tactec-Inc/dev-powerapps `XML_1_1/customizations.xml`, table cr97b_Project;
 * microsoft/coe-starter-kit `ALMAcceleratorForAdvancedMakers/SolutionPackage/Other/Relationships/*.xml`):
 * the system columns the model does not describe (it lists only those the clients read), and the
 * system relationships to the user, team, business unit and owner tables. Derived from the table's
 * ownership alone, so a new table in the model gets them without a line here.
 */
import { dateTime, platformLookup, wholeNumber } from "../model/columns";
import type { ColumnDefinition, LookupTarget, TableDefinition } from "../model/types";
import { oneToMany } from "./relationships";
import type { XmlElement } from "./xml";

interface SystemRelationship {
  name: string;
  /** Schema name of the referenced platform table (Owner is the polymorphic owner behind ownerid). */
  referenced: "SystemUser" | "Team" | "BusinessUnit" | "Owner" | "Organization";
  /** Schema name of the lookup column on our table. */
  attribute: string;
  description: string;
}

const userOwned = (table: TableDefinition) => table.ownershipType === "UserOwned" || table.ownershipType === "BusinessOwned";

/** The system relationships of a table we create, as a real export lists them. */
export function systemRelationshipsOf(table: TableDefinition): SystemRelationship[] {
  const t = table.logicalName;
  const audit: SystemRelationship[] = [
    { name: `lk_${t}_createdby`, referenced: "SystemUser", attribute: "CreatedBy", description: "Unique identifier of the user who created the record." },
    { name: `lk_${t}_modifiedby`, referenced: "SystemUser", attribute: "ModifiedBy", description: "Unique identifier of the user who modified the record." },
  ];
  if (!userOwned(table)) {
    return [...audit, { name: `organization_${t}`, referenced: "Organization", attribute: "OrganizationId", description: "Unique identifier for the organization" }];
  }
  return [
    { name: `business_unit_${t}`, referenced: "BusinessUnit", attribute: "OwningBusinessUnit", description: "Unique identifier for the business unit that owns the record" },
    ...audit,
    { name: `owner_${t}`, referenced: "Owner", attribute: "OwnerId", description: "Owner Id" },
    { name: `team_${t}`, referenced: "Team", attribute: "OwningTeam", description: "Unique identifier for the team that owns the record." },
    { name: `user_${t}`, referenced: "SystemUser", attribute: "OwningUser", description: "Unique identifier for the user that owns the record." },
  ];
}

export function systemRelationship(table: TableDefinition, relationship: SystemRelationship): XmlElement {
  return oneToMany(relationship.name, { referencing: table.schemaName, referenced: relationship.referenced, attribute: relationship.attribute }, "NoCascade", relationship.description);
}

/** Platform columns carry PascalCase schema names (PhysicalName in the export). */
const named = <C extends ColumnDefinition>(schemaName: string, column: C): C => ({ ...column, schemaName });

const platformTarget = (table: string, relationshipName: string, navigationProperty: string): LookupTarget => ({
  table, relationshipName, navigationProperty, referencedNavigationProperty: relationshipName, cascadeDelete: "NoCascade",
});

/**
 * The platform columns of a table that its model definition leaves out, in the shape a real export
 * writes them. Columns the model already has (by logical name) are not repeated.
 */
export function missingSystemColumns(table: TableDefinition): ColumnDefinition[] {
  const t = table.logicalName;
  const system = { system: true } as const;
  const internal = { min: -1, description: "For internal use only." };
  const all: ColumnDefinition[] = [
    named("CreatedOnBehalfBy", platformLookup("createdonbehalfby", "Created By (Delegate)", [platformTarget("systemuser", `lk_${t}_createdonbehalfby`, "createdonbehalfby")], { ...system, description: "Unique identifier of the delegate user who created the record." })),
    named("ModifiedOnBehalfBy", platformLookup("modifiedonbehalfby", "Modified By (Delegate)", [platformTarget("systemuser", `lk_${t}_modifiedonbehalfby`, "modifiedonbehalfby")], { ...system, description: "Unique identifier of the delegate user who modified the record." })),
    { ...dateTime("OverriddenCreatedOn", "Record Created On", "UserLocal", { ...system, description: "Date and time that the record was migrated." }), format: "date" },
    { ...wholeNumber("ImportSequenceNumber", "Import Sequence Number", { min: -2147483648, description: "Sequence number of the import that created this record." }), system: true },
    { ...wholeNumber("TimeZoneRuleVersionNumber", "Time Zone Rule Version Number", internal), system: true },
    { ...wholeNumber("UTCConversionTimeZoneCode", "UTC Conversion Time Zone Code", { ...internal, description: "Time zone code that was in use when the record was created." }), system: true },
    ...(userOwned(table)
      ? [
          named("OwningBusinessUnit", platformLookup("owningbusinessunit", "Owning Business Unit", [platformTarget("businessunit", `business_unit_${t}`, "owningbusinessunit")], { ...system, description: "Unique identifier for the business unit that owns the record" })),
          named("OwningTeam", platformLookup("owningteam", "Owning Team", [platformTarget("team", `team_${t}`, "owningteam")], { ...system, description: "Unique identifier for the team that owns the record." })),
          named("OwningUser", platformLookup("owninguser", "Owning User", [platformTarget("systemuser", `user_${t}`, "owninguser")], { ...system, description: "Unique identifier for the user that owns the record." })),
        ]
      : [named("OrganizationId", platformLookup("organizationid", "Organization Id", [platformTarget("organization", `organization_${t}`, "organizationid")], { ...system, description: "Unique identifier for the organization" }))]),
  ];
  const known = new Set(Object.values(table.columns).map((column) => column.logicalName));
  return all.filter((column) => !known.has(column.logicalName));
}
