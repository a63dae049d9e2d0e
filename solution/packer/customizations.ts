import type { ChoiceDefinition, ColumnDefinition, EnvironmentVariableDefinition, Relationship, TableDefinition } from "../model";
import type { PackedControl } from "./control";
import { entityInfo, entityShell, globalOptionSet } from "./entities";
import { systemForm, type HostFormDefinition } from "./forms";
import { languageCode } from "./labels";
import { entityRelationship, type SchemaNames } from "./relationships";
import { role, type RoleDefinition } from "./roles";
import { savedQuery, type ViewDefinition } from "./views";
import { sdkStep, serviceEndpoint, type WebhookEndpoint, type WebhookStep } from "./webhooks";
import { el, ordered, txt, type XmlElement } from "./xml";

/** A table this solution creates (whole) or only adds columns/forms to (`shell`). */
export interface TableContent {
  table: TableDefinition;
  shell: boolean;
  columns: readonly ColumnDefinition[];
  views: readonly ViewDefinition[];
  forms: readonly HostFormDefinition[];
}

/** Everything one solution zip carries, before it is written as XML. */
export interface SolutionContent {
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
  /** Schema names of every table in the model, for relationship XML. */
  schemaNames: SchemaNames;
}

function entity(content: TableContent): XmlElement {
  const { table } = content;
  return el(
    "Entity",
    undefined,
    txt("Name", table.schemaName, { LocalizedName: table.displayName, OriginalName: table.displayName }),
    el("EntityInfo", undefined, content.shell ? entityShell(table, content.columns) : entityInfo(table, content.columns)),
    content.forms.length > 0 && el("FormXml", undefined, el("forms", { type: "main" }, content.forms.map(systemForm))),
    content.views.length > 0 && el("SavedQueries", undefined, el("savedqueries", undefined, content.views.map((view) => savedQuery(table, view)))),
  );
}

/** customizations.xml: the root's children in the order of CustomizationsSolution.xsd. */
export function customizations(content: SolutionContent): XmlElement {
  return ordered(
    "ImportExportXml",
    { "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance" },
    el("Entities", undefined, content.tables.map(entity)),
    el("Roles", undefined, content.roles.map(role)),
    el("Workflows"),
    el("FieldSecurityProfiles"),
    el("Templates"),
    el("EntityMaps"),
    el("EntityRelationships", undefined, content.relationships.map((relationship) => entityRelationship(relationship, content.schemaNames))),
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
    el("EntityDataProviders"),
    el("Languages", undefined, txt("Language", languageCode)),
  );
}
