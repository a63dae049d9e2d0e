/**
 * The webhook's service endpoint as readiness reports it (issue 15 item 2): its state on the public
 * /readyz, its details for admins on /v1/admin/readiness — over real HTTP against the
 * mock Dataverse, whose webhooks are serviceendpoint rows delivered with the header value they hold:
 * an endpoint that is missing, that points elsewhere, whose value is missing (and the proxy may not
 * or must not set it), or with a disabled step — each said with what to do, readiness staying 200;
 * and the endpoint as a solution import leaves it (placeholder URL, no value) pointed here and given
 * its value by the proxy, after which deliveries authenticate.
 */
import { dataverseOf, defaultWebhook } from "../../mock-server/dataverse";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { withMockDefaults } from "../../mock-server/proxyEnv";
import { RunningMockServer, startMockServer } from "../../mock-server/server";
import { loadConfig } from "../../proxy/src/config";
import type { WebhookReport } from "../../proxy/src/automation/webhookEndpoint";
import { startProxy, type RunningProxy } from "../../proxy/src/server";
import { automationEndpoint, headerSettings, pluginRegistration } from "../../solution/model";
import { until } from "../support/automation";
import { ORIGIN } from "./proxyHarness";

jest.setTimeout(120_000);

const KEY = "webhook-endpoint-test-key-0123456789";
const fast = { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 50 };

let mock: RunningMockServer;
const proxies: RunningProxy[] = [];
/** Each proxy's PROXY_ROLE: a worker serves no admin API. */
const PROXY_ROLE_OF = new WeakMap<RunningProxy, string>();

beforeAll(async () => {
  mock = await startMockServer({ port: 0, media: 20 });
});
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
  await dataverseOf(mock.context).webhooks.whenIdle();
  dataverseOf(mock.context).reset();
});
afterAll(() => mock?.close());

const dataverse = () => dataverseOf(mock.context);
const endpointRow = () => dataverse().store.get(pluginRegistration.serviceEndpoint.logicalName, automationEndpoint.id);
/** What Dataverse holds (the test may look; the proxy never can). */
const storedValue = () => endpointRow()?.authvalue ?? null;

async function proxy(env: Record<string, string> = {}): Promise<RunningProxy> {
  const started = await startProxy(
    loadConfig(withMockDefaults({ PROXY_PORT: "0", LOG_LEVEL: "silent", PROXY_ALLOWED_ORIGINS: ORIGIN, STATE_URL: "sqlite::memory:", WEBHOOK_KEY: KEY, WEBHOOK_CHECK_SECONDS: "0", ...env }, mock.url, mock.context.settings)),
  );
  proxies.push(started);
  PROXY_ROLE_OF.set(started, env.PROXY_ROLE ?? "all");
  return started;
}

/**
 * /readyz's status and the webhook as an admin reads it (GET /v1/admin/readiness); /readyz itself is
 * public, so it must say no more than each state — checked on every call.
 */
async function readyz(of: RunningProxy): Promise<{ status: number; webhook: WebhookReport }> {
  const response = await fetch(`${of.url}/readyz`);
  const text = await response.text();
  const body = JSON.parse(text) as { status: string; checks: Record<string, string>; webhook: { status: string } };
  expect(Object.keys(body).sort()).toEqual(["checks", "status", "webhook"]);
  expect(Object.keys(body.webhook)).toEqual(["status"]);
  expect(text).not.toContain(automationEndpoint.id);
  expect(text).not.toContain(mock.url);
  if (PROXY_ROLE_OF.get(of) === "worker") return { status: response.status, webhook: body.webhook as WebhookReport };
  const detailed = await fetch(`${of.url}/v1/admin/readiness`, { headers: { authorization: `Bearer ${await adminToken()}` } });
  expect(detailed.status).toBe(200);
  const details = (await detailed.json()) as { status: string; webhook: WebhookReport };
  expect(details.status).toBe(body.status);
  expect(details.webhook.status).toBe(body.webhook.status);
  return { status: response.status, webhook: details.webhook };
}

async function adminToken(): Promise<string> {
  const response = await fetch(`${mock.url}/issuer/dev/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: USERS.admin.upn }) });
  return ((await response.json()) as { access_token: string }).access_token;
}

/** Registers the endpoint with the steps of every table the mock org has. */
const register = (url: string, key: string | null) => dataverse().webhooks.register({ ...defaultWebhook(url, key, (table) => dataverse().metadata.byLogicalName(table) !== undefined), retry: fast });

async function createCampaign(name: string): Promise<void> {
  const token = (await (await fetch(`${mock.url}/issuer/dev/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: USERS.marketer.upn }) })).json()) as { access_token: string };
  const created = await fetch(`${mock.url}/api/data/v9.2/campaigns`, { method: "POST", headers: { authorization: `Bearer ${token.access_token}`, "content-type": "application/json" }, body: JSON.stringify({ name }) });
  expect(created.status).toBe(204);
  await dataverse().webhooks.whenIdle();
}
const lastDelivery = () => dataverse().webhooks.log().at(-1)!;

describe("/readyz reports the webhook's service endpoint", () => {
  it("says an endpoint that is not in Dataverse is missing and what to import, and stays ready", async () => {
    const instance = await proxy();
    const { status, webhook } = await readyz(instance);
    expect(status).toBe(200);
    expect(webhook).toMatchObject({ status: "attention", setup: "auto", changed: [], endpoint: { id: automationEndpoint.id, foundBy: null, url: null, expectedUrl: `${instance.url}/hooks/dataverse`, header: "x-psh-webhook-key" } });
    expect(webhook.problems).toEqual([expect.stringContaining(`The service endpoint "${automationEndpoint.name}" (${automationEndpoint.id}) is not in Dataverse: import the core solution`)]);
  });

  it("points the endpoint a solution import leaves (placeholder URL, no value) at itself and sets the header value; then deliveries authenticate", async () => {
    register(automationEndpoint.placeholderUrl, null);
    expect(storedValue()).toBeNull();
    const instance = await proxy();
    const { status, webhook } = await readyz(instance);
    expect(status).toBe(200);
    expect(webhook.endpoint).toMatchObject({ foundBy: "id", url: `${instance.url}/hooks/dataverse`, authType: "Http Header", messageFormat: "Json" });
    // Done once (at start, or by this probe): later reports say what was done, not do it again.
    await until(async () => (await readyz(instance)).webhook.headerValue?.startsWith("set by this proxy at ") === true, "the proxy set the header value");
    const later = (await readyz(instance)).webhook;
    expect(later).toMatchObject({ status: "ok", problems: [], changed: [] });
    expect(later.steps).toEqual({ enabled: defaultWebhook("x", null).steps.length, disabled: [], notRegistered: [] });
    expect(endpointRow()?.url).toBe(`${instance.url}/hooks/dataverse`);
    expect(storedValue()).toBe(headerSettings({ [automationEndpoint.header]: KEY }));

    await createCampaign("Webhook set up by the proxy");
    expect(lastDelivery()).toMatchObject({ registrationId: automationEndpoint.id, state: "delivered", attempts: [expect.objectContaining({ status: 202 })] });
    const counts = await instance.backbone.store.inbox.counts();
    expect(counts.pending + counts.running + counts.done + counts.parked).toBe(1);
  });

  it("sets the value again when a delivery is refused after it was lost (as an import could drop it), so Dataverse's retry authenticates", async () => {
    dataverse().webhooks.register({ ...defaultWebhook(automationEndpoint.placeholderUrl, null), retry: { maxAttempts: 6, initialDelayMs: 300, maxDelayMs: 2000 } });
    const instance = await proxy();
    await until(async () => (await readyz(instance)).webhook.status === "ok", "the proxy set the endpoint up");
    dataverse().store.put(pluginRegistration.serviceEndpoint.logicalName, automationEndpoint.id, { ...endpointRow()!, authvalue: null });

    await createCampaign("The value was lost");
    const delivery = lastDelivery();
    expect(delivery.state).toBe("delivered");
    expect(delivery.attempts[0].status).toBe(401);
    expect(delivery.attempts.at(-1)!.status).toBe(202);
    expect(storedValue()).toBe(headerSettings({ [automationEndpoint.header]: KEY }));
    expect((await readyz(instance)).webhook).toMatchObject({ status: "ok", headerValue: expect.stringMatching(/^set by this proxy at /) });
  });

  it("leaves an endpoint that points at another receiver alone and says how to take it over; WEBHOOK_SETUP=force takes it", async () => {
    register("https://elsewhere.example.com/hooks/dataverse", "the-other-receivers-key");
    const before = storedValue();
    const instance = await proxy();
    const { status, webhook } = await readyz(instance);
    expect(status).toBe(200);
    expect(webhook).toMatchObject({ status: "attention", changed: [], endpoint: { url: "https://elsewhere.example.com/hooks/dataverse", expectedUrl: `${instance.url}/hooks/dataverse` } });
    expect(webhook.problems).toEqual([expect.stringMatching(/points at https:\/\/elsewhere\.example\.com\/hooks\/dataverse, not at this proxy .* set WEBHOOK_SETUP=force/)]);
    expect(storedValue()).toBe(before);
    await instance.close();

    const forced = await proxy({ WEBHOOK_SETUP: "force" });
    await until(async () => (await readyz(forced)).webhook.status === "ok", "the forced proxy took the endpoint over");
    expect(endpointRow()?.url).toBe(`${forced.url}/hooks/dataverse`);
    await createCampaign("Taken over");
    expect(lastDelivery()).toMatchObject({ state: "delivered", attempts: [expect.objectContaining({ status: 202 })] });
  });

  it("with WEBHOOK_SETUP=report changes nothing and says how to set the value; the mock's deliveries are refused, and the report then says so", async () => {
    const instance = await proxy({ WEBHOOK_SETUP: "report" });
    register(`${instance.url}/hooks/dataverse`, null);
    const first = (await readyz(instance)).webhook;
    expect(first).toMatchObject({ status: "attention", changed: [], headerValue: expect.stringMatching(/^unknown: Dataverse never returns it/) });
    expect(first.problems).toEqual([expect.stringContaining(`PATCH ${mock.url}/api/data/v9.2/serviceendpoints(${automationEndpoint.id}) with {"authvalue": "<settings><setting name=\\"x-psh-webhook-key\\" value=\\"{WEBHOOK_KEY}\\"/></settings>"}`)]);
    expect(JSON.stringify(first)).not.toContain(KEY);

    await createCampaign("Nobody set the key");
    expect(lastDelivery()).toMatchObject({ state: "failed", attempts: Array.from({ length: fast.maxAttempts }, () => expect.objectContaining({ status: 401 })) });
    const after = await readyz(instance);
    expect(after.status).toBe(200);
    expect(after.webhook.headerValue).toMatch(/^refused: a delivery without the x-psh-webhook-key header was refused at /);
    expect(after.webhook.problems).toContainEqual(expect.stringContaining("Deliveries are refused"));
    expect(storedValue()).toBeNull();
  });

  it("says what the admin must do when the application user may not change service endpoints", async () => {
    dataverse().roles.assign(USERS.integration.id, ["photoShelterReadOnly", "delegate"]);
    register(automationEndpoint.placeholderUrl, null);
    const instance = await proxy();
    const { status, webhook } = await readyz(instance);
    expect(status).toBe(200);
    expect(webhook).toMatchObject({ status: "attention", changed: [] });
    expect(webhook.problems).toEqual([
      expect.stringMatching(/may not change service endpoints, so it could not point the endpoint at .* and set the x-psh-webhook-key header value: give it a security role with write on Service Endpoint \(prvWriteServiceEndpoint\).*PATCH .*serviceendpoints\(/),
    ]);
    expect(storedValue()).toBeNull();
    expect(endpointRow()?.url).toBe(automationEndpoint.placeholderUrl);
  });

  it("needs no write privilege for an endpoint the admin set up: until a delivery arrives it asks for the value, then the delivery confirms it", async () => {
    dataverse().roles.assign(USERS.integration.id, ["photoShelterReadOnly", "delegate"]);
    const instance = await proxy();
    register(`${instance.url}/hooks/dataverse`, KEY);
    const before = (await readyz(instance)).webhook;
    expect(before.status).toBe("attention");
    expect(before.problems).toEqual([expect.stringContaining("so it could not set the x-psh-webhook-key header value")]);

    await createCampaign("Set up by the admin");
    expect(lastDelivery()).toMatchObject({ state: "delivered", attempts: [expect.objectContaining({ status: 202 })] });
    const after = (await readyz(instance)).webhook;
    expect(after).toMatchObject({ status: "ok", problems: [], changed: [], headerValue: expect.stringMatching(/^confirmed by a delivery accepted at /) });
  });

  it("names a disabled step and a wrong auth type", async () => {
    const instance = await proxy({ WEBHOOK_SETUP: "report" });
    register(`${instance.url}/hooks/dataverse`, KEY);
    const steps = dataverse().store.rows(pluginRegistration.sdkMessageProcessingStep.logicalName);
    const campaignCreate = steps.find((row) => String(row.name).endsWith("Create of campaign"))!;
    dataverse().store.put(pluginRegistration.sdkMessageProcessingStep.logicalName, String(campaignCreate.sdkmessageprocessingstepid), { ...campaignCreate, statecode: 1, statuscode: 2 });
    dataverse().store.put(pluginRegistration.serviceEndpoint.logicalName, automationEndpoint.id, { ...endpointRow()!, authtype: 6 });
    const { webhook } = await readyz(instance);
    expect(webhook.steps).toMatchObject({ disabled: ["Create of campaign"] });
    expect(webhook.problems).toEqual(expect.arrayContaining([expect.stringContaining("Steps of the webhook are disabled, so those changes are never sent: Create of campaign"), expect.stringContaining("not a JSON webhook with HttpHeader authentication (auth type Http Query String")]));
  });

  it("is detailed for admins only: /v1/admin/readiness needs the admin role", async () => {
    const instance = await proxy();
    const rep = await fetch(`${mock.url}/issuer/dev/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: USERS.salesNorthAmerica.upn }) });
    const { access_token: token } = (await rep.json()) as { access_token: string };
    expect((await fetch(`${instance.url}/v1/admin/readiness`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
    expect((await fetch(`${instance.url}/v1/admin/readiness`)).status).toBe(401);
    const { webhook } = await readyz(instance);
    expect(webhook.endpoint).toBeDefined();
  });

  it("is checked by the instances that receive it: an api instance reports it, a worker does not", async () => {
    register(automationEndpoint.placeholderUrl, null);
    const api = await proxy({ PROXY_ROLE: "api" });
    const apiReport = (await readyz(api)).webhook;
    expect(apiReport.endpoint?.foundBy).toBe("id");
    expect(apiReport.notes).toContainEqual(expect.stringContaining("PROXY_ROLE=api runs no jobs"));
    const worker = await proxy({ PROXY_ROLE: "worker" });
    // A worker serves no API (the admin's details included): its /readyz says "not checked".
    expect(await readyz(worker)).toEqual({ status: 200, webhook: { status: "not checked" } });
    expect((await fetch(`${worker.url}/v1/admin/readiness`)).status).toBe(404);
  });
});
