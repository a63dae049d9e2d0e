/**
 * Each form's own job, end to end in Chromium against the mocks and the proxy, as the person who
 * works with it: a service agent uploads evidence (three files: one too large, one failing upstream
 * and retried; by keyboard; by the simulated camera), a marketer creates a campaign's collection and
 * links an event's new media back, a sales rep attaches suggested assets and sees where an asset is
 * used (without the records they may not read), and attaches by keyboard alone. Every outcome is
 * checked in the mock PhotoShelter library and the mock Dataverse, not only on screen. Screenshots of
 * each flow, light and dark, go to test-results/e2e.
 */
import { FileChooser, Locator, Page } from "playwright-core";
import { adminOf } from "../../mock-server/admin";
import { ACCOUNTS, CAMPAIGNS, CASES, EVENTS } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { photoShelterOf } from "../../mock-server/photoshelter";
import { COLLECTIONS } from "../../mock-server/photoshelter/wellKnown";
import { assetLink, choices, collectionLink, regardingKey } from "../../solution/model";
import type { RunningStack } from "../../workbench/server/stack";
import { Browser, launchChromium } from "./support/browser";
import { DataverseAsUser } from "./support/dataverse";
import { startTestStack } from "./support/stack";
import { FormAddress, openForm, saveScreenshot, waitForCount, waitForForm, watchPageErrors } from "./support/workbenchPage";

jest.setTimeout(240_000);

/** Small enough to test "too large" with a file the browser makes in a moment. */
const UPLOAD_MAX_BYTES = 1024 * 1024;

let browser: Browser;
let stack: RunningStack;
let admin: DataverseAsUser;

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startTestStack({ env: { UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES) } });
  admin = new DataverseAsUser(stack.mock.url, USERS.admin.id);
});
// A fault one test injects and never triggers (it failed first) must not fail the next one.
afterEach(() => adminOf(stack.mock.context).faults.clear());

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const library = () => photoShelterOf(stack.mock.context).library;
const png = (n: number, size = 48) => photoShelterOf(stack.mock.context).files.picture(library().media[n], size, size).bytes;

async function open(address: FormAddress): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors = watchPageErrors(page);
  await openForm(page, stack.workbench.url, address);
  return { page, errors };
}

/** Presses Tab until the element has focus (a person finding it by keyboard), failing after `limit` presses. */
async function tabTo(page: Page, target: Locator, limit = 80): Promise<void> {
  const handle = await target.elementHandle();
  for (let i = 0; i < limit; i += 1) {
    if (await page.evaluate((element) => element === document.activeElement || element?.contains(document.activeElement), handle)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab did not reach ${String(target)} in ${limit} presses`);
}

const uploadRow = (page: Page, name: string) => page.getByRole("list", { name: "Files to upload" }).getByRole("listitem").filter({ hasText: name });
const galleryOfCase = (id: string) => [...library().containers.values()].find((c) => c.kind === "gallery" && c.name === `Case ${id}`);
const evidenceRows = async (caseId: string) =>
  (await admin.get<{ value: unknown[] }>(`${assetLink.entitySetName}?$select=psh_mediaid&$filter=_psh_incidentid_value eq ${caseId} and psh_linktype eq ${choices.linkType.options.evidence.value}`)).value.length;

describe("case: upload evidence", () => {
  it("three files: one too large is refused before sending, one failing upstream is retried — two assets, two link rows", async () => {
    const caseId = CASES.warrantyClaim;
    const rowsBefore = await evidenceRows(caseId);
    const { page, errors } = await open({ form: "case", id: caseId, user: USERS.serviceAgent.id });
    await page.getByText(/Up to 1 MB per file/).waitFor({ timeout: 30_000 });
    // The first upload to reach PhotoShelter fails there once.
    adminOf(stack.mock.context).faults.add({ kind: "error", method: "POST", path: "/psapi/v3/mem/image/upload", status: 500, times: 1 });

    // By keyboard alone: Tab to "Choose files", Enter opens the file chooser.
    const choose = page.getByRole("button", { name: "Choose files" });
    // The form re-renders as its rows, sign-in and privileges arrive, which can move focus between the
    // Tab and the Enter on a busy machine: tab again until Enter on the focused button opens the chooser.
    let chooser: FileChooser | null = null;
    for (let attempt = 0; attempt < 5 && chooser === null; attempt += 1) {
      await page.waitForLoadState("networkidle", { timeout: 30_000 }).catch(() => undefined);
      await tabTo(page, choose);
      const opened = page.waitForEvent("filechooser", { timeout: 10_000 }).catch(() => null);
      await page.keyboard.press("Enter");
      chooser = await opened;
    }
    if (chooser === null) throw new Error("Enter on 'Choose files' never opened the file chooser");
    await chooser.setFiles([
      { name: "dent.png", mimeType: "image/png", buffer: png(1) },
      { name: "huge.png", mimeType: "image/png", buffer: Buffer.alloc(UPLOAD_MAX_BYTES + 1, 7) },
      { name: "crack.png", mimeType: "image/png", buffer: png(2) },
    ]);

    await uploadRow(page, "huge.png").getByText("Too large: at most 1 MB per file").waitFor();
    await page.locator('[data-status="failed"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-status="done"]').waitFor({ timeout: 30_000 });
    const failed = page.locator('li[data-status="failed"]');
    expect(await failed.count()).toBe(1);
    await failed.getByRole("button", { name: /^Try .* again$/ }).click();
    await waitForCount(page.locator('li[data-status="done"]'), 2);
    await page.getByText("2 of 2 uploaded and linked · 0 failed · 1 not allowed").waitFor();

    const gallery = galleryOfCase(caseId)!;
    expect(gallery.media.map((n) => library().media[n - 1].fileName).sort()).toEqual(["crack.png", "dent.png"]);
    expect(await evidenceRows(caseId)).toBe(rowsBefore + 2);
    // The rows appear on the form, with their pictures.
    const linked = page.getByRole("list", { name: "Linked assets" }).getByRole("listitem");
    await linked.filter({ hasText: "crack.png" }).locator("img").waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => Array.from(document.querySelectorAll("img")).every((img) => img.complete));
    await saveScreenshot(page, "case-upload");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the camera of the mobile app: 'Take photo' uploads the captured image into the case's gallery", async () => {
    const caseId = CASES.fieldValidation;
    const rowsBefore = await evidenceRows(caseId);
    const { page, errors } = await open({ form: "case", id: caseId, user: USERS.serviceAgent.id, client: "mobile" });
    const take = page.getByRole("button", { name: "Take photo" });
    // Enabled once the proxy's upload limits are in; click() waits for that.
    await take.click({ timeout: 30_000 });
    await waitForCount(page.locator('li[data-status="done"]'), 1);
    const gallery = galleryOfCase(caseId)!;
    expect(gallery.media.map((n) => library().media[n - 1].fileName)).toEqual([expect.stringMatching(/^camera-.*\.jpg$/)]);
    expect(await evidenceRows(caseId)).toBe(rowsBefore + 1);
    const notes = await page.evaluate(() => window.__workbench.notes.map((note) => note.event));
    expect(notes).toContain("device.captureImage");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a desktop browser offers no camera button", async () => {
    const { page } = await open({ form: "case", id: CASES.damagedDelivery, user: USERS.serviceAgent.id });
    await page.getByRole("button", { name: "Choose files" }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole("button", { name: "Take photo" }).count()).toBe(0);
    await page.close();
  });
});

describe("campaign and event: the record's collection", () => {
  it("'Create collection' creates it under Campaigns, links it and shows it synced with its metadata", async () => {
    const { page, errors } = await open({ form: "campaign", id: CAMPAIGNS.holidayPromo, user: USERS.marketer.id });
    await page.getByText("This campaign has no PhotoShelter collection yet.").waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Create collection" }).click();
    await page.getByText("Synced", { exact: true }).waitFor({ timeout: 30_000 });
    const facts = page.getByLabel("About the collection");
    await facts.getByText("SMB retail").waitFor();
    await facts.getByText("Mia Marketer").waitFor();

    const links = await admin.get<{ value: Array<Record<string, unknown>> }>(`${collectionLink.entitySetName}?$select=psh_containerid,psh_syncstatus&$filter=psh_regardingkey eq '${regardingKey("campaign", CAMPAIGNS.holidayPromo)}'`);
    expect(links.value).toHaveLength(1);
    expect(links.value[0].psh_syncstatus).toBe(choices.syncStatus.options.synced.value);
    const collection = library().get(String(links.value[0].psh_containerid))!;
    expect(collection).toMatchObject({ kind: "collection", name: "Holiday Promo 2026", parentIds: [COLLECTIONS.campaigns] });
    await saveScreenshot(page, "campaign-collection");

    // "Add from PhotoShelter" now opens inside the collection.
    await page.getByRole("button", { name: "Add from PhotoShelter" }).click();
    const dialog = page.getByRole("dialog", { name: "Add from PhotoShelter" });
    await dialog.getByRole("navigation").getByRole("button", { name: "Holiday Promo 2026" }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it("an event lists the media uploaded into its collection since it started, and links them back", async () => {
    const gallery = library().get("G000000000000452")!;
    const added = library().addUpload(gallery, { fileName: "after-party.png", contentType: "image/png", bytes: png(3) });
    const before = await admin.linkCount("psh_eventid", EVENTS.customerDay);
    const { page, errors } = await open({ form: "event", id: EVENTS.customerDay, user: USERS.marketer.id });
    const section = page.getByRole("region", { name: "New since the event" });
    await section.getByText("after-party.png").waitFor({ timeout: 30_000 });
    await saveScreenshot(page, "event-new-since");
    await section.getByRole("button", { name: "Link after-party.png" }).click();
    await section.getByText("after-party.png").waitFor({ state: "detached", timeout: 30_000 });
    expect(await admin.linkCount("psh_eventid", EVENTS.customerDay)).toBe(before + 1);
    const row = await admin.get<{ value: Array<Record<string, unknown>> }>(`${assetLink.entitySetName}?$select=psh_linktype&$filter=psh_mediaid eq '${added.id}' and _psh_eventid_value eq ${EVENTS.customerDay}`);
    expect(row.value).toEqual([expect.objectContaining({ psh_linktype: choices.linkType.options.event.value })]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("account: suggestions, where used, keyboard", () => {
  it("suggested assets attach with one click and stay dismissed for the session", async () => {
    const before = await admin.linkCount("psh_accountid", ACCOUNTS.woodgrove);
    const { page, errors } = await open({ form: "account", id: ACCOUNTS.woodgrove, user: USERS.salesNorthAmerica.id });
    const section = page.getByRole("region", { name: "Suggested for this account" });
    const tiles = section.getByRole("listitem");
    await tiles.first().waitFor({ timeout: 30_000 });
    await saveScreenshot(page, "account-suggestions");
    const names = await tiles.locator("span[title]").evaluateAll((elements) => elements.map((element) => element.getAttribute("title")!));
    expect(names.length).toBeGreaterThan(1);
    await section.getByRole("button", { name: `Link ${names[0]}` }).click();
    await section.getByText(names[0], { exact: true }).waitFor({ state: "detached", timeout: 30_000 });
    expect(await admin.linkCount("psh_accountid", ACCOUNTS.woodgrove)).toBe(before + 1);
    await section.getByRole("button", { name: `Dismiss ${names[1]}` }).click();
    expect(await section.getByText(names[1], { exact: true }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the preview lists where the asset is used, without the record the user may not read", async () => {
    const litwareLinks = await admin.get<{ value: Array<{ psh_mediaid: string; psh_filename: string }> }>(`${assetLink.entitySetName}?$select=psh_mediaid,psh_filename&$filter=_psh_accountid_value eq ${ACCOUNTS.litware}`);
    const { psh_mediaid: mediaId, psh_filename: fileName } = litwareLinks.value[0];
    const link = async (table: "account" | "campaign", id: string, navigation: string, set: string) => {
      const response = await admin.send("POST", assetLink.entitySetName, {
        psh_name: fileName,
        psh_mediaid: mediaId,
        psh_linktype: choices.linkType.options.brand.value,
        psh_rightsstatus: choices.rightsStatus.options.approved.value,
        psh_source: choices.linkSource.options.manual.value,
        psh_regardingkey: regardingKey(table, id),
        [`${navigation}@odata.bind`]: `/${set}(${id})`,
      });
      if (response.status !== 204) throw new Error(`linking failed: ${response.status} ${JSON.stringify(response.body)}`);
    };
    await link("account", ACCOUNTS.woodgrove, "psh_AccountId", "accounts"); // North America: Riley reads it
    await link("account", ACCOUNTS.tailspin, "psh_AccountId", "accounts"); // EMEA: not Riley's business unit
    await link("campaign", CAMPAIGNS.springLaunch, "psh_CampaignId", "campaigns");

    const { page, errors } = await open({ form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });
    await page.getByRole("button", { name: `Preview ${fileName}` }).click();
    const dialog = page.getByRole("dialog", { name: fileName });
    const used = dialog.getByRole("list", { name: "Also linked to" });
    await used.waitFor({ timeout: 30_000 });
    const entries = (await used.getByRole("listitem").allTextContents()).map((text) => text.trim());
    expect(entries).toEqual(expect.arrayContaining(["Account: Woodgrove Bank", "Campaign: Spring Launch 2026"]));
    expect(entries.join("|")).not.toContain("Tailspin");
    expect(entries.join("|")).not.toContain("Litware");
    await saveScreenshot(page, "account-where-used", { fullPage: false });
    await used.getByRole("button", { name: "Woodgrove Bank" }).click();
    await page.waitForURL(new RegExp(`id=${ACCOUNTS.woodgrove}`));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("attaches from 'Add from PhotoShelter' by keyboard alone", async () => {
    const before = await admin.linkCount("psh_accountid", ACCOUNTS.blueYonder);
    const { page, errors } = await open({ form: "account", id: ACCOUNTS.blueYonder, user: USERS.salesNorthAmerica.id });
    const add = page.getByRole("button", { name: "Add from PhotoShelter" });
    await add.waitFor({ timeout: 30_000 });
    await tabTo(page, add);
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Add from PhotoShelter" });
    const results = dialog.getByRole("listbox", { name: "Search results" });
    await results.getByRole("option").first().waitFor({ timeout: 30_000 });
    await tabTo(page, results);
    await page.keyboard.press("Space");
    const attach = dialog.getByRole("button", { name: "Attach (1)" });
    await attach.waitFor();
    await tabTo(page, attach);
    await page.keyboard.press("Enter");
    await dialog.waitFor({ state: "detached", timeout: 30_000 });
    expect(await admin.linkCount("psh_accountid", ACCOUNTS.blueYonder)).toBe(before + 1);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("workbench: each form opens as the person who works with it", () => {
  it.each([
    ["account", {}, USERS.salesNorthAmerica.id, "Litware Health"],
    ["account", { id: ACCOUNTS.tailspin }, USERS.salesEmea.id, "Tailspin Energy"],
    ["account", { id: ACCOUNTS.coho }, USERS.salesApac.id, "Coho Winery"],
    ["case", {}, USERS.serviceAgent.id, "Damaged Aquila scanner on delivery"],
    ["campaign", {}, USERS.marketer.id, "Spring Launch 2026"],
    ["event", {}, USERS.marketer.id, "Customer Day 2026"],
  ] as const)("%s %j", async (form, extra, user, record) => {
    const { page, errors } = await open({ form, ...extra });
    expect(await page.getByTestId("pick-user").inputValue()).toBe(user);
    expect(await page.getByTestId("record-name").textContent()).toBe(record);
    // The person can work here: the control shows the record's links, not "Not available".
    await page.getByRole("button", { name: "Add from PhotoShelter" }).waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("keeps a chosen user on the same form and gives another form its own person", async () => {
    const { page } = await open({ form: "account", id: ACCOUNTS.litware, user: USERS.admin.id });
    expect(await page.getByTestId("pick-user").inputValue()).toBe(USERS.admin.id);
    await page.getByTestId("pick-theme").selectOption("dark");
    await page.waitForURL(/theme=dark/);
    await waitForForm(page);
    expect(await page.getByTestId("pick-user").inputValue()).toBe(USERS.admin.id);
    await page.getByTestId("pick-record").selectOption(`case:${CASES.warrantyClaim}`);
    await page.waitForURL(/form=case/);
    await waitForForm(page);
    expect(await page.getByTestId("pick-user").inputValue()).toBe(USERS.serviceAgent.id);
    expect(await page.getByTestId("record-name").textContent()).toBe("Warranty claim: Borealis drive unit");
    await page.close();
  });
});

describe("screenshots of each form's own flow in the dark theme", () => {
  it.each([
    ["case-upload", { form: "case", id: CASES.warrantyClaim, user: USERS.serviceAgent.id }, "Upload evidence"],
    ["campaign-collection", { form: "campaign", id: CAMPAIGNS.springLaunch, user: USERS.marketer.id }, "Campaign collection"],
    ["event-new-since", { form: "event", id: EVENTS.customerDay, user: USERS.marketer.id }, "Event collection"],
    ["account-suggestions", { form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id }, "Suggested for this account"],
  ] as const)("%s", async (name, address, region) => {
    const { page, errors } = await open({ ...address, theme: "dark" });
    await page.getByRole("region", { name: region }).getByRole("button").first().waitFor({ timeout: 30_000 });
    // Everything loaded: no spinner left, every picture in.
    await page.waitForFunction(() => !document.querySelector(".fui-Spinner") && Array.from(document.querySelectorAll("img")).every((img) => img.complete), undefined, { timeout: 30_000 });
    await saveScreenshot(page, `${name}-dark`);
    expect(errors).toEqual([]);
    await page.close();
  });
});
