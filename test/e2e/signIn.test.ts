/**
 * How the control signs in to the proxy, in Chromium on the workbench's forms.
 * - `dataverse` (the default): through a psh_signinrequest row and POST /v1/session — no pop-up, no
 *   iframe, no sign-in button, in the browser and in the (simulated) mobile app, and again once its
 *   token has expired.
 * - `entra`: the authorization code flow with PKCE against the mock's Entra ID endpoints — silently
 *   in a hidden iframe when the browser has a session, through the "Sign in" pop-up when Entra wants
 *   interaction — and the proxy accepts the v2 token that comes out.
 */
import type { Page, Request } from "playwright-core";
import { request } from "undici";
import { ACCOUNTS } from "../../mock-server/dataverse/demoData";
import { DEMO_TENANT_ID } from "../../mock-server/dataverse/demoData/ids";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { MOCK_ENTRA_API_CLIENT_ID } from "../../mock-server/issuer/entra";
import type { RunningStack } from "../../workbench/server/stack";
import { Browser, launchChromium } from "./support/browser";
import { DataverseAsUser } from "./support/dataverse";
import { startTestStack } from "./support/stack";
import { openForm, watchPageErrors, type FormAddress } from "./support/workbenchPage";

jest.setTimeout(240_000);

const RILEY = USERS.salesNorthAmerica;
const LITWARE: FormAddress = { form: "account", id: ACCOUNTS.litware, user: RILEY.id };
/** Short-lived session tokens, so a test can outlive one. */
const SESSION_TTL_SECONDS = 6;

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());

interface Watched {
  page: Page;
  errors: string[];
  popups: Page[];
  /** Every frame the page ever attached besides its own. */
  frames: string[];
  /** The proxy calls that carried a bearer token, in order. */
  proxyCalls: Request[];
}

async function watch(stack: RunningStack): Promise<Watched> {
  const page = await browser.context.newPage();
  const watched: Watched = { page, errors: watchPageErrors(page), popups: [], frames: [], proxyCalls: [] };
  page.on("popup", (popup) => watched.popups.push(popup));
  page.on("frameattached", (frame) => watched.frames.push(frame.url() || "about:blank"));
  page.on("request", (sent) => {
    if (sent.url().startsWith(stack.proxyUrl) && sent.headers().authorization) watched.proxyCalls.push(sent);
  });
  return watched;
}

/** Waits for the proxy to answer the form's batch look-up of the linked assets' live rights. */
function batchAnswered(page: Page, stack: RunningStack) {
  return page.waitForResponse((response) => response.url().startsWith(`${stack.proxyUrl}/v1/assets/batch`) && response.request().method() === "POST", { timeout: 60_000 });
}

const bearerOf = (sent: Request) => (sent.headers().authorization ?? "").replace(/^Bearer /, "");
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString()) as Record<string, unknown>;

async function loggedRequests(page: Page) {
  return page.evaluate(() => window.__workbench.requests());
}

describe("sign-in through Dataverse (the default)", () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { SESSION_TOKEN_TTL_SECONDS: String(SESSION_TTL_SECONDS) } });
  });
  afterAll(() => stack?.close());

  async function signsInUnseen(address: FormAddress): Promise<Watched> {
    const watched = await watch(stack);
    const answered = batchAnswered(watched.page, stack);
    await openForm(watched.page, stack.workbench.url, address);
    expect((await answered).status()).toBe(200);
    const logged = await loggedRequests(watched.page);
    const handshakes = logged.filter((entry) => entry.kind === "dataverse" && entry.method === "POST" && entry.url.includes("/psh_signinrequests"));
    const sessions = logged.filter((entry) => entry.kind === "proxy" && entry.url.endsWith("/v1/session"));
    expect({ rows: handshakes.length, sessions: sessions.length, caller: handshakes[0]?.caller }).toEqual({ rows: 1, sessions: 1, caller: "control" });
    expect(logged.filter((entry) => entry.kind === "issuer")).toEqual([]);
    expect(watched.popups).toEqual([]);
    expect(watched.frames).toEqual([]);
    expect(await watched.page.getByRole("button", { name: "Sign in" }).count()).toBe(0);
    const token = bearerOf(watched.proxyCalls[0]);
    expect(claims(token)).toMatchObject({ iss: "urn:photoshelter-proxy:session", sub: RILEY.id });
    expect(watched.errors).toEqual([]);
    return watched;
  }

  it("signs in with no pop-up, no iframe and no sign-in button, and the row it proved with is gone", async () => {
    const { page } = await signsInUnseen(LITWARE);
    const admin = new DataverseAsUser(stack.mock.url, USERS.admin.id);
    const left = await admin.get<{ value: unknown[] }>(`psh_signinrequests?$select=psh_challenge&$filter=_createdby_value eq ${RILEY.id}`);
    expect(left.value).toEqual([]);
    await page.close();
  });

  it("signs in the same way in the mobile app, which opens no pop-ups", async () => {
    const { page } = await signsInUnseen({ ...LITWARE, client: "mobile" });
    expect(await page.evaluate(() => window.open("about:blank"))).toBeNull();
    await page.close();
  });

  it("signs in again, unseen, once its token has expired", async () => {
    const watched = await signsInUnseen(LITWARE);
    const first = bearerOf(watched.proxyCalls[0]);
    // Wait on the condition itself: the proxy refuses the first token.
    const search = `${stack.proxyUrl}/v1/search?record=account:${ACCOUNTS.litware}&perPage=1`;
    for (;;) {
      const answer = await request(search, { headers: { authorization: `Bearer ${first}` } });
      await answer.body.dump();
      if (answer.statusCode === 401) break;
      expect(answer.statusCode).toBe(200);
      await watched.page.waitForTimeout(500);
    }
    const calls = watched.proxyCalls.length;
    const searched = watched.page.waitForResponse((response) => response.url().startsWith(`${stack.proxyUrl}/v1/search`), { timeout: 60_000 });
    await watched.page.getByRole("button", { name: "Add from PhotoShelter" }).click();
    expect((await searched).status()).toBe(200);
    const later = watched.proxyCalls.slice(calls).map(bearerOf);
    expect(later.length).toBeGreaterThan(0);
    expect(later).not.toContain(first);
    const logged = await loggedRequests(watched.page);
    expect(logged.filter((entry) => entry.kind === "proxy" && entry.url.endsWith("/v1/session")).length).toBeGreaterThanOrEqual(2);
    expect(watched.popups).toEqual([]);
    expect(watched.frames).toEqual([]);
    expect(await watched.page.getByRole("button", { name: "Sign in" }).count()).toBe(0);
    expect(watched.errors).toEqual([]);
    await watched.page.close();
  });
});

describe("sign-in with Entra ID (organizations that require it)", () => {
  let stack: RunningStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { SIGN_IN_MODE: "entra" } });
  });
  afterAll(() => stack?.close());

  /** A browser session at the mock Entra ID, as a user signed in to Dynamics has one. */
  async function entraSession(user: string, interactionRequired: boolean): Promise<void> {
    const response = await request(`${stack.mock.url}/__admin/issuer/entra/sessions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user, interactionRequired }) });
    const { cookie } = (await response.body.json()) as { cookie: { name: string; value: string } };
    await browser.context.clearCookies();
    await browser.context.addCookies([{ ...cookie, url: stack.mock.url }]);
  }

  function expectEntraToken(token: string): void {
    expect(claims(token)).toMatchObject({ iss: `${stack.mock.url}/${DEMO_TENANT_ID}/v2.0`, aud: MOCK_ENTRA_API_CLIENT_ID, ver: "2.0", oid: RILEY.oid, tid: DEMO_TENANT_ID, scp: "access_as_user" });
  }

  it("signs in silently in a hidden iframe when the browser has an Entra session; the proxy accepts only that token", async () => {
    await entraSession(RILEY.upn, false);
    const watched = await watch(stack);
    const answered = batchAnswered(watched.page, stack);
    await openForm(watched.page, stack.workbench.url, LITWARE);
    expect((await answered).status()).toBe(200);
    expect(watched.popups).toEqual([]);
    expect(watched.frames.length).toBe(1); // the silent sign-in's iframe, gone again
    expect(watched.page.frames()).toHaveLength(1);
    expect(await watched.page.getByRole("button", { name: "Sign in" }).count()).toBe(0);
    const token = bearerOf(watched.proxyCalls[0]);
    expectEntraToken(token);
    // The proxy takes that token and refuses a development-issuer token for the same user.
    const search = `${stack.proxyUrl}/v1/search?record=account:${ACCOUNTS.litware}&perPage=1`;
    const accepted = await request(search, { headers: { authorization: `Bearer ${token}` } });
    await accepted.body.dump();
    expect(accepted.statusCode).toBe(200);
    const dev = (await (await request(`${stack.mock.url}/issuer/dev/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: RILEY.upn }) })).body.json()) as { access_token: string };
    const refused = await request(search, { headers: { authorization: `Bearer ${dev.access_token}` } });
    await refused.body.dump();
    expect(refused.statusCode).toBe(401);
    expect(watched.errors).toEqual([]);
    await watched.page.close();
  });

  it("offers 'Sign in' when Entra wants interaction, and signs in through the pop-up", async () => {
    await entraSession(RILEY.upn, true);
    const watched = await watch(stack);
    await openForm(watched.page, stack.workbench.url, LITWARE);
    const signIn = watched.page.getByRole("button", { name: "Sign in" });
    await signIn.waitFor({ timeout: 60_000 });
    expect(watched.proxyCalls).toEqual([]);
    const popupOpened = watched.page.waitForEvent("popup", { timeout: 30_000 });
    const answered = batchAnswered(watched.page, stack);
    await signIn.click();
    const popup = await popupOpened;
    await popup.getByRole("button", { name: "Sign in" }).click();
    expect((await answered).status()).toBe(200);
    if (!popup.isClosed()) await popup.waitForEvent("close", { timeout: 30_000 });
    expectEntraToken(bearerOf(watched.proxyCalls[watched.proxyCalls.length - 1]));
    await signIn.waitFor({ state: "detached", timeout: 30_000 });
    expect(watched.errors).toEqual([]);
    await watched.page.close();
  });
});
