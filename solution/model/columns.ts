/**
 * Small builders for column definitions, so each table reads as a list of columns and the names the
 * platform derives (relationship names, navigation properties) are derived the same way everywhere.
 */
import { customState, customStatus } from "./choices";
import { logicalNameOf, systemColumnNames } from "./names";
import type {
  BigIntColumn,
  BooleanColumn,
  ChoiceColumn,
  ChoiceDefinition,
  DateBehavior,
  DateTimeColumn,
  IntegerColumn,
  LookupColumn,
  LookupTarget,
  MemoColumn,
  Origin,
  PrimaryKeyColumn,
  RequiredLevel,
  StringColumn,
} from "./types";

interface Common {
  description?: string;
  requiredLevel?: RequiredLevel;
  origin?: Origin;
}

function names(schemaName: string): { logicalName: string; schemaName: string } {
  return { logicalName: logicalNameOf(schemaName), schemaName };
}

function common(schemaName: string, displayName: string, options: Common) {
  return {
    ...names(schemaName),
    displayName,
    requiredLevel: options.requiredLevel ?? "none",
    ...(options.description ? { description: options.description } : {}),
    ...(options.origin ? { origin: options.origin } : {}),
  };
}

export function text(
  schemaName: string,
  displayName: string,
  maxLength: number,
  options: Common & { format?: StringColumn["format"] } = {},
): StringColumn {
  return { ...common(schemaName, displayName, options), type: "string", maxLength, format: options.format ?? "text" };
}

export function memo(schemaName: string, displayName: string, maxLength: number, options: Common = {}): MemoColumn {
  return { ...common(schemaName, displayName, options), type: "memo", maxLength };
}

export function wholeNumber(schemaName: string, displayName: string, options: Common & { min?: number; max?: number } = {}): IntegerColumn {
  return { ...common(schemaName, displayName, options), type: "integer", min: options.min ?? 0, max: options.max ?? 2147483647 };
}

export function yesNo(schemaName: string, displayName: string, defaultValue: boolean, options: Common = {}): BooleanColumn {
  return { ...common(schemaName, displayName, options), type: "boolean", trueLabel: "Yes", falseLabel: "No", defaultValue };
}

export function dateTime(
  schemaName: string,
  displayName: string,
  behavior: DateBehavior,
  options: Common & { system?: boolean } = {},
): DateTimeColumn {
  return {
    ...common(schemaName, displayName, options),
    type: "datetime",
    behavior,
    format: behavior === "DateOnly" ? "date" : "datetime",
    ...(options.system ? { system: true } : {}),
  };
}

export function choice(
  schemaName: string,
  displayName: string,
  definition: ChoiceDefinition,
  options: Common & { multiple?: boolean } = {},
): ChoiceColumn {
  return { ...common(schemaName, displayName, options), type: options.multiple ? "multichoice" : "choice", choice: definition };
}

/** A referenced table as the lookup builders need it. */
export interface LookupTargetTable {
  logicalName: string;
  schemaName: string;
}

/**
 * A lookup we add (1:N from `target` to `table`), named like the maker portal names it:
 * relationship `psh_<target>_<table>_<Attribute>`, single-valued navigation property = the column's
 * schema name, collection-valued navigation property on the target = the relationship name.
 */
export function customLookup(
  table: string,
  schemaName: string,
  displayName: string,
  target: LookupTargetTable,
  options: Common & { cascadeDelete?: LookupTarget["cascadeDelete"] } = {},
): LookupColumn {
  const attribute = schemaName.replace(/^psh_/, "");
  const relationshipName = `psh_${target.logicalName}_${table}_${attribute}`;
  return {
    ...common(schemaName, displayName, options),
    type: "lookup",
    targets: [
      {
        table: target.logicalName,
        relationshipName,
        navigationProperty: schemaName,
        referencedNavigationProperty: relationshipName,
        cascadeDelete: options.cascadeDelete ?? "RemoveLink",
      },
    ],
  };
}

/** A Microsoft lookup; its navigation properties are the platform's, so they are spelled out. */
export function platformLookup(
  logicalName: string,
  displayName: string,
  targets: LookupTarget[],
  options: Common & { type?: "lookup" | "owner"; system?: boolean } = {},
): LookupColumn {
  return {
    ...common(logicalName, displayName, options),
    type: options.type ?? "lookup",
    targets,
    ...(options.system ? { system: true } : {}),
  };
}

/** The platform columns every table of ours has (owner excepted, see `ownerColumn`). */
export function systemColumns(table: string) {
  const userLookup = (attribute: typeof systemColumnNames.createdBy | typeof systemColumnNames.modifiedBy, displayName: string) =>
    platformLookup(
      attribute,
      displayName,
      [{ table: "systemuser", relationshipName: `lk_${table}_${attribute}`, navigationProperty: attribute, referencedNavigationProperty: `lk_${table}_${attribute}`, cascadeDelete: "NoCascade" }],
      { system: true },
    );
  const versionNumber: BigIntColumn = { logicalName: "versionnumber", schemaName: "VersionNumber", displayName: "Version Number", requiredLevel: "none", type: "bigint", system: true };
  const stateCode: ChoiceColumn = { ...names("statecode"), displayName: "Status", requiredLevel: "systemrequired", type: "state", choice: customState };
  const statusCode: ChoiceColumn = { ...names("statuscode"), displayName: "Status Reason", requiredLevel: "none", type: "status", choice: customStatus };
  return {
    createdOn: dateTime(systemColumnNames.createdOn, "Created On", "UserLocal", { system: true }),
    modifiedOn: dateTime(systemColumnNames.modifiedOn, "Modified On", "UserLocal", { system: true }),
    createdBy: userLookup(systemColumnNames.createdBy, "Created By"),
    modifiedBy: userLookup(systemColumnNames.modifiedBy, "Modified By"),
    versionNumber,
    stateCode,
    statusCode,
  };
}

/** ownerid of a user-owned table of ours. */
export function ownerColumn(table: string) {
  return {
    ownerId: platformLookup(
      "ownerid",
      "Owner",
      [{ table: "systemuser", relationshipName: `user_${table}`, navigationProperty: "ownerid", referencedNavigationProperty: `user_${table}`, cascadeDelete: "NoCascade" }],
      { type: "owner", requiredLevel: "systemrequired" },
    ),
  };
}

/** The primary key column `<table>id`. */
export function primaryKey(table: string, schemaName: string, displayName: string): PrimaryKeyColumn {
  return { logicalName: `${table}id`, schemaName: `${schemaName}Id`, displayName, requiredLevel: "systemrequired", type: "primarykey" };
}
