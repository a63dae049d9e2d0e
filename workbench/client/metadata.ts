/**
 * Table metadata from the Dataverse metadata API (EntityDefinitions), shaped the way PCF's
 * `utils.getEntityMetadata` returns it: the table's names plus an `Attributes` collection with get().
 */
import { DataverseHttp } from "./dataverse";

export interface AttributeMetadata {
  LogicalName: string;
  AttributeType: string;
  DisplayName: string;
  /** Lookup targets (logical names), for lookup columns. */
  Targets?: string[];
  OptionSet?: { Label: string; Value: number }[];
  [key: string]: unknown;
}

export interface AttributeCollection {
  get(name: string): AttributeMetadata | undefined;
  getByName(name: string): AttributeMetadata | undefined;
  getAll(): AttributeMetadata[];
  getLength(): number;
}

export interface TableMetadata {
  LogicalName: string;
  EntitySetName: string;
  PrimaryIdAttribute: string;
  PrimaryNameAttribute: string;
  DisplayName: string;
  DisplayCollectionName: string;
  ObjectTypeCode?: number;
  Attributes: AttributeCollection;
  [key: string]: unknown;
}

interface RawLabel {
  UserLocalizedLabel?: { Label?: string } | null;
  LocalizedLabels?: { Label?: string }[];
}

function label(raw: unknown): string {
  if (typeof raw === "string") return raw;
  const value = raw as RawLabel | null | undefined;
  return value?.UserLocalizedLabel?.Label ?? value?.LocalizedLabels?.[0]?.Label ?? "";
}

function toAttribute(raw: Record<string, unknown>): AttributeMetadata {
  const optionSet = raw.OptionSet as { Options?: { Value: number; Label: unknown }[] } | undefined;
  return {
    ...raw,
    LogicalName: String(raw.LogicalName),
    AttributeType: String(raw.AttributeType ?? ""),
    DisplayName: label(raw.DisplayName),
    Targets: Array.isArray(raw.Targets) ? (raw.Targets as string[]) : undefined,
    OptionSet: optionSet?.Options?.map((option) => ({ Value: option.Value, Label: label(option.Label) })),
  };
}

function collection(attributes: AttributeMetadata[]): AttributeCollection {
  const byName = new Map(attributes.map((attribute) => [attribute.LogicalName, attribute]));
  return {
    get: (name) => byName.get(name),
    getByName: (name) => byName.get(name),
    getAll: () => attributes.slice(),
    getLength: () => attributes.length,
  };
}

const LOOKUP_TYPES = new Set(["Lookup", "Customer", "Owner"]);

export function isLookupAttribute(attribute: AttributeMetadata | undefined): boolean {
  return attribute !== undefined && LOOKUP_TYPES.has(attribute.AttributeType);
}

/** How a column is named in $select, $filter and $orderby: lookups by their `_<name>_value` property. */
export function queryName(table: TableMetadata, column: string): string {
  return isLookupAttribute(table.Attributes.get(column)) ? `_${column}_value` : column;
}

export class MetadataCache {
  private readonly tables = new Map<string, Promise<TableMetadata>>();

  constructor(private readonly http: DataverseHttp) {}

  /** All of a table's metadata, attributes included; fetched once per page. */
  table(logicalName: string): Promise<TableMetadata> {
    let pending = this.tables.get(logicalName);
    if (!pending) {
      pending = this.load(logicalName);
      pending.catch(() => this.tables.delete(logicalName));
      this.tables.set(logicalName, pending);
    }
    return pending;
  }

  private async load(logicalName: string): Promise<TableMetadata> {
    const key = encodeURIComponent(logicalName.replace(/'/g, "''"));
    const response = await this.http.send("GET", `EntityDefinitions(LogicalName='${key}')?$expand=Attributes`);
    const raw = response.body as Record<string, unknown> & { Attributes?: Record<string, unknown>[] };
    return {
      ...raw,
      LogicalName: String(raw.LogicalName),
      EntitySetName: String(raw.EntitySetName),
      PrimaryIdAttribute: String(raw.PrimaryIdAttribute),
      PrimaryNameAttribute: String(raw.PrimaryNameAttribute),
      DisplayName: label(raw.DisplayName),
      DisplayCollectionName: label(raw.DisplayCollectionName),
      Attributes: collection((raw.Attributes ?? []).map(toAttribute)),
    };
  }
}
