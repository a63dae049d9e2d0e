/**
 * OData literals for the Dataverse Web API. Every value that goes into a $filter or a key segment
 * passes through here, so a quote (or anything else) in a value can only ever be data: strings are
 * single-quoted with `'` doubled, GUIDs, numbers and booleans are checked before they are written.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)?$/;

/** A GUID for a filter or key: unquoted, braces removed, validated. */
export class Guid {
  readonly value: string;
  constructor(value: string) {
    const bare = value.trim().replace(/^\{(.*)\}$/, "$1");
    if (!GUID.test(bare)) throw new TypeError(`Not a GUID: ${JSON.stringify(value).slice(0, 80)}`);
    this.value = bare.toLowerCase();
  }
}

export const guid = (value: string) => new Guid(value);
export const isGuid = (value: string) => GUID.test(value);

export type LiteralValue = string | number | boolean | null | Guid | Date;

/** One OData literal. Strings are quoted and escaped; everything else is validated. */
export function literal(value: LiteralValue): string {
  if (value === null) return "null";
  if (value instanceof Guid) return value.value;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError("Invalid date in an OData literal");
    return value.toISOString();
  }
  switch (typeof value) {
    case "string":
      return `'${value.replace(/'/g, "''")}'`;
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`Not a finite number: ${value}`);
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    default:
      throw new TypeError(`Unsupported OData literal: ${typeof value}`);
  }
}

/**
 * A $filter built from a template: interpolated values become literals, never syntax.
 *   odataFilter`psh_mediaid eq ${id} and _psh_accountid_value eq ${guid(accountId)}`
 */
export function odataFilter(strings: TemplateStringsArray, ...values: LiteralValue[]): string {
  return strings.reduce((text, part, i) => text + part + (i < values.length ? literal(values[i]) : ""), "");
}

/** A property name in $select/$orderby/$filter: checked, because names are syntax. */
export function propertyName(name: string): string {
  if (!IDENTIFIER.test(name)) throw new TypeError(`Not an OData property name: ${JSON.stringify(name).slice(0, 80)}`);
  return name;
}

/** `col1 eq v1 or col1 eq v2 …` for a set of values (Dataverse's `In` function is not needed for small sets). */
export function anyOf(property: string, values: readonly LiteralValue[]): string {
  if (values.length === 0) throw new TypeError("anyOf needs at least one value");
  return values.map((value) => `${propertyName(property)} eq ${literal(value)}`).join(" or ");
}

/** A record key: a GUID, or alternate-key columns and values. */
export type RecordKey = string | Guid | Readonly<Record<string, string | number | Guid>>;

/**
 * The key segment inside `entityset(…)`, percent-encoded for the URL path: `<guid>` or
 * `psh_mediaid='I0000…',psh_regardingkey='account:…'` with every value escaped.
 */
export function keySegment(key: RecordKey): string {
  if (typeof key === "string") return guid(key).value;
  if (key instanceof Guid) return key.value;
  const entries = Object.entries(key);
  if (entries.length === 0) throw new TypeError("An alternate key needs at least one column");
  return entries.map(([name, value]) => `${propertyName(name)}=${encodeURIComponent(literal(value))}`).join(",");
}
