/**
 * Size of the production bundle.js, raw and gzip, built fresh so the figure is never stale, with the
 * bytes per part from its source map. `-- bundle --files` also lists the largest source files.
 */
import path from "node:path";
import { BUNDLE_BUDGET, BUNDLE_CEILING, budgetViolations, buildAndMeasureBundle } from "./bundleMeasure";

export async function bundleSize(): Promise<void> {
  const measure = await buildAndMeasureBundle(path.resolve(__dirname, ".."));
  console.log("| file | bytes | gzip bytes | target | ceiling (test) |");
  console.log("|---|---:|---:|---|---|");
  console.log(`| bundle.js (production) | ${measure.bytes} | ${measure.gzip} | ≤ ${BUNDLE_BUDGET.bytes} / ≤ ${BUNDLE_BUDGET.gzip} gzip | ≤ ${BUNDLE_CEILING.bytes} / ≤ ${BUNDLE_CEILING.gzip} gzip |`);
  for (const violation of budgetViolations(measure)) console.log(`\nOVER TARGET: ${violation}`);
  for (const violation of budgetViolations(measure, BUNDLE_CEILING)) console.log(`\nOVER CEILING: ${violation}`);
  console.log("\n| part | bytes |\n|---|---:|");
  for (const [part, bytes] of measure.parts) console.log(`| ${part} | ${bytes} |`);
  if (process.argv.includes("--files")) {
    console.log("\n| source file | bytes |\n|---|---:|");
    for (const [file, bytes] of measure.files.slice(0, 60)) console.log(`| ${file} | ${bytes} |`);
  }
}
