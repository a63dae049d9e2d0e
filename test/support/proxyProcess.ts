/**
 * The proxy as `npm run proxy` runs it (scripts/proxy.ts), in a process of its own so a test can
 * kill it with SIGKILL: against the mock-server named by MOCK_PORT in `env`, on port 0. `url`
 * resolves with the address it listens on (read from its "proxy listening" log line).
 */
import { ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";

const ROOT = path.resolve(__dirname, "..", "..");

export function startProxyProcess(env: Record<string, string>): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "proxy.ts")], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "", PROXY_PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === "proxy listening" && entry.url) resolve(entry.url);
      } catch {
        // not a log line
      }
    });
    child.once("exit", (code, signal) => reject(new Error(`the proxy exited (${code ?? signal}) before listening`)));
  });
  return { child, url };
}
