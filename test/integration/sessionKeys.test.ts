/**
 * The session signing key without SESSION_SIGNING_KEY: stored once in the state store and the same
 * for every instance on it and after a restart — never one per process.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { sessionKeys } from "../../proxy/src/auth/sessionKeys";
import { SessionTokens } from "../../proxy/src/auth/sessionTokens";
import { openStore, parseStateUrl, type StateStore } from "../../proxy/src/state";
import { startPostgres, type PostgresCluster } from "../support/postgres";

const USER = { systemUserId: "00000000-0000-4000-8000-000000000002", oid: "00000000-0000-4000-8000-0000000000a2", upn: null, name: null };

let folder: string;
const stores: StateStore[] = [];
const open = async (file: string) => {
  const store = await openStore(parseStateUrl(`sqlite:${path.join(folder, file)}`));
  stores.push(store);
  return store;
};

beforeEach(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), "psh-session-keys-"));
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  rmSync(folder, { recursive: true, force: true });
});

it("is the same for two instances opening one store at once, and after a restart", async () => {
  const a = await open("proxy.db");
  const b = await open("proxy.db");
  const [keyA, keyB] = await Promise.all([sessionKeys(null, a.db), sessionKeys(null, b.db)]);
  expect(keyA.current.length).toBe(32);
  expect(Buffer.from(keyB.current).equals(Buffer.from(keyA.current))).toBe(true);
  const token = (await new SessionTokens(keyA, 600).issue(USER)).access_token;
  expect((await new SessionTokens(keyB, 600).verify(token)).oid).toBe(USER.oid);
  await a.close();
  stores.splice(stores.indexOf(a), 1);
  const restarted = await open("proxy.db");
  expect((await new SessionTokens(await sessionKeys(null, restarted.db), 600).verify(token)).oid).toBe(USER.oid);
});

it("differs between deployments (stores), and configuration wins over the store", async () => {
  const one = await sessionKeys(null, (await open("one.db")).db);
  const other = await sessionKeys(null, (await open("other.db")).db);
  expect(Buffer.from(one.current).equals(Buffer.from(other.current))).toBe(false);
  const configured = { current: Buffer.from("configured-key-not-a-secret-0123456789abcdef") };
  expect(await sessionKeys(configured, (await open("one.db")).db)).toBe(configured);
});

describe("on PostgreSQL, where several instances share one store", () => {
  jest.setTimeout(120_000);
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(() => cluster?.stop());

  it("gives two instances creating the key at the same moment the same key", async () => {
    const url = await cluster.createDatabase();
    const a = await openStore(parseStateUrl(url));
    const b = await openStore(parseStateUrl(url));
    stores.push(a, b);
    const [keyA, keyB] = await Promise.all([sessionKeys(null, a.db), sessionKeys(null, b.db)]);
    expect(Buffer.from(keyA.current).equals(Buffer.from(keyB.current))).toBe(true);
  });
});
