/**
 * Requests made when a form opens with N linked assets (N = 1, 50, 500), counted in the workbench:
 * the production control in headless Chromium against the mocks and the proxy. The budget is a
 * constant number of requests, independent of N (one Dataverse query for the rows, one batched
 * proxy call for their live rights), not one per asset.
 */
import { demoId } from "../mock-server/dataverse/demoData/ids";
import { USERS } from "../mock-server/dataverse/demoData/users";
import { launchChromium } from "../test/e2e/support/browser";
import { DataverseAsUser } from "../test/e2e/support/dataverse";
import { startTestStack } from "../test/e2e/support/stack";
import { openForm } from "../test/e2e/support/workbenchPage";

const SIZES = [1, 50, 500];
/** Accounts of the demo data with no links of their own, one per size. */
const ACCOUNT_NUMBERS = [10, 11, 12];
/** The page is settled when no request is in flight and none has started for this long. */
const QUIET_MS = 1000;

export interface FormRequestCount {
  links: number;
  rowQueries: number;
  controlDataverse: number;
  proxy: number;
  images: number;
  other: number;
  renders: number;
}

export async function measureFormRequests(sizes: number[] = SIZES): Promise<FormRequestCount[]> {
  const stack = await startTestStack({ media: sizes.reduce((sum, size) => sum + size, 0) + 50 });
  const browser = await launchChromium();
  try {
    const dataverse = new DataverseAsUser(stack.mock.url, USERS.admin.id);
    const results: FormRequestCount[] = [];
    let firstAsset = 1;
    for (const [index, size] of sizes.entries()) {
      const accountId = demoId("account", ACCOUNT_NUMBERS[index % ACCOUNT_NUMBERS.length]);
      const before = await dataverse.linkCount("psh_accountid", accountId);
      // Each size gets other assets, so no thumbnail comes from the browser's cache of an earlier size.
      await dataverse.linkAssets(accountId, firstAsset, size);
      firstAsset += size;
      const page = await browser.context.newPage();
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
      await openForm(page, stack.workbench.url, { form: "account", id: accountId, user: USERS.admin.id });
      await page.getByText(`${before + size} linked asset${before + size === 1 ? "" : "s"}`, { exact: true }).first().waitFor({ timeout: 30_000 });
      while (inFlight > 0 || Date.now() - lastRequestAt < QUIET_MS) await page.waitForTimeout(100);
      const logged = await page.evaluate(() => window.__workbench.requests());
      results.push({
        links: before + size,
        rowQueries: logged.filter((request) => request.kind === "dataverse" && request.caller === "platform").length,
        controlDataverse: logged.filter((request) => request.kind === "dataverse" && request.caller === "control").length,
        proxy: logged.filter((request) => request.kind === "proxy").length,
        images: images.length,
        other: logged.filter((request) => request.kind === "other" || request.kind === "issuer").length,
        renders: await page.evaluate(() => window.__workbench.renderCount()),
      });
      await page.close();
    }
    return results;
  } finally {
    await browser.close();
    await stack.close();
  }
}

export async function formRequests(): Promise<void> {
  const results = await measureFormRequests();
  console.log("| linked assets | Dataverse row queries | control's Dataverse calls | proxy calls (fetch) | thumbnails loaded (lazy, visible tiles) | other fetches (manifest, strings, sign-in) | updateView calls |");
  console.log("|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of results) console.log(`| ${r.links} | ${r.rowQueries} | ${r.controlDataverse} | ${r.proxy} | ${r.images} | ${r.other} | ${r.renders} |`);
  const apiCalls = results.map((r) => r.rowQueries + r.controlDataverse + r.proxy);
  console.log(`\nData requests per form open: ${apiCalls.join(", ")} → ${new Set(apiCalls).size === 1 ? "constant" : "NOT constant"} across N = ${results.map((r) => r.links).join(", ")}.`);
}
