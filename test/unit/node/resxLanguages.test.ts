/**
 * Every language the control ships says the same things: each strings/*.resx has exactly the keys
 * of the base language (1033) with the same {n} placeholders, and the manifest lists every file so
 * the platform (and the workbench) can deliver it.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { loadResx } from "../../support/pcfContext";

const controlDir = path.join(__dirname, "..", "..", "..", "PhotoShelterAssetPicker");
const languages = readdirSync(path.join(controlDir, "strings"))
  .map((file) => /^PhotoShelterAssetPicker\.(\d+)\.resx$/.exec(file)?.[1])
  .filter((lcid): lcid is string => lcid !== undefined)
  .map(Number);
/** The arguments a message takes: `{0}` or the `{0, plural, …}` of an ICU plural (services/strings.ts). */
const placeholders = (text: string) => Array.from(new Set(Array.from(text.matchAll(/\{(\d+)(?=\s*[},])/g), (match) => `{${match[1]}}`))).sort();
/** Each plural has the `other` form every language needs, and the language's own categories only. */
function pluralProblems(text: string, lcid: number): string[] {
  const problems: string[] = [];
  const categories = new Set(new Intl.PluralRules({ 1025: "ar", 1031: "de", 1033: "en", 1036: "fr", 1041: "ja" }[lcid] ?? "en").resolvedOptions().pluralCategories);
  for (const [, body] of text.matchAll(/\{\d+\s*,\s*plural\s*,((?:[^{}]|\{[^{}]*\})*)\}/g)) {
    const selectors = Array.from(body.matchAll(/(=\d+|[a-z]+)\s*\{/g), (match) => match[1]);
    if (!selectors.includes("other")) problems.push("no other form");
    for (const selector of selectors) if (!selector.startsWith("=") && !categories.has(selector as Intl.LDMLPluralRule)) problems.push(`${selector} is not a plural form of ${lcid}`);
  }
  return problems;
}

describe("control languages", () => {
  const base = loadResx(1033);

  it("ship at least one language besides English", () => {
    expect(languages).toContain(1033);
    expect(languages.length).toBeGreaterThan(1);
  });

  it.each(languages.filter((lcid) => lcid !== 1033))("%i has the keys and placeholders of 1033, none empty", (lcid) => {
    const strings = loadResx(lcid);
    expect(Object.keys(strings).sort()).toEqual(Object.keys(base).sort());
    for (const [key, text] of Object.entries(base)) {
      expect({ key, placeholders: placeholders(strings[key]) }).toEqual({ key, placeholders: placeholders(text) });
      expect({ key, empty: strings[key].trim() === "" }).toEqual({ key, empty: false });
      expect({ key, plurals: pluralProblems(strings[key], lcid) }).toEqual({ key, plurals: [] });
    }
  });

  it("are all listed in the manifest", () => {
    const manifest = readFileSync(path.join(controlDir, "ControlManifest.Input.xml"), "utf8");
    for (const lcid of languages) expect(manifest).toContain(`strings/PhotoShelterAssetPicker.${lcid}.resx`);
  });
});
