/**
 * Opening the workbench's simulated forms in the browser and reading what the control shows.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { Locator, Page } from "playwright-core";
import type {} from "../../../workbench/client/handle";

export interface FormAddress {
  form?: string;
  id?: string;
  user?: string;
  lang?: number;
  theme?: "light" | "dark";
  readonly?: boolean;
  client?: "web" | "mobile";
}

export function formUrl(base: string, address: FormAddress): string {
  const query = new URLSearchParams();
  if (address.form) query.set("form", address.form);
  if (address.id) query.set("id", address.id);
  if (address.user) query.set("user", address.user);
  if (address.lang) query.set("lang", String(address.lang));
  if (address.theme) query.set("theme", address.theme);
  if (address.readonly) query.set("readonly", "1");
  if (address.client) query.set("client", address.client);
  return `${base}/?${query.toString()}`;
}

/** Records uncaught page errors so a test can assert the page stayed healthy. */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

/** Waits until the form is up and the control has rendered at least once; fails with the workbench's own error. */
export async function waitForForm(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__workbench && (window.__workbench.ready || window.__workbench.error !== null), undefined, { timeout: 30_000 });
  const error = await page.evaluate(() => window.__workbench.error);
  if (error) throw new Error(`The workbench could not open the form: ${error}`);
}

export async function openForm(page: Page, base: string, address: FormAddress): Promise<void> {
  await page.goto(formUrl(base, address));
  await waitForForm(page);
}

export const SCREENSHOT_DIR = path.resolve(__dirname, "..", "..", "..", "test-results", "e2e");

/** A full-page picture by default; `fullPage: false` for what the viewport shows (an open dialog). */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Thumbnails load lazily after the rows: let them arrive so the picture shows the form as a person sees it.
  await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => undefined);
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  return file;
}

/**
 * Waits until the locator matches exactly `count` elements. Rows load after the form opens, and
 * everything behind an open dialog is aria-hidden (out of the role tree) until the dialog has closed.
 */
export async function waitForCount(locator: Locator, count: number, timeout = 30_000): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = await locator.count();
    if (found === count) return;
    if (Date.now() > deadline) throw new Error(`Expected ${count} elements for ${String(locator)}, found ${found} after ${timeout} ms`);
    await locator.page().waitForTimeout(50);
  }
}
