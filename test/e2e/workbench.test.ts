/**
 * The production control on the workbench's simulated forms, in headless Chromium, against the
 * mock-server and the proxy started in-process on free ports.
 */
import { Page } from "playwright-core";
import { ACCOUNTS, CAMPAIGNS, CASES, EVENTS } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import type { RunningStack } from "../../workbench/server/stack";
import { Browser, launchChromium } from "./support/browser";
import { DataverseAsUser } from "./support/dataverse";
import { startTestStack } from "./support/stack";
import { openForm, saveScreenshot, watchPageErrors } from "./support/workbenchPage";

// The first run builds the control (about a minute on a busy machine).
jest.setTimeout(180_000);

let browser: Browser;
let stack: RunningStack;
let dataverse: DataverseAsUser;

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startTestStack();
  dataverse = new DataverseAsUser(stack.mock.url, USERS.admin.id);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const FORMS = [
  { form: "account", set: "accounts", id: ACCOUNTS.litware, name: "name", lookup: "psh_accountid" },
  { form: "case", set: "incidents", id: CASES.damagedDelivery, name: "title", lookup: "psh_incidentid" },
  { form: "campaign", set: "campaigns", id: CAMPAIGNS.springLaunch, name: "name", lookup: "psh_campaignid" },
  { form: "event", set: "msevtmgt_events", id: EVENTS.customerDay, name: "msevtmgt_name", lookup: "psh_eventid" },
] as const;

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  return { page, errors: watchPageErrors(page) };
}

/** The control's status line ("3 linked assets"), once the rows have loaded. */
async function linkedCountText(page: Page, expected: string): Promise<void> {
  await page.getByText(expected, { exact: true }).first().waitFor({ timeout: 20_000 });
}

describe("workbench", () => {
  it("loads the production bundle with the platform's React and Fluent from this machine only, and shows the account's linked assets from Dataverse", async () => {
    const { page, errors } = await newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    const account = await dataverse.get<{ name: string }>(`accounts(${ACCOUNTS.litware})?$select=name`);
    const links = await dataverse.linkCount("psh_accountid", ACCOUNTS.litware);
    expect(links).toBeGreaterThan(1);

    await openForm(page, stack.workbench.url, { form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });

    await expect(page.getByTestId("record-name").textContent()).resolves.toBe(account.name);
    await linkedCountText(page, `${links} linked assets`);
    const paths = requested.map((url) => new URL(url));
    expect(paths.map((url) => url.pathname)).toEqual(
      expect.arrayContaining(["/platform/react_16_14_0.js", "/platform/fluent_9_4_0.js", "/controls/PhotoShelterAssetPicker/bundle.js", "/controls/PhotoShelterAssetPicker/ControlManifest.xml"]),
    );
    const allowed = new Set([new URL(stack.workbench.url).host, new URL(stack.proxyUrl).host, new URL(stack.mock.url).host]);
    expect(paths.filter((url) => url.protocol !== "data:" && !allowed.has(url.host)).map((url) => url.href)).toEqual([]);
    // The bundle registered itself and got the context: the host record and the signed-in user.
    const seen = await page.evaluate(() => {
      const context = window.__workbench.context() as unknown as { mode: { contextInfo: unknown }; userSettings: { userId: string; languageId: number } };
      return { contextInfo: context.mode.contextInfo, userId: context.userSettings.userId, languageId: context.userSettings.languageId };
    });
    expect(seen).toEqual({
      contextInfo: { entityId: ACCOUNTS.litware, entityTypeName: "account", entityRecordName: account.name },
      userId: `{${USERS.salesNorthAmerica.id.toUpperCase()}}`,
      languageId: 1033,
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("renders all four forms with their record, real fields and the control; screenshots saved", async () => {
    for (const form of FORMS) {
      const { page, errors } = await newPage();
      const record = await dataverse.get<Record<string, string>>(`${form.set}(${form.id})?$select=${form.name}`);
      const links = await dataverse.linkCount(form.lookup, form.id);
      await openForm(page, stack.workbench.url, { form: form.form, id: form.id, user: USERS.admin.id });
      await expect(page.getByTestId("record-name").textContent()).resolves.toBe(record[form.name]);
      await expect(page.locator(`[data-field="${form.name}"]`).textContent()).resolves.toBe(record[form.name]);
      await linkedCountText(page, links === 1 ? "1 linked asset" : `${links} linked assets`);
      await saveScreenshot(page, form.form);
      expect({ form: form.form, errors }).toEqual({ form: form.form, errors: [] });
      await page.close();
    }
  });

  it("an unsaved record queries no rows and the control asks to save first", async () => {
    const { page, errors } = await newPage();
    await openForm(page, stack.workbench.url, { form: "account", id: "new", user: USERS.salesNorthAmerica.id });
    await page.getByText("Save the record to attach assets.").first().waitFor();
    const rowQueries = await page.evaluate(() => window.__workbench.requests().filter((request) => request.caller === "platform"));
    expect(rowQueries).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("switches language: the control's strings come from the German resx", async () => {
    const { page, errors } = await newPage();
    const links = await dataverse.linkCount("psh_accountid", ACCOUNTS.litware);
    await openForm(page, stack.workbench.url, { form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });
    await page.getByTestId("pick-language").selectOption("1031");
    await page.waitForURL(/lang=1031/);
    await page.waitForFunction(() => window.__workbench?.ready === true);
    await linkedCountText(page, `${links} verknüpfte Assets`);
    await expect(page.getByRole("heading", { name: "PhotoShelter-Assets" }).count()).resolves.toBeGreaterThan(0);
    expect(await page.evaluate(() => (window.__workbench.context() as unknown as { userSettings: { languageId: number } }).userSettings.languageId)).toBe(1031);
    await saveScreenshot(page, "account-german");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("switches theme: the control paints with the dark tokens the host passes in fluentDesignLanguage", async () => {
    const { page, errors } = await newPage();
    const luminance = () =>
      page.evaluate(() => {
        const element = document.querySelector('[data-testid="control-container"] .fui-FluentProvider') as HTMLElement;
        const [r, g, b] = getComputedStyle(element).backgroundColor.match(/\d+/g)!.map(Number);
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      });
    await openForm(page, stack.workbench.url, { form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });
    expect(await luminance()).toBeGreaterThan(0.8);
    await page.getByTestId("pick-theme").selectOption("dark");
    await page.waitForURL(/theme=dark/);
    await page.waitForFunction(() => window.__workbench?.ready === true);
    expect(await luminance()).toBeLessThan(0.25);
    await saveScreenshot(page, "account-dark");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("switches the signed-in user: Dataverse calls are made as that user and privileges follow their role", async () => {
    const { page } = await newPage();
    await openForm(page, stack.workbench.url, { form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });
    const canCreate = () =>
      page.evaluate(() => {
        const context = window.__workbench.context() as unknown as { utils: ComponentFramework.Utility };
        return context.utils.hasEntityPrivilege("psh_assetlink", 1, 0);
      });
    expect(await canCreate()).toBe(true);
    await page.getByTestId("pick-user").selectOption(USERS.readOnly.id);
    await page.waitForURL(new RegExp(`user=${USERS.readOnly.id}`));
    await page.waitForFunction(() => window.__workbench?.ready === true);
    expect(await canCreate()).toBe(false);
    const whoAmI = await page.evaluate(async () => {
      const context = window.__workbench.context() as unknown as { userSettings: { userId: string } };
      return context.userSettings.userId;
    });
    expect(whoAmI).toBe(`{${USERS.readOnly.id.toUpperCase()}}`);
    await page.close();
  });
});
