/**
 * Places everything the plan describes into our solutions by the tables each piece needs
 * (placement.ts): the core gets what needs only Dataverse, each add-on what needs its Dynamics 365
 * app. Then every solution states what it needs and does not carry (MissingDependencies). Nothing
 * here names a table, so a new table, column, form or step is placed and declared by the same rules.
 */
import { dataModel, relationshipsOf, type ColumnDefinition, type Relationship, type TableDefinition } from "../model";
import { dataverseTables, defaultAppIcon, microsoftSolutions } from "../model/microsoftSolutions";
import { solutions, type SolutionKey } from "../model/publisher";
import { chartColumns, chartId, type ChartDefinition } from "./charts";
import type { PackedControl } from "./control";
import type { SolutionContent, TableContent } from "./customizations";
import { hostForm, tableForms, type FormContent, type HostFormDefinition } from "./forms";
import { microsoftSolutionOf, placementOf, tablesOfColumn } from "./placement";
import { plan as makePlan, type Plan } from "./plan";
import { roleId } from "./roles";
import { componentType, type ComponentRef, type MissingDependency } from "./solutionManifest";
import { missingSystemColumns } from "./systemColumns";
import { viewId, type ViewDefinition } from "./views";
import { endpointId, stepId, type WebhookStep } from "./webhooks";

const schemaNames = new Map(dataModel({ eventManagement: true }).map((table) => [table.logicalName, table.schemaName]));

/** Host forms come after the customer's own main forms in the form order (lower first). */
const hostFormOrder = 100;

interface Bucket {
  key: SolutionKey;
  tables: Map<string, TableContent>;
  relationships: Relationship[];
  steps: WebhookStep[];
  /** Components of this solution that need something it does not carry. */
  needs: { required: MissingDependency["required"]; dependent: ComponentRef }[];
}

function columnsOf(table: TableDefinition): ColumnDefinition[] {
  return Object.values(table.columns);
}

/** The custom 1:N relationships our lookups create (not the platform's createdby/owner ones). */
function customRelationships(tables: readonly TableDefinition[]): Relationship[] {
  return relationshipsOf(tables).filter((relationship) => {
    if (relationship.origin === "outOfBox") return false;
    const table = tables.find((candidate) => candidate.logicalName === relationship.referencingTable);
    const column = table && columnsOf(table).find((candidate) => candidate.logicalName === relationship.referencingAttribute);
    return column?.type === "lookup" && !column.system;
  });
}

function tableContent(bucket: Bucket, table: TableDefinition, shell: boolean): TableContent {
  let content = bucket.tables.get(table.logicalName);
  if (!content) {
    content = { table, shell, columns: [], views: [], forms: [], charts: [], quickCreate: false };
    bucket.tables.set(table.logicalName, content);
  }
  return content;
}

/** A mutable view of a TableContent's lists (the interface exposes them read-only). */
function add<K extends "columns" | "views" | "forms" | "charts">(content: TableContent, list: K, item: TableContent[K][number]): void {
  (content[list] as TableContent[K][number][]).push(item);
}

const tableRef = (table: TableDefinition): ComponentRef => ({ type: componentType.entity, schemaName: table.logicalName, displayName: table.displayName });

const models = new Map(dataModel({ eventManagement: true }).map((table) => [table.logicalName, table]));

/** What a component needs from a Dynamics 365 app because it touches `tables`. */
function needsOf(bucket: Bucket, tables: readonly string[], dependent: ComponentRef): void {
  for (const name of new Set(tables)) {
    const microsoft = microsoftSolutionOf(name);
    if (microsoft) bucket.needs.push({ required: { type: componentType.entity, schemaName: name, displayName: models.get(name)?.displayName ?? name, solution: microsoft }, dependent });
  }
}

/** An add-on extends a table of the core: it needs the core there first. */
function needsCoreTable(bucket: Bucket, table: TableDefinition, dependent: ComponentRef): void {
  if (bucket.key === "core" || microsoftSolutionOf(table.logicalName) || dataverseTables.has(table.logicalName)) return;
  bucket.needs.push({ required: { ...tableRef(table), solution: { uniqueName: solutions.core.uniqueName } }, dependent });
}

function viewTables(view: ViewDefinition, table: TableDefinition): string[] {
  const names = [...view.columns, ...view.order.map((order) => order.attribute), ...view.conditions.map((c) => c.attribute), ...(view.anyOf ?? []).map((c) => c.attribute)];
  const columns = columnsOf(table).filter((column) => names.includes(column.logicalName));
  return [table.logicalName, ...columns.flatMap(tablesOfColumn)];
}

/** Our tables: the columns by what they need, then views, forms and charts beside the columns they show. */
function placeOurTables(plan: Plan, buckets: Map<SolutionKey, Bucket>): void {
  for (const { table, views, layout, charts } of plan.tables) {
    const core = buckets.get("core") as Bucket;
    const created = tableContent(core, table, false);
    created.quickCreate = layout.quickCreate;
    for (const column of [...columnsOf(table), ...missingSystemColumns(table)]) {
      const key = placementOf([table.logicalName, ...tablesOfColumn(column)], `${table.logicalName}.${column.logicalName}`);
      const bucket = buckets.get(key) as Bucket;
      add(tableContent(bucket, table, key !== "core"), "columns", column);
      const dependent: ComponentRef = { type: componentType.attribute, schemaName: column.logicalName, displayName: column.displayName, parentSchemaName: table.logicalName, parentDisplayName: table.displayName };
      needsCoreTable(bucket, table, dependent);
      needsOf(bucket, tablesOfColumn(column), dependent);
    }
    const coreColumns = new Set(created.columns.map((column) => column.logicalName));
    for (const key of table.alternateKeys) {
      const outside = key.columns.filter((column) => !coreColumns.has(column));
      if (outside.length > 0) throw new Error(`${table.logicalName}: alternate key ${key.schemaName} uses ${outside.join(", ")}, which need an add-on`);
    }
    for (const view of views) {
      const key = placementOf(viewTables(view, table), `view ${view.key} of ${table.logicalName}`);
      const bucket = buckets.get(key) as Bucket;
      add(tableContent(bucket, table, key !== "core"), "views", view);
      needsCoreTable(bucket, table, { type: componentType.savedQuery, id: `{${viewId(table, view.key)}}`, displayName: view.name, parentSchemaName: table.logicalName });
    }
    for (const form of tableForms(table, created.columns, layout)) add(created, "forms", form);
    for (const chart of charts) placeChart(buckets, chart);
  }
}

function placeChart(buckets: Map<SolutionKey, Bucket>, chart: ChartDefinition): void {
  const key = placementOf([chart.table.logicalName, ...chartColumns(chart).flatMap(tablesOfColumn)], `chart ${chart.key}`);
  const bucket = buckets.get(key) as Bucket;
  add(tableContent(bucket, chart.table, key !== "core"), "charts", chart);
  needsCoreTable(bucket, chart.table, { type: componentType.chart, id: `{${chartId(chart)}}`, displayName: chart.name, parentSchemaName: chart.table.logicalName });
}

/** Columns we add to Microsoft's tables go where their table (and their lookup targets) are. */
function placeMicrosoftColumns(plan: Plan, buckets: Map<SolutionKey, Bucket>): void {
  for (const table of plan.microsoftTables) {
    for (const column of columnsOf(table).filter((candidate) => candidate.origin !== undefined && candidate.origin !== "outOfBox" && !candidate.system)) {
      const tables = [table.logicalName, ...tablesOfColumn(column)];
      const bucket = buckets.get(placementOf(tables, `${table.logicalName}.${column.logicalName}`)) as Bucket;
      add(tableContent(bucket, table, true), "columns", column);
      needsOf(bucket, tables, { type: componentType.attribute, schemaName: column.logicalName, displayName: column.displayName, parentSchemaName: table.logicalName, parentDisplayName: table.displayName });
    }
  }
}

function placeRelationships(plan: Plan, buckets: Map<SolutionKey, Bucket>): void {
  for (const relationship of customRelationships([...plan.tables.map((planned) => planned.table), ...plan.microsoftTables])) {
    const tables = [relationship.referencingTable, relationship.table];
    const bucket = buckets.get(placementOf(tables, relationship.relationshipName)) as Bucket;
    bucket.relationships.push(relationship);
    const dependent: ComponentRef = { type: componentType.relationship, schemaName: relationship.relationshipName, displayName: relationship.relationshipName };
    needsOf(bucket, tables, dependent);
    const referencing = models.get(relationship.referencingTable);
    if (referencing) needsCoreTable(bucket, referencing, dependent);
  }
}

/** Host forms: where the host and the lookups of their sections are; the navigation lists the PhotoShelter rows the solution can reach. */
function placeHostForms(plan: Plan, buckets: Map<SolutionKey, Bucket>): void {
  for (const definition of plan.hostForms) {
    const host = definition.table;
    const tables = [host.logicalName, ...definition.sections.flatMap((section) => [section.table.logicalName, ...tablesOfColumn(section.lookup)])];
    const key = placementOf(tables, `${host.logicalName} form`);
    const bucket = buckets.get(key) as Bucket;
    const reachable = [...(buckets.get("core") as Bucket).relationships, ...(key === "core" ? [] : bucket.relationships)];
    const navigation = reachable
      .filter((relationship) => relationship.table === host.logicalName)
      .map((relationship) => ({ relationship, title: models.get(relationship.referencingTable)?.displayCollectionName ?? relationship.referencingTable }));
    const form = hostForm(definition, { navigation, display: { order: hostFormOrder, fallback: false, roles: plan.hostFormRoles } });
    add(tableContent(bucket, host, true), "forms", form);
    needsHostForm(bucket, plan, definition, form);
  }
}

/** An add-on's host form shows the core's control, views and roles. */
function needsHostForm(bucket: Bucket, plan: Plan, definition: HostFormDefinition, form: FormContent): void {
  const dependent: ComponentRef = { type: componentType.systemForm, id: `{${form.id}}`, displayName: definition.name, parentSchemaName: definition.table.logicalName, parentDisplayName: definition.table.displayName };
  needsOf(bucket, [definition.table.logicalName], dependent);
  if (bucket.key === "core") return;
  const core = { uniqueName: solutions.core.uniqueName };
  for (const section of definition.sections) {
    bucket.needs.push({ required: { type: componentType.savedQuery, id: `{${section.viewId}}`, displayName: `${section.table.displayCollectionName} view`, parentSchemaName: section.table.logicalName, solution: core }, dependent });
    if (section.control) bucket.needs.push({ required: { type: componentType.customControl, schemaName: section.control.name, displayName: section.control.name, solution: core }, dependent });
  }
  for (const role of plan.roles) bucket.needs.push({ required: { type: componentType.role, id: `{${roleId(role)}}`, displayName: role.name, solution: core }, dependent });
}

function placeSteps(plan: Plan, buckets: Map<SolutionKey, Bucket>): void {
  for (const step of plan.steps) {
    const bucket = buckets.get(placementOf([step.table.logicalName], `${step.message} step of ${step.table.logicalName}`)) as Bucket;
    bucket.steps.push(step);
    const dependent: ComponentRef = { type: componentType.sdkMessageProcessingStep, id: `{${stepId(plan.endpoint, step)}}`, displayName: `${step.message} of ${step.table.logicalName}` };
    needsOf(bucket, [step.table.logicalName], dependent);
    if (bucket.key !== "core") {
      bucket.needs.push({ required: { type: componentType.serviceEndpoint, id: `{${endpointId(plan.endpoint)}}`, displayName: plan.endpoint.name, solution: { uniqueName: solutions.core.uniqueName } }, dependent });
    }
  }
}

/** One MissingDependency per (required, dependent) pair, as exports list them. */
function missingDependencies(bucket: Bucket): MissingDependency[] {
  const seen = new Set<string>();
  return bucket.needs.filter((need) => {
    const key = JSON.stringify([need.required.type, need.required.schemaName ?? need.required.id, need.dependent.type, need.dependent.schemaName ?? need.dependent.id, need.dependent.parentSchemaName]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const descriptions: Record<SolutionKey, string> = {
  core: "asset links, collection links, access rules, partner grants, usage, Account's columns and form, the asset picker, roles, settings, the webhook and the PhotoShelter Administration app; needs only Dataverse",
  sales: "Opportunity and Campaign lookups and columns, the Campaign form, usage per campaign and their webhook steps; needs Dynamics 365 Sales",
  service: "Case and Entitlement lookups, the Case form and the entitlement webhook steps; needs Dynamics 365 Customer Service",
  eventManagement: "Event lookups, the Event form and the Event webhook steps; needs Event Management",
};

/** Every solution we ship, core first, then each add-on that carries something. */
export function packedSolutions(control: PackedControl): SolutionContent[] {
  const plan = makePlan(control);
  const keys = Object.keys(solutions) as SolutionKey[];
  const buckets = new Map(keys.map((key): [SolutionKey, Bucket] => [key, { key, tables: new Map(), relationships: [], steps: [], needs: [] }]));
  placeOurTables(plan, buckets);
  placeMicrosoftColumns(plan, buckets);
  placeRelationships(plan, buckets);
  placeHostForms(plan, buckets);
  placeSteps(plan, buckets);
  // A table an add-on extends is itself a dependent of whoever brings it (an app, or our core).
  for (const bucket of buckets.values()) {
    for (const content of bucket.tables.values()) {
      if (!content.shell) continue;
      needsOf(bucket, [content.table.logicalName], tableRef(content.table));
      needsCoreTable(bucket, content.table, tableRef(content.table));
    }
  }
  const core = buckets.get("core") as Bucket;
  core.needs.push({
    required: { type: componentType.webResource, schemaName: defaultAppIcon.name, displayName: defaultAppIcon.name, solution: microsoftSolutions.appModuleWebResources },
    dependent: { type: componentType.appModule, schemaName: plan.app.uniqueName, displayName: plan.app.name },
  });
  return keys
    .map((key) => buckets.get(key) as Bucket)
    .filter((bucket) => bucket.key === "core" || bucket.tables.size > 0 || bucket.relationships.length > 0 || bucket.steps.length > 0)
    .map((bucket): SolutionContent => {
      const isCore = bucket.key === "core";
      return {
        key: bucket.key,
        uniqueName: solutions[bucket.key].uniqueName,
        displayName: solutions[bucket.key].displayName,
        description: `${plan.description}: ${descriptions[bucket.key]}.`,
        tables: [...bucket.tables.values()],
        relationships: bucket.relationships,
        optionSets: isCore ? plan.optionSets : [],
        roles: isCore ? plan.roles : [],
        ...(isCore ? { control: plan.control, app: plan.app } : {}),
        webhook: bucket.steps.length > 0 || isCore ? { endpoint: plan.endpoint, shipEndpoint: isCore, steps: bucket.steps } : undefined,
        environmentVariables: isCore ? plan.environmentVariables : [],
        missingDependencies: missingDependencies(bucket),
        schemaNames,
      };
    });
}

