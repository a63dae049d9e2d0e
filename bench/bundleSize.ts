/**
 * Size of the production bundle.js, raw and gzip, built fresh so the figure is never stale, with the
 * bytes per part from its source map. `-- bundle --files` also lists the largest source files.
 */
import path from "node:path";
import { BUNDLE_BUDGET, budgetViolations, buildAndMeasureBundle } from "./bundleMeasure";

export async function bundleSize(): Promise<void> {
  const measure = await buildAndMeasureBundle(path.resolve(__dirname, ".."));
  console.log("| file | bytes | gzip bytes | budget |");
  console.log("|---|---:|---:|---|");
  console.log(`| bundle.js (production) | ${measure.bytes} | ${measure.gzip} | ≤ ${BUNDLE_BUDGET.bytes} / ≤ ${BUNDLE_BUDGET.gzip} gzip |`);
  for (const violation of budgetViolations(measure)) console.log(`\nOVER BUDGET: ${violation}`);
  console.log("\n| part | bytes |\n|---|---:|");
  for (const [part, bytes] of measure.parts) console.log(`| ${part} | ${bytes} |`);
  if (process.argv.includes("--files")) {
    console.log("\n| source file | bytes |\n|---|---:|");
    for (const [file, bytes] of measure.files.slice(0, 60)) console.log(`| ${file} | ${bytes} |`);
  }
}
