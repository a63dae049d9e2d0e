/** Size of the production bundle.js, raw and gzip, built fresh so the figure is never stale. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { buildControl } from "../scripts/build-control";

export async function bundleSize(): Promise<void> {
  const root = path.resolve(__dirname, "..");
  const result = await buildControl({ mode: "production", cwd: root });
  if (!result.ok) throw new Error(`Production build failed: ${result.reason}`);
  const bundle = readFileSync(path.join(root, "out", "controls", "PhotoShelterAssetPicker", "bundle.js"));
  const gzip = gzipSync(bundle, { level: 9 }).length;
  console.log("| file | bytes | gzip bytes |");
  console.log("|---|---:|---:|");
  console.log(`| bundle.js (production) | ${bundle.length} | ${gzip} |`);
}
