/**
 * The OData query options the mock evaluates: $filter (parsed by odata-v4-parser, evaluated here
 * against the model's column types), $select, $orderby, $expand and key segments.
 */
import { filter as parseFilter } from "odata-v4-parser";
import type { ColumnDefinition } from "../../solution/model";
import { badRequest, unknownProperty } from "./errors";
import type { Metadata, TableMetadata } from "./metadata";
import { extractQueryFunctions, PLACEHOLDER, queryFunctionPredicate, type QueryFunctionCall } from "./queryFunctions";
import type { Row, Store } from "./store";

interface Token {
  type: string;
  value: unknown;
  raw: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (value: string) => GUID.test(value);

/** A property value as the Web API exposes it (lookups as their GUID). */
export function propertyValue(row: Row, column: ColumnDefinition): unknown {
  // IsValidForRead false (serviceendpoint.authvalue): stored, but never answered, filtered or sorted on.
  if (column.writeOnly) return null;
  const value = row[column.logicalName];
  if (column.type === "lookup" || column.type === "owner") return value && typeof value === "object" ? (value as { id: string }).id : null;
  return value ?? null;
}

type Literal = { kind: "null" } | { kind: "string"; value: string } | { kind: "number"; value: number } | { kind: "boolean"; value: boolean } | { kind: "guid"; value: string } | { kind: "date"; value: string };

function literal(token: Token): Literal {
  const raw = token.raw;
  switch (token.value) {
    case "null":
      return { kind: "null" };
    case "Edm.String":
      return { kind: "string", value: decodeURIComponent(raw.slice(1, -1)).replace(/''/g, "'") };
    case "Edm.Boolean":
      return { kind: "boolean", value: raw === "true" };
    case "Edm.Guid":
      return { kind: "guid", value: raw.toLowerCase() };
    case "Edm.Date":
    case "Edm.DateTimeOffset":
      return { kind: "date", value: raw };
    default:
      if (/^Edm\.(SByte|Byte|Int16|Int32|Int64|Decimal|Double|Single)$/.test(String(token.value))) return { kind: "number", value: Number(raw) };
      throw badRequest(`The literal '${raw}' is not supported by this query.`);
  }
}

type Comparator = "eq" | "ne" | "gt" | "ge" | "lt" | "le";
const COMPARATORS: Record<string, Comparator> = {
  EqualsExpression: "eq",
  NotEqualsExpression: "ne",
  GreaterThanExpression: "gt",
  GreaterOrEqualsExpression: "ge",
  LesserThanExpression: "lt",
  LesserOrEqualsExpression: "le",
};

/** Resolves `prop` or `nav/prop` (through a single-valued navigation property) to a value getter. */
type Getter = { column: ColumnDefinition; get: (row: Row) => unknown };

function compareValues(column: ColumnDefinition, left: unknown, right: Literal, op: Comparator, table: string): boolean {
  if (right.kind === "null") {
    const isNull = left === null || left === undefined;
    if (op === "eq") return isNull;
    if (op === "ne") return !isNull;
    throw badRequest(`The operator '${op}' cannot compare with null.`);
  }
  if (left === null || left === undefined) return op === "ne";
  let a: string | number | boolean;
  let b: string | number | boolean;
  switch (column.type) {
    case "string":
    case "memo":
      if (right.kind !== "string") throw badRequest(`A binary operator with incompatible types was detected. Found operand types 'Edm.String' and '${right.kind}' for column '${column.logicalName}' of '${table}'.`);
      // Dataverse compares text case-insensitively.
      a = String(left).toLowerCase();
      b = right.value.toLowerCase();
      break;
    case "primarykey":
    case "uniqueidentifier":
    case "lookup":
    case "owner":
      if ((right.kind !== "guid" && right.kind !== "string") || !isGuid(right.value)) throw badRequest(`'${column.logicalName}' of '${table}' compares with a GUID, got ${right.kind === "string" ? `'${right.value}'` : right.kind}.`);
      a = String(left).toLowerCase();
      b = right.value.toLowerCase();
      break;
    case "datetime": {
      if (right.kind !== "date" && right.kind !== "string") throw badRequest(`'${column.logicalName}' of '${table}' compares with a date.`);
      const l = Date.parse(String(left));
      const r = Date.parse(right.value);
      if (Number.isNaN(r)) throw badRequest(`'${right.value}' is not a valid date.`);
      a = l;
      b = r;
      break;
    }
    case "boolean":
      if (right.kind !== "boolean") throw badRequest(`'${column.logicalName}' of '${table}' compares with true or false.`);
      a = left === true;
      b = right.value;
      break;
    case "multichoice":
      throw badRequest(`Multi-select choice '${column.logicalName}' supports only Microsoft.Dynamics.CRM.ContainValues, which this mock does not implement.`);
    default:
      if (right.kind !== "number") throw badRequest(`'${column.logicalName}' of '${table}' compares with a number.`);
      a = Number(left);
      b = right.value;
  }
  switch (op) {
    case "eq": return a === b;
    case "ne": return a !== b;
    case "gt": return a > b;
    case "ge": return a >= b;
    case "lt": return a < b;
    case "le": return a <= b;
  }
}

export type Predicate = (row: Row) => boolean;

/**
 * odata-v4-parser reads the URL form of a filter, where characters such as `"`, `{`, `/` or `%`
 * inside a string literal are percent-encoded; the query string arrives decoded, so encode them
 * again (quotes stay, doubled quotes remain the escape).
 */
function encodeStringLiterals(text: string): string {
  let out = "";
  let quoted = false;
  for (const char of text) {
    if (char === "'") quoted = !quoted;
    out += quoted && char !== "'" ? encodeURIComponent(char).replace(/[()*!~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) : char;
  }
  return out;
}

export class FilterCompiler {
  constructor(
    private readonly metadata: Metadata,
    private readonly store: Store,
  ) {}

  compile(entry: TableMetadata, text: string): Predicate {
    // Dataverse query functions are cut out first: the parser knows neither them nor array literals.
    const { text: plain, calls } = extractQueryFunctions(text);
    let ast: Token;
    try {
      ast = parseFilter(encodeStringLiterals(plain)) as unknown as Token;
    } catch (error) {
      throw badRequest(`Syntax error in $filter '${text}': ${(error as Error).message}.`);
    }
    return this.node(entry, ast, calls);
  }

  /** `Microsoft.Dynamics.CRM.<Function>(PropertyName=…)` on a property (or `nav/property`). */
  private queryFunction(entry: TableMetadata, call: QueryFunctionCall): Predicate {
    const getter = this.getter(entry, { type: "FirstMemberExpression", value: null, raw: call.property });
    const test = queryFunctionPredicate(call, getter.column);
    return (row) => test(getter.get(row));
  }

  private getter(entry: TableMetadata, token: Token): Getter {
    if (token.type !== "FirstMemberExpression" && token.type !== "MemberExpression") throw badRequest(`Expected a property in $filter, got '${token.raw}'.`);
    const path = token.raw.split("/");
    if (path.length === 1) {
      const column = entry.properties.get(path[0]);
      if (!column) throw unknownProperty(path[0], entry.table.logicalName);
      return { column, get: (row) => propertyValue(row, column) };
    }
    if (path.length > 2) throw badRequest(`Only one navigation step is supported in $filter ('${token.raw}').`);
    const navigation = entry.singleNavigations.get(path[0]);
    if (!navigation) throw unknownProperty(path[0], entry.table.logicalName);
    const target = this.metadata.byLogicalName(navigation.target)!;
    const column = target.properties.get(path[1]);
    if (!column) throw unknownProperty(path[1], target.table.logicalName);
    return {
      column,
      get: (row) => {
        const reference = row[navigation.column.logicalName] as { id: string; table: string } | null;
        if (!reference || reference.table !== navigation.target) return null;
        const related = this.store.get(navigation.target, reference.id);
        return related ? propertyValue(related, column) : null;
      },
    };
  }

  private node(entry: TableMetadata, token: Token, calls: QueryFunctionCall[]): Predicate {
    const table = entry.table.logicalName;
    switch (token.type) {
      case "AndExpression":
      case "OrExpression": {
        const { left, right } = token.value as { left: Token; right: Token };
        const l = this.node(entry, left, calls);
        const r = this.node(entry, right, calls);
        return token.type === "AndExpression" ? (row) => l(row) && r(row) : (row) => l(row) || r(row);
      }
      case "NotExpression": {
        const inner = this.node(entry, token.value as Token, calls);
        return (row) => !inner(row);
      }
      case "BoolParenExpression":
      case "ParenExpression":
        return this.node(entry, token.value as Token, calls);
      case "MethodCallExpression": {
        const { method, parameters } = token.value as { method: string; parameters: Token[] };
        if (!["contains", "startswith", "endswith"].includes(method)) throw badRequest(`The function '${method}' is not supported in $filter.`);
        const getter = this.getter(entry, parameters[0]);
        const argument = parameters[1] && parameters[1].type === "Literal" ? literal(parameters[1]) : null;
        if (!argument || argument.kind !== "string") throw badRequest(`${method} takes a property and a string literal.`);
        if (getter.column.type !== "string" && getter.column.type !== "memo") throw badRequest(`${method} applies to text columns; '${getter.column.logicalName}' is ${getter.column.type}.`);
        const needle = argument.value.toLowerCase();
        return (row) => {
          const value = getter.get(row);
          if (typeof value !== "string") return false;
          const haystack = value.toLowerCase();
          return method === "contains" ? haystack.includes(needle) : method === "startswith" ? haystack.startsWith(needle) : haystack.endsWith(needle);
        };
      }
      default: {
        const op = COMPARATORS[token.type];
        if (!op) throw badRequest(`The expression '${token.raw}' is not supported in $filter.`);
        const { left, right } = token.value as { left: Token; right: Token };
        // Accept `value eq prop` as well as `prop eq value`.
        const [member, value, flipped] = right.type === "Literal" ? [left, right, false] : [right, left, true];
        const call = calls[Number(PLACEHOLDER.exec(member.raw)?.[1] ?? -1)];
        if (call) return this.queryFunction(entry, call);
        if (value.type !== "Literal") throw badRequest(`'${token.raw}' must compare a property with a literal.`);
        const getter = this.getter(entry, member);
        const lit = literal(value);
        const effective: Comparator = flipped ? ({ gt: "lt", ge: "le", lt: "gt", le: "ge", eq: "eq", ne: "ne" } as const)[op] : op;
        compareValues(getter.column, "probe", lit, "ne", table); // type-check the literal once, before any row
        return (row) => compareValues(getter.column, getter.get(row), lit, effective, table);
      }
    }
  }
}

/** Splits on `separator` outside parentheses and quotes (for $select, $expand, $orderby, keys). */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    else if (!quoted && c === "(") depth++;
    else if (!quoted && c === ")") depth--;
    else if (!quoted && depth === 0 && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

export interface QueryOptions {
  select?: string;
  filter?: string;
  orderby?: string;
  top?: string;
  expand?: string;
  count?: string;
  skiptoken?: string;
}

/** Parses `nav($select=a;$filter=b)` items of an $expand. */
export function parseExpand(text: string): Array<{ navigation: string; options: QueryOptions }> {
  return splitTopLevel(text, ",").map((item) => {
    const open = item.indexOf("(");
    if (open === -1) return { navigation: item, options: {} };
    if (!item.endsWith(")")) throw badRequest(`Syntax error in $expand at '${item}'.`);
    const options: QueryOptions = {};
    for (const part of splitTopLevel(item.slice(open + 1, -1), ";")) {
      const eq = part.indexOf("=");
      const name = part.slice(0, eq).trim();
      const value = part.slice(eq + 1).trim();
      const key = name.replace(/^\$/, "") as keyof QueryOptions;
      if (eq === -1 || !["select", "filter", "orderby", "top", "expand"].includes(key)) throw badRequest(`The query option '${name}' is not allowed inside $expand.`);
      options[key] = value;
    }
    return { navigation: item.slice(0, open).trim(), options };
  });
}

/** Parses a key segment: `<guid>` or `name='value',other=123`. */
export function parseKey(text: string): { id: string } | { values: Record<string, string | number> } {
  if (isGuid(text)) return { id: text.toLowerCase() };
  const values: Record<string, string | number> = {};
  for (const part of splitTopLevel(text, ",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw badRequest(`Bad key segment '(${text})'.`);
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2) {
      const inner = raw.slice(1, -1);
      if (/(^|[^'])'([^']|$)/.test(inner.replace(/''/g, ""))) throw badRequest(`Bad quoted value in key segment '(${text})'.`);
      values[name] = inner.replace(/''/g, "'");
    } else if (isGuid(raw)) values[name] = raw.toLowerCase();
    else if (/^-?\d+(\.\d+)?$/.test(raw)) values[name] = Number(raw);
    else throw badRequest(`Bad value '${raw}' in key segment '(${text})'.`);
  }
  return { values };
}

/** Sort comparator for $orderby (nulls first ascending, like SQL Server). */
export function orderComparator(entry: TableMetadata, text: string): (a: Row, b: Row) => number {
  const keys = splitTopLevel(text, ",").map((part) => {
    const [name, direction = "asc", extra] = part.split(/\s+/);
    if (extra !== undefined || !["asc", "desc"].includes(direction)) throw badRequest(`Syntax error in $orderby at '${part}'.`);
    const column = entry.properties.get(name);
    if (!column) throw unknownProperty(name, entry.table.logicalName);
    return { column, sign: direction === "desc" ? -1 : 1 };
  });
  return (a, b) => {
    for (const { column, sign } of keys) {
      const x = propertyValue(a, column);
      const y = propertyValue(b, column);
      if (x === y) continue;
      if (x === null) return -sign;
      if (y === null) return sign;
      const cmp = typeof x === "string" && typeof y === "string" ? x.localeCompare(y, "en", { sensitivity: "base" }) : (x as number) < (y as number) ? -1 : 1;
      if (cmp !== 0) return cmp * sign;
    }
    return 0;
  };
}
