import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { accessRule, assetLink, assetUsage, choices, outOfBox, regardingKey } from "../../solution/model";
import { ClientCredentialsTokens, createDataverseClient, DataverseApiError, guid, odataFilter, type DataverseClient, type TokenSource } from "../../proxy/src/dataverse";
import { UpstreamHttp } from "../../proxy/src/upstream/http";
import { ACCOUNTS } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { dataverseOf } from "../../mock-server/dataverse";
import { MOCK_DEFAULTS } from "../../mock-server/config";
import { RunningMockServer, startMockServer } from "../../mock-server/server";

let mock: RunningMockServer;
let http: UpstreamHttp;
let tokens: ClientCredentialsTokens;
let client: DataverseClient;

const upstream = () => new UpstreamHttp("Dataverse", { timeoutMs: 5000, connections: 4, maxRetries: 3, retryBudgetMs: 8000, breakerFailures: 50, breakerResetMs: 1000 }, pino({ level: "silent" }));

beforeAll(async () => {
  mock = await startMockServer({ port: 0, media: 10 });
  http = upstream();
  tokens = new ClientCredentialsTokens({ tokenUrl: `${mock.url}/issuer/token`, clientId: MOCK_DEFAULTS.clientId, clientSecret: MOCK_DEFAULTS.clientSecret, scope: `${mock.url}/.default` }, http);
  client = createDataverseClient({ url: mock.url, http, tokens });
});
afterAll(async () => {
  await http.close();
  await mock.close();
});
afterEach(() => dataverseOf(mock.context).reset());

const requests = async (path: string) => ((await (await fetch(`${mock.url}/__admin/requests?path=${encodeURIComponent(path)}`)).json()) as { total: number }).total;
const clearRequests = () => fetch(`${mock.url}/__admin/requests`, { method: "DELETE" });
const fault = (body: unknown) => fetch(`${mock.url}/__admin/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

const L = assetLink.columns;
const linkData = (media: string, accountId: string, name = `Link ${media}`) => ({
  [L.name.logicalName]: name,
  [L.mediaId.logicalName]: media,
  [L.linkType.logicalName]: choices.linkType.options.brand.value,
  [L.rightsStatus.logicalName]: choices.rightsStatus.options.approved.value,
  [L.source.logicalName]: choices.linkSource.options.automatic.value,
  [L.regardingKey.logicalName]: regardingKey("account", accountId),
  [`${L.accountId.targets[0].navigationProperty}@odata.bind`]: `/${outOfBox.account.entitySetName}(${accountId})`,
});
const linkKey = (media: string, accountId: string) => ({ [L.mediaId.logicalName]: media, [L.regardingKey.logicalName]: regardingKey("account", accountId) });

describe("Dataverse client over the mock", () => {
  it("authenticates with client credentials and acts as the application user", async () => {
    expect(await client.whoAmI()).toEqual({ userId: USERS.integration.id, businessUnitId: expect.any(String) });
  });

  it("queries access rules with a filter built from escaped literals", async () => {
    const R = accessRule.columns;
    const rules = await client.query(accessRule, { select: [R.name.logicalName, R.containerIds.logicalName], filter: odataFilter`statecode eq ${0} and psh_region eq ${null}`, orderBy: ["psh_priority asc"] });
    expect(rules[0]).toMatchObject({ psh_name: "Everyone: brand assets", psh_containerids: "C000000000000001" });
    expect(rules.map((r) => r.psh_name)).not.toContain("Retired: legacy APAC collateral (inactive)");
    expect(rules.map((r) => r.psh_name)).not.toContain("EMEA accounts");
  });

  it("follows @odata.nextLink page by page and stops at top", async () => {
    await clearRequests();
    const all = await client.query(outOfBox.account, { select: ["name"], pageSize: 5 });
    expect(all).toHaveLength(12);
    expect(await requests("/api/data/v9.2/accounts")).toBe(3);
    const capped = await client.query(outOfBox.account, { select: ["name"], pageSize: 5, top: 7, orderBy: ["name"] });
    expect(capped).toHaveLength(7);
    const pages: number[] = [];
    for await (const page of client.pages(outOfBox.account, { select: ["name"], pageSize: 4 })) pages.push(page.length);
    expect(pages).toEqual([4, 4, 4]);
  });

  it.each(["O'Brien", "' or 1 eq 1 or name eq '", 'say "hi", (twice)', "50% & more #1 ?q=/path\\", "{6f9a3c2e-0000-4000-8000-000000000001}", "emoji 📷 ü"])(
    "round-trips the hostile value %j through keys and filters without changing the query",
    async (value) => {
      const key = { [L.mediaId.logicalName]: "I000000000000777", [L.regardingKey.logicalName]: `account:${value}` };
      const id = await client.upsert(assetLink, key, { [L.name.logicalName]: value });
      const again = await client.upsert(assetLink, key, { [L.version.logicalName]: "2" });
      expect(again).toBe(id);
      const found = await client.query(assetLink, { select: [L.name.logicalName, L.regardingKey.logicalName, L.version.logicalName], filter: odataFilter`psh_name eq ${value} or psh_name eq ${"nothing"}` });
      expect(found).toEqual([expect.objectContaining({ psh_name: value, psh_regardingkey: `account:${value}`, psh_version: "2" })]);
      expect(await client.retrieve(assetLink, key, { select: [L.name.logicalName] })).toMatchObject({ psh_name: value });
    },
  );

  it("retrieves by id with annotations, and returns null for a missing row", async () => {
    const account = await client.retrieve(outOfBox.account, ACCOUNTS.litware, { select: ["name", "industrycode"], annotations: true });
    expect(account).toMatchObject({ name: "Litware Health", "industrycode@OData.Community.Display.V1.FormattedValue": "Doctor's Offices and Clinics" });
    expect(await client.retrieve(outOfBox.account, "a0000000-0000-4000-8000-0000000000ff")).toBeNull();
  });

  it("creates, updates (never creating), updates conditionally and deletes", async () => {
    const id = await client.create(assetLink, linkData("I000000000000801", ACCOUNTS.coho));
    await client.update(assetLink, id, { [L.version.logicalName]: "1.1" });
    const row = await client.retrieve<{ "@odata.etag": string }>(assetLink, id, { select: [L.version.logicalName] });
    await expect(client.update(assetLink, id, { [L.version.logicalName]: "1.2" }, 'W/"1"')).rejects.toMatchObject({ status: 412 });
    await client.update(assetLink, id, { [L.version.logicalName]: "1.2" }, row!["@odata.etag"]);
    await expect(client.update(assetLink, "a1000000-0000-4000-8000-0000000000ff", { [L.version.logicalName]: "x" })).rejects.toMatchObject({ status: 404, code: "0x80040217" });
    expect(await client.delete(assetLink, id)).toBe(true);
    expect(await client.delete(assetLink, id)).toBe(false);
  });

  it("upserts many rows in change sets, idempotently", async () => {
    const rows = Array.from({ length: 25 }, (_, i) => ({ key: linkKey(`I0000000000009${String(i).padStart(2, "0")}`, ACCOUNTS.proseware), data: linkData(`I0000000000009${String(i).padStart(2, "0")}`, ACCOUNTS.proseware) }));
    await clearRequests();
    const ids = await client.upsertMany(assetLink, rows, 10);
    expect(ids).toHaveLength(25);
    expect(new Set(ids).size).toBe(25);
    expect(await requests("/api/data/v9.2/$batch")).toBe(3);
    const again = await client.upsertMany(assetLink, rows.map((r) => ({ ...r, data: { [L.version.logicalName]: "2" } })), 10);
    expect(again).toEqual(ids);
    const stored = await client.query(assetLink, { select: [L.version.logicalName], filter: odataFilter`_psh_accountid_value eq ${guid(ACCOUNTS.proseware)} and startswith(psh_mediaid,${"I0000000000009"})` });
    expect(stored).toHaveLength(25);
    expect(stored.every((r) => r.psh_version === "2")).toBe(true);
  });

  it("rolls back a change set with a bad row and reports Dataverse's error", async () => {
    const rows = [
      { key: linkKey("I000000000000851", ACCOUNTS.proseware), data: linkData("I000000000000851", ACCOUNTS.proseware) },
      { key: linkKey("I000000000000852", ACCOUNTS.proseware), data: { ...linkData("I000000000000852", ACCOUNTS.proseware), [L.name.logicalName]: "x".repeat(201) } },
    ];
    const error = await client.upsertMany(assetLink, rows).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataverseApiError);
    expect(error).toMatchObject({ status: 400, code: "0x80044331" });
    expect(await client.query(assetLink, { filter: odataFilter`psh_mediaid eq ${"I000000000000851"}` })).toHaveLength(0);
  });

  it("waits as long as Retry-After says after a 429, then succeeds", async () => {
    await fault({ kind: "rateLimit", path: "/api/data/v9.2/psh_assetusages", times: 1, retryAfterSeconds: 1 });
    const U = assetUsage.columns;
    const started = Date.now();
    const id = await client.upsert(assetUsage, { psh_mediaid: "I000000000000001", psh_period: "2020-02", psh_regardingkey: regardingKey("account", ACCOUNTS.litware) }, { [U.name.logicalName]: "usage", [U.periodStart.logicalName]: "2020-02-01", [U.views.logicalName]: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("gives up when Dataverse keeps throttling, saying how long to wait", async () => {
    await fault({ kind: "rateLimit", path: "/api/data/v9.2/accounts", retryAfterSeconds: 30 });
    const error = await client.query(outOfBox.account, { select: ["name"] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 429, code: "0x80072322", retryAfterMs: 30_000 });
    await fetch(`${mock.url}/__admin/faults`, { method: "DELETE" });
  });

  it("renews its token once after a 401", async () => {
    let calls = 0;
    const flaky: TokenSource = { token: async () => (calls++ === 0 ? "expired-token" : tokens.token()), invalidate: () => undefined };
    const renewing = createDataverseClient({ url: mock.url, http, tokens: flaky });
    expect((await renewing.whoAmI()).userId).toBe(USERS.integration.id);
    expect(calls).toBe(2);
  });

  it("never sends its token to another origin named in a nextLink", async () => {
    let leaked = false;
    const evil: Server = createServer((request, response) => {
      if (request.headers.authorization) leaked = true;
      response.end("{}");
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/api/data/v9.2/accounts`;
    const liar: Server = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ value: [{ name: "a" }], "@odata.nextLink": evilUrl }));
    });
    await new Promise<void>((resolve) => liar.listen(0, "127.0.0.1", resolve));
    const lying = createDataverseClient({ url: `http://127.0.0.1:${(liar.address() as AddressInfo).port}`, http, tokens: { token: async () => "t", invalidate: () => undefined } });
    await expect(lying.query(outOfBox.account)).rejects.toThrow(/another origin/);
    expect(leaked).toBe(false);
    await new Promise((resolve) => evil.close(resolve));
    await new Promise((resolve) => liar.close(resolve));
  });
});
