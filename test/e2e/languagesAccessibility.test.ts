/**
 * The control in every language it ships and right to left, and accessible: each form opened in
 * English, German, French and Japanese shows that language's strings, plural forms and numbers;
 * Arabic mirrors the layout and the arrow keys follow the reading order; and axe finds no violation
 * on any form, light or dark, with each of its dialogs open.
 */
import AxeBuilder from "@axe-core/playwright";
import { Locator, Page } from "playwright-core";
import { loadResx } from "../support/pcfContext";
import { useE2eSession } from "./support/stack";
import { FormAddress, openForm, saveScreenshot, watchPageErrors } from "./support/workbenchPage";

jest.setTimeout(300_000);

const session = useE2eSession();

async function open(address: FormAddress): Promise<{ page: Page; errors: string[] }> {
  const page = await session.browser.context.newPage();
  const errors = watchPageErrors(page);
  await openForm(page, session.stack.workbench.url, address);
  return { page, errors };
}

/** The control's root and every dialog or menu it opened (they render in portals outside the root). */
async function axeViolations(page: Page): Promise<{ id: string; impact: string | null | undefined; targets: string[] }[]> {
  // A dialog fades in: axe measuring contrast mid-fade sees a half-transparent button (seen on a busy
  // machine). Wait until every finite animation and transition has ended (spinners loop forever).
  await page.waitForFunction(() =>
    document.getAnimations().every((animation) => animation.playState !== "running" || animation.effect?.getComputedTiming().iterations === Infinity),
  );
  const result = await new AxeBuilder({ page: page as never }).include(ROOT).include("[role=dialog]").include("[role=alertdialog]").include("[role=menu]").analyze();
  return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, targets: violation.nodes.map((node) => node.target.join(" ")) }));
}

/** The control's root (its FluentProvider; portals carry the same class and data-portal-node). */
const ROOT = ".psh-asset-picker:not([data-portal-node])";

/** The linked-count status under the header, once the rows are in. */
function linkedStatus(page: Page): Locator {
  return page.locator(".psh-linked-header [role=status]");
}

describe("languages", () => {
  it.each([
    [1033, "en-US"],
    [1031, "de-DE"],
    [1036, "fr-FR"],
    [1041, "ja-JP"],
  ])("%i: the form speaks the language, with its plural forms and numbers", async (lcid, locale) => {
    const strings = loadResx(lcid);
    const { page, errors } = await open({ form: "account", lang: lcid });
    await page.getByRole("heading", { name: strings.Header_Title }).waitFor();
    await page.getByRole("button", { name: strings.Action_AddFromPhotoShelter }).first().waitFor();
    // The count's words come from the language's plural form of LinkedCount.
    const count = await page.getByRole("list", { name: strings.Linked_ListLabel }).getByRole("listitem").count();
    const status = (await linkedStatus(page).textContent()) ?? "";
    const number = new Intl.NumberFormat(locale).format(count);
    expect(status).toContain(number);
    const form = new Intl.PluralRules(locale).select(count);
    const branch = new RegExp(`${count === 0 ? "=0" : form} \\{([^}]*)\\}`).exec(strings.LinkedCount)?.[1] ?? /other \{([^}]*)\}/.exec(strings.LinkedCount)![1];
    expect(status).toBe(branch.replace("#", number));
    expect(await page.locator(ROOT).getAttribute("dir")).toBe("ltr");
    await saveScreenshot(page, `account-${locale}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("1025: Arabic mirrors the layout and the arrow keys follow the reading order", async () => {
    const { page, errors } = await open({ form: "account", lang: 1025 });
    const root = page.locator(ROOT);
    await root.waitFor();
    expect(await root.getAttribute("dir")).toBe("rtl");
    // Mirrored: the add button sits at the right end of the toolbar, the view toggles at the left.
    const toolbar = await page.locator(".psh-toolbar").boundingBox();
    const add = await page.getByRole("button", { name: "Add from PhotoShelter" }).first().boundingBox();
    expect(add!.x + add!.width).toBeGreaterThan(toolbar!.x + toolbar!.width / 2);
    await page.getByRole("button", { name: "Add from PhotoShelter" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add from PhotoShelter" });
    const grid = dialog.getByRole("listbox", { name: "Search results" });
    await grid.getByRole("option").nth(1).waitFor({ timeout: 60_000 });
    const first = await grid.getByRole("option").nth(0).boundingBox();
    const second = await grid.getByRole("option").nth(1).boundingBox();
    // The first result is at the right, the next one to its left.
    expect(first!.x).toBeGreaterThan(second!.x);
    await grid.focus();
    const active = async () => (await grid.getAttribute("aria-activedescendant"))?.replace(/.*result-/, "");
    expect(await active()).toBe("0");
    await page.keyboard.press("ArrowLeft");
    expect(await active()).toBe("1");
    await page.keyboard.press("ArrowRight");
    expect(await active()).toBe("0");
    await saveScreenshot(page, "account-ar-browse", { fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("narrow tiles", () => {
  it.each([1033, 1036])("%i: the 'Changed in PhotoShelter' badge stays inside its tile", async (lcid) => {
    const strings = loadResx(lcid);
    const page = await session.browser.context.newPage();
    await page.setViewportSize({ width: 360, height: 900 });
    await openForm(page, session.stack.workbench.url, { form: "account", lang: lcid });
    const badge = page.locator(".psh-card .fui-Badge", { hasText: strings.Stale_Badge.slice(0, 8) }).first();
    await badge.waitFor({ timeout: 30_000 });
    const card = badge.locator("xpath=ancestor::li[contains(@class, 'psh-card')]");
    const [inner, outer] = [await badge.boundingBox(), await card.boundingBox()];
    expect(inner!.x).toBeGreaterThanOrEqual(outer!.x);
    expect(inner!.x + inner!.width).toBeLessThanOrEqual(outer!.x + outer!.width);
    await saveScreenshot(page, `account-narrow-${lcid}`);
    await page.close();
  });
});

describe("accessibility (axe)", () => {
  it.each([
    ["account", "light"],
    ["account", "dark"],
    ["case", "light"],
    ["case", "dark"],
    ["campaign", "light"],
    ["campaign", "dark"],
    ["event", "light"],
    ["event", "dark"],
  ] as const)("%s form, %s: no violations on the form and with each dialog open", async (form, theme) => {
    const { page, errors } = await open({ form, theme });
    await page.locator(".psh-linked-view").waitFor();
    const found: Record<string, unknown> = { form: await axeViolations(page) };

    // Each form's person can browse, preview and detach on the record it opens with: wait for each
    // action (they appear once privileges and rows have loaded), then check its dialog.
    const add = page.getByRole("button", { name: "Add from PhotoShelter" }).first();
    await add.click({ timeout: 30_000 });
    const dialog = page.getByRole("dialog", { name: "Add from PhotoShelter" });
    await dialog.getByRole("listbox", { name: "Search results" }).getByRole("option").first().waitFor({ timeout: 60_000 });
    found.browse = await axeViolations(page);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    // Focus goes back to what opened the dialog.
    found.focusAfterBrowse = await add.evaluate((element) => (element === document.activeElement ? [] : [document.activeElement?.outerHTML.slice(0, 120)]));

    const preview = page.getByRole("button", { name: /^Preview / }).first();
    await preview.click({ timeout: 30_000 });
    await page.getByRole("dialog").waitFor();
    found.preview = await axeViolations(page);
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });

    const detach = page.getByRole("button", { name: /^Detach / }).first();
    await detach.click({ timeout: 30_000 });
    await page.getByRole("alertdialog").waitFor();
    found.detach = await axeViolations(page);
    await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("alertdialog").waitFor({ state: "detached" });

    expect(Object.keys(found).sort()).toEqual(["browse", "detach", "focusAfterBrowse", "form", "preview"]);
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((key) => [key, []])));
    expect(errors).toEqual([]);
    await page.close();
  });
});
