import type { ColumnDefinition, TableDefinition } from "../model";
import { stableGuid, braced } from "./ids";
import { descriptions, introducedVersion, localizedNames } from "./labels";
import { el, txt, type XmlElement } from "./xml";

/** Dataverse `savedquery.querytype` of the views we ship. */
export const queryType = { public: 0, advancedFind: 1, associated: 2, quickFind: 4, lookup: 64 } as const;

export interface ViewCondition {
  attribute: string;
  operator: "eq" | "ne" | "in" | "not-null";
  values?: readonly (string | number)[];
}

export interface ViewDefinition {
  /** Stable key within the table, part of the view id. */
  key: string;
  name: string;
  description: string;
  queryType: (typeof queryType)[keyof typeof queryType];
  isDefault: boolean;
  /** Logical names of the columns shown, in order. */
  columns: readonly string[];
  order: readonly { attribute: string; descending: boolean }[];
  /** All must hold (an `and` filter); `anyOf` adds one `or` group. */
  conditions: readonly ViewCondition[];
  anyOf?: readonly ViewCondition[];
}

export function viewId(table: TableDefinition, key: string): string {
  return stableGuid("view", table.logicalName, key);
}

/** Active rows: the table's state column at its first option (Active for every table we ship). */
export function activeOnly(table: TableDefinition): ViewCondition {
  const state = Object.values(table.columns).find((column) => column.type === "state");
  if (!state || !("choice" in state)) throw new Error(`${table.logicalName} has no state column to filter active rows`);
  return { attribute: state.logicalName, operator: "eq", values: [Object.values(state.choice.options)[0].value] };
}

function createdOnColumn(table: TableDefinition): string | undefined {
  return (table.columns as Record<string, ColumnDefinition | undefined>).createdOn?.logicalName;
}

/**
 * The columns a generic view of a table shows: the primary name, then up to five of the table's
 * own short columns (no memo, URL, key, lookup or platform column), then Created On.
 */
function defaultViewColumns(table: TableDefinition): string[] {
  const shown = (column: ColumnDefinition) =>
    !column.system &&
    !["primarykey", "memo", "lookup", "owner", "state", "status", "uniqueidentifier"].includes(column.type) &&
    !(column.type === "string" && column.format === "url") &&
    column.logicalName !== table.primaryNameAttribute;
  const own = Object.values(table.columns).filter(shown).slice(0, 5).map((column) => column.logicalName);
  const createdOn = createdOnColumn(table);
  return [table.primaryNameAttribute, ...own, ...(createdOn ? [createdOn] : [])];
}

/** The five views every table needs so grids, lookups, quick find and sub-grids work. */
export function standardViews(table: TableDefinition): ViewDefinition[] {
  const columns = defaultViewColumns(table);
  const byName = [{ attribute: table.primaryNameAttribute, descending: false }];
  const plural = table.displayCollectionName;
  const stateActive = activeOnly(table);
  const createdOn = createdOnColumn(table);
  return [
    { key: "active", name: `Active ${plural}`, description: `${plural} that are active.`, queryType: queryType.public, isDefault: true, columns, order: byName, conditions: [stateActive] },
    { key: "advancedFind", name: `${plural} Advanced Find View`, description: `Advanced find results of ${plural}.`, queryType: queryType.advancedFind, isDefault: true, columns, order: byName, conditions: [stateActive] },
    { key: "associated", name: `${plural} Associated View`, description: `${plural} related to a record.`, queryType: queryType.associated, isDefault: true, columns, order: byName, conditions: [stateActive] },
    { key: "quickFind", name: `Quick Find Active ${plural}`, description: `Quick find over ${plural}.`, queryType: queryType.quickFind, isDefault: true, columns, order: byName, conditions: [stateActive] },
    { key: "lookup", name: `${plural} Lookup View`, description: `Lookup list of ${plural}.`, queryType: queryType.lookup, isDefault: true, columns: [table.primaryNameAttribute, ...(createdOn ? [createdOn] : [])], order: byName, conditions: [stateActive] },
  ];
}

function condition(c: ViewCondition): XmlElement {
  if (c.operator === "in") return el("condition", { attribute: c.attribute, operator: "in" }, (c.values ?? []).map((value) => txt("value", value)));
  return el("condition", { attribute: c.attribute, operator: c.operator, value: c.values?.[0] });
}

function fetchXml(table: TableDefinition, view: ViewDefinition): XmlElement {
  const quickFind = view.queryType === queryType.quickFind;
  return el(
    "fetch",
    { version: "1.0", mapping: "logical" },
    el(
      "entity",
      { name: table.logicalName },
      [table.primaryIdAttribute, ...view.columns].map((name) => el("attribute", { name })),
      view.order.map((order) => el("order", { attribute: order.attribute, descending: String(order.descending) })),
      el("filter", { type: "and" }, view.conditions.map(condition), view.anyOf && el("filter", { type: "or" }, view.anyOf.map(condition))),
      quickFind && el("filter", { type: "or", isquickfindfields: 1 }, el("condition", { attribute: table.primaryNameAttribute, operator: "like", value: "{0}" })),
    ),
  );
}

/** One `<savedquery>` (xs:all). Layout widths: the name column wider than the rest. */
export function savedQuery(table: TableDefinition, view: ViewDefinition): XmlElement {
  const layout = el(
    "grid",
    { name: "resultset", jump: table.primaryNameAttribute, select: 1, icon: 1, preview: 1 },
    el("row", { name: "result", id: table.primaryIdAttribute }, view.columns.map((name, index) => el("cell", { name, width: index === 0 ? 300 : 150 }))),
  );
  return el(
    "savedquery",
    undefined,
    txt("IsCustomizable", 1),
    txt("CanBeDeleted", view.isDefault ? 0 : 1),
    txt("isquickfindquery", view.queryType === queryType.quickFind ? 1 : 0),
    txt("isprivate", 0),
    txt("isdefault", view.isDefault ? 1 : 0),
    txt("savedqueryid", braced(viewId(table, view.key))),
    el("layoutxml", undefined, layout),
    txt("querytype", view.queryType),
    el("fetchxml", undefined, fetchXml(table, view)),
    txt("IntroducedVersion", introducedVersion),
    localizedNames(view.name),
    descriptions(view.description),
  );
}
