import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { create } from "xmlbuilder2";
import type { ZipPart } from "./zip";

/** The built control as it goes into a solution zip. */
export interface PackedControl {
  /** `<prefix>_<namespace>.<constructor>`: the folder under Controls/, the CustomControl Name and the root component. */
  name: string;
  /** `/Controls/<name>/ControlManifest.xml`, as customizations.xml refers to it. */
  manifestFileName: string;
  parts: ZipPart[];
}

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? listFiles(full, base) : [path.relative(base, full)];
  });
}

interface ManifestControl {
  namespace: string;
  constructor: string;
}

/**
 * Sets `control/@version` of a processed ControlManifest.xml. The platform replaces a control on
 * import only when this version goes up, so it must follow the repository version.
 */
export function stampManifestVersion(manifestXml: string, version: string): { xml: string; control: ManifestControl } {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`control version "${version}" must be major.minor.patch`);
  const doc = create(manifestXml);
  const control = doc.find((node) => node.node.nodeName === "control", false, true);
  if (!control) throw new Error("ControlManifest.xml has no <control> element");
  control.att("version", version);
  const attrs = control.toObject() as { control: Record<string, string> };
  const namespace = attrs.control["@namespace"];
  const ctor = attrs.control["@constructor"];
  if (!namespace || !ctor) throw new Error("ControlManifest.xml <control> needs namespace and constructor");
  return { xml: doc.end({ prettyPrint: true, headless: false }), control: { namespace, constructor: ctor } };
}

/** Paths of the files a processed manifest loads: code, css, resx and img resources (platform libraries are not files). */
export function resourcePaths(manifestXml: string): string[] {
  const doc = create(manifestXml);
  return doc
    .filter((node) => ["code", "css", "resx", "img"].includes(node.node.nodeName) && node.node.parentNode?.nodeName === "resources", false, true)
    .map((node) => (node.toObject() as Record<string, Record<string, string>>)[node.node.nodeName]["@path"]);
}

/**
 * Reads a built control folder (out/controls/<Name>) and lays it out as Controls/<prefix>_<ns>.<ctor>/
 * with every file the build produced, ControlManifest.xml carrying `version`.
 */
export function packControl(builtDir: string, prefix: string, version: string): PackedControl {
  const manifestPath = path.join(builtDir, "ControlManifest.xml");
  const bundlePath = path.join(builtDir, "bundle.js");
  for (const required of [manifestPath, bundlePath]) {
    try {
      statSync(required);
    } catch {
      throw new Error(`the built control is missing ${path.basename(required)} in ${builtDir}; build it first (npm run build)`);
    }
  }
  const manifestXml = readFileSync(manifestPath, "utf8");
  const stamped = stampManifestVersion(manifestXml, version);
  const name = `${prefix}_${stamped.control.namespace}.${stamped.control.constructor}`;
  const folder = `Controls/${name}`;
  const files = listFiles(builtDir).map((relative) => relative.split(path.sep).join("/")).sort();
  // The platform loads every resource the manifest names from the control folder; a missing one breaks the control after import.
  const missing = resourcePaths(manifestXml).filter((resource) => !files.includes(resource));
  if (missing.length > 0) throw new Error(`the built control in ${builtDir} lacks resources its manifest lists: ${missing.join(", ")}`);
  const parts = files
    .map((relative): ZipPart => ({
      path: `${folder}/${relative}`,
      data: relative === "ControlManifest.xml" ? Buffer.from(stamped.xml, "utf8") : readFileSync(path.join(builtDir, relative)),
    }));
  return { name, manifestFileName: `/${folder}/ControlManifest.xml`, parts };
}
