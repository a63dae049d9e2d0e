/**
 * The production build of the control the workbench loads: built when missing or older than its
 * sources, so `npm start` and the end-to-end tests always show the current control.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { buildControl } from "../../scripts/build-control";
import { CONTROL_NAME } from "./workbench";

const root = path.resolve(__dirname, "..", "..");
const controlSource = path.join(root, CONTROL_NAME);

/** Newest modification time of the control's sources (generated types excluded: the build writes them). */
function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === "generated") continue;
    const full = path.join(folder, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the control (production, into out/controls as pcfconfig.json says) unless an up-to-date
 * build is there; returns the control's folder. Throws with pcf-scripts' log when the build fails.
 */
export function ensureControlBuilt(options: { log?: (line: string) => void } = {}): string {
  const controlDir = path.join(root, "out", "controls", CONTROL_NAME);
  const bundle = path.join(controlDir, "bundle.js");
  const reason = !existsSync(bundle) ? "it has not been built" : statSync(bundle).mtimeMs < newestSource(controlSource) ? "its sources changed" : null;
  if (reason === null) return controlDir;
  options.log?.(`Building the control (production) because ${reason}…`);
  const result = buildControl({ mode: "production", cwd: root });
  if (!result.ok || !existsSync(bundle)) throw new Error(`The control did not build: ${result.reason ?? "bundle.js was not written"}\n${result.log}`);
  options.log?.(`Built ${path.relative(root, bundle)} (${statSync(bundle).size} bytes).`);
  return controlDir;
}
