/**
 * `npm run pack:solution`: builds the control in production mode from a clean output folder, then
 * writes the core solution and the Sales, Service and Events add-ons, each unmanaged and managed, to solution/bin/.
 *
 * Usage: tsx solution/pack.ts [--from-out | --control-dir DIR] [--out-dir DIR]
 *   --from-out     pack the control already built in out/controls (no build; for quick repacks)
 *   --control-dir  pack the control built in DIR (no build; tests build once into a folder of their own)
 *   --out-dir      where the zips go (default solution/bin)
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildControl } from "../scripts/build-control";
import { publisher } from "./model";
import { packControl } from "./packer/control";
import { packedSolutions } from "./packer/assemble";
import { solutionZip } from "./packer/solutionZip";
import { readZip } from "./packer/zip";

const root = path.resolve(__dirname, "..");
const controlName = "PhotoShelterAssetPicker";

export interface PackedSolution {
  uniqueName: string;
  managed: boolean;
  file: string;
  bytes: number;
  parts: number;
}

/** The one version of the repository: package.json "version". */
function repositoryVersion(repoRoot = root): string {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as { version?: string };
  if (!pkg.version) throw new Error("package.json has no version");
  return pkg.version;
}

/** The zip file name Dataverse tooling uses: <UniqueName>.zip and <UniqueName>_managed.zip. */
function zipFileName(uniqueName: string, managed: boolean): string {
  return `${uniqueName}${managed ? "_managed" : ""}.zip`;
}

/** Writes every zip (core and add-ons, unmanaged and managed) from a built control folder and reads each back to prove it opens. */
export async function packSolutions(options: { builtControlDir: string; outDir: string; version: string }): Promise<PackedSolution[]> {
  const control = packControl(options.builtControlDir, publisher.prefix, options.version);
  mkdirSync(options.outDir, { recursive: true });
  const written: PackedSolution[] = [];
  for (const content of packedSolutions(control)) {
    for (const managed of [false, true]) {
      const zip = await solutionZip(content, { version: options.version, managed });
      const parts = await readZip(zip);
      const file = path.join(options.outDir, zipFileName(content.uniqueName, managed));
      writeFileSync(file, zip);
      written.push({ uniqueName: content.uniqueName, managed, file, bytes: zip.length, parts: parts.length });
    }
  }
  return written;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const index = args.indexOf(name);
    if (index < 0) return undefined;
    const value = args[index + 1];
    if (!value || value.startsWith("--")) throw new Error(`${name} needs a folder`);
    return path.resolve(value);
  };
  const outDir = option("--out-dir") ?? path.join(root, "solution", "bin");
  const controlDir = option("--control-dir");
  const builtControlDir = controlDir ?? path.join(root, "out", "controls", controlName);
  if (!controlDir && !args.includes("--from-out")) {
    const build = await buildControl({ mode: "production", cwd: root });
    if (!build.ok) {
      process.stdout.write(build.log);
      throw new Error(`control build failed: ${build.reason ?? "unknown reason"}`);
    }
  }
  const version = repositoryVersion();
  for (const packed of await packSolutions({ builtControlDir, outDir, version })) {
    console.log(`${path.relative(root, packed.file)}  ${packed.managed ? "managed  " : "unmanaged"}  ${packed.parts} parts  ${packed.bytes} bytes`);
  }
  console.log(`Solution version ${version}.0, control version ${version}.`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
