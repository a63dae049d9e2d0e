/**
 * Builds the PCF control and fails loudly when pcf-scripts fails. pcf-scripts exits 0 after type,
 * lint and bundling errors, so success is read from its log: the "Succeeded" line must be there and
 * no error line may be.
 *
 * Usage: tsx scripts/build-control.ts [--dev] [--control-dir DIR] [--out-dir DIR]
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { lock } from "proper-lockfile";

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

/** Set for a build started by a process that already holds the project's build lock. */
export const BUILD_LOCK_HELD = "PSH_CONTROL_BUILD_LOCK_HELD";

/**
 * Runs fn while holding the project's control-build lock, so two processes (jest workers, npm start,
 * a developer's build) never build into or copy out of out/controls at the same time. The lock lives
 * outside the project (pcf-scripts' rebuild cleans out/) and is refreshed while held, so a killed
 * holder's lock goes stale and is taken over.
 */
export async function withBuildLock<T>(cwd: string, fn: () => Promise<T>): Promise<T> {
  if (process.env[BUILD_LOCK_HELD] === "1") return fn();
  const key = createHash("sha256").update(path.resolve(cwd)).digest("hex").slice(0, 16);
  const release = await lock(cwd, {
    realpath: false,
    lockfilePath: path.join(tmpdir(), `psh-control-build-${key}.lock`),
    stale: 30_000,
    // A build takes up to two minutes on a busy machine; waiters queue behind several of them.
    retries: { retries: 3_000, factor: 1, minTimeout: 250, maxTimeout: 1_000 },
  });
  try {
    return await fn();
  } finally {
    await release();
  }
}

export interface BuildOptions {
  mode: "production" | "development";
  cwd: string;
  outDir?: string;
  /** Extra environment for the build (e.g. PSH_BUNDLE_SOURCE_MAP, see webpack.config.js). */
  env?: Record<string, string>;
}

/** One pcf-scripts rebuild; the caller holds the build lock. */
export function buildControlLocked(options: BuildOptions): Promise<BuildResult> {
  const pcfScripts = path.join(options.cwd, "node_modules", "pcf-scripts", "bin", "pcf-scripts.js");
  const args = [pcfScripts, "rebuild", "--buildMode", options.mode, "--noColor"];
  if (options.outDir) args.push("--outDir", options.outDir);
  return new Promise<BuildResult>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: { ...process.env, ...options.env, PP_TOOLS_TELEMETRY_OPTOUT: "true" }, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve(judgeBuildLog(log, code)));
  });
}

export async function buildControl(options: BuildOptions): Promise<BuildResult> {
  return withBuildLock(options.cwd, () => buildControlLocked(options));
}

async function main(): Promise<void> {
  const dev = process.argv.includes("--dev");
  const root = path.resolve(__dirname, "..");
  const result = await buildControl({ mode: dev ? "development" : "production", cwd: root });
  process.stdout.write(result.log);
  const bundle = path.join(root, "out", "controls", "PhotoShelterAssetPicker", "bundle.js");
  if (!result.ok || !existsSync(bundle)) {
    console.error(`\nBuild FAILED: ${result.reason ?? "bundle.js was not written"}`);
    process.exit(1);
  }
  console.log(`\nBuilt ${path.relative(root, bundle)} (${statSync(bundle).size} bytes, ${dev ? "development" : "production"}).`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
