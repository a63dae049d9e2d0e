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
const placeholders = (text: string) => Array.from(new Set(text.match(/\{\d+\}/g) ?? [])).sort();

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
    }
  });

  it("are all listed in the manifest", () => {
    const manifest = readFileSync(path.join(controlDir, "ControlManifest.Input.xml"), "utf8");
    for (const lcid of languages) expect(manifest).toContain(`strings/PhotoShelterAssetPicker.${lcid}.resx`);
  });
});
