/**
 * The proxy acts for the caller, never above them (issue 11, items 2 and 3), over real HTTP against
 * the mocks: it reads the host record as the caller (Dataverse impersonation with CallerObjectId) and
 * answers a record they may not open exactly like a record that does not exist, and it checks the
 * Dataverse privileges each action needs before PhotoShelter is touched.
 */
import { ACCOUNTS, CAMPAIGNS, CASES } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { dataverseOf } from "../../mock-server/dataverse";
import { Stack, startStack } from "./proxyHarness";

const LITWARE = `account:${ACCOUNTS.litware}`;
const CASE = `incident:${CASES.damagedDelivery}`;
const CAMPAIGN = `campaign:${CAMPAIGNS.springLaunch}`;
const UNKNOWN = "account:00000000-0000-4000-8000-00000000dead";

let stack: Stack;

beforeAll(async () => {
  // No policy cache: each test sees Dataverse as it is now.
  stack = await startStack({ POLICY_TTL_MS: "0" });
});
afterAll(() => stack.close());
afterEach(() => dataverseOf(stack.mock.context).reset());

const token = (user: { upn: string }) => stack.token(user.upn);
const json = { "content-type": "application/json" };
const someMedia = () => stack.photoShelter.library.media.slice(0, 2).map((m) => m.id);

/** Every /v1 call that names a record, as the given user. */
function calls(record: string, bearer: string): Array<[string, () => Promise<Response>]> {
  const [first] = someMedia();
  const upload = new FormData();
  upload.set("file", new Blob([new Uint8Array([137, 80, 78, 71])], { type: "image/png" }), "x.png");
  return [
    ["containers", () => stack.call(`/v1/containers?record=${record}`, { token: bearer })],
    ["search", () => stack.call(`/v1/search?record=${record}&perPage=1`, { token: bearer })],
    ["asset", () => stack.call(`/v1/assets/${first}?record=${record}`, { token: bearer })],
    ["batch", () => stack.call(`/v1/assets/batch?record=${record}`, { token: bearer, method: "POST", headers: json, body: JSON.stringify({ ids: someMedia() }) })],
    ["download", () => stack.call(`/v1/assets/${first}/download?record=${record}`, { token: bearer })],
    ["zip", () => stack.call(`/v1/downloads/zip?record=${record}`, { token: bearer, method: "POST", headers: json, body: JSON.stringify({ ids: someMedia() }) })],
    ["upload", () => stack.call(`/v1/uploads?record=${record}`, { token: bearer, method: "POST", body: upload })],
  ];
}

const photoShelterCalls = () => stack.admin.requests.count({ path: "/psapi/" });

describe("the host record is read as the caller", () => {
  it("a sales rep of another region gets nothing through an account she cannot open: 404, like an unknown record", async () => {
    const emma = await token(USERS.salesEmea);
    const unknown = await (await stack.call(`/v1/search?record=${UNKNOWN}`, { token: emma })).json();
    const before = photoShelterCalls();
    for (const [name, call] of calls(LITWARE, emma)) {
      const response = await call();
      expect([name, response.status]).toEqual([name, 404]);
      expect(await response.json()).toEqual(unknown);
    }
    expect(photoShelterCalls()).toBe(before);
    // The rep of the account's own region opens it.
    expect((await stack.call(`/v1/search?record=${LITWARE}&perPage=1`, { token: await token(USERS.salesNorthAmerica) })).status).toBe(200);
  });

  it("a case opens for the service agent, not for a salesperson; a campaign for the marketer, not for the service agent", async () => {
    const search = (record: string, bearer: string) => stack.call(`/v1/search?record=${record}&perPage=1`, { token: bearer });
    expect((await search(CASE, await token(USERS.serviceAgent))).status).toBe(200);
    expect((await search(CASE, await token(USERS.salesNorthAmerica))).status).toBe(404);
    expect((await search(CAMPAIGN, await token(USERS.marketer))).status).toBe(200);
    expect((await search(CAMPAIGN, await token(USERS.serviceAgent))).status).toBe(404);
  });

  it("follows Dataverse: when the account is given to the EMEA rep it opens for her and no longer for Riley", async () => {
    const emma = await token(USERS.salesEmea);
    const riley = await token(USERS.salesNorthAmerica);
    expect((await stack.call(`/v1/containers?record=${LITWARE}`, { token: emma })).status).toBe(404);
    const store = dataverseOf(stack.mock.context).store;
    store.put("account", ACCOUNTS.litware, { ...store.get("account", ACCOUNTS.litware)!, ownerid: { id: USERS.salesEmea.id, table: "systemuser" } });
    expect((await stack.call(`/v1/containers?record=${LITWARE}`, { token: emma })).status).toBe(200);
    expect((await stack.call(`/v1/containers?record=${LITWARE}`, { token: riley })).status).toBe(404);
  });

  it("without the Delegate role the proxy cannot act for users: it fails closed with 502 and says why in the log", async () => {
    dataverseOf(stack.mock.context).roles.assign(USERS.integration.id, ["integration"]);
    const response = await stack.call(`/v1/search?record=${LITWARE}`, { token: await token(USERS.salesNorthAmerica) });
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("upstream_error");
    expect(stack.logs.some((line) => line.includes("Delegate role") && line.includes("prvActOnBehalfOfAnotherUser"))).toBe(true);
  });
});

describe("privileges are checked on the server", () => {
  it("the read-only user may not upload: 403 naming the missing privilege, and nothing reaches PhotoShelter", async () => {
    const rowan = await token(USERS.readOnly);
    // Rowan reads the campaign (so this is about the privilege, not the record) but holds no create on asset links.
    expect((await stack.call(`/v1/search?record=${CAMPAIGN}&perPage=1`, { token: rowan })).status).toBe(200);
    const mediaBefore = stack.photoShelter.library.media.length;
    const uploadsBefore = stack.admin.requests.count({ path: "/psapi/v3/mem/image/upload" });
    const upload = calls(CAMPAIGN, rowan).find(([name]) => name === "upload")![1];
    const response = await upload();
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: "forbidden", message: expect.stringContaining("prvcreatepsh_assetlink") } });
    expect(stack.admin.requests.count({ path: "/psapi/v3/mem/image/upload" })).toBe(uploadsBefore);
    expect(stack.photoShelter.library.media.length).toBe(mediaBefore);
  });

  it("the marketer, who may link assets to her campaign, uploads to it", async () => {
    const upload = calls(CAMPAIGN, await token(USERS.marketer)).find(([name]) => name === "upload")![1];
    expect((await upload()).status).toBe(201);
  });

  it("a privilege taken away in Dataverse is refused by the proxy", async () => {
    const mia = await token(USERS.marketer);
    // Mia keeps her marketing role's records but loses PhotoShelter User's link privileges.
    dataverseOf(stack.mock.context).roles.assign(USERS.marketer.id, ["photoShelterReadOnly"]);
    const upload = calls(CAMPAIGN, mia).find(([name]) => name === "upload")![1];
    expect((await upload()).status).toBe(403);
  });
});
