/**
 * Builds the PCF control and fails loudly when pcf-scripts fails. pcf-scripts exits 0 after type,
 * lint and bundling errors, so success is read from its log: the "Succeeded" line must be there and
 * no error line may be.
 *
 * Usage: tsx scripts/build-control.ts [--dev] [--control-dir DIR] [--out-dir DIR]
 */
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import path from "node:path";

export interface BuildResult {
  ok: boolean;
  log: string;
  reason?: string;
}

/** Decides from pcf-scripts' log whether the build really succeeded. */
export function judgeBuildLog(rawLog: string, exitCode: number | null): BuildResult {
  // eslint-disable-next-line no-control-regex
  const log = rawLog.replace(/\u001b\[[0-9;]*m/g, "");
  if (exitCode !== 0) return { ok: false, log, reason: `pcf-scripts exited with ${exitCode}` };
  const errorLine = log.split(/\r?\n/).find((line) => /\[(build|webpack|eslint|ts-loader)\]\s.*\b(error|failed)\b/i.test(line) || /\bFailed:/.test(line) || /\berror (TS|pcf-)\d+/i.test(line));
  if (errorLine) return { ok: false, log, reason: `pcf-scripts reported: ${errorLine.trim()}` };
  if (!/\]\s+Succeeded/.test(log)) return { ok: false, log, reason: "pcf-scripts never reported success" };
  return { ok: true, log };
}

export function buildControl(options: { mode: "production" | "development"; cwd: string; outDir?: string }): BuildResult {
  const pcfScripts = path.join(options.cwd, "node_modules", "pcf-scripts", "bin", "pcf-scripts.js");
  const args = [pcfScripts, "rebuild", "--buildMode", options.mode, "--noColor"];
  if (options.outDir) args.push("--outDir", options.outDir);
  const run = spawnSync(process.execPath, args, {
    cwd: options.cwd,
    encoding: "utf8",
    env: { ...process.env, PP_TOOLS_TELEMETRY_OPTOUT: "true" },
    maxBuffer: 64 * 1024 * 1024,
  });
  return judgeBuildLog(`${run.stdout ?? ""}${run.stderr ?? ""}`, run.status);
}

if (require.main === module) {
  const dev = process.argv.includes("--dev");
  const root = path.resolve(__dirname, "..");
  const result = buildControl({ mode: dev ? "development" : "production", cwd: root });
  process.stdout.write(result.log);
  const bundle = path.join(root, "out", "controls", "PhotoShelterAssetPicker", "bundle.js");
  if (!result.ok || !existsSync(bundle)) {
    console.error(`\nBuild FAILED: ${result.reason ?? "bundle.js was not written"}`);
    process.exit(1);
  }
  console.log(`\nBuilt ${path.relative(root, bundle)} (${statSync(bundle).size} bytes, ${dev ? "development" : "production"}).`);
}
