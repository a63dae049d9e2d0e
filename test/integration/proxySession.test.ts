/**
 * The Dataverse sign-in handshake over real HTTP: users create psh_signinrequest rows in the mock
 * Dataverse with their own tokens (as the control does through context.webAPI), then trade row id +
 * verifier for the proxy's session token at POST /v1/session. Every abuse case of issue 17 answers
 * the same 401; the rate limits, single use, the shared signing key and the Entra-only mode too.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { dataverseOf } from "../../mock-server/dataverse";
import { ACCOUNTS } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { withMockDefaults } from "../../mock-server/proxyEnv";
import { loadConfig } from "../../proxy/src/config";
import { startProxy, type RunningProxy } from "../../proxy/src/server";
import { outOfBox, signInRequest } from "../../solution/model";
import { appToken, MockDataverseClient, userToken, valuesOf } from "./mockDataverseSupport";
import { ORIGIN, Stack, startStack } from "./proxyHarness";

const KEY = "session-key-for-tests-not-a-secret-0123456789";
const SET = signInRequest.entitySetName;
const CHALLENGE = signInRequest.columns.challenge.logicalName;
const SEARCH = `/v1/search?record=account:${ACCOUNTS.litware}&perPage=1`;
const FAILED = { error: { code: "unauthorized", message: "Sign-in failed" } };

let stack: Stack;
let as: Record<"riley" | "emma" | "rowan" | "admin" | "app", MockDataverseClient>;

const newVerifier = () => randomBytes(32).toString("base64url");
const challengeOf = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");
const idFrom = (entityId: string) => /\(([0-9a-f-]{36})\)$/.exec(entityId)![1];

/** Creates a sign-in request as `client`; returns its id. */
async function createRequest(client: MockDataverseClient, challenge: string, extra: Record<string, unknown> = {}): Promise<string> {
  const response = await client.call("POST", SET, { body: { [CHALLENGE]: challenge, ...extra } });
  expect(response.status).toBe(204);
  return idFrom(response.headers["odata-entityid"]);
}

/** A fresh verifier and the row that carries its challenge. */
async function prepared(client: MockDataverseClient): Promise<{ id: string; verifier: string }> {
  const verifier = newVerifier();
  return { id: await createRequest(client, challengeOf(verifier)), verifier };
}

function handshake(id: string, verifier: string, proxy: { url: string } = stack.proxy): Promise<Response> {
  return fetch(`${proxy.url}/v1/session`, { method: "POST", headers: { "content-type": "application/json", origin: ORIGIN }, body: JSON.stringify({ id, verifier }) });
}

/** A 401 that says nothing but "Sign-in failed"; the proxy logged `reason` for it (the stack's own proxy only). */
async function refused(response: Response, reason?: RegExp): Promise<void> {
  expect({ status: response.status, body: await response.json() }).toEqual({ status: 401, body: FAILED });
  if (!reason) return;
  const requestId = response.headers.get("x-request-id");
  const logged = stack.logs.map((line) => JSON.parse(line) as { reqId?: string; msg?: string; reason?: string }).find((line) => line.reqId === requestId && line.msg === "Dataverse sign-in refused");
  expect(logged?.reason).toMatch(reason);
}

const exists = async (id: string) => (await as.admin.get(`${SET}(${id})`)).status === 200;

async function otherProxy(env: Record<string, string>): Promise<RunningProxy> {
  return startProxy(loadConfig(withMockDefaults({ STATE_URL: "sqlite::memory:", PROXY_PORT: "0", LOG_LEVEL: "silent", PROXY_ALLOWED_ORIGINS: ORIGIN, SESSION_SIGNING_KEY: KEY, ...env }, stack.mock.url)));
}

beforeAll(async () => {
  stack = await startStack({ SESSION_SIGNING_KEY: KEY });
  const client = async (user: string) => new MockDataverseClient(stack.mock, await userToken(stack.mock, user, stack.mock.url));
  as = {
    riley: await client(USERS.salesNorthAmerica.upn),
    emma: await client(USERS.salesEmea.upn),
    rowan: await client(USERS.readOnly.upn),
    admin: await client(USERS.admin.upn),
    app: new MockDataverseClient(stack.mock, await appToken(stack.mock)),
  };
});

afterAll(() => stack.close());

describe("POST /v1/session", () => {
  it("trades a fresh row of the user and its verifier for a session token that works on every /v1 call", async () => {
    const { id, verifier } = await prepared(as.riley);
    const response = await handshake(id, verifier);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 600 });
    expect(await exists(id)).toBe(false); // consumed
    const search = await stack.call(SEARCH, { token: body.access_token });
    expect(search.status).toBe(200);
    // The token is Riley's: its subject is her Dataverse user.
    const claims = JSON.parse(Buffer.from(body.access_token.split(".")[1], "base64url").toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: USERS.salesNorthAmerica.id, oid: USERS.salesNorthAmerica.oid });
  });

  it("works for a read-only user too (reading assets needs no write privilege)", async () => {
    const { id, verifier } = await prepared(as.rowan);
    expect((await handshake(id, verifier)).status).toBe(200);
  });

  it("is single use: a replayed id and verifier get 401", async () => {
    const { id, verifier } = await prepared(as.riley);
    expect((await handshake(id, verifier)).status).toBe(200);
    await refused(await handshake(id, verifier), /already used|no sign-in request/);
  });

  it("refuses a wrong verifier and leaves the row to its owner", async () => {
    const { id, verifier } = await prepared(as.riley);
    await refused(await handshake(id, newVerifier()), /no sign-in request carries/);
    expect(await exists(id)).toBe(true);
    expect((await handshake(id, verifier)).status).toBe(200);
  });

  it("refuses an unknown id, and a verifier presented with another row's id", async () => {
    await refused(await handshake("0f0f0f0f-0000-4000-8000-000000000000", newVerifier()), /no sign-in request carries/);
    const mine = await prepared(as.riley);
    const other = await prepared(as.riley);
    await refused(await handshake(other.id, mine.verifier), /belongs to another/);
    expect(await exists(mine.id)).toBe(true);
  });

  it("refuses a row older than two minutes (and deletes it)", async () => {
    const { id, verifier } = await prepared(as.riley);
    const { store } = dataverseOf(stack.mock.context);
    const row = store.get(signInRequest.logicalName, id)!;
    store.put(signInRequest.logicalName, id, { ...row, createdon: new Date(Date.now() - 2 * 60_000 - 5_000).toISOString().replace(/\.\d{3}Z$/, "Z") });
    await refused(await handshake(id, verifier), /too old/);
    expect(await exists(id)).toBe(false);
  });

  it("refuses a row whose creation time the client overrode, even to a fresh time", async () => {
    const verifier = newVerifier();
    const id = await createRequest(as.riley, challengeOf(verifier), { overriddencreatedon: new Date(Date.now() + 60 * 60_000).toISOString() });
    const row = (await as.riley.get(`${SET}(${id})?$select=createdon,overriddencreatedon`)).body as Record<string, string>;
    expect(Date.parse(row.createdon)).toBeGreaterThan(Date.now()); // what Dataverse does with it: createdon takes the given time
    await refused(await handshake(id, verifier), /overridden/);
  });

  it("refuses a row created by a user who has been disabled since", async () => {
    const { id, verifier } = await prepared(as.emma);
    const disable = (isdisabled: boolean) => as.admin.call("PATCH", `systemusers(${USERS.salesEmea.id})`, { body: { isdisabled }, headers: { "if-match": "*" } });
    expect((await disable(true)).status).toBe(204);
    try {
      await refused(await handshake(id, verifier), /disabled/);
    } finally {
      expect((await disable(false)).status).toBe(204);
    }
  });

  it("refuses a row created by a non-interactive user (a service account), and their bearer tokens too", async () => {
    const { id, verifier } = await prepared(as.emma);
    const accessMode = (accessmode: number) => as.admin.call("PATCH", `systemusers(${USERS.salesEmea.id})`, { body: { accessmode }, headers: { "if-match": "*" } });
    expect((await accessMode(outOfBox.userAccessMode.options.nonInteractive.value)).status).toBe(204);
    try {
      await refused(await handshake(id, verifier), /non-interactive/);
      const search = await stack.call(`/v1/search?record=account:${ACCOUNTS.fabrikam}&q=logo`, { token: await stack.token(USERS.salesEmea.upn) });
      expect(search.status).toBe(403);
      expect(await search.json()).toEqual({ error: { code: "forbidden", message: "The signed-in account is a non-interactive Dynamics 365 user" } });
    } finally {
      expect((await accessMode(outOfBox.userAccessMode.options.readWrite.value)).status).toBe(204);
    }
  });

  it("refuses a row whose creator is not a person (the proxy's own application user)", async () => {
    const { id, verifier } = await prepared(as.app);
    await refused(await handshake(id, verifier), /application user/);
  });

  it("refuses a row created on a user's behalf (impersonation by an application user)", async () => {
    const verifier = newVerifier();
    const response = await as.app.call("POST", SET, { body: { [CHALLENGE]: challengeOf(verifier) }, headers: { callerobjectid: USERS.salesNorthAmerica.oid } });
    expect(response.status).toBe(204);
    const id = idFrom(response.headers["odata-entityid"]);
    const row = (await as.admin.get(`${SET}(${id})?$select=_createdby_value,_createdonbehalfby_value`)).body as Record<string, string>;
    expect(row).toMatchObject({ _createdby_value: USERS.salesNorthAmerica.id, _createdonbehalfby_value: USERS.integration.id });
    await refused(await handshake(id, verifier), /on behalf/);
  });

  it("refuses the same verifier on two rows, and burns both", async () => {
    const verifier = newVerifier();
    const first = await createRequest(as.riley, challengeOf(verifier));
    const second = await createRequest(as.riley, challengeOf(verifier));
    await refused(await handshake(first, verifier), /several/);
    expect([await exists(first), await exists(second)]).toEqual([false, false]);
  });

  it("refuses a row someone other than its creator changed", async () => {
    const { id } = await prepared(as.riley);
    const adminVerifier = newVerifier();
    const patched = await as.admin.call("PATCH", `${SET}(${id})`, { body: { [CHALLENGE]: challengeOf(adminVerifier) }, headers: { "if-match": "*" } });
    expect(patched.status).toBe(204);
    await refused(await handshake(id, adminVerifier), /other than its creator changed/);
  });

  it("answers a malformed request with 400, and lets no caller name the user", async () => {
    const bad = await handshake("not-a-guid", "short");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
    const notJson = await fetch(`${stack.proxy.url}/v1/session`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(notJson.status).toBe(400);
    // Anything beyond id and verifier is dropped: only the row says who signs in.
    const { id, verifier } = await prepared(as.riley);
    const response = await fetch(`${stack.proxy.url}/v1/session`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id, verifier, user: USERS.admin.id, oid: USERS.admin.oid }) });
    const claims = JSON.parse(Buffer.from(((await response.json()) as { access_token: string }).access_token.split(".")[1], "base64url").toString()) as Record<string, unknown>;
    expect(claims.sub).toBe(USERS.salesNorthAmerica.id);
  });

  it("is described in the OpenAPI document and /v1/config names dataverse by default", async () => {
    const config = (await (await stack.call("/v1/config")).json()) as { signIn: unknown };
    expect(config.signIn).toEqual({ kind: "dataverse" });
    const openApi = (await (await stack.call("/v1/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(openApi.paths["/v1/session"]).toHaveProperty("post");
  });
});

describe("the mock Dataverse enforces the PhotoShelter User role on sign-in requests", () => {
  it("lets a user create, read and delete their own rows only, and change none", async () => {
    const mine = await prepared(as.riley);
    const emmas = await prepared(as.emma);
    expect((await as.riley.get(`${SET}(${mine.id})`)).status).toBe(200);
    expect((await as.riley.get(`${SET}(${emmas.id})`)).status).toBe(403);
    const listed = valuesOf(await as.riley.get(`${SET}?$select=${CHALLENGE}`)).map((row) => row[signInRequest.primaryIdAttribute]);
    expect(listed).toContain(mine.id);
    expect(listed).not.toContain(emmas.id);
    expect((await as.riley.call("DELETE", `${SET}(${emmas.id})`)).status).toBe(403);
    expect((await as.riley.call("PATCH", `${SET}(${mine.id})`, { body: { [CHALLENGE]: "x" }, headers: { "if-match": "*" } })).status).toBe(403);
    expect((await as.riley.call("DELETE", `${SET}(${mine.id})`)).status).toBe(204);
    // Nor can a user create a row for someone else.
    const forOther = await as.riley.call("POST", SET, { body: { [CHALLENGE]: challengeOf(newVerifier()), "ownerid@odata.bind": `/systemusers(${USERS.salesEmea.id})` } });
    expect(forOther.status).toBe(403);
  });
});

describe("rate limits", () => {
  it("limits handshakes per client address, whatever their outcome", async () => {
    const proxy = await otherProxy({ SESSION_RATE_LIMIT_PER_IP: "3" });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await handshake("0f0f0f0f-0000-4000-8000-000000000000", newVerifier(), proxy)).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const limited = await handshake("0f0f0f0f-0000-4000-8000-000000000000", newVerifier(), proxy);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
  });

  it("limits handshakes per Dataverse user; the limited row is left for the clean-up and other users go on", async () => {
    const proxy = await otherProxy({ SESSION_RATE_LIMIT_PER_USER: "2" });
    try {
      for (let i = 0; i < 2; i++) {
        const { id, verifier } = await prepared(as.riley);
        expect((await handshake(id, verifier, proxy)).status).toBe(200);
      }
      const third = await prepared(as.riley);
      const limited = await handshake(third.id, third.verifier, proxy);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(await exists(third.id)).toBe(true);
      const emma = await prepared(as.emma);
      expect((await handshake(emma.id, emma.verifier, proxy)).status).toBe(200);
      // Someone else's wrong verifiers never count against Riley.
      const other = await prepared(as.emma);
      await refused(await handshake(other.id, newVerifier(), proxy));
    } finally {
      await proxy.close();
    }
  });
});

describe("session tokens across instances and modes", () => {
  async function sessionToken(): Promise<string> {
    const { id, verifier } = await prepared(as.riley);
    const response = await handshake(id, verifier);
    expect(response.status).toBe(200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  it("are accepted by another instance of the same deployment (the key is configuration, not per process)", async () => {
    const token = await sessionToken();
    const twin = await otherProxy({});
    const stranger = await otherProxy({ SESSION_SIGNING_KEY: "another-deployment-key-not-a-secret-987654321" });
    try {
      expect((await fetch(`${twin.url}${SEARCH}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await fetch(`${stranger.url}${SEARCH}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    } finally {
      await Promise.all([twin.close(), stranger.close()]);
    }
  });

  it("without SESSION_SIGNING_KEY, use the key of the shared state store: instances on one store accept each other's tokens", async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), "psh-session-"));
    const shared = { SESSION_SIGNING_KEY: "", STATE_URL: `sqlite:${path.join(folder, "proxy.db")}` };
    const first = await otherProxy(shared);
    const second = await otherProxy(shared);
    const elsewhere = await otherProxy({ SESSION_SIGNING_KEY: "" });
    try {
      const { id, verifier } = await prepared(as.riley);
      const response = await handshake(id, verifier, first);
      expect(response.status).toBe(200);
      const token = ((await response.json()) as { access_token: string }).access_token;
      expect((await fetch(`${second.url}${SEARCH}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await fetch(`${elsewhere.url}${SEARCH}`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    } finally {
      await Promise.all([first.close(), second.close(), elsewhere.close()]);
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("are refused, and the handshake turned off, where the organization requires Entra ID tokens", async () => {
    const token = await sessionToken();
    const entra = await otherProxy({ SIGN_IN_MODE: "entra", SIGN_IN_CLIENT_ID: "spa-client", SIGN_IN_AUTHORITY: "https://login.microsoftonline.com/tenant", SIGN_IN_SCOPE: "api://photoshelter-proxy/access_as_user" });
    try {
      const call = await fetch(`${entra.url}${SEARCH}`, { headers: { authorization: `Bearer ${token}` } });
      expect(call.status).toBe(401);
      const { id, verifier } = await prepared(as.riley);
      const turnedOff = await handshake(id, verifier, entra);
      expect(turnedOff.status).toBe(403);
      expect(await exists(id)).toBe(true);
      expect(((await (await fetch(`${entra.url}/v1/config`)).json()) as { signIn: { kind: string } }).signIn.kind).toBe("entra");
    } finally {
      await entra.close();
    }
  });
});

describe("the clean-up of unconsumed sign-in requests", () => {
  it("is a job on the proxy's runner that deletes the rows nobody consumed", async () => {
    expect(stack.proxy.backbone.registry.job("sign-in-cleanup")?.schedule.text).toBe("every 5m");
    const { id } = await prepared(as.riley);
    const { store } = dataverseOf(stack.mock.context);
    const row = store.get(signInRequest.logicalName, id)!;
    store.put(signInRequest.logicalName, id, { ...row, createdon: new Date(Date.now() - 60 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z") });
    const fresh = await prepared(as.riley);
    const run = await stack.call("/v1/admin/jobs/sign-in-cleanup/run", { method: "POST", token: await stack.token(USERS.admin.upn) });
    expect(run.status).toBeLessThan(300);
    // The runner picks the request up: wait for its effect.
    while (await exists(id)) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await exists(fresh.id)).toBe(true);
  });
});
