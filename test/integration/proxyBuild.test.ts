/**
 * npm run build:proxy gives a proxy that runs with node alone: built into a temporary folder outside
 * the repository, started there with only its own files (no repository node_modules within reach),
 * it answers /readyz 200 against the mocks — PhotoShelter, Dataverse, the issuer and its SQLite
 * state store (the native module shipped beside the bundle) all ready.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { MOCK_DEFAULTS, MOCK_WEBHOOK_KEY } from "../../mock-server/config";
import { withMockDefaults } from "../../mock-server/proxyEnv";
import { RunningMockServer, startMockServer } from "../../mock-server/server";

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, "..", "..");
const out = mkdtempSync(path.join(os.tmpdir(), "psh-proxy-dist-"));
let mock: RunningMockServer;
let child: ChildProcess | null = null;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, media: 50 });
  await promisify(execFile)(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "build-proxy.ts"), "--out", out], { cwd: ROOT });
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await mock?.close();
  rmSync(out, { recursive: true, force: true });
});

it("builds a self-contained proxy that starts from its own folder and is ready against the mocks", async () => {
  expect(readdirSync(out).sort()).toEqual([".env.example", "node_modules", "package.json", "server.js", "server.js.LEGAL.txt", "server.js.map"]);
  expect(readdirSync(path.join(out, "node_modules")).sort()).toEqual(["better-sqlite3", "bindings", "file-uri-to-path"]);
  const manifest = JSON.parse(readFileSync(path.join(out, "package.json"), "utf8")) as { dependencies: Record<string, string>; main: string };
  expect(manifest).toMatchObject({ main: "server.js", dependencies: { "better-sqlite3": expect.stringMatching(/^12\./) } });
  const bundle = readFileSync(path.join(out, "server.js"), "utf8");
  for (const devValue of ["mock-server/", MOCK_DEFAULTS.psApiKey, MOCK_DEFAULTS.psPassword, MOCK_DEFAULTS.clientSecret, MOCK_WEBHOOK_KEY]) expect(bundle).not.toContain(devValue);

  // Only the system's PATH and the proxy's own settings: nothing of this repository or of jest.
  const env = { PATH: process.env.PATH ?? "", ...withMockDefaults({ PROXY_PORT: "0", LOG_LEVEL: "info", NODE_OPTIONS: "--max-old-space-size=128" }, mock.url, mock.context.settings) };
  child = spawn(process.execPath, ["server.js"], { cwd: out, env, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child!.stdout! }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === "proxy listening" && entry.url) resolve(entry.url);
      } catch {
        // not a log line
      }
    });
    child!.once("exit", (code) => reject(new Error(`the built proxy exited (${code}) before listening`)));
  });
  const ready = await fetch(`${url}/readyz`);
  // The built proxy checks the webhook's endpoint too (the mock org here has none: reported, still ready).
  expect(await ready.json()).toEqual({ status: "ready", checks: { photoShelter: "ok", dataverse: "ok", issuer: "ok", state: "ok" }, webhook: { status: "attention" } });
  expect(ready.status).toBe(200);
  // The default state store: a SQLite file in ./data of where it runs.
  expect(existsSync(path.join(out, "data", "proxy.db"))).toBe(true);
  const exited = new Promise((resolve) => child!.once("exit", resolve));
  child.kill("SIGTERM");
  expect(await exited).toBe(0);
});
