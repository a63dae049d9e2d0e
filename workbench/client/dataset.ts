/**
 * The sub-grid's dataset as the platform hands it to a dataset control: the rows of the asset-link
 * table related to the host record, read over the Web API with the view's columns, paged by
 * `Prefer: odata.maxpagesize` + `@odata.nextLink`, with formatted values, sorting, a filter and
 * refresh(). Every change produces a fresh dataset object and asks the host to call updateView, as
 * the platform does.
 */
import { DataverseHttp, WebApiError } from "./dataverse";
import { AttributeMetadata, MetadataCache, queryName, TableMetadata } from "./metadata";

type DataSet = ComponentFramework.PropertyTypes.DataSet;
type Column = ComponentFramework.PropertyHelper.DataSetApi.Column;
type EntityRecord = ComponentFramework.PropertyHelper.DataSetApi.EntityRecord;
type SortStatus = ComponentFramework.PropertyHelper.DataSetApi.SortStatus;
type FilterExpression = ComponentFramework.PropertyHelper.DataSetApi.FilterExpression;
type ConditionExpression = ComponentFramework.PropertyHelper.DataSetApi.ConditionExpression;
type LinkEntity = ComponentFramework.PropertyHelper.DataSetApi.LinkEntityExposedExpression;

const FORMATTED = "@OData.Community.Display.V1.FormattedValue";
const LOOKUP_TABLE = "@Microsoft.Dynamics.CRM.lookuplogicalname";
/** A sub-grid's default "Number of rows" on a main form. */
export const DEFAULT_PAGE_SIZE = 25;

const DATA_TYPES: Record<string, string> = {
  String: "SingleLine.Text",
  Memo: "Multiple",
  Picklist: "OptionSet",
  State: "OptionSet",
  Status: "OptionSet",
  MultiSelectPicklist: "MultiSelectPicklist",
  Boolean: "TwoOptions",
  Integer: "Whole.None",
  BigInt: "Whole.None",
  Decimal: "Decimal",
  Double: "FP",
  Money: "Currency",
  DateTime: "DateAndTime.DateAndTime",
  Lookup: "Lookup.Simple",
  Customer: "Lookup.Customer",
  Owner: "Lookup.Owner",
};

function dataType(attribute: AttributeMetadata): string | null {
  const type = DATA_TYPES[attribute.AttributeType];
  if (!type) return null;
  if (type === "SingleLine.Text" && String(attribute.Format ?? attribute.FormatName ?? "").toLowerCase() === "url") return "SingleLine.URL";
  const behavior = attribute.DateTimeBehavior as { Value?: string } | string | undefined;
  if (type === "DateAndTime.DateAndTime" && String(attribute.Format ?? (typeof behavior === "object" ? behavior?.Value : behavior) ?? "").toLowerCase().includes("dateonly")) return "DateAndTime.DateOnly";
  return type;
}

function isLookup(column: Column): boolean {
  return column.dataType.startsWith("Lookup.");
}

function escapeLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** The subset of the dataset filter operators a sub-grid filter uses, as OData. */
function conditionToOData(condition: ConditionExpression, columns: Column[]): string {
  const column = columns.find((c) => c.name === condition.attributeName);
  const field = column && isLookup(column) ? `_${condition.attributeName}_value` : condition.attributeName;
  const raw = Array.isArray(condition.value) ? condition.value : [condition.value];
  const literal = (value: string) => (/^-?\d+(\.\d+)?$/.test(value) || /^[0-9a-f-]{36}$/i.test(value) ? value : escapeLiteral(value));
  switch (condition.conditionOperator) {
    case 0: return `${field} eq ${literal(raw[0])}`;
    case 1: return `${field} ne ${literal(raw[0])}`;
    case 2: return `${field} gt ${literal(raw[0])}`;
    case 3: return `${field} lt ${literal(raw[0])}`;
    case 4: return `${field} ge ${literal(raw[0])}`;
    case 5: return `${field} le ${literal(raw[0])}`;
    case 6: return `contains(${field},${escapeLiteral(raw[0].replace(/^%|%$/g, ""))})`;
    case 8: return `(${raw.map((value) => `${field} eq ${literal(value)}`).join(" or ")})`;
    case 12: return `${field} eq null`;
    case 13 as number: return `${field} ne null`;
    default:
      throw new Error(`The workbench's dataset does not translate filter operator ${condition.conditionOperator}.`);
  }
}

function filterToOData(filter: FilterExpression, columns: Column[]): string {
  const parts = [...filter.conditions.map((condition) => conditionToOData(condition, columns)), ...(filter.filters ?? []).map((inner) => `(${filterToOData(inner, columns)})`)];
  return parts.join(filter.filterOperator === 1 ? " or " : " and ");
}

export interface HostRecordRef {
  entityName: string;
  id: string;
}

interface PageState {
  records: Record<string, EntityRecord>;
  sortedRecordIds: string[];
  totalResultCount: number;
  /** URL of each page reached so far: index 0 is page 1 (the query), then the nextLinks. */
  pageLinks: string[];
  /** The loaded range of pages, whose rows the dataset holds. */
  firstPage: number;
  lastPage: number;
}

/** How a newly loaded page joins the rows already there. */
type Placement = "replace" | "append" | "prepend";

export class LinkedRowsSource {
  private table: TableMetadata | null = null;
  private columns: Column[] = [];
  private hostLookup = "";
  private pageSize = DEFAULT_PAGE_SIZE;
  private page: PageState = { records: {}, sortedRecordIds: [], totalResultCount: -1, pageLinks: [], firstPage: 1, lastPage: 1 };
  private loading = true;
  private error: WebApiError | null = null;
  private selected: string[] = [];
  private readonly sorting: SortStatus[] = [{ name: "createdon", sortDirection: 1 }];
  private filter: FilterExpression | null = null;
  private readonly linked: LinkEntity[] = [];
  private generation = 0;

  constructor(
    private readonly http: DataverseHttp,
    private readonly metadata: MetadataCache,
    private readonly targetTable: string,
    private readonly host: HostRecordRef | null,
    /** Called after every change, with the updated property names, so the host re-renders the control. */
    private readonly onChange: () => void,
    private readonly openRecord: (reference: ComponentFramework.EntityReference) => void,
  ) {}

  /** Reads the view's columns and the first page. */
  async start(): Promise<void> {
    try {
      this.table = await this.metadata.table(this.targetTable);
      const attributes = this.table.Attributes.getAll();
      this.columns = attributes
        .map((attribute, order): Column | null => {
          const type = dataType(attribute);
          if (!type || attribute.LogicalName === this.table?.PrimaryIdAttribute) return null;
          return { name: attribute.LogicalName, displayName: attribute.DisplayName, dataType: type, alias: attribute.LogicalName, order, visualSizeFactor: 100, isPrimary: attribute.LogicalName === this.table?.PrimaryNameAttribute };
        })
        .filter((column): column is Column => column !== null);
      if (this.host) {
        const lookups = attributes.filter((attribute) => (attribute.Targets ?? []).includes(this.host?.entityName ?? ""));
        const lookup = lookups.find((attribute) => attribute.LogicalName.startsWith("psh_")) ?? lookups[0];
        if (!lookup) throw { errorCode: 0, message: `${this.targetTable} has no lookup to ${this.host.entityName}, so this sub-grid cannot show its rows.`, code: "" } satisfies WebApiError;
        this.hostLookup = lookup.LogicalName;
      }
    } catch (error) {
      this.fail(error);
      return;
    }
    await this.load(1);
  }

  private fail(error: unknown): void {
    this.loading = false;
    this.error = (error as WebApiError)?.message ? (error as WebApiError) : { errorCode: 0, message: String(error), code: "" };
    this.onChange();
  }

  private firstPageUrl(): string {
    const table = this.table as TableMetadata;
    const select = [table.PrimaryIdAttribute, ...this.columns.map((column) => queryName(table, column.name))];
    const filters: string[] = [];
    if (this.host) filters.push(`_${this.hostLookup}_value eq ${this.host.id}`);
    if (this.filter && this.filter.conditions.length + (this.filter.filters?.length ?? 0) > 0) filters.push(`(${filterToOData(this.filter, this.columns)})`);
    const orderBy = this.sorting.filter((sort) => sort.sortDirection !== -1).map((sort) => `${queryName(table, sort.name)} ${sort.sortDirection === 1 ? "desc" : "asc"}`);
    const query = [`$select=${select.join(",")}`, "$count=true"];
    if (filters.length > 0) query.push(`$filter=${encodeURIComponent(filters.join(" and "))}`);
    if (orderBy.length > 0) query.push(`$orderby=${encodeURIComponent(orderBy.join(","))}`);
    return `${table.EntitySetName}?${query.join("&")}`;
  }

  private async load(pageNumber: number, placement: Placement = "replace"): Promise<void> {
    if (this.host === null) {
      // A new, unsaved record: the platform shows an empty sub-grid and queries nothing.
      this.loading = false;
      this.page = { records: {}, sortedRecordIds: [], totalResultCount: 0, pageLinks: [], firstPage: 1, lastPage: 1 };
      this.onChange();
      return;
    }
    const generation = ++this.generation;
    this.loading = true;
    this.error = null;
    this.onChange();
    try {
      // Page k is reached through the nextLink of page k-1 (they are opaque, as in Dataverse).
      // Loading page 1 afresh starts from the query (sorting or the filter may have changed).
      const links = pageNumber === 1 && placement === "replace" ? [this.firstPageUrl()] : this.page.pageLinks.slice();
      let index = Math.min(pageNumber, links.length) - 1;
      let total = this.page.totalResultCount;
      let body: { value?: Record<string, unknown>[]; "@odata.nextLink"?: string; "@odata.count"?: number };
      for (;;) {
        const response = await this.http.send("GET", links[index], { prefer: [`odata.maxpagesize=${this.pageSize}`] });
        body = response.body as typeof body;
        if (typeof body["@odata.count"] === "number") total = body["@odata.count"];
        const next = body["@odata.nextLink"];
        if (next) links[index + 1] = next;
        else links.length = index + 1;
        if (!next || index + 1 >= pageNumber) break;
        index += 1;
      }
      if (generation !== this.generation) return;
      const table = this.table as TableMetadata;
      const rows = body.value ?? [];
      const ids = rows.map((row) => String(row[table.PrimaryIdAttribute]));
      const loaded = index + 1;
      const keep = placement === "replace" ? null : this.page;
      const records: Record<string, EntityRecord> = keep ? { ...keep.records } : {};
      for (const row of rows) records[String(row[table.PrimaryIdAttribute])] = this.toRecord(row);
      const kept = keep ? keep.sortedRecordIds.filter((id) => !ids.includes(id)) : [];
      this.page = {
        records,
        sortedRecordIds: placement === "prepend" ? [...ids, ...kept] : [...kept, ...ids],
        totalResultCount: total,
        pageLinks: links,
        firstPage: keep && placement === "append" ? keep.firstPage : loaded,
        lastPage: keep && placement === "prepend" ? keep.lastPage : loaded,
      };
      this.loading = false;
      this.onChange();
    } catch (error) {
      if (generation === this.generation) this.fail(error);
    }
  }

  private toRecord(row: Record<string, unknown>): EntityRecord {
    const table = this.table as TableMetadata;
    const id = String(row[table.PrimaryIdAttribute]);
    const columns = this.columns;
    const value = (name: string) => {
      const column = columns.find((c) => c.name === name);
      if (!column) return undefined;
      if (isLookup(column)) {
        const guid = row[`_${name}_value`];
        if (typeof guid !== "string") return null;
        return { id: { guid }, name: String(row[`_${name}_value${FORMATTED}`] ?? ""), etn: String(row[`_${name}_value${LOOKUP_TABLE}`] ?? "") };
      }
      const raw = row[name];
      if (raw === null || raw === undefined) return null;
      if (column.dataType.startsWith("DateAndTime")) return new Date(String(raw));
      return raw;
    };
    const formatted = (name: string) => {
      const column = columns.find((c) => c.name === name);
      const key = column && isLookup(column) ? `_${name}_value` : name;
      const annotation = row[`${key}${FORMATTED}`];
      if (typeof annotation === "string") return annotation;
      const raw = row[key];
      return raw === null || raw === undefined ? "" : String(raw);
    };
    return {
      getRecordId: () => id,
      getValue: (name: string) => value(name) as ReturnType<EntityRecord["getValue"]>,
      getFormattedValue: (name: string) => formatted(name),
      getNamedReference: () => ({ id: { guid: id }, name: String(row[table.PrimaryNameAttribute] ?? ""), etn: table.LogicalName }) as ComponentFramework.EntityReference,
    };
  }

  /** A fresh dataset object describing the current state, as the platform passes on each updateView. */
  snapshot(): DataSet {
    const page = this.page;
    const hasNextPage = page.pageLinks.length > page.lastPage;
    return {
      loading: this.loading,
      error: this.error !== null,
      errorMessage: this.error?.message ?? "",
      innerError: this.error ? JSON.stringify(this.error) : "",
      columns: this.columns.slice(),
      records: { ...page.records },
      sortedRecordIds: page.sortedRecordIds.slice(),
      sorting: this.sorting,
      filtering: {
        getFilter: () => this.filter ?? { conditions: [], filterOperator: 0 },
        setFilter: (expression) => {
          this.filter = expression;
        },
        clearFilter: () => {
          this.filter = null;
        },
      },
      linking: {
        getLinkedEntities: () => this.linked.slice(),
        addLinkedEntity: (expression) => {
          this.linked.push(expression);
        },
      },
      paging: {
        totalResultCount: page.totalResultCount,
        firstPageNumber: page.firstPage,
        lastPageNumber: page.lastPage,
        pageSize: this.pageSize,
        hasNextPage,
        hasPreviousPage: page.firstPage > 1,
        // The whole loaded range, plus the new page (only the new page when asked), as the platform does.
        loadNextPage: (loadOnlyNewPage?: boolean) => void (hasNextPage ? this.load(page.lastPage + 1, loadOnlyNewPage ? "replace" : "append") : undefined),
        loadPreviousPage: (loadOnlyNewPage?: boolean) => void (page.firstPage > 1 ? this.load(page.firstPage - 1, loadOnlyNewPage ? "replace" : "prepend") : undefined),
        loadExactPage: (pageNumber: number) => void this.load(Math.max(1, Math.floor(pageNumber))),
        reset: () => void this.load(1),
        setPageSize: (pageSize: number) => {
          if (Number.isInteger(pageSize) && pageSize > 0) this.pageSize = Math.min(pageSize, 5000);
        },
      },
      refresh: () => void this.load(1),
      getTargetEntityType: () => this.targetTable,
      getTitle: () => this.table?.DisplayCollectionName ?? this.targetTable,
      getViewId: () => "00000000-0000-0000-00aa-000010001001",
      openDatasetItem: (reference) => this.openRecord(reference),
      getSelectedRecordIds: () => this.selected.slice(),
      setSelectedRecordIds: (ids) => {
        this.selected = ids.slice();
      },
      clearSelectedRecordIds: () => {
        this.selected = [];
      },
      addColumn: (name: string) => {
        const attribute = this.table?.Attributes.get(name);
        const type = attribute ? dataType(attribute) : null;
        if (attribute && type && !this.columns.some((column) => column.name === name)) {
          this.columns.push({ name, displayName: attribute.DisplayName, dataType: type, alias: name, order: this.columns.length, visualSizeFactor: 100 });
        }
      },
    } as DataSet;
  }
}
