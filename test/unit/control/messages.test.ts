/** Messages in the user's language: whole sentences from the resx, plural forms and numbers by Intl. */
import { GetString, languageTag, message } from "../../../PhotoShelterAssetPicker/services/strings";

const strings = (locale: string | undefined, table: Record<string, string>): GetString => Object.assign((key: string) => table[key] ?? key, { locale });
const COUNT = "{0, plural, one {# asset} other {# assets}}";

describe("message", () => {
  it("picks the plural form of the language and writes the number the language's way", () => {
    const en = strings("en-US", { Count: COUNT });
    expect(message(en, "Count", 1)).toBe("1 asset");
    expect(message(en, "Count", 0)).toBe("0 assets");
    expect(message(en, "Count", 12345)).toBe("12,345 assets");
    const de = strings("de-DE", { Count: "{0, plural, one {# Asset} other {# Assets}}" });
    expect(message(de, "Count", 12345)).toBe("12.345 Assets");
    // French uses the singular for 0 and 1.
    const fr = strings("fr-FR", { Count: "{0, plural, one {# ressource} other {# ressources}}" });
    expect(message(fr, "Count", 0)).toBe("0 ressource");
    expect(message(fr, "Count", 2)).toBe("2 ressources");
    expect(message(fr, "Count", 1234).replace(/\s/g, " ")).toBe("1 234 ressources");
    const ja = strings("ja-JP", { Count: "{0, plural, other {# 件のアセット}}" });
    expect(message(ja, "Count", 1)).toBe("1 件のアセット");
  });

  it("follows Arabic's six plural categories and exact matches before categories", () => {
    const ar = strings("ar-SA", { Count: "{0, plural, =0 {لا أصول} one {أصل واحد} two {أصلان} few {# أصول} many {# أصلًا} other {# أصل}}" });
    expect(message(ar, "Count", 0)).toBe("لا أصول");
    expect(message(ar, "Count", 2)).toBe("أصلان");
    expect(message(ar, "Count", 3)).toMatch(/ أصول$/);
    expect(message(ar, "Count", 11)).toMatch(/ أصلًا$/);
  });

  it("fills plain and nested arguments, and leaves unknown ones visible", () => {
    const en = strings("en-US", { Upto: "Up to {0, plural, one {# asset} other {# assets}}; {1, plural, one {# hidden by rights} other {# hidden by rights}} for {2}", Plain: "{0} of {1} — {3}" });
    expect(message(en, "Upto", 1500, 1, "Litware")).toBe("Up to 1,500 assets; 1 hidden by rights for Litware");
    expect(message(en, "Plain", 2, 3)).toBe("2 of 3 — {3}");
    expect(message(en, "Missing_Key")).toBe("Missing_Key");
  });

  it("knows the language tags of the control's languages", () => {
    expect([1033, 1031, 1036, 1041, 1025].map(languageTag)).toEqual(["en-US", "de-DE", "fr-FR", "ja-JP", "ar-SA"]);
    expect(languageTag(9999)).toBeUndefined();
  });
});
