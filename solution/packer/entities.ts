import { publisher, type ChoiceDefinition, type ColumnDefinition, type TableDefinition } from "../model";
import { descriptions, displaynames, introducedVersion, labels, languageCode, localizedNames } from "./labels";
import { el, ordered, txt, type XmlElement } from "./xml";

const dateBehavior = { UserLocal: 1, DateOnly: 2, TimeZoneIndependent: 3 } as const;

/** Solution XML `<Type>` of each column type of the model. */
const attributeType: Record<ColumnDefinition["type"], string> = {
  primarykey: "primarykey",
  string: "nvarchar",
  memo: "ntext",
  integer: "int",
  bigint: "bigint",
  money: "money",
  boolean: "bit",
  datetime: "datetime",
  choice: "picklist",
  multichoice: "multiselectpicklist",
  state: "state",
  status: "status",
  lookup: "lookup",
  owner: "owner",
  uniqueidentifier: "uniqueidentifier",
};

function options(choice: ChoiceDefinition): XmlElement {
  return el(
    "options",
    undefined,
    Object.values(choice.options).map((option) => el("option", { value: option.value }, labels(option.label))),
  );
}

/** A global choice, shipped once under `<optionsets>` and referenced by `OptionSetName`. */
export function globalOptionSet(choice: ChoiceDefinition): XmlElement {
  return ordered(
    "optionset",
    { Name: choice.name, localizedName: choice.displayName, description: "" },
    txt("OptionSetType", "picklist"),
    txt("IsGlobal", 1),
    txt("IntroducedVersion", introducedVersion),
    txt("IsCustomizable", 1),
    displaynames(choice.displayName),
    descriptions(""),
    options(choice),
  );
}

/** The local option set of statecode/statuscode: states carry their default status, statuses their state. */
function stateStatusOptionSet(table: TableDefinition, column: ColumnDefinition & { choice: ChoiceDefinition }): XmlElement {
  const states = Object.values(stateColumn(table).choice.options);
  const statuses = Object.values(statusColumn(table).choice.options);
  if (states.length !== statuses.length) throw new Error(`${table.logicalName}: the packer pairs each state with one status, got ${states.length} states and ${statuses.length} statuses`);
  const isState = column.type === "state";
  return ordered(
    "optionset",
    { Name: `${table.logicalName}_${column.logicalName}` },
    txt("OptionSetType", isState ? "state" : "status"),
    txt("IsGlobal", 0),
    txt("IntroducedVersion", introducedVersion),
    txt("IsCustomizable", 1),
    displaynames(column.displayName),
    descriptions(""),
    isState
      ? el("states", undefined, states.map((state, index) => el("state", { value: state.value, defaultstatus: statuses[index].value, invariantname: state.label }, labels(state.label))))
      : el("statuses", undefined, statuses.map((status, index) => el("status", { value: status.value, state: states[index].value }, labels(status.label)))),
  );
}

function stateColumn(table: TableDefinition) {
  const column = Object.values(table.columns).find((c) => c.type === "state");
  if (!column || !("choice" in column)) throw new Error(`${table.logicalName} has no statecode column`);
  return column;
}

function statusColumn(table: TableDefinition) {
  const column = Object.values(table.columns).find((c) => c.type === "status");
  if (!column || !("choice" in column)) throw new Error(`${table.logicalName} has no statuscode column`);
  return column;
}

function booleanOptionSet(table: TableDefinition, column: ColumnDefinition & { type: "boolean" }): XmlElement {
  return ordered(
    "optionset",
    { Name: `${table.logicalName}_${column.logicalName}` },
    txt("OptionSetType", "bit"),
    txt("IsGlobal", 0),
    txt("IntroducedVersion", introducedVersion),
    txt("IsCustomizable", 1),
    displaynames(column.displayName),
    descriptions(""),
    el("options", undefined, el("option", { value: 1 }, labels(column.trueLabel)), el("option", { value: 0 }, labels(column.falseLabel))),
  );
}

/** System columns a real export writes without form or grid flags (the platform keeps them off forms). */
const hiddenSystemColumns = new Set(["owningbusinessunit", "owningteam", "owninguser", "organizationid", "timezoneruleversionnumber", "utcconversiontimezonecode"]);

function displayMask(table: TableDefinition, column: ColumnDefinition): string {
  if (column.type === "primarykey") return "ValidForAdvancedFind|RequiredForGrid";
  if (hiddenSystemColumns.has(column.logicalName)) return "";
  if (column.logicalName === "importsequencenumber") return "ValidForAdvancedFind";
  if (column.logicalName === table.primaryNameAttribute) return "PrimaryName|ValidForAdvancedFind|ValidForForm|ValidForGrid|RequiredForForm";
  return "ValidForAdvancedFind|ValidForForm|ValidForGrid";
}

/** The part of an `<attribute>` that depends on the column type. */
function typeDetails(table: TableDefinition, column: ColumnDefinition): XmlElement[] {
  switch (column.type) {
    case "string":
      return [txt("Format", column.format), txt("MaxLength", column.maxLength), txt("Length", column.maxLength * 2)];
    case "memo":
      return [txt("Format", "TextArea"), txt("MaxLength", column.maxLength), txt("Length", column.maxLength * 2)];
    case "integer":
      return [txt("Format", "none"), txt("MinValue", column.min), txt("MaxValue", column.max)];
    case "money":
      return [txt("MinValue", -922337203685477), txt("MaxValue", 922337203685477), txt("Accuracy", 2), txt("AccuracySource", 2)];
    case "boolean":
      return [txt("AppDefaultValue", column.defaultValue ? 1 : 0), booleanOptionSet(table, column)];
    case "datetime":
      return [txt("Format", column.format), txt("CanChangeDateTimeBehavior", 0), txt("Behavior", dateBehavior[column.behavior])];
    case "choice":
    case "multichoice":
      if (!column.choice.global) throw new Error(`${table.logicalName}.${column.logicalName}: the packer ships global choices only`);
      return [txt("AppDefaultValue", -1), txt("OptionSetName", column.choice.name)];
    case "state":
    case "status":
      return [stateStatusOptionSet(table, column)];
    case "lookup":
      return [txt("LookupStyle", "single"), el("LookupTypes")];
    case "owner":
      // An owner is a user (8) or a team (9), as exports of a user-owned table list it.
      return [txt("LookupStyle", "single"), el("LookupTypes", undefined, [8, 9].map((code) => txt("LookupType", code, { id: "00000000-0000-0000-0000-000000000000" })))];
    default:
      return [];
  }
}

/** Platform columns a client may write, as a real export marks them (migration stamps and time zone codes). */
const writablePlatformColumns: Readonly<Record<string, { create: boolean; update: boolean }>> = {
  overriddencreatedon: { create: true, update: false },
  importsequencenumber: { create: true, update: false },
  timezoneruleversionnumber: { create: true, update: true },
  utcconversiontimezonecode: { create: true, update: true },
};

/** The platform's PascalCase physical names of the system columns the model names in lower case. */
const platformPhysicalNames: Readonly<Record<string, string>> = { createdby: "CreatedBy", modifiedby: "ModifiedBy", ownerid: "OwnerId" };

/** One `<attribute>` (xs:all, so order is free; we follow the order of platform exports). */
export function attribute(table: TableDefinition, column: ColumnDefinition): XmlElement {
  const custom = column.logicalName.startsWith(`${publisher.prefix}_`) && column.type !== "primarykey";
  return el(
    "attribute",
    { PhysicalName: platformPhysicalNames[column.schemaName] ?? column.schemaName },
    txt("Type", attributeType[column.type]),
    txt("Name", column.logicalName),
    txt("LogicalName", column.logicalName),
    txt("RequiredLevel", column.requiredLevel),
    displayMask(table, column) !== "" && txt("DisplayMask", displayMask(table, column)),
    txt("ImeMode", column.type === "datetime" ? "inactive" : "auto"),
    txt("ValidForUpdateApi", column.type === "primarykey" || (column.system && !writablePlatformColumns[column.logicalName]?.update) ? 0 : 1),
    txt("ValidForReadApi", 1),
    txt("ValidForCreateApi", column.system && !writablePlatformColumns[column.logicalName]?.create ? 0 : 1),
    txt("IsCustomField", custom ? 1 : 0),
    txt("IsAuditEnabled", column.system ? 0 : 1),
    txt("IsSecured", 0),
    txt("IntroducedVersion", introducedVersion),
    txt("IsCustomizable", 1),
    txt("IsRenameable", 1),
    txt("CanModifySearchSettings", 1),
    txt("CanModifyRequirementLevelSettings", column.requiredLevel === "systemrequired" ? 0 : 1),
    txt("CanModifyAdditionalSettings", 1),
    txt("SourceType", 0),
    typeDetails(table, column),
    displaynames(column.displayName),
    descriptions(column.description ?? ""),
  );
}

function ownershipMask(table: TableDefinition): string {
  if (table.ownershipType === "OrganizationOwned") return "OrgOwned";
  return table.ownershipType;
}

/** `<entity>` of a table we create: every column we are given, alternate keys, table settings. */
export function entityInfo(table: TableDefinition, columns: readonly ColumnDefinition[], options: { quickCreate: boolean } = { quickCreate: false }): XmlElement {
  return el(
    "entity",
    { Name: table.schemaName },
    localizedNames(table.displayName),
    el("LocalizedCollectionNames", undefined, el("LocalizedCollectionName", { description: table.displayCollectionName, languagecode: languageCode })),
    descriptions(table.description),
    el("attributes", undefined, columns.map((column) => attribute(table, column))),
    txt("EntitySetName", table.entitySetName),
    txt("IsDuplicateCheckSupported", 1),
    txt("IsBusinessProcessEnabled", 0),
    txt("IsRequiredOffline", 0),
    txt("IsCollaboration", 0),
    txt("AutoRouteToOwnerQueue", 0),
    txt("IsConnectionsEnabled", 0),
    txt("IsDocumentManagementEnabled", 0),
    txt("OwnershipTypeMask", ownershipMask(table)),
    txt("IsAuditEnabled", 1),
    txt("IsActivity", 0),
    txt("IsActivityParty", 0),
    txt("IsMailMergeEnabled", 0),
    txt("IsVisibleInMobile", 0),
    txt("IsVisibleInMobileClient", 1),
    txt("IsQuickCreateEnabled", options.quickCreate ? 1 : 0),
    txt("IntroducedVersion", introducedVersion),
    txt("IsCustomizable", 1),
    txt("IsRenameable", 1),
    txt("IsMappable", 1),
    txt("CanCreateAttributes", 1),
    txt("CanCreateForms", 1),
    txt("CanCreateViews", 1),
    txt("CanCreateCharts", 1),
    txt("CanBeRelatedEntityInRelationship", 1),
    txt("CanBePrimaryEntityInRelationship", 1),
    txt("CanBeInManyToMany", 1),
    table.alternateKeys.length > 0 &&
      el(
        "EntityKeys",
        undefined,
        table.alternateKeys.map((key) =>
          el(
            "EntityKey",
            undefined,
            txt("Name", key.schemaName),
            txt("LogicalName", key.schemaName.toLowerCase()),
            txt("IntroducedVersion", introducedVersion),
            txt("IsCustomizable", 1),
            displaynames(key.displayName),
            el("EntityKeyAttributes", undefined, key.columns.map((column) => txt("AttributeName", column))),
          ),
        ),
      ),
  );
}

/**
 * `<entity>` of a table someone else owns (Microsoft's, or ours from the core when the events
 * solution adds a lookup): `unmodified="1"` and only the columns this solution adds.
 */
export function entityShell(table: TableDefinition, columns: readonly ColumnDefinition[]): XmlElement {
  return el("entity", { Name: table.schemaName, unmodified: 1 }, el("attributes", undefined, columns.map((column) => attribute(table, column))));
}
