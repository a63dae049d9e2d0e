/**
 * Dataverse query functions in `$filter` — `Microsoft.Dynamics.CRM.<Function>(PropertyName='…',
 * PropertyValue=…|PropertyValues=[…])` — and `@p` parameter aliases, as "Filter rows using OData"
 * describes them (MicrosoftDocs powerapps-docs developer/data-platform/webapi/query/filter-rows.md:
 * "Dataverse query functions", "Manage single quotes"). The mock evaluates the ones clients of this
 * product send or are likely to: In/NotIn, Between/NotBetween, On/OnOrAfter/OnOrBefore,
 * Today/Yesterday/Tomorrow, Last/Next X Hours/Days, OlderThan X Hours/Days, ContainValues and
 * DoesNotContainValues (choices columns). Others answer 400 naming the function.
 *
 * odata-v4-parser knows none of them (nor array literals), so each call is cut out of the filter text
 * before parsing and replaced by a placeholder comparison the compiler maps back to the call.
 */
import type { ColumnDefinition } from "../../solution/model";
import { badRequest } from "./errors";

const NAMESPACE = "Microsoft.Dynamics.CRM.";
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** A parsed call: the function, the property it tests and its raw values (strings, as written). */
export interface QueryFunctionCall {
  name: string;
  property: string;
  values: string[];
}

/** The filter text with every call replaced by `(__crmfn<n>__ eq true)`, and the calls by n. */
export interface ExtractedCalls {
  text: string;
  calls: QueryFunctionCall[];
}

export const PLACEHOLDER = /^__crmfn(\d+)__$/;

/** Reads a quoted string starting at `at` (`'…'` with `''` escapes, or a JSON `"…"`); returns the value and the index after it. */
function quoted(text: string, at: number): [string, number] {
  const quote = text[at];
  let value = "";
  let i = at + 1;
  while (i < text.length) {
    const c = text[i];
    if (quote === "'" && c === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return [value, i + 1];
    }
    if (quote === '"' && c === "\\") {
      value += JSON.parse(`"${text.slice(i, i + (text[i + 1] === "u" ? 6 : 2))}"`);
      i += text[i + 1] === "u" ? 6 : 2;
      continue;
    }
    if (quote === '"' && c === '"') return [value, i + 1];
    value += c;
    i += 1;
  }
  throw badRequest(`There is an unterminated literal at position ${at} in '${text}'.`);
}

/** One parameter value: a quoted string, a bare number/GUID/boolean, or an array of those. */
function parameterValue(text: string, at: number, end: number): string[] {
  const raw = text.slice(at, end).trim();
  if (raw.startsWith("[")) {
    if (!raw.endsWith("]")) throw badRequest(`Invalid JSON. An array in '${raw}' is not closed.`);
    const values: string[] = [];
    let i = 1;
    const body = raw.slice(0, -1);
    while (i < body.length) {
      while (body[i] === " ") i += 1;
      if (i >= body.length) break;
      if (body[i] === "'" || body[i] === '"') {
        const [value, next] = quoted(body, i);
        values.push(value);
        i = next;
      } else {
        const next = body.indexOf(",", i);
        values.push(body.slice(i, next === -1 ? body.length : next).trim());
        i = next === -1 ? body.length : next;
      }
      while (body[i] === " ") i += 1;
      if (i < body.length && body[i] !== ",") throw badRequest("Invalid JSON. A comma character ',' was expected in scope 'Array'. Every two elements in an array and properties of an object must be separated by commas.");
      i += 1;
    }
    return values;
  }
  if (raw.startsWith("'")) {
    const [value, next] = quoted(raw, 0);
    if (next !== raw.length) throw badRequest(`Syntax error at '${raw}'.`);
    return [value];
  }
  if (!/^[-+\w.:]+$/.test(raw)) throw badRequest(`Syntax error at '${raw}'.`);
  return [raw];
}

/** The index after the `)` closing the `(` at `open`, skipping quoted text and arrays. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || (c === '"' && depth > 0)) {
      i = quoted(text, i)[1] - 1;
      continue;
    }
    if (c === "(" || c === "[") depth += 1;
    else if (c === ")" || c === "]") {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  throw badRequest(`Syntax error in $filter: '(' at position ${open} is not closed.`);
}

function parseCall(text: string, start: number): { call: QueryFunctionCall; end: number } {
  const nameMatch = /^[A-Za-z]+/.exec(text.slice(start + NAMESPACE.length));
  if (!nameMatch || text[start + NAMESPACE.length + nameMatch[0].length] !== "(") throw badRequest(`Syntax error in $filter at '${text.slice(start, start + 60)}'.`);
  const name = nameMatch[0];
  const open = start + NAMESPACE.length + name.length;
  const end = closing(text, open);
  const params = new Map<string, string[]>();
  let at = open + 1;
  while (at < end - 1) {
    const eq = text.indexOf("=", at);
    if (eq === -1 || eq > end - 1) throw badRequest(`Syntax error in the parameters of ${NAMESPACE}${name}.`);
    const key = text.slice(at, eq).trim();
    // The value runs to the next comma outside quotes and brackets.
    let stop = eq + 1;
    let depth = 0;
    while (stop < end - 1) {
      const c = text[stop];
      if (c === "'" || (c === '"' && depth > 0)) stop = quoted(text, stop)[1];
      else {
        if (c === "[") depth += 1;
        else if (c === "]") depth -= 1;
        else if (c === "," && depth === 0) break;
        stop += 1;
      }
    }
    params.set(key, parameterValue(text, eq + 1, stop));
    at = stop + 1;
  }
  const property = params.get("PropertyName");
  if (!property || property.length !== 1) throw badRequest(`${NAMESPACE}${name} needs PropertyName='<column>'.`);
  const values = params.get("PropertyValues") ?? params.get("PropertyValue") ?? [];
  return { call: { name, property: property[0], values }, end };
}

/** Cuts every `Microsoft.Dynamics.CRM.<Function>(…)` out of a filter (outside string literals). */
export function extractQueryFunctions(text: string): ExtractedCalls {
  const calls: QueryFunctionCall[] = [];
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] === "'") {
      const end = quoted(text, i)[1];
      out += text.slice(i, end);
      i = end;
      continue;
    }
    if (text.startsWith(NAMESPACE, i)) {
      const { call, end } = parseCall(text, i);
      out += `(__crmfn${calls.length}__ eq true)`;
      calls.push(call);
      i = end;
      continue;
    }
    out += text[i];
    i += 1;
  }
  return { text: out, calls };
}

/**
 * Substitutes `@name` parameter aliases (query parameters such as `@p1='lastname'`) into `$filter`,
 * outside string literals, so `Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2)` works.
 */
export function withParameterAliases(query: string): string {
  if (!query.includes("@") && !/%40/i.test(query)) return query;
  const params = new URLSearchParams(query);
  const filter = params.get("$filter");
  if (!filter) return query;
  const aliases = new Map([...params].filter(([name]) => name.startsWith("@")));
  if (aliases.size === 0) return query;
  let out = "";
  for (let i = 0; i < filter.length; ) {
    if (filter[i] === "'") {
      const end = quoted(filter, i)[1];
      out += filter.slice(i, end);
      i = end;
      continue;
    }
    const alias = filter[i] === "@" ? /^@[A-Za-z_][A-Za-z0-9_]*/.exec(filter.slice(i))?.[0] : undefined;
    if (alias) {
      if (!aliases.has(alias)) throw badRequest(`The parameter alias '${alias}' is not defined in the query.`);
      out += aliases.get(alias);
      i += alias.length;
      continue;
    }
    out += filter[i];
    i += 1;
  }
  params.set("$filter", out);
  return params.toString();
}

type Comparable = number | string | boolean;

/** A written value as the column's type compares it (numbers for choices and numbers, times for dates). */
function comparable(column: ColumnDefinition, raw: string, functionName: string): Comparable {
  switch (column.type) {
    case "integer":
    case "bigint":
    case "money":
    case "choice":
    case "state":
    case "status":
    case "multichoice": {
      const n = Number(raw);
      if (raw.trim() === "" || !Number.isFinite(n)) throw badRequest(`${NAMESPACE}${functionName}: '${raw}' is not a number for '${column.logicalName}'.`);
      return n;
    }
    case "datetime": {
      const t = Date.parse(raw);
      if (Number.isNaN(t)) throw badRequest(`${NAMESPACE}${functionName}: '${raw}' is not a date for '${column.logicalName}'.`);
      return t;
    }
    case "boolean":
      if (raw !== "true" && raw !== "false") throw badRequest(`${NAMESPACE}${functionName}: '${raw}' is not true or false.`);
      return raw === "true";
    default:
      // Text compares case-insensitively in Dataverse; GUIDs ignore case.
      return raw.toLowerCase();
  }
}

const rowValue = (column: ColumnDefinition, value: unknown): Comparable | null => {
  if (value === null || value === undefined) return null;
  if (column.type === "datetime") return Date.parse(String(value));
  if (typeof value === "string") return value.toLowerCase();
  return value as Comparable;
};

const startOfUtcDay = (t: number) => t - (((t % DAY) + DAY) % DAY);

/** Which values a date function accepts (the mock uses UTC days; Dataverse uses the user's time zone). */
function dateRange(name: string, x: number, now: number): [number, number] | null {
  const today = startOfUtcDay(now);
  switch (name) {
    case "Today":
      return [today, today + DAY - 1];
    case "Yesterday":
      return [today - DAY, today - 1];
    case "Tomorrow":
      return [today + DAY, today + 2 * DAY - 1];
    case "LastXHours":
      return [now - x * HOUR, now];
    case "NextXHours":
      return [now, now + x * HOUR];
    case "LastXDays":
      return [today - x * DAY, now];
    case "NextXDays":
      return [now, today + (x + 1) * DAY - 1];
    case "OlderThanXHours":
      return [-Infinity, now - x * HOUR - 1];
    case "OlderThanXDays":
      return [-Infinity, today - x * DAY - 1];
    default:
      return null;
  }
}

const COUNTED = new Set(["LastXHours", "NextXHours", "LastXDays", "NextXDays", "OlderThanXHours", "OlderThanXDays"]);
const DAYLESS = new Set(["Today", "Yesterday", "Tomorrow"]);

/** A predicate on a column's value (lookups as their GUID) for one call. */
export function queryFunctionPredicate(call: QueryFunctionCall, column: ColumnDefinition, now: () => number = Date.now): (value: unknown) => boolean {
  const { name, values } = call;
  const count = (n: number) => {
    if (values.length !== n) throw badRequest(`${NAMESPACE}${name} takes ${n === 1 ? "one PropertyValue" : `${n} PropertyValues`}, got ${values.length}.`);
  };
  switch (name) {
    case "In":
    case "NotIn": {
      if (values.length === 0) throw badRequest(`${NAMESPACE}${name} needs PropertyValues=[…].`);
      const wanted = new Set(values.map((v) => comparable(column, v, name)));
      return name === "In" ? (value) => wanted.has(rowValue(column, value)!) : (value) => value !== null && value !== undefined && !wanted.has(rowValue(column, value)!);
    }
    case "Between":
    case "NotBetween": {
      count(2);
      const [low, high] = values.map((v) => comparable(column, v, name));
      const inside = (value: unknown) => {
        const v = rowValue(column, value);
        return v !== null && v >= low && v <= high;
      };
      return name === "Between" ? inside : (value) => value !== null && value !== undefined && !inside(value);
    }
    case "On":
    case "OnOrAfter":
    case "OnOrBefore": {
      count(1);
      if (column.type !== "datetime") throw badRequest(`${NAMESPACE}${name} applies to date columns; '${column.logicalName}' is ${column.type}.`);
      const day = startOfUtcDay(comparable(column, values[0], name) as number);
      return (value) => {
        const v = rowValue(column, value) as number | null;
        if (v === null) return false;
        const d = startOfUtcDay(v);
        return name === "On" ? d === day : name === "OnOrAfter" ? d >= day : d <= day;
      };
    }
    case "ContainValues":
    case "DoesNotContainValues": {
      if (column.type !== "multichoice") throw badRequest(`${NAMESPACE}${name} applies to choices (multi-select) columns; '${column.logicalName}' is ${column.type}.`);
      if (values.length === 0) throw badRequest(`${NAMESPACE}${name} needs PropertyValues=[…].`);
      const wanted = values.map((v) => comparable(column, v, name) as number);
      const contains = (value: unknown) => typeof value === "string" && value.split(",").some((option) => wanted.includes(Number(option)));
      return name === "ContainValues" ? contains : (value) => !contains(value);
    }
    default: {
      if (!COUNTED.has(name) && !DAYLESS.has(name)) throw badRequest(`The query function '${NAMESPACE}${name}' is not supported by this mock.`);
      if (column.type !== "datetime") throw badRequest(`${NAMESPACE}${name} applies to date columns; '${column.logicalName}' is ${column.type}.`);
      let x = 0;
      if (COUNTED.has(name)) {
        count(1);
        x = Number(values[0]);
        if (!Number.isInteger(x) || x < 0) throw badRequest(`${NAMESPACE}${name}: PropertyValue must be a whole number, got '${values[0]}'.`);
      } else count(0);
      return (value) => {
        const v = rowValue(column, value) as number | null;
        const [from, to] = dateRange(name, x, now())!;
        return v !== null && v >= from && v <= to;
      };
    }
  }
}
