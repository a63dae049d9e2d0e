import { publisher } from "../model";
import { contentTypes } from "./contentTypes";
import { customizations, type SolutionContent } from "./customizations";
import { environmentVariableDefinition, environmentVariablePath } from "./environmentVariables";
import { chartId } from "./charts";
import { roleId } from "./roles";
import { componentType, solutionManifest, type RootComponent } from "./solutionManifest";
import { viewId } from "./views";
import { endpointId, stepId } from "./webhooks";
import { renderXml } from "./xml";
import { writeZip, type ZipPart } from "./zip";

/** The repository version (x.y.z) as a Dataverse solution version (x.y.z.0). */
export function solutionVersion(version: string): string {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`version "${version}" must be major.minor.patch`);
  return `${version}.0`;
}

/**
 * Root components: tables we create with everything in them (behavior 0: their columns, forms,
 * views, charts and system relationships come along); tables of others as a shell (behavior 2) with
 * the forms, views and charts we add listed by id; relationships, choices, roles, control, settings,
 * the app and the webhook by name or id.
 */
export function rootComponents(content: SolutionContent): RootComponent[] {
  const roots: RootComponent[] = [];
  for (const table of content.tables) {
    roots.push({ type: componentType.entity, schemaName: table.table.logicalName, behavior: table.shell ? 2 : 0 });
    if (!table.shell) continue;
    for (const form of table.forms) roots.push({ type: componentType.systemForm, id: `{${form.id}}`, behavior: 0 });
    for (const view of table.views) roots.push({ type: componentType.savedQuery, id: `{${viewId(table.table, view.key)}}`, behavior: 0 });
    for (const chart of table.charts) roots.push({ type: componentType.chart, id: `{${chartId(chart)}}`, behavior: 0 });
  }
  for (const relationship of content.relationships) roots.push({ type: componentType.relationship, schemaName: relationship.relationshipName, behavior: 0 });
  for (const choice of content.optionSets) roots.push({ type: componentType.optionSet, schemaName: choice.name, behavior: 0 });
  for (const role of content.roles) roots.push({ type: componentType.role, id: `{${roleId(role)}}`, behavior: 0 });
  if (content.control) roots.push({ type: componentType.customControl, schemaName: content.control.name, behavior: 0 });
  for (const variable of content.environmentVariables) roots.push({ type: componentType.environmentVariableDefinition, schemaName: variable.schemaName, behavior: 0 });
  if (content.app) {
    roots.push({ type: componentType.siteMap, schemaName: content.app.uniqueName, behavior: 0 });
    roots.push({ type: componentType.appModule, schemaName: content.app.uniqueName, behavior: 0 });
  }
  if (content.webhook) {
    const { endpoint, shipEndpoint, steps } = content.webhook;
    if (shipEndpoint) roots.push({ type: componentType.serviceEndpoint, id: `{${endpointId(endpoint)}}`, behavior: 0 });
    for (const step of steps) roots.push({ type: componentType.sdkMessageProcessingStep, id: `{${stepId(endpoint, step)}}`, behavior: 0 });
  }
  return roots;
}

const xmlPart = (path: string, xml: string): ZipPart => ({ path, data: Buffer.from(xml, "utf8") });

/** Every part of one solution zip, `[Content_Types].xml` last so it can list the others' extensions. */
function solutionParts(content: SolutionContent, options: { version: string; managed: boolean }): ZipPart[] {
  const parts: ZipPart[] = [
    xmlPart(
      "solution.xml",
      renderXml(
        solutionManifest({
          uniqueName: content.uniqueName,
          displayName: content.displayName,
          description: content.description,
          version: solutionVersion(options.version),
          managed: options.managed,
          publisher,
          rootComponents: rootComponents(content),
          missingDependencies: content.missingDependencies,
        }),
      ),
    ),
    xmlPart("customizations.xml", renderXml(customizations(content))),
    ...content.environmentVariables.map((variable) => xmlPart(environmentVariablePath(variable), renderXml(environmentVariableDefinition(variable)))),
    ...(content.control?.parts ?? []),
  ];
  return [xmlPart("[Content_Types].xml", renderXml(contentTypes(parts))), ...parts];
}

export function solutionZip(content: SolutionContent, options: { version: string; managed: boolean }): Promise<Buffer> {
  return writeZip(solutionParts(content, options));
}
