import { CAMPAIGNS, ENTITLEMENTS } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { dataverseOf, defaultWebhook } from "../../mock-server/dataverse";
import type { Delivery, WebhookRegistrationInput } from "../../mock-server/dataverse/webhooks";
import { MOCK_WEBHOOK_KEY } from "../../mock-server/config";
import type { RunningMockServer } from "../../mock-server/server";
import { automationEndpoint } from "../../solution/model";
import { MockDataverseClient, startMock, startWebhookReceiver, userToken, valuesOf, type Entity } from "./mockDataverseSupport";

let mock: RunningMockServer;
let app: MockDataverseClient;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  ({ mock, app } = await startMock());
  hook = await startWebhookReceiver();
});
afterAll(async () => {
  await mock.close();
  await hook.close();
});
beforeEach(() => {
  hook.received.length = 0;
  hook.answers.length = 0;
  dataverseOf(mock.context).reset();
});

const webhooks = () => dataverseOf(mock.context).webhooks;
const fast = { maxAttempts: 4, initialDelayMs: 5, maxDelayMs: 20 };

async function register(input: Omit<WebhookRegistrationInput, "name" | "url" | "authType" | "authValue"> & Partial<WebhookRegistrationInput>) {
  const response = await fetch(`${mock.url}/__admin/dataverse/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: "test", url: hook.url, authType: "HttpHeader", authValue: { "x-psh-webhook-key": "k1" }, retry: fast, ...input }),
  });
  return { status: response.status, body: (await response.json()) as { id: string } };
}

const deliveries = async () => ((await (await fetch(`${mock.url}/__admin/dataverse/webhooks/deliveries`)).json()) as { deliveries: Delivery[] }).deliveries;
const attribute = (entity: { Attributes: Array<{ key: string; value: unknown }> }, key: string) => entity.Attributes.find((a) => a.key === key)?.value;

describe("mock Dataverse webhooks", () => {
  it("posts a RemoteExecutionContext for a Create with the configured header", async () => {
    await register({ steps: [{ message: "Create", table: "campaign", postImage: true }] });
    const marketer = new MockDataverseClient(mock, await userToken(mock, USERS.marketer.upn));
    const created = await marketer.call("POST", "campaigns", { body: { name: "Webhook Launch", psh_audience: "Testers" } });
    expect(created.status).toBe(204);
    await webhooks().whenIdle();
    expect(hook.received).toHaveLength(1);
    const [{ headers, body }] = hook.received;
    expect(headers["x-psh-webhook-key"]).toBe("k1");
    expect(headers["x-ms-dynamics-request-name"]).toBe("Create");
    expect(headers["x-ms-dynamics-entity-name"]).toBe("campaign");
    const id = /\(([^)]+)\)$/.exec(created.headers["odata-entityid"])![1];
    expect(body).toMatchObject({ MessageName: "Create", PrimaryEntityName: "campaign", PrimaryEntityId: id, UserId: USERS.marketer.id, InitiatingUserId: USERS.marketer.id, Depth: 1, Stage: 40 });
    expect(body.CorrelationId).toEqual(expect.any(String));
    expect(body.OperationCreatedOn).toMatch(/^\/Date\(\d+\)\/$/);
    const target = (body.InputParameters as Array<{ key: string; value: { LogicalName: string; Attributes: Array<{ key: string; value: unknown }> } }>)[0];
    expect(target.key).toBe("Target");
    expect(target.value.LogicalName).toBe("campaign");
    expect(attribute(target.value, "name")).toBe("Webhook Launch");
    expect(attribute(target.value, "ownerid")).toMatchObject({ LogicalName: "systemuser", Id: USERS.marketer.id });
    expect((body.PostEntityImages as unknown[]).length).toBe(1);
  });

  it("fires Update steps only for their filtering attributes, with pre and post images", async () => {
    await register({ steps: [{ message: "Update", table: "campaign", filteringAttributes: ["statuscode"], preImage: true, postImage: true }] });
    await app.call("PATCH", `campaigns(${CAMPAIGNS.springLaunch})`, { body: { description: "only the description" } });
    await webhooks().whenIdle();
    expect(hook.received).toHaveLength(0);
    await app.call("PATCH", `campaigns(${CAMPAIGNS.springLaunch})`, { body: { statuscode: 3 } });
    await webhooks().whenIdle();
    expect(hook.received).toHaveLength(1);
    const body = hook.received[0].body as { PreEntityImages: Array<{ value: { Attributes: Array<{ key: string; value: unknown }> } }>; PostEntityImages: Array<{ value: { Attributes: Array<{ key: string; value: unknown }> } }>; InputParameters: Array<{ value: { Attributes: Array<{ key: string }> } }> };
    expect(attribute(body.PreEntityImages[0].value, "statuscode")).toMatchObject({ Value: 2 });
    expect(attribute(body.PostEntityImages[0].value, "statuscode")).toMatchObject({ Value: 3 });
    expect(body.InputParameters[0].value.Attributes.map((a) => a.key).sort()).toEqual(["campaignid", "statuscode"]);
  });

  it("sends a Delete target as an entity reference", async () => {
    await register({ steps: [{ message: "Delete", table: "entitlement", preImage: true }] });
    expect((await app.call("DELETE", `entitlements(${ENTITLEMENTS.adventureWorksEnded})`)).status).toBe(204);
    await webhooks().whenIdle();
    expect(hook.received[0].body).toMatchObject({ MessageName: "Delete", InputParameters: [{ key: "Target", value: { LogicalName: "entitlement", Id: ENTITLEMENTS.adventureWorksEnded } }] });
  });

  it("retries failed deliveries with backoff until the endpoint accepts, and records every attempt", async () => {
    hook.answers.push(500, 429, 503);
    await register({ steps: [{ message: "Create", table: "campaign" }] });
    await app.call("POST", "campaigns", { body: { name: "Retry me" } });
    await webhooks().whenIdle();
    expect(hook.received).toHaveLength(4);
    expect(new Set(hook.received.map((r) => r.body.CorrelationId)).size).toBe(1);
    const [delivery] = await deliveries();
    expect(delivery.state).toBe("delivered");
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 429, 503, 200]);
  });

  it("gives up after the configured attempts and marks the delivery failed", async () => {
    hook.answers.push(500, 500, 500, 500, 500);
    await register({ steps: [{ message: "Create", table: "campaign" }] });
    await app.call("POST", "campaigns", { body: { name: "Never delivered" } });
    await webhooks().whenIdle();
    expect(hook.received).toHaveLength(fast.maxAttempts);
    expect((await deliveries())[0].state).toBe("failed");
  });

  it("stops retrying once the mock is reset", async () => {
    hook.answers.push(500, 500, 500, 500);
    await register({ steps: [{ message: "Create", table: "campaign" }], retry: { maxAttempts: 4, initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    await app.call("POST", "campaigns", { body: { name: "Reset me" } });
    while (hook.received.length === 0) await new Promise((resolve) => setImmediate(resolve));
    dataverseOf(mock.context).reset();
    await webhooks().whenIdle(); // resolves only when no retry is scheduled any more
    expect(hook.received).toHaveLength(1);
    expect(await deliveries()).toEqual([]);
  });

  it("retries when the endpoint is unreachable", async () => {
    await register({ url: "http://127.0.0.1:9/unreachable", steps: [{ message: "Create", table: "campaign" }], retry: { maxAttempts: 2, initialDelayMs: 1 } });
    await app.call("POST", "campaigns", { body: { name: "Nobody listens" } });
    await webhooks().whenIdle();
    const [delivery] = await deliveries();
    expect(delivery.state).toBe("failed");
    expect(delivery.attempts).toHaveLength(2);
    expect(delivery.attempts[0].error).toEqual(expect.any(String));
  });

  it("sends a WebhookKey as ?code= and nothing for a rolled-back batch", async () => {
    await register({ authType: "WebhookKey", authValue: "secret-code", steps: [{ message: "Create", table: "campaign" }] });
    await app.call("POST", "campaigns", { body: { name: "Keyed" } });
    await webhooks().whenIdle();
    expect(new URL(hook.received[0].url, "http://x").searchParams.get("code")).toBe("secret-code");
    hook.received.length = 0;
    const boundary = "b";
    const part = (body: unknown) => `Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nPOST /api/data/v9.2/campaigns HTTP/1.1\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(body)}`;
    const raw = `--${boundary}\r\nContent-Type: multipart/mixed; boundary=cs\r\n\r\n--cs\r\n${part({ name: "In batch" })}\r\n--cs\r\n${part({ nope: 1 })}\r\n--cs--\r\n--${boundary}--\r\n`;
    expect((await app.call("POST", "$batch", { raw, headers: { "content-type": `multipart/mixed; boundary=${boundary}` } })).status).toBe(400);
    await webhooks().whenIdle();
    expect(hook.received).toHaveLength(0);
  });

  it("validates registrations and builds the default proxy registration from the model", async () => {
    expect((await register({ steps: [{ message: "Create", table: "nope" }] })).status).toBe(400);
    expect((await register({ steps: [{ message: "Update", table: "campaign", filteringAttributes: ["nope"] }] })).status).toBe(400);
    expect((await register({ url: "ftp://x", steps: [{ message: "Create", table: "campaign" }] })).status).toBe(400);
    const registration = webhooks().register(defaultWebhook(hook.url, MOCK_WEBHOOK_KEY));
    expect(registration.steps.map((s) => `${s.message} ${s.table}`)).toContain("Update opportunity");
    await app.call("PATCH", `opportunities(0b000000-0000-4000-8000-000000000001)`, { body: { statecode: 1 } });
    await webhooks().whenIdle();
    expect(hook.received[0].headers["x-psh-webhook-key"]).toBe(MOCK_WEBHOOK_KEY);
    expect(hook.received[0].body).toMatchObject({ MessageName: "Update", PrimaryEntityName: "opportunity" });
  });
});

describe("the webhook as rows of the org (serviceendpoints, sdkmessageprocessingsteps)", () => {
  const endpoint = automationEndpoint;
  const settings = (key: string) => `<settings><setting name="${endpoint.header}" value="${key}"/></settings>`;
  const campaignCreated = async (name: string) => {
    await app.call("POST", "campaigns", { body: { name } });
    await webhooks().whenIdle();
  };

  it("serves the endpoint like Dataverse: found by id and name, authvalue never returned, not even to a filter", async () => {
    webhooks().register({ ...defaultWebhook(hook.url, "k-rows"), retry: fast });
    const one = await app.get(`serviceendpoints(${endpoint.id})?$select=name,url,contract,authtype,messageformat,authvalue`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ serviceendpointid: endpoint.id, name: endpoint.name, url: hook.url, contract: 8, authtype: 5, messageformat: 2, authvalue: null });
    const all = await app.get("serviceendpoints");
    expect(valuesOf(all).map((row) => row.authvalue)).toEqual([null]);
    const byName = await app.get(`serviceendpoints?$filter=name eq '${endpoint.name}'&$select=serviceendpointid`);
    expect(valuesOf(byName).map((row) => row.serviceendpointid)).toEqual([endpoint.id]);
    expect(valuesOf(await app.get("serviceendpoints?$filter=authvalue ne null"))).toEqual([]);
    expect((await app.get("serviceendpoints(00000000-0000-4000-8000-000000000001)")).status).toBe(404);
  });

  it("lists the endpoint's steps with their message, table and state, as the solution registers them", async () => {
    webhooks().register({ ...defaultWebhook(hook.url, "k-rows"), retry: fast });
    const steps = valuesOf(await app.get(`sdkmessageprocessingsteps?$filter=_eventhandler_value eq ${endpoint.id}&$select=name,statecode,stage,mode,filteringattributes&$expand=sdkmessageid($select=name),sdkmessagefilterid($select=primaryobjecttypecode)`));
    const shipped = defaultWebhook(hook.url, null).steps.map((step) => `${step.message} ${step.table}`).sort();
    expect(steps.map((step) => `${(step.sdkmessageid as Entity).name} ${(step.sdkmessagefilterid as Entity).primaryobjecttypecode}`).sort()).toEqual(shipped);
    for (const step of steps) expect(step).toMatchObject({ statecode: 0, stage: 40, mode: 1 });
  });

  it("delivers with the header value the endpoint holds at each attempt: none, then the one PATCHed in", async () => {
    hook.answers.push(401);
    webhooks().register({ ...defaultWebhook(hook.url, null, (table) => table === "campaign"), retry: { maxAttempts: 3, initialDelayMs: 3000, maxDelayMs: 3000 } });
    expect(webhooks().list()).toEqual([expect.objectContaining({ id: endpoint.id, authType: "HttpHeader", authValueSet: false })]);
    await app.call("POST", "campaigns", { body: { name: "No key yet" } });
    while (hook.received.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(hook.received[0].headers[endpoint.header]).toBeUndefined();
    // The value is set between the attempts: the retry carries it.
    const patched = await app.call("PATCH", `serviceendpoints(${endpoint.id})`, { body: { authvalue: settings("k-later") }, headers: { "if-match": "*" } });
    expect(patched.status).toBe(204);
    expect(webhooks().list()[0].authValueSet).toBe(true);
    await webhooks().whenIdle();
    expect(hook.received.map((received) => received.headers[endpoint.header])).toEqual([undefined, "k-later"]);
    expect((await deliveries())[0]).toMatchObject({ registrationId: endpoint.id, state: "delivered", attempts: [expect.objectContaining({ status: 401 }), expect.objectContaining({ status: 200 })] });
  });

  it("fails a delivery whose authvalue is not the platform's settings XML, with the platform's message, sending nothing", async () => {
    webhooks().register({ ...defaultWebhook(hook.url, null, (table) => table === "campaign"), authValue: `${endpoint.header}: k1`, retry: fast });
    await campaignCreated("Bad settings");
    expect(hook.received).toHaveLength(0);
    const [delivery] = await deliveries();
    expect(delivery.state).toBe("failed");
    expect(delivery.attempts[0].error).toMatch(/^The webhook call failed because of invalid http headers in authValue/);
  });

  it("sends nothing for a disabled step, and lets only a user with write on service endpoints change one", async () => {
    webhooks().register({ ...defaultWebhook(hook.url, "k1", (table) => table === "campaign"), retry: fast });
    const [create] = valuesOf(await app.get(`sdkmessageprocessingsteps?$filter=_eventhandler_value eq ${endpoint.id} and sdkmessageid/name eq 'Create'&$select=sdkmessageprocessingstepid`));
    expect((await app.call("PATCH", `sdkmessageprocessingsteps(${create.sdkmessageprocessingstepid as string})`, { body: { statecode: 1, statuscode: 2 } })).status).toBe(204);
    await campaignCreated("Step off");
    expect(hook.received).toHaveLength(0);
    const rep = new MockDataverseClient(mock, await userToken(mock, USERS.salesNorthAmerica.upn));
    const refused = await rep.call("PATCH", `serviceendpoints(${endpoint.id})`, { body: { authvalue: settings("stolen") }, headers: { "if-match": "*" } });
    expect(refused.status).toBe(403);
  });
});
