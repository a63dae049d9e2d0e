/**
 * Shared by the solution tests: generates every zip of every solution in memory from a stand-in
 * control folder (the source manifest, its css and resx, a one-line bundle), so the unit tests need
 * no control build. test/integration/solutionPack.test.ts packs the real production build.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { publisher } from "../../../solution/model";
import type { SolutionKey } from "../../../solution/model/publisher";
import { packControl, type PackedControl } from "../../../solution/packer/control";
import type { SolutionContent } from "../../../solution/packer/customizations";
import { packedSolutions } from "../../../solution/packer/assemble";
import { solutionZip } from "../../../solution/packer/solutionZip";
import { readZip, type ZipPart } from "../../../solution/packer/zip";

export const repoRoot = path.resolve(__dirname, "..", "..", "..");
export const repoVersion = (JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version: string }).version;

/** A folder shaped like out/controls/PhotoShelterAssetPicker, made from the control's sources. */
export function standInControlDir(): { dir: string; remove: () => void } {
  const source = path.join(repoRoot, "PhotoShelterAssetPicker");
  const dir = mkdtempSync(path.join(os.tmpdir(), "solution-control-"));
  writeFileSync(path.join(dir, "ControlManifest.xml"), readFileSync(path.join(source, "ControlManifest.Input.xml"), "utf8").replace('path="index.ts"', 'path="bundle.js"'));
  writeFileSync(path.join(dir, "bundle.js"), "/* stand-in bundle */\n");
  for (const folder of ["css", "strings"]) cpSync(path.join(source, folder), path.join(dir, folder), { recursive: true });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface GeneratedZip {
  key: SolutionKey;
  uniqueName: string;
  managed: boolean;
  bytes: Buffer;
  parts: ZipPart[];
  text: (path: string) => string;
}

export interface Generated {
  control: PackedControl;
  solutions: SolutionContent[];
  zips: GeneratedZip[];
  zip: (solution: SolutionKey, managed: boolean) => GeneratedZip;
}

/** Every zip of every solution (core and add-ons), written and read back. */
export async function generateAll(controlDir: string, version = repoVersion): Promise<Generated> {
  const control = packControl(controlDir, publisher.prefix, version);
  const contents = packedSolutions(control);
  const zips: GeneratedZip[] = [];
  for (const content of contents) {
    for (const managed of [false, true]) {
      const bytes = await solutionZip(content, { version, managed });
      const parts = await readZip(bytes);
      const text = (partPath: string) => {
        const part = parts.find((candidate) => candidate.path === partPath);
        if (!part) throw new Error(`${content.uniqueName}: no part ${partPath}`);
        return part.data.toString("utf8");
      };
      zips.push({ key: content.key, uniqueName: content.uniqueName, managed, bytes, parts, text });
    }
  }
  const zip = (solution: SolutionKey, managed: boolean) => {
    const found = zips.find((candidate) => candidate.key === solution && candidate.managed === managed);
    if (!found) throw new Error(`no zip for ${solution}`);
    return found;
  };
  return { control, solutions: contents, zips, zip };
}

/** Parsed like a reader of the XML would see it: attributes as `@_name`, repeated elements always arrays. */
export type Xml = Record<string, unknown>;
const arrays = new Set([
  "Entity", "attribute", "EntityRelationship", "optionset", "option", "RootComponent", "Role", "RolePrivilege", "CustomControl",
  "SdkMessageProcessingStep", "ServiceEndpoint", "systemform", "savedquery", "section", "row", "cell", "controlDescription",
  "customControl", "EntityKey", "AttributeName", "Default", "Override", "Language", "state", "status", "tab", "condition", "value",
  "MissingDependency", "forms", "visualization", "AppModule", "AppModuleSiteMap", "AppModuleComponent", "Area", "Group", "SubArea",
  "NavBarByRelationshipItem", "NavBarArea", "Series", "measure",
]);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@_", parseTagValue: false, parseAttributeValue: false, isArray: (name) => arrays.has(name) });

export function parseXml(xml: string): Xml {
  return parser.parse(xml) as Xml;
}

const parsedParts = new Map<string, Xml>();
/** A part of a generated zip, parsed once (customizations.xml is large). */
export function parsedPart(zip: GeneratedZip, partPath: string): Xml {
  const key = `${zip.uniqueName}/${zip.managed}/${zip.bytes.length}/${partPath}`;
  if (!parsedParts.has(key)) parsedParts.set(key, parseXml(zip.text(partPath)));
  return parsedParts.get(key) as Xml;
}

/** Follows a path of element names; arrays are flattened, missing steps give []. */
export function all(node: unknown, ...steps: string[]): Xml[] {
  let current: unknown[] = [node];
  for (const step of steps) {
    current = current.flatMap((item) => {
      const child = (item as Xml | undefined)?.[step];
      if (child === undefined || child === "") return [];
      return Array.isArray(child) ? child : [child];
    });
  }
  return current as Xml[];
}

/** The text of a child element (fast-xml-parser gives plain text for elements without attributes). */
export function textOf(node: unknown, name: string): string | undefined {
  const value = (node as Xml | undefined)?.[name];
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  return (value as Xml)["#text"] as string | undefined;
}

type OrderedNode = Record<string, unknown>;
const orderedParser = new XMLParser({ preserveOrder: true, ignoreAttributes: true, parseTagValue: false });

function elementName(node: OrderedNode): string | undefined {
  return Object.keys(node).find((key) => key !== ":@" && key !== "#text" && !key.startsWith("?"));
}

/**
 * Reads XML as written and reports every element (named in `orders`) whose children are not in the
 * listed order or are not listed at all. Independent of the generator: it only sees the text.
 */
export function orderViolations(xml: string, orders: Readonly<Record<string, readonly string[]>>): string[] {
  const problems: string[] = [];
  const walk = (nodes: OrderedNode[], trail: string) => {
    for (const node of nodes) {
      const name = elementName(node);
      if (!name) continue;
      const children = (node[name] as OrderedNode[]).filter((child) => elementName(child));
      const order = orders[name];
      if (order) {
        let last = -1;
        for (const child of children) {
          const childName = elementName(child) as string;
          const index = order.indexOf(childName);
          if (index < 0) problems.push(`${trail}/${name}: <${childName}> is not allowed`);
          else if (index < last) problems.push(`${trail}/${name}: <${childName}> comes after <${order[last]}>`);
          else last = index;
        }
      }
      walk(children, `${trail}/${name}`);
    }
  };
  walk(orderedParser.parse(xml) as OrderedNode[], "");
  return problems;
}

/** Generates every zip once for the calling test file (beforeAll/afterAll); call the result inside tests. */
export function generatedOnce(): () => Generated {
  let generated: Generated | undefined;
  let remove = () => {};
  beforeAll(async () => {
    const stand = standInControlDir();
    remove = stand.remove;
    generated = await generateAll(stand.dir);
  });
  afterAll(() => remove());
  return () => {
    if (!generated) throw new Error("the zips are generated in beforeAll");
    return generated;
  };
}

/**
 * The tables a zip's components name (entities, relationship ends, webhook steps, sub-grids, view and
 * chart queries, app components and site map areas) that are neither ours, nor Dataverse's own, nor
 * declared as a required table in its MissingDependencies: what would make an import fail with a
 * missing dependency. Reads only the XML text of the zip.
 */
export function undeclaredTables(customizationsXml: string, solutionXml: string, ours: ReadonlySet<string>, dataverse: ReadonlySet<string>): string[] {
  const custom = parseXml(customizationsXml).ImportExportXml as Xml;
  const manifest = (parseXml(solutionXml).ImportExportXml as Xml).SolutionManifest as Xml;
  const declared = new Set(all(manifest, "MissingDependencies", "MissingDependency", "Required").filter((r) => r["@_type"] === "1").map((r) => String(r["@_schemaName"]).toLowerCase()));
  const named = new Set<string>();
  const addName = (value: unknown) => {
    if (typeof value === "string" && value !== "") named.add(value.toLowerCase());
  };
  const entities = all(custom, "Entities", "Entity");
  for (const entity of entities) addName(textOf(entity, "Name"));
  for (const relationship of all(custom, "EntityRelationships", "EntityRelationship")) {
    addName(textOf(relationship, "ReferencingEntityName"));
    addName(textOf(relationship, "ReferencedEntityName"));
  }
  for (const step of all(custom, "SdkMessageProcessingSteps", "SdkMessageProcessingStep")) addName(textOf(step, "PrimaryEntity"));
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== "object") return;
    for (const [key, value] of Object.entries(node as Xml)) {
      if (key === "TargetEntityType") addName(typeof value === "string" ? value : (value as Xml)["#text"]);
      if ((key === "entity" || key === "link-entity") && value && typeof value === "object") (Array.isArray(value) ? value : [value]).forEach((entity) => addName((entity as Xml)["@_name"]));
      walk(value);
    }
  };
  walk(entities.map((entity) => [entity.FormXml, entity.SavedQueries, entity.Visualizations]));
  for (const component of all(custom, "AppModules", "AppModule", "AppModuleComponents", "AppModuleComponent")) if (component["@_type"] === "1") addName(component["@_schemaName"]);
  for (const area of all(custom, "AppModuleSiteMaps", "AppModuleSiteMap", "SiteMap", "Area", "Group", "SubArea")) {
    addName(area["@_Entity"]);
    addName(/[?&]etn=([^&]+)/.exec(String(area["@_Url"] ?? ""))?.[1]);
  }
  return [...named].filter((table) => !ours.has(table) && !dataverse.has(table) && !declared.has(table)).sort();
}
