/**
 * npm start. Until the workbench exists this builds the control and says what it produced.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { buildControl } from "./build-control";

const root = path.resolve(__dirname, "..");
const result = buildControl({ mode: "production", cwd: root });
const bundle = path.join(root, "out", "controls", "PhotoShelterAssetPicker", "bundle.js");
if (!result.ok || !existsSync(bundle)) {
  process.stdout.write(result.log);
  console.error(`Build failed: ${result.reason}`);
  process.exit(1);
}
console.log(`Built the PhotoShelterAssetPicker control: ${path.relative(root, path.dirname(bundle))}/ (bundle.js ${statSync(bundle).size} bytes, ControlManifest.xml, strings, css).`);
