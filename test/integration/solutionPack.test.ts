/**
 * `npm run pack:solution` end to end on a real production build of the control: the CLI writes the
 * zips of the core and every add-on, each opens and reads back and names only tables it may (ours,
 * Dataverse's own, or declared), the packed control passes pcf-scripts' own manifest validation and
 * ships the bundle that was built. The control is packed (`--control-dir`) from a copy of the
 * production build in out/, which is built only when missing or older than its sources.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { coreTables, publisher, solutions } from "../../solution/model";
import { dataverseTables } from "../../solution/model/microsoftSolutions";
import { readZip, type ZipPart } from "../../solution/packer/zip";
import { ensureControlBuilt } from "../../workbench/server/controlBuild";
import { undeclaredTables } from "../unit/node/solutionFixture";

const root = path.resolve(__dirname, "..", "..");
const version = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;
const pcfRequire = createRequire(path.join(root, "node_modules", "pcf-scripts", "package.json"));

type ParsedManifest = { manifest: { control: Array<Record<string, unknown> & { $: Record<string, string>; resources: Array<{ code: Array<{ $: { path: string } }> }> }> } };

function parseManifest(xml: string): Promise<ParsedManifest> {
  const { parseStringPromise } = pcfRequire("xml2js") as { parseStringPromise: (text: string) => Promise<ParsedManifest> };
  return parseStringPromise(xml);
}

/**
 * pcf-scripts' manifest validator (ManifestSchema.json + its own rules) over xml2js output, as its
 * build runs it on ControlManifest.Input.xml. A packed manifest is first turned back into source
 * form: pcf-scripts' own build output (code path bundle.js, `built-by`) is not what its schema describes.
 */
async function pcfManifestProblems(manifestXml: string): Promise<string[]> {
  const { ManifestSchemaValidator } = pcfRequire("./manifestSchemaValidator") as {
    ManifestSchemaValidator: new (parsed: unknown, diag: unknown) => { validateManifest: () => void };
  };
  const source = await parseManifest(readFileSync(path.join(root, "PhotoShelterAssetPicker", "ControlManifest.Input.xml"), "utf8"));
  const parsed = await parseManifest(manifestXml);
  const control = parsed.manifest.control[0];
  delete control["built-by"];
  if (control.resources?.[0]?.code?.[0]) control.resources[0].code[0].$.path = source.manifest.control[0].resources[0].code[0].$.path;
  const problems: string[] = [];
  const diag = {
    push: (d: { message?: string }) => problems.push(String(d.message)),
    pushA: (d: { message?: string }, args: unknown[]) => problems.push(`${String(d.message)} ${JSON.stringify(args)}`),
  };
  new ManifestSchemaValidator(parsed, diag).validateManifest();
  return problems;
}

describe("npm run pack:solution", () => {
  const temp: string[] = [];
  let controlDir: string;
  let outDir: string;
  let zips: Map<string, ZipPart[]>;

  beforeAll(async () => {
    // The same up-to-date production build the end-to-end tests use (built once when missing or stale),
    // copied so a rebuild elsewhere, which empties out/controls, cannot pull it away mid-pack.
    const snapshot = mkdtempSync(path.join(os.tmpdir(), "solution-control-"));
    temp.push(snapshot);
    controlDir = await ensureControlBuilt({ copyTo: path.join(snapshot, "PhotoShelterAssetPicker") });
    outDir = mkdtempSync(path.join(os.tmpdir(), "solution-zips-"));
    temp.push(outDir);
    const run = spawnSync(process.execPath, [path.join(root, "node_modules", "tsx", "dist", "cli.mjs"), path.join(root, "solution", "pack.ts"), "--control-dir", controlDir, "--out-dir", outDir], { cwd: root, encoding: "utf8" });
    if (run.status !== 0) throw new Error(`pack.ts failed (${run.status}): ${run.stdout}${run.stderr}`);
    zips = new Map();
    for (const file of readdirSync(outDir)) zips.set(file, await readZip(readFileSync(path.join(outDir, file))));
  }, 300000);
  afterAll(() => temp.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("writes the core and the Sales, Service and Events add-ons, unmanaged and managed", () => {
    expect([...zips.keys()].sort()).toEqual(
      [solutions.core, solutions.sales, solutions.service, solutions.eventManagement].flatMap(({ uniqueName }) => [`${uniqueName}.zip`, `${uniqueName}_managed.zip`]).sort(),
    );
  });

  it("names in every zip on disk only tables that are ours, Dataverse's own, or declared in its MissingDependencies", () => {
    const ours = new Set<string>(coreTables.map((table) => table.logicalName));
    for (const [file, parts] of zips) {
      const text = (name: string) => (parts.find((part) => part.path === name) as ZipPart).data.toString("utf8");
      expect({ file, undeclared: undeclaredTables(text("customizations.xml"), text("solution.xml"), ours, dataverseTables) }).toEqual({ file, undeclared: [] });
    }
  });

  it("reads every zip back from disk: files only, forward slashes, the three root parts", () => {
    for (const [file, parts] of zips) {
      const paths = parts.map((part) => part.path);
      expect({ file, folders: paths.filter((p) => p.endsWith("/")), backslashes: paths.filter((p) => p.includes("\\")) }).toEqual({ file, folders: [], backslashes: [] });
      expect(paths).toEqual(expect.arrayContaining(["[Content_Types].xml", "solution.xml", "customizations.xml"]));
      expect(new Set(paths).size).toBe(paths.length);
    }
  });

  it("packs the built control: its bundle byte for byte and a manifest pcf-scripts accepts, at the repository version", async () => {
    const parts = zips.get(`${solutions.core.uniqueName}.zip`) as ZipPart[];
    const folder = `Controls/${publisher.prefix}_PhotoShelter.PhotoShelterAssetPicker`;
    const bundle = parts.find((part) => part.path === `${folder}/bundle.js`);
    expect(bundle?.data.equals(readFileSync(path.join(controlDir, "bundle.js")))).toBe(true);
    const manifest = (parts.find((part) => part.path === `${folder}/ControlManifest.xml`) as ZipPart).data.toString("utf8");
    expect(await pcfManifestProblems(manifest)).toEqual([]);
    // The packer changes nothing in the built manifest but the version.
    const packed = await parseManifest(manifest);
    const built = await parseManifest(readFileSync(path.join(controlDir, "ControlManifest.xml"), "utf8"));
    expect(packed.manifest.control[0].$.version).toBe(version);
    built.manifest.control[0].$.version = version;
    expect(packed).toEqual(built);
  });

  it("has a validator that does reject a broken manifest (so the check above can fail)", async () => {
    const broken = '<?xml version="1.0"?><manifest><control namespace="PhotoShelter" version="1.0.0"><resources/></control></manifest>';
    expect((await pcfManifestProblems(broken)).length).toBeGreaterThan(0);
  });
});
