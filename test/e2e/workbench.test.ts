/**
 * The production control on the workbench's simulated forms, in headless Chromium, against the
 * mock-server and the proxy started in-process on free ports.
 */
import { Page } from "playwright-core";
import { ACCOUNTS, CAMPAIGNS, CASES, EVENTS, demoMediaId } from "../../mock-server/dataverse/demoData";
import { assetLink, choices } from "../../solution/model";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { request } from "undici";
import { launchChromium } from "./support/browser";
import { useE2eSession } from "./support/stack";
import { openForm, saveScreenshot, watchPageErrors } from "./support/workbenchPage";

// The first run builds the control (about a minute on a busy machine).
jest.setTimeout(180_000);

const session = useE2eSession();

/** Each form opened by the person who works with it (so the screenshots show what that segment sees). */
const FORMS = [
  { form: "account", set: "accounts", id: ACCOUNTS.litware, name: "name", lookup: "psh_accountid", user: USERS.salesNorthAmerica.id },
  { form: "case", set: "incidents", id: CASES.damagedDelivery, name: "title", lookup: "psh_incidentid", user: USERS.serviceAgent.id },
  { form: "campaign", set: "campaigns", id: CAMPAIGNS.springLaunch, name: "name", lookup: "psh_campaignid", user: USERS.marketer.id },
  { form: "event", set: "msevtmgt_events", id: EVENTS.customerDay, name: "msevtmgt_name", lookup: "psh_eventid", user: USERS.marketer.id },
] as const;

async function newPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await session.browser.context.newPage();
  return { page, errors: watchPageErrors(page) };
}

/** The control's status line ("3 linked assets"), once the rows have loaded. */
async function linkedCountText(page: Page, expected: string): Promise<void> {
  await page.getByText(expected, { exact: true }).first().waitFor({ timeout: 30_000 });
}

describe("workbench", () => {
  it("loads the production bundle with the platform's React and Fluent from this machine only, and shows the account's linked assets from Dataverse", async () => {
    const { page, errors } = await newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    const account = await session.dataverse.get<{ name: string }>(`accounts(${ACCOUNTS.litware})?$select=name`);
    const links = await session.dataverse.linkCount("psh_accountid", ACCOUNTS.litware);
    expect(links).toBeGreaterThan(1);

    await openForm(page, session.stack.workbench.url, { form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });

    await expect(page.getByTestId("record-name").textContent()).resolves.toBe(account.name);
    await linkedCountText(page, `${links} linked assets`);
    const paths = requested.map((url) => new URL(url));
    expect(paths.map((url) => url.pathname)).toEqual(
      expect.arrayContaining(["/platform/react_16_14_0.js", "/platform/fluent_9_4_0.js", "/controls/PhotoShelterAssetPicker/bundle.js", "/controls/PhotoShelterAssetPicker/ControlManifest.xml"]),
    );
    const allowed = new Set([new URL(session.stack.workbench.url).host, new URL(session.stack.proxyUrl).host, new URL(session.stack.mock.url).host]);
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
      const record = await session.dataverse.get<Record<string, string>>(`${form.set}(${form.id})?$select=${form.name}`);
      const links = await session.dataverse.linkCount(form.lookup, form.id);
      await openForm(page, session.stack.workbench.url, { form: form.form, id: form.id, user: form.user });
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
    await openForm(page, session.stack.workbench.url, { form: "account", id: "new", user: USERS.salesNorthAmerica.id });
    await page.getByText("Save the record to attach assets.").first().waitFor();
    const rowQueries = await page.evaluate(() => window.__workbench.requests().filter((request) => request.caller === "platform"));
    expect(rowQueries).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("switches language: the control's strings come from the German resx", async () => {
    const { page, errors } = await newPage();
    const links = await session.dataverse.linkCount("psh_accountid", ACCOUNTS.litware);
    await openForm(page, session.stack.workbench.url, { form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });
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
    await openForm(page, session.stack.workbench.url, { form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });
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
    await openForm(page, session.stack.workbench.url, { form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });
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

  it("context.webAPI and the dataset work over HTTP as in Dynamics: CRUD with option strings, paging, refresh, error shapes", async () => {
    const { page, errors } = await newPage();
    await openForm(page, session.stack.workbench.url, { form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });
    const before = await session.dataverse.linkCount("psh_accountid", ACCOUNTS.litware);
    const columns = assetLink.columns;
    const newLink = {
      [columns.name.logicalName]: "Workbench e2e link",
      [columns.mediaId.logicalName]: demoMediaId(42),
      [columns.linkType.logicalName]: choices.linkType.options.brand.value,
      [columns.rightsStatus.logicalName]: choices.rightsStatus.options.approved.value,
      [columns.source.logicalName]: choices.linkSource.options.manual.value,
      [columns.regardingKey.logicalName]: `account:${ACCOUNTS.litware}`,
      [`${columns.accountId.targets[0].navigationProperty}@odata.bind`]: `/accounts(${ACCOUNTS.litware})`,
    };
    const outcome = await page.evaluate(
      async ({ link, accountId }) => {
        type Context = ComponentFramework.Context<{ assetLinks: ComponentFramework.PropertyTypes.DataSet }>;
        const context = () => window.__workbench.context() as Context;
        const api = context().webAPI;
        const failure = (promise: Promise<unknown>) => promise.then(() => null, (error: { errorCode: number; message: string }) => ({ errorCode: error.errorCode, hasMessage: typeof error.message === "string" && error.message !== "" }));
        const created = await api.createRecord("psh_assetlink", link);
        const read = await api.retrieveRecord("psh_assetlink", created.id, "?$select=psh_name,psh_mediaid");
        await api.updateRecord("psh_assetlink", created.id, { psh_name: "Workbench e2e link, renamed" });
        const renamed = await api.retrieveRecord("psh_assetlink", `{${created.id.toUpperCase()}}`, "?$select=psh_name");
        const page1 = await api.retrieveMultipleRecords("psh_assetlink", `?$select=psh_name&$filter=_psh_accountid_value eq ${accountId}&$orderby=psh_name asc`, 2);
        // The next page: the nextLink's query with the same page size, as Xrm and PCF callers do.
        const page2 = await api.retrieveMultipleRecords("psh_assetlink", page1.nextLink.slice(page1.nextLink.indexOf("?")), 2);
        // The platform's dataset: page size 2, then the next page, then refresh.
        // Every change gives a fresh dataset object: after a call, wait for a new one that has finished loading.
        const waitLoaded = async (previous?: ComponentFramework.PropertyTypes.DataSet) => {
          for (;;) {
            const current = context().parameters.assetLinks;
            if (current !== previous && !current.loading) return current;
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
        };
        const dataset = await waitLoaded();
        dataset.paging.setPageSize(2);
        dataset.refresh();
        const first = await waitLoaded(dataset);
        const firstPage = { ids: first.sortedRecordIds.length, total: first.paging.totalResultCount, hasNext: first.paging.hasNextPage, name: first.records[first.sortedRecordIds[0]].getFormattedValue("psh_name") };
        // loadNextPage keeps the loaded range and adds the next page; loadExactPage loads only that page.
        first.paging.loadNextPage();
        const range = await waitLoaded(first);
        const rangePage = { ids: range.sortedRecordIds.length, first: range.paging.firstPageNumber, last: range.paging.lastPageNumber, keepsFirst: first.sortedRecordIds.every((id) => range.sortedRecordIds.includes(id)) };
        range.paging.loadExactPage(2);
        const second = await waitLoaded(range);
        const secondPage = { ids: second.sortedRecordIds.length, hasPrevious: second.paging.hasPreviousPage, overlap: second.sortedRecordIds.filter((id) => first.sortedRecordIds.includes(id)).length };
        const account = second.records[second.sortedRecordIds[0]].getValue("psh_accountid") as ComponentFramework.EntityReference;
        await api.deleteRecord("psh_assetlink", created.id);
        return {
          created: { entityType: created.entityType, isGuid: /^[0-9a-f-]{36}$/.test(created.id) },
          read: { name: read.psh_name, mediaId: read.psh_mediaid },
          renamed: renamed.psh_name,
          page1: { count: page1.entities.length, hasNext: typeof page1.nextLink === "string" && page1.nextLink !== "" },
          page2Count: page2.entities.length,
          firstPage,
          rangePage,
          secondPage,
          accountReference: { id: account.id.guid, etn: account.etn },
          missing: await failure(api.retrieveRecord("psh_assetlink", created.id, "?$select=psh_name")),
          badOptions: await failure(api.retrieveMultipleRecords("psh_assetlink", "$select=psh_name")),
          unknownColumn: await failure(api.retrieveMultipleRecords("psh_assetlink", "?$select=psh_nosuchcolumn")),
        };
      },
      { link: newLink, accountId: ACCOUNTS.litware },
    );
    const total = before + 1;
    expect(outcome).toEqual({
      created: { entityType: "psh_assetlink", isGuid: true },
      read: { name: "Workbench e2e link", mediaId: demoMediaId(42) },
      renamed: "Workbench e2e link, renamed",
      page1: { count: 2, hasNext: true },
      page2Count: Math.min(2, total - 2),
      firstPage: { ids: 2, total, hasNext: true, name: expect.any(String) },
      rangePage: { ids: Math.min(4, total), first: 1, last: 2, keepsFirst: true },
      secondPage: { ids: Math.min(2, total - 2), hasPrevious: true, overlap: 0 },
      accountReference: { id: ACCOUNTS.litware, etn: "account" },
      missing: { errorCode: expect.any(Number), hasMessage: true },
      badOptions: { errorCode: expect.any(Number), hasMessage: true },
      unknownColumn: { errorCode: expect.any(Number), hasMessage: true },
    });
    expect(outcome.missing?.errorCode).toBe(0x80040217);
    expect(await session.dataverse.linkCount("psh_accountid", ACCOUNTS.litware)).toBe(before);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("navigation dialogs, container resize and requestRender behave as the platform's", async () => {
    const { page, errors } = await newPage();
    await openForm(page, session.stack.workbench.url, { form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });
    type Host = ComponentFramework.Context<unknown>;
    const confirmed = page.evaluate(() => (window.__workbench.context() as Host).navigation.openConfirmDialog({ title: "Detach?", text: "Really?", confirmButtonLabel: "Yes", cancelButtonLabel: "No" }));
    const dialog = page.getByTestId("workbench-confirm-dialog");
    await expect(dialog.textContent()).resolves.toContain("Really?");
    await dialog.getByRole("button", { name: "Yes" }).click();
    await expect(confirmed).resolves.toEqual({ confirmed: true });
    const cancelled = page.evaluate(() => (window.__workbench.context() as Host).navigation.openConfirmDialog({ text: "Again?" }));
    await page.getByTestId("workbench-confirm-dialog").getByRole("button", { name: "Cancel" }).click();
    await expect(cancelled).resolves.toEqual({ confirmed: false });
    const alerted = page.evaluate(() => (window.__workbench.context() as Host).navigation.openErrorDialog({ message: "It broke", errorCode: 42 }));
    await expect(page.getByTestId("workbench-error-dialog").textContent()).resolves.toMatch(/It broke[\s\S]*Error code: 42/);
    await page.getByTestId("workbench-error-dialog").getByRole("button", { name: "OK" }).click();
    await expect(alerted).resolves.toBeUndefined();
    await page.evaluate(() => (window.__workbench.context() as Host).navigation.openUrl("about:blank#asset"));
    await expect(page.evaluate(() => window.__workbench.notes.filter((note) => note.event === "openUrl").map((note) => note.detail))).resolves.toEqual(["about:blank#asset"]);

    // The control tracks its container: the host reports the width and a "layout" change.
    const layout = () => page.evaluate(() => ({ width: (window.__workbench.context() as Host).mode.allocatedWidth, updated: (window.__workbench.context() as Host).updatedProperties }));
    const wide = await layout();
    expect(wide.width).toBeGreaterThan(300);
    await page.setViewportSize({ width: 700, height: 900 });
    await page.waitForFunction((before) => (window.__workbench.context() as { mode: { allocatedWidth: number } }).mode.allocatedWidth !== before, wide.width);
    const narrow = await layout();
    expect(narrow.width).toBeLessThan(wide.width);
    expect(narrow.updated).toContain("layout");

    const renders = await page.evaluate(() => window.__workbench.renderCount());
    await page.evaluate(() => (window.__workbench.context() as Host).factory.requestRender());
    await page.waitForFunction((before) => window.__workbench.renderCount() > before, renders);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the workbench server only acts as a signed-in user, as that user, and serves nothing outside its folders", async () => {
    const base = session.stack.workbench.url;
    const anonymous = await request(`${base}/api/data/v9.2/accounts?$select=name`);
    expect(anonymous.statusCode).toBe(401);
    expect(((await anonymous.body.json()) as { error: { message: string } }).error.message).toMatch(/signed-in user/);

    // The read-only analyst may read accounts but not create asset links: Dataverse decides, as that user.
    const asReader = { "x-workbench-user": USERS.readOnly.id, "content-type": "application/json", accept: "application/json" };
    const read = await request(`${base}/api/data/v9.2/accounts?$select=name&$top=1`, { headers: asReader });
    expect(read.statusCode).toBe(200);
    await read.body.dump();
    const write = await request(`${base}/api/data/v9.2/psh_assetlinks`, { method: "POST", headers: asReader, body: JSON.stringify({ psh_name: "not allowed" }) });
    expect(write.statusCode).toBe(403);
    await write.body.dump();

    for (const path of ["/platform/react_18_3_1.js", "/controls/PhotoShelterAssetPicker/..%2F..%2Fpackage.json", "/controls/PhotoShelterAssetPicker/nothing.js"]) {
      const response = await request(`${base}${path}`);
      expect({ path, status: response.statusCode }).toEqual({ path, status: 404 });
      await response.body.dump();
    }
  });

  it("fails, saying how to install it, when Chromium is missing", async () => {
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = "/nonexistent/chromium";
    try {
      await expect(launchChromium()).rejects.toThrow(/apt-get install chromium/);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
  });
});
