/**
 * Validates the generated solution zips against Microsoft's published Dataverse schemas
 * (CustomizationsSolution.xsd, FormXml.xsd, Fetch.xsd, 9.0.0.2090, patched so libxml2 compiles them)
 * with xmllint. The schemas carry no open licence, so they are not in this repository and this check
 * is not part of `npm test`; run it before a release:
 *
 *   npm run pack:solution
 *   tsx scripts/validate-solution-schemas.ts <folder with the .xsd files> [zip …]
 *
 * The folder can also come from DATAVERSE_SCHEMAS_DIR. Without zips, every zip in solution/bin is checked.
 * Checked: each customizations.xml (root ImportExportXml, which includes the app's site map), every
 * form in it on its own (root <form>) and every view and chart query on its own (root <fetch>).
 * Needs xmllint (Debian/Ubuntu: libxml2-utils).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";
import { readZip } from "../solution/packer/zip";

interface Check {
  zip: string;
  part: string;
  schema: string;
  ok: boolean;
  output: string;
}

function xmllint(schema: string, file: string): { ok: boolean; output: string } {
  const run = spawnSync("xmllint", ["--noout", "--nonet", "--schema", schema, file], { encoding: "utf8" });
  if (run.error) throw new Error(`xmllint could not run (${run.error.message}); install libxml2-utils`);
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`.trim() };
}

/** Every element named `name` anywhere below `doc`, each serialised as a document of its own. */
function subDocuments(doc: XMLBuilder, name: string): string[] {
  return doc.filter((node) => node.node.nodeName === name, false, true).map((node) => node.toString({ prettyPrint: true }));
}

async function checkZip(zipFile: string, schemas: string, workDir: string): Promise<Check[]> {
  const parts = await readZip(readFileSync(zipFile));
  const customizations = parts.find((part) => part.path === "customizations.xml");
  if (!customizations) throw new Error(`${zipFile} has no customizations.xml`);
  const base = path.join(workDir, path.basename(zipFile, ".zip"));
  const checks: Check[] = [];
  const check = (part: string, xml: string, schema: string) => {
    const file = `${base}.${part.replace(/[^A-Za-z0-9.]+/g, "_")}`;
    writeFileSync(file, xml);
    const result = xmllint(path.join(schemas, schema), file);
    checks.push({ zip: path.basename(zipFile), part, schema, ...result });
  };
  const xml = customizations.data.toString("utf8");
  check("customizations.xml", xml, "CustomizationsSolution.xsd");
  const doc = create(xml);
  subDocuments(doc, "form").forEach((form, index) => check(`form ${index + 1}.xml`, form, "FormXml.xsd"));
  subDocuments(doc, "fetch").forEach((fetch, index) => check(`fetch ${index + 1}.xml`, fetch, "Fetch.xsd"));
  return checks;
}

async function main(): Promise<void> {
  const [schemaArg, ...zipArgs] = process.argv.slice(2);
  const schemas = schemaArg ?? process.env.DATAVERSE_SCHEMAS_DIR;
  if (!schemas) throw new Error("give the schema folder as the first argument or in DATAVERSE_SCHEMAS_DIR");
  for (const xsd of ["CustomizationsSolution.xsd", "FormXml.xsd", "Fetch.xsd"]) {
    if (!existsSync(path.join(schemas, xsd))) throw new Error(`${xsd} is not in ${schemas}`);
  }
  const binDir = path.resolve(__dirname, "..", "solution", "bin");
  const zips = zipArgs.length > 0 ? zipArgs : existsSync(binDir) ? readdirSync(binDir).filter((f) => f.endsWith(".zip")).map((f) => path.join(binDir, f)) : [];
  if (zips.length === 0) throw new Error("no solution zips to check; run npm run pack:solution first");
  const workDir = mkdtempSync(path.join(os.tmpdir(), "solution-schemas-"));
  try {
    const checks = (await Promise.all(zips.map((zip) => checkZip(zip, schemas, workDir)))).flat();
    const failed = checks.filter((c) => !c.ok);
    for (const zip of [...new Set(checks.map((c) => c.zip))]) {
      const mine = checks.filter((c) => c.zip === zip);
      const count = (schema: string) => `${mine.filter((c) => c.schema === schema && c.ok).length}/${mine.filter((c) => c.schema === schema).length}`;
      console.log(`${zip}: customizations.xml ${count("CustomizationsSolution.xsd")}, forms ${count("FormXml.xsd")}, view and chart queries ${count("Fetch.xsd")} valid`);
    }
    for (const c of failed) console.log(`\nINVALID ${c.zip} ${c.part} (${c.schema})\n${c.output}`);
    console.log(`\n${checks.length - failed.length} of ${checks.length} documents valid in ${zips.length} zip(s).`);
    if (failed.length > 0) process.exit(3);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
