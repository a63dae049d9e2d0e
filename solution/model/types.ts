/**
 * Shapes of the data model. Everything in solution/model is plain data typed by these interfaces:
 * no runtime dependencies, so the control, the proxy, the mock Dataverse and the solution packer
 * can all import it.
 */

export type RequiredLevel = "none" | "recommended" | "required" | "systemrequired";

/** Dataverse date/time behaviour (solution XML `<Behavior>`: 1 UserLocal, 2 DateOnly, 3 TimeZoneIndependent). */
export type DateBehavior = "UserLocal" | "DateOnly" | "TimeZoneIndependent";

/** Who a column or table comes from: ours (the core or Event Management solution) or Microsoft's. */
export type Origin = "core" | "eventManagement" | "outOfBox";

export interface ChoiceOption {
  readonly value: number;
  readonly label: string;
}

/** A choice (option set). Global choices are shared by several columns and shipped once. */
export interface ChoiceDefinition<O extends string = string> {
  /** Option set name in solution XML (global) or the local option set name. */
  readonly name: string;
  readonly displayName: string;
  readonly global: boolean;
  readonly origin: Origin;
  readonly options: { readonly [K in O]: ChoiceOption };
}

/** One target of a lookup: the 1:N relationship from the target (referenced) table to this table. */
export interface LookupTarget {
  /** Logical name of the referenced table, e.g. `account`. */
  readonly table: string;
  /** Relationship schema name, e.g. `psh_account_psh_assetlink_AccountId`. */
  readonly relationshipName: string;
  /** Single-valued navigation property on the referencing table: the key of `…@odata.bind` and of `$expand`. */
  readonly navigationProperty: string;
  /** Collection-valued navigation property on the referenced table. */
  readonly referencedNavigationProperty: string;
  /** What deleting the referenced row does to this row. */
  readonly cascadeDelete: "RemoveLink" | "Cascade" | "Restrict" | "NoCascade";
}

interface ColumnBase {
  readonly logicalName: string;
  readonly schemaName: string;
  readonly displayName: string;
  readonly description?: string;
  readonly requiredLevel: RequiredLevel;
  /** Set when the column is added by one of our solutions to a table we do not own (or to ours, by Event Management). */
  readonly origin?: Origin;
  /** Maintained by the platform (createdon, versionnumber, …): never written by clients. */
  readonly system?: boolean;
  /** IsValidForRead false: written by clients, never returned (serviceendpoint.authvalue). */
  readonly writeOnly?: true;
}

export interface PrimaryKeyColumn extends ColumnBase { readonly type: "primarykey" }
export interface StringColumn extends ColumnBase {
  readonly type: "string";
  readonly maxLength: number;
  readonly format: "text" | "url" | "email";
}
export interface MemoColumn extends ColumnBase { readonly type: "memo"; readonly maxLength: number }
export interface IntegerColumn extends ColumnBase { readonly type: "integer"; readonly min: number; readonly max: number }
export interface BigIntColumn extends ColumnBase { readonly type: "bigint" }
export interface MoneyColumn extends ColumnBase { readonly type: "money" }
export interface BooleanColumn extends ColumnBase {
  readonly type: "boolean";
  readonly trueLabel: string;
  readonly falseLabel: string;
  readonly defaultValue: boolean;
}
export interface DateTimeColumn extends ColumnBase {
  readonly type: "datetime";
  readonly behavior: DateBehavior;
  readonly format: "date" | "datetime";
}
export interface ChoiceColumn extends ColumnBase {
  /** `state` and `status` are statecode/statuscode: choices the platform treats specially. */
  readonly type: "choice" | "multichoice" | "state" | "status";
  readonly choice: ChoiceDefinition;
}
export interface LookupColumn extends ColumnBase {
  /** `owner` is ownerid (systemuser or team). */
  readonly type: "lookup" | "owner";
  /** One target for a simple lookup, several for customer/owner lookups. */
  readonly targets: readonly LookupTarget[];
}
export interface UniqueIdentifierColumn extends ColumnBase { readonly type: "uniqueidentifier" }

export type ColumnDefinition =
  | PrimaryKeyColumn
  | StringColumn
  | MemoColumn
  | IntegerColumn
  | BigIntColumn
  | MoneyColumn
  | BooleanColumn
  | DateTimeColumn
  | ChoiceColumn
  | LookupColumn
  | UniqueIdentifierColumn;

export type ColumnType = ColumnDefinition["type"];

/** An alternate key: the columns that identify a row for an idempotent upsert. */
export interface AlternateKey {
  readonly schemaName: string;
  readonly displayName: string;
  /** Logical names of the key columns, in the order used in `entityset(col1='…',col2='…')`. */
  readonly columns: readonly string[];
}

export interface TableDefinition<C extends Record<string, ColumnDefinition> = Record<string, ColumnDefinition>> {
  readonly logicalName: string;
  /** Schema name: `ReferencedEntityName`/`ReferencingEntityName` in solution XML. */
  readonly schemaName: string;
  /** URL segment of the Web API: `/api/data/v9.2/<entitySetName>`. */
  readonly entitySetName: string;
  readonly displayName: string;
  readonly displayCollectionName: string;
  readonly description: string;
  readonly primaryIdAttribute: string;
  readonly primaryNameAttribute: string;
  readonly ownershipType: "UserOwned" | "OrganizationOwned" | "BusinessOwned" | "None";
  readonly origin: Origin;
  /** Columns by a name in our words; `columns.mediaId.logicalName` is the Dataverse name. */
  readonly columns: C;
  readonly alternateKeys: readonly AlternateKey[];
}

/** An environment variable definition shipped in the solution (component type 380). */
export interface EnvironmentVariableDefinition {
  readonly schemaName: string;
  readonly displayName: string;
  readonly description: string;
  /** Dataverse `type` choice of environmentvariabledefinition: 100000000 String, 100000001 Number, 100000002 Boolean, 100000003 JSON. */
  readonly type: 100000000 | 100000001 | 100000002 | 100000003;
  readonly defaultValue: string;
}

/** Identity function that keeps the literal column names of a table for typed access. */
export function defineTable<const C extends Record<string, ColumnDefinition>>(table: TableDefinition<C>): TableDefinition<C> {
  return table;
}

/** Identity function that keeps the literal option names of a choice. */
export function defineChoice<const O extends string>(choice: ChoiceDefinition<O>): ChoiceDefinition<O> {
  return choice;
}
