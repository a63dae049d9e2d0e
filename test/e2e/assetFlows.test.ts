/**
 * What a person does with the control on a form, end to end in Chromium: search, select, attach,
 * rights badges, expired assets, detach, preview with the keyboard, segment access and read-only
 * forms. Every result is checked against the mock Dataverse or the proxy's answers, not just the DOM.
 */
import { Locator, Page } from "playwright-core";
import { request } from "undici";
import { ACCOUNTS } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { COLLECTIONS } from "../../mock-server/photoshelter/wellKnown";
import { useE2eSession } from "./support/stack";
import { openForm, waitForCount, watchPageErrors } from "./support/workbenchPage";

jest.setTimeout(180_000);

const session = useE2eSession();

const RIGHTS_LABELS = /Approved|Expires in \d+ days|Expires today|Expires tomorrow|Expired|Restricted|Retired|Rights unknown/;

async function open(address: Parameters<typeof openForm>[2]): Promise<{ page: Page; errors: string[] }> {
  const page = await session.browser.context.newPage();
  const errors = watchPageErrors(page);
  await openForm(page, session.stack.workbench.url, address);
  return { page, errors };
}

function linkedItems(page: Page): Locator {
  return page.getByRole("list", { name: "Linked assets" }).getByRole("listitem");
}

async function openBrowse(page: Page): Promise<Locator> {
  await page.getByRole("button", { name: "Add from PhotoShelter" }).click();
  const dialog = page.getByRole("dialog", { name: "Add from PhotoShelter" });
  await dialog.waitFor();
  return dialog;
}

/**
 * Does something that changes the search, waits for the proxy's answer to the search it causes and
 * for the dialog to show that answer's count; returns the answer.
 */
async function changeSearch(page: Page, dialog: Locator, change: () => Promise<unknown>, expected: (params: URLSearchParams) => boolean): Promise<{ total: number; hidden: number; items: { id: string }[] }> {
  const answered = page.waitForResponse((response) => {
    const url = new URL(response.url());
    return url.pathname === "/v1/search" && expected(url.searchParams);
  }, { timeout: 30_000 });
  await change();
  const answer = (await (await answered).json()) as { total: number; hidden: number; hasMore: boolean; items: { id: string }[] };
  // The count is exact once the last page is in; before that an upper bound (matches less those the
  // rights filter hid), and a page emptied by the rights filter makes the dialog read on by itself.
  const shown = answer.hasMore ? answer.total - answer.hidden : answer.items.length;
  const count = answer.hasMore ? /^(Up to [\d,]+ assets?(;.*)?|[\d,]+ assets?)$/ : new RegExp(`^${shown} assets?$`);
  await dialog.getByRole("status").filter({ hasText: count }).waitFor({ timeout: 30_000 });
  return { ...answer, total: shown };
}

/** Types a search; returns the number of results the dialog shows. */
async function search(page: Page, dialog: Locator, text: string): Promise<number> {
  return (await changeSearch(page, dialog, () => dialog.getByLabel("Search assets").fill(text), (params) => params.get("q") === text)).total;
}

function results(dialog: Locator): Locator {
  return dialog.getByRole("listbox", { name: "Search results" }).getByRole("option");
}

async function containerNames(dialog: Locator): Promise<string[]> {
  const list = dialog.getByRole("list", { name: "Collections and galleries" });
  await list.waitFor({ timeout: 30_000 });
  return (await list.getByRole("button").allTextContents()).map((name) => name.trim()).sort();
}

/** POST /v1/assets/batch as a user, the way the control calls it. */
async function proxyBatch(user: string, record: string, ids: string[]): Promise<{ found: string[]; missing: string[] }> {
  const signIn = await request(`${session.stack.mock.url}/issuer/dev/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user }) });
  const { access_token: token } = (await signIn.body.json()) as { access_token: string };
  const response = await request(`${session.stack.proxyUrl}/v1/assets/batch?record=${encodeURIComponent(record)}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ ids }),
  });
  const body = (await response.body.json()) as { items: { id: string }[]; missing: string[] };
  return { found: body.items.map((item) => item.id), missing: body.missing };
}

describe("asset flows on the workbench forms", () => {
  it("search → select 3 → attach: the links are written to Dataverse and appear with rights badges", async () => {
    const { page, errors } = await open({ form: "account", id: ACCOUNTS.northwind, user: USERS.salesNorthAmerica.id });
    expect(await session.dataverse.linkCount("psh_accountid", ACCOUNTS.northwind)).toBe(0);
    const dialog = await openBrowse(page);
    expect(await search(page, dialog, "png")).toBeGreaterThan(3);
    const options = results(dialog);
    await options.nth(2).waitFor();
    const chosen = (await options.evaluateAll((tiles) => tiles.slice(0, 3).map((tile) => tile.querySelector("[title]")?.getAttribute("title") ?? ""))).map((name) => name.trim());
    for (let index = 0; index < 3; index += 1) await options.nth(index).click();
    await waitForCount(dialog.getByRole("listbox", { name: "Search results" }).getByRole("option", { selected: true }), 3);
    await dialog.getByRole("button", { name: "Attach (3)" }).click();
    await page.getByText("3 linked assets", { exact: true }).first().waitFor({ timeout: 30_000 });
    if (await dialog.isVisible()) await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached", timeout: 30_000 });

    const rows = await session.dataverse.get<{ value: { psh_filename: string; psh_regardingkey: string }[] }>(
      `psh_assetlinks?$select=psh_filename,psh_regardingkey&$filter=_psh_accountid_value eq ${ACCOUNTS.northwind}`,
    );
    expect(rows.value.map((row) => row.psh_filename).sort()).toEqual([...chosen].sort());
    expect(new Set(rows.value.map((row) => row.psh_regardingkey))).toEqual(new Set([`account:${ACCOUNTS.northwind}`]));
    await waitForCount(linkedItems(page), 3);
    for (const text of await linkedItems(page).allTextContents()) expect(text).toMatch(RIGHTS_LABELS);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("expired assets are hidden by default and shown, badged, when asked for", async () => {
    const { page } = await open({ form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });
    const dialog = await openBrowse(page);
    const hidden = await changeSearch(page, dialog, () => dialog.getByLabel("Rights").selectOption({ label: "Expired" }), (params) => params.get("rights") === "expired");
    expect(hidden.items).toEqual([]);
    // Honest count: the proxy found expired matches, but none can be shown; the dialog reads the pages
    // the rights filter emptied and says exactly 0.
    expect(hidden.hidden).toBeGreaterThan(0);
    await dialog.getByRole("status").filter({ hasText: /^0 assets$/ }).waitFor({ timeout: 30_000 });
    await dialog.getByText(/No usable assets match/).waitFor();
    await expect(results(dialog).count()).resolves.toBe(0);
    const shown = await changeSearch(page, dialog, () => dialog.getByRole("switch", { name: "Show expired and restricted" }).click(), (params) => params.get("includeRestricted") === "true" && params.get("rights") === "expired");
    expect(shown.items.length).toBeGreaterThan(0);
    await results(dialog).first().waitFor();
    const badges = await results(dialog).allTextContents();
    expect(badges.length).toBeGreaterThan(0);
    for (const text of badges) expect(text).toContain("Expired");
    await page.close();
  });

  it("detach asks for confirmation, then removes the link from Dataverse and the form", async () => {
    const { page, errors } = await open({ form: "account", id: ACCOUNTS.woodgrove, user: USERS.salesNorthAmerica.id });
    const before = await session.dataverse.linkCount("psh_accountid", ACCOUNTS.woodgrove);
    await waitForCount(linkedItems(page), before);
    const first = linkedItems(page).first();
    const fileName = (await first.getAttribute("aria-label")) ?? "";
    await first.getByRole("button", { name: `Detach ${fileName}` }).click();
    const confirm = page.getByRole("alertdialog", { name: "Detach this asset?" }).or(page.getByRole("dialog", { name: "Detach this asset?" }));
    await confirm.getByRole("button", { name: "Detach" }).click();
    await page.getByText(before - 1 === 1 ? "1 linked asset" : `${before - 1} linked assets`, { exact: true }).first().waitFor({ timeout: 30_000 });
    expect(await session.dataverse.linkCount("psh_accountid", ACCOUNTS.woodgrove)).toBe(before - 1);
    await waitForCount(page.getByRole("listitem", { name: fileName }), 0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("preview moves between assets with the arrow keys", async () => {
    const { page } = await open({ form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });
    const count = await session.dataverse.linkCount("psh_accountid", ACCOUNTS.litware);
    expect(count).toBeGreaterThan(1);
    await waitForCount(linkedItems(page), count);
    const first = linkedItems(page).first();
    await first.getByRole("button", { name: /^Preview / }).click();
    const preview = page.getByRole("dialog");
    await preview.getByText(`1 of ${count}`).waitFor();
    await page.keyboard.press("ArrowRight");
    await preview.getByText(`2 of ${count}`).waitFor();
    await page.keyboard.press("ArrowLeft");
    await preview.getByText(`1 of ${count}`).waitFor();
    await page.keyboard.press("Escape");
    await preview.waitFor({ state: "detached" });
    await page.close();
  });

  it("a user outside a collection's segment sees neither the collection nor its assets", async () => {
    const marketer = await open({ form: "account", id: ACCOUNTS.litware, user: USERS.marketer.id });
    const marketerDialog = await openBrowse(marketer.page);
    const marketerContainers = await containerNames(marketerDialog);
    expect(marketerContainers).toContain("Events");
    const { total: inEvents } = await changeSearch(marketer.page, marketerDialog, () => marketerDialog.getByRole("button", { name: "Events", exact: true }).click(), (params) => params.get("containerId") === COLLECTIONS.events);
    expect(inEvents).toBeGreaterThan(0);
    // Each tile's thumbnail is a signed proxy URL naming the asset: /v1/media/<id>/thumb?…
    const tiles = await results(marketerDialog).evaluateAll((options) =>
      options.map((option) => ({ id: /\/v1\/media\/([^/]+)\//.exec(option.querySelector("img")?.getAttribute("src") ?? "")?.[1] ?? "", fileName: option.querySelector("[title]")?.getAttribute("title") ?? "" })),
    );
    expect(tiles.length).toBeGreaterThan(0);
    await marketer.page.close();

    // Some event assets are also in collections every segment sees; take one that is only in Events.
    const record = `account:${ACCOUNTS.litware}`;
    const forRep = await proxyBatch(USERS.salesNorthAmerica.id, record, tiles.map((tile) => tile.id));
    const hidden = tiles.find((tile) => forRep.missing.includes(tile.id));
    if (!hidden) throw new Error(`Every Events asset shown to the marketer is also visible to the North America rep: ${JSON.stringify(tiles)}`);
    await expect(proxyBatch(USERS.marketer.id, record, [hidden.id])).resolves.toEqual({ found: [hidden.id], missing: [] });

    const rep = await open({ form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });
    const repDialog = await openBrowse(rep.page);
    const repContainers = await containerNames(repDialog);
    expect(repContainers).not.toContain("Events");
    expect(repContainers).not.toEqual(marketerContainers);
    await search(rep.page, repDialog, hidden.fileName);
    const shown = await results(repDialog).locator("img").evaluateAll((images) => images.map((image) => image.getAttribute("src") ?? ""));
    expect(shown.filter((src) => src.includes(`/v1/media/${hidden.id}/`))).toEqual([]);
    await rep.page.close();
  });

  it("more links than a page: 'Show more' asks the platform for the next page, one query and one batch call more", async () => {
    await session.dataverse.linkAssets(ACCOUNTS.alpine, 1, 30);
    const total = await session.dataverse.linkCount("psh_accountid", ACCOUNTS.alpine);
    const { page, errors } = await open({ form: "account", id: ACCOUNTS.alpine, user: USERS.admin.id });
    await page.getByText(`${total} linked assets`, { exact: true }).first().waitFor({ timeout: 30_000 });
    await waitForCount(linkedItems(page), 25);
    const counts = () => page.evaluate(() => {
      const requests = window.__workbench.requests();
      return { rowQueries: requests.filter((r) => r.caller === "platform").length, batches: requests.filter((r) => r.url.includes("/v1/assets/batch")).length };
    });
    // The first page's batch goes out once the control has signed in, which may be after the rows show.
    await page.waitForFunction(() => window.__workbench.requests().some((r) => r.url.includes("/v1/assets/batch")), undefined, { timeout: 30_000 });
    const before = await counts();
    await page.getByRole("button", { name: new RegExp(`^Show more \\(25 of ${total} shown\\)$`) }).click();
    await page.waitForFunction((expected) => document.querySelectorAll('[data-testid="control-container"] ul[aria-label="Linked assets"] > li').length === expected, total, { timeout: 30_000 });
    await page.waitForLoadState("networkidle");
    expect(await counts()).toEqual({ rowQueries: before.rowQueries + 1, batches: before.batches + 1 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a read-only form and a user without create privilege show the links but no actions", async () => {
    for (const address of [
      { form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id, readonly: true },
      { form: "account", id: ACCOUNTS.litware, user: USERS.readOnly.id },
    ]) {
      const { page } = await open(address);
      await waitForCount(linkedItems(page), await session.dataverse.linkCount("psh_accountid", ACCOUNTS.litware));
      await expect(page.getByRole("button", { name: "Add from PhotoShelter" }).count()).resolves.toBe(0);
      await expect(page.getByRole("button", { name: /^Detach / }).count()).resolves.toBe(0);
      await page.close();
    }
  });

  it("the read-only switch takes the actions away without reloading the form", async () => {
    const { page } = await open({ form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });
    await page.getByRole("button", { name: "Add from PhotoShelter" }).waitFor();
    await page.getByTestId("toggle-readonly").click();
    await page.getByRole("button", { name: "Add from PhotoShelter" }).waitFor({ state: "detached" });
    expect(await page.evaluate(() => (window.__workbench.context() as { mode: { isControlDisabled: boolean } }).mode.isControlDisabled)).toBe(true);
    await page.close();
  });
});
