/**
 * PSAPI v4 response shapes: the {data, meta} envelope, errors as {"errors":[{id,status,title,detail}]},
 * page/per_page paging with meta.paging, dates in the requested date_format, and request parameters
 * that may come from the query or a form/JSON body.
 */
import { FastifyRequest } from "fastify";

/** Thrown by handlers; the v4 error handler turns it into PhotoShelter's error body. */
export class PsError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    readonly title: string,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${id}: ${detail}`);
  }
}

export const psErrorBody = (status: number, id: string, title: string, detail: string) => ({ errors: [{ id, status: String(status), title, detail }] });

export const badRequest = (detail: string) => new PsError(400, "BadRequestException", "Bad Request", detail);
export const notFound = (what: string) => new PsError(404, "ResourceNotFoundException", "Resource not found", `The requested ${what} was not found.`);
export const notAuthorized = (resource: string, detail = "You are not authorized to view this resource.") =>
  new PsError(401, "AcsPermissionException", `Invalid access to resource: ${resource}`, detail, { "www-authenticate": "Bearer" });

/** Query and form/JSON body merged (PhotoShelter takes most parameters either way), strings only. */
export function paramsOf(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of [request.query, request.body]) {
    if (!source || typeof source !== "object" || Buffer.isBuffer(source)) continue;
    for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") out[key] = String(value);
    }
  }
  return out;
}

export type DateFormat = "iso8601ps" | "iso8601" | "unix";

export function dateFormatOf(params: Record<string, string>): DateFormat {
  const format = params.date_format ?? "iso8601ps";
  if (format !== "iso8601ps" && format !== "iso8601" && format !== "unix") throw badRequest("date_format must be iso8601ps, iso8601 or unix.");
  return format;
}

/** "2019-10-02 14:39:23 GMT" (PhotoShelter's default), ISO 8601, or Unix seconds. */
export function formatDate(ms: number, format: DateFormat): string | number {
  if (format === "unix") return Math.floor(ms / 1000);
  const iso = new Date(ms).toISOString();
  return format === "iso8601" ? iso : `${iso.slice(0, 10)} ${iso.slice(11, 19)} GMT`;
}

/** Accepts PhotoShelter's date strings, ISO dates and Unix seconds. */
export function parseDate(value: string, name: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value.replace(/ GMT$/, "Z").replace(" ", "T"));
  if (Number.isNaN(ms)) throw badRequest(`${name} is not a date: "${value}".`);
  return ms;
}

export const MAX_PER_PAGE = 1000;
export const DEFAULT_PER_PAGE = 50;
/** The draft spec allows pages 0–999; live clients saw failures past page ~1000. */
export const MAX_PAGE = 999;

export interface Paging {
  page: number;
  perPage: number;
}

/** 1-based pages (0 is read as 1, as the draft's default); per_page above the maximum is capped. */
export function pagingOf(params: Record<string, string>, defaultPerPage = DEFAULT_PER_PAGE): Paging {
  const int = (name: string, fallback: number) => {
    const raw = params[name];
    if (raw === undefined || raw === "") return fallback;
    if (!/^\d+$/.test(raw)) throw badRequest(`${name} must be a non-negative integer.`);
    return Number(raw);
  };
  const page = Math.max(1, int("page", 1));
  if (page > MAX_PAGE) throw badRequest(`page must be between 0 and ${MAX_PAGE}.`);
  const perPage = int("per_page", defaultPerPage);
  if (perPage < 1) throw badRequest("per_page must be at least 1.");
  return { page, perPage: Math.min(perPage, MAX_PER_PAGE) };
}

export function pageOf<T>(items: T[], paging: Paging): T[] {
  const start = (paging.page - 1) * paging.perPage;
  return items.slice(start, start + paging.perPage);
}

/** meta.paging with absolute first/last/next/prev URLs (null where there is none). */
export function pagingMeta(request: FastifyRequest, base: string, total: number, paging: Paging) {
  const lastPage = Math.max(1, Math.ceil(total / paging.perPage));
  const link = (page: number) => {
    const url = new URL(request.url, base);
    url.searchParams.set("page", String(page));
    url.searchParams.set("per_page", String(paging.perPage));
    return url.toString();
  };
  return {
    total,
    page: paging.page,
    per_page: paging.perPage,
    first: link(1),
    last: link(lastPage),
    next: paging.page < lastPage ? link(paging.page + 1) : null,
    prev: paging.page > 1 ? link(Math.min(paging.page - 1, lastPage)) : null,
  };
}

export type SortDirection = "ascending" | "descending";

/** sort_by from an allowed list; sort_direction (or the draft's sort_dir) as ascending/descending or asc/desc. */
export function sortOf<K extends string>(params: Record<string, string>, allowed: readonly K[], fallback: K, fallbackDirection: SortDirection = "ascending"): { by: K; direction: SortDirection } {
  const by = (params.sort_by || fallback) as K;
  if (!allowed.includes(by)) throw badRequest(`sort_by must be one of ${allowed.join(", ")}.`);
  const raw = params.sort_direction || params.sort_dir || fallbackDirection;
  const direction = ({ asc: "ascending", ascending: "ascending", desc: "descending", descending: "descending" } as Record<string, SortDirection>)[raw.toLowerCase()];
  if (!direction) throw badRequest("sort_direction must be ascending or descending.");
  return { by, direction };
}

export function sortBy<T>(items: T[], key: (item: T) => string | number, direction: SortDirection): T[] {
  const sign = direction === "ascending" ? 1 : -1;
  return [...items].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) * sign;
  });
}

const includesOf = (params: Record<string, string>) => new Set((params.include ?? "").split(",").map((s) => s.trim()).filter(Boolean));

/**
 * The `include=` names a live client is seen sending and reading back (`brnco/natlaqua_migration`
 * `photoshelter.py` and `field_mappings.json`, mapped from real responses). Everything else the mock
 * answers (custom_metadata, custom-metadata, galleries, key-image, link, metadata…) is a guess;
 * strict mode ignores those, as the live API may.
 */
export const CONFIRMED_INCLUDES: ReadonlySet<string> = new Set(["permissions", "parent", "child-count", "access", "path", "gallery", "children", "iptc", "media", "organizations", "options"]);

/** The requested includes the server answers: all of them, or only the confirmed names in strict mode. */
export function answeredIncludes(params: Record<string, string>, strict: boolean): Set<string> {
  const requested = includesOf(params);
  if (!strict) return requested;
  for (const name of requested) if (!CONFIRMED_INCLUDES.has(name)) requested.delete(name);
  return requested;
}

/** PhotoShelter booleans arrive as t/f, true/false or 1/0. */
export function boolParam(params: Record<string, string>, name: string): boolean | undefined {
  const raw = params[name];
  if (raw === undefined || raw === "") return undefined;
  if (["t", "true", "1"].includes(raw.toLowerCase())) return true;
  if (["f", "false", "0"].includes(raw.toLowerCase())) return false;
  throw badRequest(`${name} must be true or false.`);
}
