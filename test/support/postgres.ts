/**
 * A throwaway PostgreSQL cluster for tests, from the Debian package (`postgresql`, server binaries
 * under /usr/lib/postgresql/<version>/bin): initdb in a temporary folder, started on a free port
 * with its socket in that folder, removed when stopped. As root (CI) initdb and pg_ctl run as the
 * `postgres` user, since initdb refuses root. Missing binaries fail the test with the install hint.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);
const ROOT = "/usr/lib/postgresql";

export const POSTGRES_MISSING = "PostgreSQL server binaries were not found under /usr/lib/postgresql/<version>/bin. The state store's PostgreSQL tests need them: install with `apt-get install postgresql` (Debian; .ci/run does this).";

export interface PostgresCluster {
  port: number;
  /** postgres:// URL of a database (default `postgres`). */
  url(database?: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

function binaries(): string {
  const versions = existsSync(ROOT) ? readdirSync(ROOT).filter((v) => existsSync(path.join(ROOT, v, "bin", "initdb"))) : [];
  if (versions.length === 0) throw new Error(POSTGRES_MISSING);
  const version = versions.includes("15") ? "15" : versions.sort((a, b) => Number(b) - Number(a))[0];
  return path.join(ROOT, version, "bin");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

let counter = 0;

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = binaries();
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), "psh-pg-"));
  // As root, the server runs as `postgres`, which must own the folder it writes.
  let owner: { uid: number; gid: number } | null = null;
  if (asRoot) {
    try {
      owner = { uid: Number(execFileSync("id", ["-u", "postgres"]).toString().trim()), gid: Number(execFileSync("id", ["-g", "postgres"]).toString().trim()) };
    } catch {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`Running as root, but there is no "postgres" user to run PostgreSQL as. ${POSTGRES_MISSING}`);
    }
    chownSync(dir, owner.uid, owner.gid);
  }
  const command = (tool: string, args: string[]) => (asRoot ? run("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]) : run(path.join(bin, tool), args));
  // The server pg_ctl starts inherits pg_ctl's stdout/stderr: with pipes, waiting for them would never end.
  const detached = (tool: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]] : [path.join(bin, tool), args];
      const child = spawn(file, argv, { stdio: "ignore" });
      child.once("error", reject);
      child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${tool} exited with ${code}`))));
    });
  const data = path.join(dir, "data");
  await command("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"]).catch(async (error: Error & { stderr?: string }) => {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${error.stderr || error.message}`);
  });
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    try {
      await detached("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "-t", "120", "start"]);
      break;
    } catch (error) {
      // Another process may have taken the port between the probe and the start.
      if (attempt >= 3) {
        let log = "";
        try {
          log = readFileSync(path.join(dir, "server.log"), "utf8").slice(-2000);
        } catch {
          log = "";
        }
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`PostgreSQL did not start (${(error as Error).message}): ${log}`);
      }
    }
  }
  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    try {
      if (asRoot) execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, "pg_ctl"), "-D", data, "-m", "immediate", "stop"], { stdio: "ignore" });
      else execFileSync(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"], { stdio: "ignore" });
    } catch {
      // already stopped
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A test process that ends without stop() must not leave a server behind.
  process.once("exit", stopNow);
  const url = (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name = `test_${process.pid}_${++counter}`) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`create database "${name.replace(/"/g, "")}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      process.removeListener("exit", stopNow);
      stopNow();
    },
  };
}
