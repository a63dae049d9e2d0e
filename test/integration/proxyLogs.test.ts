/**
 * Logs carry no token and no secret at any level (issue 11, item 7): the proxy runs at LOG_LEVEL=trace
 * through sign-ins, uploads (whose multipart parser logs its options with the request's headers at
 * trace), searches, downloads, ZIPs, signed media, refused tokens, an application's token and
 * upstream failures; then every line is scanned for the callers' bearer tokens, PhotoShelter's key,
 * password and session, the Dataverse client secret, media signatures and anything shaped like a JWT.
 */
import { MOCK_DEFAULTS } from "../../mock-server/config";
import { ACCOUNTS, CASES } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { MOCK_APP_ROLE } from "../../mock-server/issuer";
import { photoShelterSecrets, Stack, startStack } from "./proxyHarness";

const LITWARE = `account:${ACCOUNTS.litware}`;
const CASE = `incident:${CASES.damagedDelivery}`;
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\./;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ LOG_LEVEL: "trace", PROXY_APP_ROLES: MOCK_APP_ROLE, UPSTREAM_MAX_RETRIES: "1" });
});
afterAll(() => stack?.close());

it("no line at any level holds a token or a secret", async () => {
  const riley = await stack.token(USERS.salesNorthAmerica.upn);
  const sam = await stack.token(USERS.serviceAgent.upn);
  const json = { "content-type": "application/json" };

  const page = (await (await stack.call(`/v1/search?record=${LITWARE}&perPage=5&mediaType=document&includeRestricted=true`, { token: riley })).json()) as { items: Array<{ id: string; thumbnailUrl: string }> };
  const ids = page.items.map((asset) => asset.id);
  expect(ids.length).toBeGreaterThan(1);
  expect((await stack.call(`/v1/assets/batch?record=${LITWARE}`, { token: riley, method: "POST", headers: json, body: JSON.stringify({ ids }) })).status).toBe(200);
  expect((await stack.call(`/v1/assets/${ids[0]}/download?record=${LITWARE}`, { token: riley })).status).toBe(200);
  expect((await stack.call(`/v1/downloads/zip?record=${LITWARE}`, { token: riley, method: "POST", headers: json, body: JSON.stringify({ ids: ids.slice(0, 2) }) })).status).toBe(200);
  expect((await fetch(page.items[0].thumbnailUrl)).status).toBe(200);
  const form = new FormData();
  form.set("caption", "dent");
  form.set("file", new Blob([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], { type: "image/png" }), "dent.png");
  expect((await stack.call(`/v1/uploads?record=${CASE}`, { token: sam, method: "POST", body: form })).status).toBe(201);
  // Refused: a forged token, a forged media signature.
  expect((await stack.call(`/v1/search?record=${LITWARE}`, { headers: { authorization: `Bearer ${riley.slice(0, -4)}AAAA` } })).status).toBe(401);
  expect((await fetch(page.items[0].thumbnailUrl.replace(/sig=./, "sig=A"))).status).toBeGreaterThanOrEqual(400);
  // An application's own token.
  const form2 = new URLSearchParams({ grant_type: "client_credentials", client_id: MOCK_DEFAULTS.clientId, client_secret: MOCK_DEFAULTS.clientSecret, scope: `${stack.proxy.services.config.token.audience}/.default` });
  const appToken = ((await (await fetch(`${stack.mock.url}/issuer/token`, { method: "POST", body: form2 })).json()) as { access_token: string }).access_token;
  expect((await stack.call(`/v1/containers?record=${LITWARE}`, { token: appToken })).status).toBe(200);
  // Upstream failures, logged as warnings and errors.
  const faults = [stack.admin.faults.add({ kind: "error", path: "/psapi/v4.0/search", status: 500 }), stack.admin.faults.add({ kind: "error", path: "/api/data/v9.2/accounts", status: 500 })];
  expect((await stack.call(`/v1/search?record=${LITWARE}&q=failing`, { token: riley })).status).toBe(502);
  expect((await stack.call(`/v1/search?record=account:${ACCOUNTS.woodgrove}`, { token: riley })).status).toBe(502);
  for (const fault of faults) stack.admin.faults.remove(fault.id);

  const levels = new Set(stack.logs.map((line) => (JSON.parse(line) as { level: number }).level));
  expect([...levels]).toEqual(expect.arrayContaining([10, 20, 30, 40]));
  // The multipart parser's trace line is there, without the options that carry the request's headers.
  const busboy = stack.logs.map((line) => JSON.parse(line) as { msg?: string; unlogged?: string[] }).find((line) => line.msg === "Providing options to busboy");
  expect(busboy?.unlogged).toEqual(["busboyOptions"]);

  const signatures = page.items.map((asset) => new URL(asset.thumbnailUrl).searchParams.get("sig")!);
  const secrets = [riley, sam, appToken, ...[riley, sam, appToken].map((token) => token.split(".")[2]), ...signatures, ...(await photoShelterSecrets(stack))];
  for (const line of stack.logs) {
    expect(line).not.toMatch(JWT);
    for (const secret of secrets) if (line.includes(secret)) throw new Error(`a log line holds a secret: ${line.slice(0, 300)}`);
  }
});
