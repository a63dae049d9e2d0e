/**
 * Where the proxy keeps its state, from STATE_URL: `sqlite:<file>` (the default, a file in the data
 * folder, created on first start), `sqlite::memory:` (throwaway, tests), or `postgres://…` for
 * deployments that run more than one instance. Every problem names STATE_URL.
 */
import path from "node:path";

export type StateLocation =
  | { engine: "sqlite"; file: string }
  | { engine: "postgres"; url: string; /** host:port/database, for messages (never the password). */ display: string };

/** A state store problem that stops the start; the message names STATE_URL. */
export class StateError extends Error {
  readonly variable = "STATE_URL";
  constructor(message: string) {
    super(`STATE_URL: ${message}`);
    this.name = "StateError";
  }
}

export const MEMORY = ":memory:";

/** The default store: a SQLite file in the data folder. */
export function defaultStateUrl(dataDir: string): string {
  return `sqlite:${path.join(dataDir, "proxy.db")}`;
}

export function parseStateUrl(raw: string, baseDir: string = process.cwd()): StateLocation {
  const value = raw.trim();
  if (/^sqlite:/i.test(value)) {
    let file = value.slice("sqlite:".length);
    // sqlite:///abs/path and sqlite://rel/path are accepted as well as sqlite:path.
    if (file.startsWith("//")) file = file.slice(2);
    if (file === "") throw new StateError(`"${raw}" names no file: use sqlite:<path to a .db file>, e.g. sqlite:data/proxy.db`);
    return { engine: "sqlite", file: file === MEMORY ? MEMORY : path.resolve(baseDir, file) };
  }
  if (/^postgres(ql)?:\/\//i.test(value)) {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new StateError("is not a valid postgres:// URL (postgres://user:password@host:5432/database)");
    }
    if (!parsed.hostname && !parsed.searchParams.get("host")) throw new StateError("the postgres:// URL names no host (postgres://user:password@host:5432/database)");
    const database = decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "(default database)";
    const host = parsed.hostname || parsed.searchParams.get("host") || "";
    return { engine: "postgres", url: value, display: `${host}:${parsed.port || "5432"}/${database}` };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1];
  throw new StateError(`${scheme ? `the scheme "${scheme}:" is not supported` : `"${value.slice(0, 80)}" is not a state URL`}; use sqlite:<file> (one instance) or postgres://user:password@host:5432/database (several instances)`);
}
