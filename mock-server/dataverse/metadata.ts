/**
 * What the mock knows about tables, derived from solution/model (plus Microsoft's common columns on
 * Microsoft's tables, platformColumns.ts): the three names of each table
 * (logical, entity set, schema), Web API property names, single- and collection-valued navigation
 * properties, and the EntityDefinitions the workbench's utils.getEntityMetadata reads.
 */
import { dataModel, lookupValueName, type ColumnDefinition, type LookupColumn, type TableDefinition } from "../../solution/model";
import { withPlatformColumns } from "./platformColumns";

export interface SingleNavigation {
  column: LookupColumn;
  /** Logical name of the referenced table. */
  target: string;
}

export interface CollectionNavigation {
  /** Logical name of the table holding the lookup. */
  referencingTable: string;
  /** Lookup column logical name on that table. */
  referencingAttribute: string;
}

export interface TableMetadata {
  table: TableDefinition;
  columns: Map<string, ColumnDefinition>;
  /** Web API read names: `_x_value` for lookups, the logical name otherwise. */
  properties: Map<string, ColumnDefinition>;
  singleNavigations: Map<string, SingleNavigation>;
  collectionNavigations: Map<string, CollectionNavigation>;
}

export class Metadata {
  readonly tables = new Map<string, TableMetadata>();
  private readonly bySet = new Map<string, TableMetadata>();

  constructor(tables: readonly TableDefinition[] = withPlatformColumns(dataModel({ eventManagement: true }))) {
    for (const table of tables) {
      const entry: TableMetadata = { table, columns: new Map(), properties: new Map(), singleNavigations: new Map(), collectionNavigations: new Map() };
      for (const column of Object.values(table.columns)) {
        entry.columns.set(column.logicalName, column);
        const isLookup = column.type === "lookup" || column.type === "owner";
        entry.properties.set(isLookup ? lookupValueName(column) : column.logicalName, column);
        if (isLookup) for (const target of column.targets) entry.singleNavigations.set(target.navigationProperty, { column, target: target.table });
      }
      this.tables.set(table.logicalName, entry);
      this.bySet.set(table.entitySetName, entry);
    }
    for (const entry of this.tables.values()) {
      for (const { column, target } of entry.singleNavigations.values()) {
        const referenced = this.tables.get(target);
        const lookupTarget = column.targets.find((t) => t.table === target)!;
        referenced?.collectionNavigations.set(lookupTarget.referencedNavigationProperty, { referencingTable: entry.table.logicalName, referencingAttribute: column.logicalName });
      }
    }
  }

  byLogicalName(logicalName: string): TableMetadata | undefined {
    return this.tables.get(logicalName);
  }

  /** Entity set names are case-sensitive in the Web API. */
  byEntitySet(entitySetName: string): TableMetadata | undefined {
    return this.bySet.get(entitySetName);
  }

  /** One EntityDefinition in the Web API's shape (the subset clients read). */
  entityDefinition(entry: TableMetadata, withAttributes: boolean): Record<string, unknown> {
    const { table } = entry;
    const label = (text: string) => ({ LocalizedLabels: [{ Label: text, LanguageCode: 1033 }], UserLocalizedLabel: { Label: text, LanguageCode: 1033 } });
    const definition: Record<string, unknown> = {
      MetadataId: metadataId(table.logicalName),
      LogicalName: table.logicalName,
      SchemaName: table.schemaName,
      EntitySetName: table.entitySetName,
      LogicalCollectionName: table.entitySetName,
      PrimaryIdAttribute: table.primaryIdAttribute,
      PrimaryNameAttribute: table.primaryNameAttribute,
      OwnershipType: table.ownershipType,
      IsCustomEntity: table.origin !== "outOfBox",
      DisplayName: label(table.displayName),
      DisplayCollectionName: label(table.displayCollectionName),
      Description: label(table.description),
      Keys: table.alternateKeys.map((key) => ({ SchemaName: key.schemaName, LogicalName: key.schemaName.toLowerCase(), KeyAttributes: [...key.columns] })),
    };
    if (withAttributes) {
      definition.Attributes = Object.values(table.columns).map((column) => ({
        "@odata.type": `#Microsoft.Dynamics.CRM.${METADATA_TYPES[column.type]}`,
        LogicalName: column.logicalName,
        SchemaName: column.schemaName,
        AttributeType: attributeType(column),
        AttributeTypeName: { Value: column.type === "multichoice" ? "MultiSelectPicklistType" : `${attributeType(column)}Type` },
        DisplayName: label(column.displayName),
        RequiredLevel: { Value: REQUIRED_LEVELS[column.requiredLevel] },
        IsPrimaryId: column.logicalName === table.primaryIdAttribute,
        IsPrimaryName: column.logicalName === table.primaryNameAttribute,
        IsCustomAttribute: (column.origin ?? table.origin) !== "outOfBox" && !column.system,
        IsValidForCreate: !column.system,
        IsValidForUpdate: !column.system && column.type !== "primarykey",
        ...(column.type === "string" ? { Format: { text: "Text", url: "Url", email: "Email" }[column.format] } : {}),
        ...(column.type === "integer" ? { MinValue: column.min, MaxValue: column.max } : {}),
        ...(column.type === "boolean" ? { OptionSet: { TrueOption: { Value: 1, Label: label(column.trueLabel) }, FalseOption: { Value: 0, Label: label(column.falseLabel) } } } : {}),
        ...(column.type === "string" || column.type === "memo" ? { MaxLength: column.maxLength } : {}),
        ...(column.type === "datetime" ? { DateTimeBehavior: { Value: column.behavior }, Format: column.format === "date" ? "DateOnly" : "DateAndTime" } : {}),
        ...(column.type === "lookup" || column.type === "owner" ? { Targets: column.targets.map((t) => t.table) } : {}),
        ...("choice" in column ? { OptionSet: { Name: column.choice.name, Options: Object.values(column.choice.options).map((o) => ({ Value: o.value, Label: label(o.label) })) } } : {}),
      }));
    }
    return definition;
  }
}

/** A lookup to account and contact is a Customer column, as Dataverse types it. */
function attributeType(column: ColumnDefinition): string {
  if (column.type === "lookup" && column.targets.length > 1) return "Customer";
  return ATTRIBUTE_TYPES[column.type];
}

const METADATA_TYPES: Record<ColumnDefinition["type"], string> = {
  primarykey: "UniqueIdentifierAttributeMetadata",
  string: "StringAttributeMetadata",
  memo: "MemoAttributeMetadata",
  integer: "IntegerAttributeMetadata",
  bigint: "BigIntAttributeMetadata",
  money: "MoneyAttributeMetadata",
  boolean: "BooleanAttributeMetadata",
  datetime: "DateTimeAttributeMetadata",
  choice: "PicklistAttributeMetadata",
  multichoice: "MultiSelectPicklistAttributeMetadata",
  state: "StateAttributeMetadata",
  status: "StatusAttributeMetadata",
  lookup: "LookupAttributeMetadata",
  owner: "LookupAttributeMetadata",
  uniqueidentifier: "UniqueIdentifierAttributeMetadata",
};

const ATTRIBUTE_TYPES: Record<ColumnDefinition["type"], string> = {
  primarykey: "Uniqueidentifier",
  string: "String",
  memo: "Memo",
  integer: "Integer",
  bigint: "BigInt",
  money: "Money",
  boolean: "Boolean",
  datetime: "DateTime",
  choice: "Picklist",
  multichoice: "Virtual",
  state: "State",
  status: "Status",
  lookup: "Lookup",
  owner: "Owner",
  uniqueidentifier: "Uniqueidentifier",
};

const REQUIRED_LEVELS = { none: "None", recommended: "Recommended", required: "ApplicationRequired", systemrequired: "SystemRequired" } as const;

/** A stable GUID per table name, so EntityDefinitions(<MetadataId>) keeps working across restarts. */
function metadataId(logicalName: string): string {
  let hash = 2166136261;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const char of `${round}:${logicalName}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
    hex.push(hash.toString(16).padStart(8, "0"));
  }
  const s = hex.join("");
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-8${s.slice(17, 20)}-${s.slice(20, 32)}`;
}
