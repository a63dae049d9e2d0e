import { anyOf, guid, keySegment, literal, odataFilter, propertyName } from "../../../proxy/src/dataverse";

/** Values chosen to break naive string building. */
const HOSTILE = [
  "O'Brien",
  "'",
  "''",
  "' or 1 eq 1 or name eq '",
  "x') or (name ne '",
  'say "hi"',
  "a,b=c",
  "50% & more #1 ?q=/path\\",
  "line\nbreak\ttab",
  "emoji 📷 and ümlaut",
  "{6f9a3c2e-0000-4000-8000-000000000001}",
  "",
];

/** An OData string literal: quotes around anything in which a quote appears only doubled. */
const STRING_LITERAL = "'((?:[^']|'')*)'";
const unescape = (text: string) => text.replace(/''/g, "'");

describe("OData literal escaping", () => {
  it.each(HOSTILE)("keeps %j a single string literal with the same value", (value) => {
    const filter = odataFilter`name eq ${value} and statecode eq ${0}`;
    const match = new RegExp(`^name eq ${STRING_LITERAL} and statecode eq 0$`).exec(filter);
    expect(match).not.toBeNull();
    expect(unescape(match![1])).toBe(value);
  });

  it("writes GUIDs bare, validates them, and never accepts an injected GUID", () => {
    expect(odataFilter`_psh_accountid_value eq ${guid("{6F9A3C2E-0000-4000-8000-000000000001}")}`).toBe("_psh_accountid_value eq 6f9a3c2e-0000-4000-8000-000000000001");
    expect(() => guid("6f9a3c2e-0000-4000-8000-000000000001 or 1 eq 1")).toThrow(TypeError);
    expect(() => guid("")).toThrow(TypeError);
  });

  it("validates numbers, dates and property names", () => {
    expect(literal(42)).toBe("42");
    expect(literal(true)).toBe("true");
    expect(literal(null)).toBe("null");
    expect(literal(new Date("2026-01-02T03:04:05Z"))).toBe("2026-01-02T03:04:05.000Z");
    expect(() => literal(Number.NaN)).toThrow(TypeError);
    expect(() => literal(Infinity)).toThrow(TypeError);
    expect(() => literal(new Date("nope"))).toThrow(TypeError);
    expect(() => propertyName("name eq 'x' or name")).toThrow(TypeError);
    expect(propertyName("primarycontactid/lastname")).toBe("primarycontactid/lastname");
  });

  it("builds `or` chains whose every value is a literal", () => {
    const values = ["I1", "I'2", "' or 1 eq 1 or '"];
    const filter = anyOf("psh_mediaid", values);
    const clause = `psh_mediaid eq ${STRING_LITERAL}`;
    const match = new RegExp(`^${clause} or ${clause} or ${clause}$`).exec(filter);
    expect(match?.slice(1).map(unescape)).toEqual(values);
    expect(() => anyOf("psh_mediaid", [])).toThrow(TypeError);
  });

  it.each(HOSTILE)("encodes %j in an alternate key so the URL path decodes back to one escaped literal", (value) => {
    const segment = keySegment({ psh_mediaid: value, psh_period: "2026-01" });
    expect(segment).not.toMatch(/[/?#%\s"\\](?![0-9A-F]{2})/);
    const decoded = decodeURIComponent(segment);
    expect(decoded).toBe(`psh_mediaid='${value.replace(/'/g, "''")}',psh_period='2026-01'`);
  });

  it("accepts a GUID key and refuses bad keys", () => {
    expect(keySegment("{6F9A3C2E-0000-4000-8000-000000000001}")).toBe("6f9a3c2e-0000-4000-8000-000000000001");
    expect(() => keySegment("accounts(1)")).toThrow(TypeError);
    expect(() => keySegment({})).toThrow(TypeError);
    expect(() => keySegment({ "bad name": "x" })).toThrow(TypeError);
  });
});
