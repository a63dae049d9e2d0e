/**
 * Column values in and out of the mock: validation of written values against the model (types,
 * lengths, ranges, options) and the formatted-value annotations Dataverse adds when asked.
 */
import type { ColumnDefinition } from "../../solution/model";
import { badRequest, CODES } from "./errors";
import { isGuid } from "./odata";
import type { Value } from "./store";

const validation = (message: string) => badRequest(`A validation error occurred.  ${message}`, CODES.tooLong);

/** Checks a written value and returns it as stored; `null` always clears. */
export function coerceValue(table: string, column: ColumnDefinition, value: unknown): Value {
  if (value === null) return null;
  const name = column.logicalName;
  const wrongType = (expected: string) => badRequest(`Cannot convert the literal '${JSON.stringify(value)}' to the expected type '${expected}' of '${name}' on '${table}'.`, CODES.badValue);
  switch (column.type) {
    case "string":
    case "memo":
      if (typeof value !== "string") throw wrongType("Edm.String");
      if (value.length > column.maxLength) throw validation(`The length of the '${name}' attribute of the '${table}' entity exceeded the maximum allowed length of '${column.maxLength}'.`);
      return value;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType("Edm.Int32");
      if (value < column.min || value > column.max) throw validation(`The value ${value} of '${name}' on record of type '${table}' is outside the valid range. Accepted range: ${column.min} to ${column.max}.`);
      return value;
    case "bigint":
      if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType("Edm.Int64");
      return value;
    case "money":
      if (typeof value !== "number" || !Number.isFinite(value)) throw wrongType("Edm.Decimal");
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw wrongType("Edm.Boolean");
      return value;
    case "datetime": {
      if (typeof value !== "string") throw wrongType(column.behavior === "DateOnly" ? "Edm.Date" : "Edm.DateTimeOffset");
      if (column.behavior === "DateOnly") {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw wrongType("Edm.Date");
        return value;
      }
      const time = Date.parse(value);
      if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}T/.test(value)) throw wrongType("Edm.DateTimeOffset");
      return new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");
    }
    case "choice":
    case "state":
    case "status": {
      if (typeof value !== "number" || !Number.isInteger(value)) throw wrongType("Edm.Int32");
      checkOption(table, column, value);
      return value;
    }
    case "multichoice": {
      if (typeof value !== "string" || !/^-?\d+(,-?\d+)*$/.test(value)) throw wrongType("a comma-separated list of option values");
      for (const option of value.split(",")) checkOption(table, column, Number(option));
      return value;
    }
    case "primarykey":
    case "uniqueidentifier":
      if (typeof value !== "string" || !isGuid(value)) throw wrongType("Edm.Guid");
      return value.toLowerCase();
    case "lookup":
    case "owner":
      throw badRequest("CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.");
  }
}

function checkOption(table: string, column: ColumnDefinition & { choice: { origin: string; options: Record<string, { value: number }> } }, value: number): void {
  // Microsoft's choices are described only as far as we use them; the org may have more options.
  if (column.choice.origin === "outOfBox") return;
  if (!Object.values(column.choice.options).some((o) => o.value === value)) {
    throw validation(`The value ${value} of '${column.logicalName}' on record of type '${table}' is outside the valid range.`);
  }
}

/** The FormattedValue annotation of a column value, or undefined when Dataverse gives none. */
export function formattedValue(column: ColumnDefinition, value: Value, lookupName: (reference: { id: string; table: string }) => string | null): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (column.type) {
    case "choice":
    case "state":
    case "status":
      return Object.values(column.choice.options).find((o) => o.value === value)?.label ?? String(value);
    case "multichoice":
      return String(value)
        .split(",")
        .map((v) => Object.values(column.choice.options).find((o) => o.value === Number(v))?.label ?? v)
        .join("; ");
    case "boolean":
      return value ? column.trueLabel : column.falseLabel;
    case "lookup":
    case "owner":
      return lookupName(value as { id: string; table: string }) ?? undefined;
    case "datetime":
      return formatDate(String(value), column.behavior === "DateOnly");
    case "money":
      return `$${(value as number).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    case "integer":
    case "bigint":
      return (value as number).toLocaleString("en-US");
    default:
      return undefined;
  }
}

/** `4/7/2023 2:59 PM` (UTC: the mock users all live in UTC) or `4/7/2023` for date-only columns. */
function formatDate(value: string, dateOnly: boolean): string {
  const date = new Date(dateOnly ? `${value}T00:00:00Z` : value);
  const day = `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()}`;
  if (dateOnly) return day;
  const hours = date.getUTCHours();
  const minutes = String(date.getUTCMinutes()).padStart(2, "0");
  return `${day} ${hours % 12 === 0 ? 12 : hours % 12}:${minutes} ${hours < 12 ? "AM" : "PM"}`;
}
