import type { ChoiceDefinition, ColumnDefinition, EnvironmentVariableDefinition, Relationship, TableDefinition } from "../model";
import type { SolutionKey } from "../model/publisher";
import { appModule, appModuleSiteMap, type AppDefinition } from "./appModule";
import { visualization, type ChartDefinition } from "./charts";
import type { PackedControl } from "./control";
import { entityInfo, entityShell, globalOptionSet } from "./entities";
import { systemForm, type FormContent } from "./forms";
import { introducedVersion, languageCode } from "./labels";
import { entityRelationship, type SchemaNames } from "./relationships";
import { role, type RoleDefinition } from "./roles";
import type { MissingDependency } from "./solutionManifest";
import { systemRelationship, systemRelationshipsOf } from "./systemColumns";
import { savedQuery, type ViewDefinition } from "./views";
import { sdkStep, serviceEndpoint, type WebhookEndpoint, type WebhookStep } from "./webhooks";
import { el, ordered, txt, type XmlElement } from "./xml";

/** A table this solution creates (whole) or only adds columns, forms, views or charts to (`shell`). */
export interface TableContent {
  table: TableDefinition;
  shell: boolean;
  columns: readonly ColumnDefinition[];
  views: readonly ViewDefinition[];
  forms: readonly FormContent[];
  charts: readonly ChartDefinition[];
  /** The table may be created from a quick create form (IsQuickCreateEnabled). */
  quickCreate: boolean;
}

/** Everything one solution zip carries, before it is written as XML. */
export interface SolutionContent {
  key: SolutionKey;
  uniqueName: string;
  displayName: string;
  description: string;
  tables: readonly TableContent[];
  relationships: readonly Relationship[];
  optionSets: readonly ChoiceDefinition[];
  roles: readonly RoleDefinition[];
  control?: PackedControl;
  /** Webhook steps; the endpoint itself is shipped by one solution only (`shipEndpoint`) and referenced by id elsewhere. */
  webhook?: { endpoint: WebhookEndpoint; shipEndpoint: boolean; steps: readonly WebhookStep[] };
  environmentVariables: readonly EnvironmentVariableDefinition[];
  app?: AppDefinition;
  /** What must already be in the org: Microsoft's app solutions, or our core for an add-on. */
  missingDependencies: readonly MissingDependency[];
  /** Schema names of every table in the model, for relationship XML. */
  schemaNames: SchemaNames;
}

function entity(content: TableContent): XmlElement {
  const { table } = content;
  const formsOfType = (type: FormContent["type"]) => content.forms.filter((form) => form.type === type);
  const formTypes = (["main", "quickCreate"] as const).filter((type) => formsOfType(type).length > 0);
  return el(
    "Entity",
    undefined,
    txt("Name", table.schemaName, { LocalizedName: table.displayName, OriginalName: table.displayName }),
    el("EntityInfo", undefined, content.shell ? entityShell(table, content.columns) : entityInfo(table, content.columns, { quickCreate: content.quickCreate })),
    formTypes.length > 0 && el("FormXml", undefined, formTypes.map((type) => el("forms", { type }, formsOfType(type).map(systemForm)))),
    content.views.length > 0 && el("SavedQueries", undefined, el("savedqueries", undefined, content.views.map((view) => savedQuery(table, view)))),
    content.charts.length > 0 && el("Visualizations", undefined, content.charts.map(visualization)),
  );
}

/** customizations.xml: the root's children in the order of CustomizationsSolution.xsd. */
export function customizations(content: SolutionContent): XmlElement {
  const created = content.tables.filter((table) => !table.shell).map((table) => table.table);
  return ordered(
    "ImportExportXml",
    { "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance" },
    el("Entities", undefined, content.tables.map(entity)),
    el("Roles", undefined, content.roles.map(role)),
    el("Workflows"),
    el("FieldSecurityProfiles"),
    el("Templates"),
    el("EntityMaps"),
    el(
      "EntityRelationships",
      undefined,
      content.relationships.map((relationship) => entityRelationship(relationship, content.schemaNames)),
      created.flatMap((table) => systemRelationshipsOf(table).map((relationship) => systemRelationship(table, relationship))),
    ),
    el("OrganizationSettings"),
    el("optionsets", undefined, content.optionSets.map(globalOptionSet)),
    el(
      "CustomControls",
      undefined,
      content.control && ordered("CustomControl", undefined, txt("Name", content.control.name), txt("FileName", content.control.manifestFileName)),
    ),
    el("SolutionPluginAssemblies"),
    el("SdkMessageProcessingSteps", undefined, content.webhook?.steps.map((step) => sdkStep(content.webhook!.endpoint, step))),
    el("ServiceEndpoints", undefined, content.webhook?.shipEndpoint && serviceEndpoint(content.webhook.endpoint)),
    content.app && el("AppModuleSiteMaps", undefined, appModuleSiteMap(content.app)),
    content.app && el("AppModules", undefined, appModule(content.app, introducedVersion)),
    el("EntityDataProviders"),
    el("Languages", undefined, txt("Language", languageCode)),
  );
}
