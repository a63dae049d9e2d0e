/** Looks up user-visible text from the control's .resx for the user's language. */
export interface GetString {
  (key: string): string;
  /** BCP 47 tag of the user's language, for numbers and plural forms (undefined: the browser's). */
  readonly locale?: string;
}

/** The languages the control ships strings for (and Arabic, laid out right to left), by Dynamics language id (LCID). */
const LANGUAGE_TAGS: Readonly<Record<number, string>> = { 1025: "ar-SA", 1031: "de-DE", 1033: "en-US", 1036: "fr-FR", 1041: "ja-JP" };

/** The BCP 47 tag of a Dynamics language id, or undefined for one the control does not know. */
export function languageTag(languageId: number | undefined): string | undefined {
  return languageId === undefined ? undefined : LANGUAGE_TAGS[languageId];
}

/** Wraps `context.resources.getString`, falling back to the key so a missing entry is visible, not blank. */
export function stringsFrom(resources: ComponentFramework.Resources, languageId?: number): GetString {
  const getString = (key: string) => {
    const value = resources.getString(key);
    return value && value !== "" ? value : key;
  };
  return Object.assign(getString, { locale: languageTag(languageId) });
}

/** Index of the brace that closes the one at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index += 1) {
    if (text[index] === "{") depth += 1;
    else if (text[index] === "}" && --depth === 0) return index;
  }
  return -1;
}

/** The branch of `one {…} other {…}` (or `=0 {…}`) that fits n in the language. */
function pluralBranch(branches: string, n: number, locale: string | undefined): string {
  const found = new Map<string, string>();
  const selector = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/y;
  for (let match = selector.exec(branches); match; match = selector.exec(branches)) {
    const end = closing(branches, selector.lastIndex - 1);
    if (end < 0) break;
    found.set(match[1], branches.slice(selector.lastIndex, end));
    selector.lastIndex = end + 1;
  }
  return found.get(`=${n}`) ?? found.get(new Intl.PluralRules(locale).select(n)) ?? found.get("other") ?? "";
}

function render(template: string, values: readonly (string | number)[], locale: string | undefined): string {
  const number = (value: number) => new Intl.NumberFormat(locale).format(value);
  let out = "";
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf("{", at);
    const close = open < 0 ? -1 : closing(template, open);
    if (close < 0) return out + template.slice(at);
    out += template.slice(at, open);
    const argument = /^\s*(\d+)\s*(?:,\s*plural\s*,([\s\S]*))?$/.exec(template.slice(open + 1, close));
    const value = argument ? values[Number(argument[1])] : undefined;
    if (!argument || value === undefined) out += template.slice(open, close + 1);
    else if (argument[2] === undefined) out += typeof value === "number" ? number(value) : value;
    else out += render(pluralBranch(argument[2], Number(value), locale).replace(/#/g, number(Number(value))), values, locale);
    at = close + 1;
  }
  return out;
}

/**
 * The message `key` in the user's language with its values: `{0}` takes a value (a number written
 * the language's way), `{0, plural, =0 {…} one {…} other {…}}` picks the language's plural form
 * (Intl.PluralRules: Arabic has six, Japanese one) with `#` for the number. So each resx holds whole
 * sentences and no code glues words together. A subset of ICU MessageFormat, here rather than
 * intl-messageformat because that would cost the bundle more than the control's whole model.
 */
export function message(getString: GetString, key: string, ...values: (string | number)[]): string {
  return render(getString(key), values, getString.locale);
}

/** Replaces {0}, {1}, … with the given values as they are (numbers not formatted for the language). */
export function format(template: string, ...values: (string | number)[]): string {
  return render(template, values.map(String), undefined);
}

/** What an error says, for the person reading it. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
