/**
 * Requests made when a form opens with N linked assets, on every form (account, case, campaign,
 * event) with its own sections (suggestions; evidence upload; the record's collection and its media
 * not linked yet; new media since the event), counted in the workbench: the production control in
 * headless Chromium against the mocks and the proxy, as the person who works with the form. Links are
 * added to the form's demo record, so every N sees the same record. Used by the form-requests
 * benchmark (N = 1, 50, 500) and the test that guards the counts.
 */
import type { Page } from "playwright-core";
import { ACCOUNTS, CAMPAIGNS, CASES, EVENTS } from "../../../mock-server/dataverse/demoData";
import { USERS } from "../../../mock-server/dataverse/demoData/users";
import { launchChromium } from "./browser";
import { DataverseAsUser, linkLookupOf, type LinkedTable } from "./dataverse";
import { startTestStack } from "./stack";
import { openForm } from "./workbenchPage";

/** Links use assets from here on: the demo data links some of the first ones already. */
const FIRST_ASSET = 1001;
/** The page is settled when no request is in flight and none has started for this long. */
const QUIET_MS = 1000;

export interface FormUnderTest {
  form: "account" | "case" | "campaign" | "event";
  table: LinkedTable;
  /** The form's demo record (the one the workbench opens by default). */
  id: string;
}

export const FORMS: readonly FormUnderTest[] = [
  { form: "account", table: "account", id: ACCOUNTS.litware },
  { form: "case", table: "incident", id: CASES.damagedDelivery },
  { form: "campaign", table: "campaign", id: CAMPAIGNS.springLaunch },
  { form: "event", table: "msevtmgt_event", id: EVENTS.customerDay },
];

export interface FormRequestCount {
  form: string;
  links: number;
  rowQueries: number;
  controlDataverse: number;
  proxy: number;
  images: number;
  other: number;
  renders: number;
  /** The proxy calls, `METHOD /path` in the order made. */
  proxyCalls: string[];
}

/** Every data request of a form open: the rows, the control's own Dataverse calls and its proxy calls. */
export const dataRequests = (count: FormRequestCount) => count.rowQueries + count.controlDataverse + count.proxy;

/**
 * Opens each form with more links each time (`sizes` added in all, e.g. 1, then 50, then 500) and
 * counts what the page asked for until `settled` says it is done (by default: quiet for a second).
 */
export async function measureFormRequests(sizes: number[], options: { forms?: readonly FormUnderTest[]; settled?: (page: Page, form: FormUnderTest) => Promise<void> } = {}): Promise<FormRequestCount[]> {
  const forms = options.forms ?? FORMS;
  const stack = await startTestStack({ media: FIRST_ASSET + forms.length * Math.max(...sizes) });
  const browser = await launchChromium();
  try {
    const dataverse = new DataverseAsUser(stack.mock.url, USERS.admin.id);
    const results: FormRequestCount[] = [];
    // Each form gets other assets, so no thumbnail comes from the browser's cache of another form.
    let firstAsset = FIRST_ASSET;
    for (const record of forms) {
      const before = await dataverse.linkCount(linkLookupOf(record.table), record.id);
      let added = 0;
      for (const size of sizes) {
        await dataverse.linkAssets({ table: record.table, id: record.id }, firstAsset, size - added);
        firstAsset += size - added;
        added = size;
        const linked = before + size;
        const page = await browser.context.newPage();
        // A fresh cache per open: what a form costs when the browser has seen none of it.
        await (await browser.context.newCDPSession(page)).send("Network.clearBrowserCache");
        const images: string[] = [];
        let lastRequestAt = Date.now();
        let inFlight = 0;
        page.on("request", (request) => {
          lastRequestAt = Date.now();
          inFlight += 1;
          if (request.resourceType() === "image") images.push(request.url());
        });
        const done = () => {
          inFlight -= 1;
          lastRequestAt = Date.now();
        };
        page.on("requestfinished", done);
        page.on("requestfailed", done);
        await openForm(page, stack.workbench.url, { form: record.form, id: record.id });
        await page.getByText(`${linked} linked asset${linked === 1 ? "" : "s"}`, { exact: true }).first().waitFor({ timeout: 30_000 });
        if (options.settled) await options.settled(page, record);
        else while (inFlight > 0 || Date.now() - lastRequestAt < QUIET_MS) await page.waitForTimeout(100);
        const logged = await page.evaluate(() => window.__workbench.requests());
        const proxyCalls = logged.filter((request) => request.kind === "proxy");
        results.push({
          form: record.form,
          links: linked,
          rowQueries: logged.filter((request) => request.kind === "dataverse" && request.caller === "platform").length,
          controlDataverse: logged.filter((request) => request.kind === "dataverse" && request.caller === "control").length,
          proxy: proxyCalls.length,
          images: images.length,
          other: logged.filter((request) => request.kind === "other" || request.kind === "issuer").length,
          renders: await page.evaluate(() => window.__workbench.renderCount()),
          proxyCalls: proxyCalls.map((request) => `${request.method} ${new URL(request.url).pathname}`),
        });
        await page.close();
      }
    }
    return results;
  } finally {
    await browser.close();
    await stack.close();
  }
}
