/**
 * The production build of the control the workbench loads: built when missing or older than its
 * sources, so `npm start` and the end-to-end tests always show the current control. The build runs
 * as a child process (scripts/build-control.ts, which fails loudly when pcf-scripts does), so Ctrl-C
 * or SIGTERM during a build stops it too.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { BUILD_LOCK_HELD, withBuildLock } from "../../scripts/build-control";
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

function runBuild(): Promise<{ code: number | null; log: string }> {
  return new Promise((resolve, reject) => {
    // Its own process group, so stopping it also stops the pcf-scripts process it starts.
    const child = spawn(process.execPath, [require.resolve("tsx/cli"), path.join(root, "scripts", "build-control.ts")], { cwd: root, stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, [BUILD_LOCK_HELD]: "1" } });
    let log = "";
    child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
    const stop = (signal: NodeJS.Signals) => {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
      process.exit(signal === "SIGINT" ? 130 : 143);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    child.on("error", reject);
    child.on("close", (code) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve({ code, log });
    });
  });
}

/**
 * Builds the control (production, into out/controls as pcfconfig.json says) unless an up-to-date
 * build is there; returns the control's folder. With copyTo, copies the build there while no other
 * process can rebuild it, and returns that folder instead. Rejects with the build's log when it fails.
 */
export async function ensureControlBuilt(options: { log?: (line: string) => void; copyTo?: string } = {}): Promise<string> {
  const controlDir = path.join(root, "out", "controls", CONTROL_NAME);
  const bundle = path.join(controlDir, "bundle.js");
  return withBuildLock(root, async () => {
    const reason = !existsSync(bundle) ? "it has not been built" : statSync(bundle).mtimeMs < newestSource(controlSource) ? "its sources changed" : null;
    if (reason !== null) {
      options.log?.(`Building the control (production) because ${reason}…`);
      const { code, log } = await runBuild();
      if (code !== 0 || !existsSync(bundle)) throw new Error(`The control did not build (exit ${code}):\n${log}`);
      options.log?.(`Built ${path.relative(root, bundle)} (${statSync(bundle).size} bytes).`);
    }
    if (!options.copyTo) return controlDir;
    rmSync(options.copyTo, { recursive: true, force: true });
    cpSync(controlDir, options.copyTo, { recursive: true });
    return options.copyTo;
  });
}
