/**
 * Changes to the library, validated once and shared by the documented v3 calls and the inferred v4
 * ones: create a collection or gallery, change visibility, set custom metadata, upload a file.
 */
import { FastifyRequest } from "fastify";
import { badRequest, boolParam, notAuthorized, notFound, PsError } from "./envelope";
import { Container, CustomValues, Media, Mode, searchTextOf } from "./library";
import { PhotoShelterState } from "./state";
import { APPROVAL_STATUSES, CUSTOM_FIELDS, CustomFieldKey, INDUSTRIES, ORGANIZATION, PRODUCT_LINES, REGIONS, TIERS } from "./wellKnown";

const MODES: readonly Mode[] = ["private", "permission", "everyone"];
/** Largest upload the mock accepts; PhotoShelter's own limit is not published. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** Writes act for the organization: the token must be switched into it. */
export function requireOwner(state: PhotoShelterState, request: FastifyRequest) {
  const session = state.auth.member(request);
  if (session.orgId !== ORGANIZATION.id) throw notAuthorized("Organization", "Authenticate to the organization (POST /organization/authenticate) before changing its library.");
  return session;
}

export function modeOf(raw: string | undefined, fallback: Mode): Mode {
  if (raw === undefined || raw === "") return fallback;
  if (!MODES.includes(raw as Mode)) throw badRequest("mode must be private, permission or everyone.");
  return raw as Mode;
}

export function containerOf(state: PhotoShelterState, id: string | undefined, kind: Container["kind"]): Container {
  const container = id ? state.library.get(id) : undefined;
  if (!container || container.kind !== kind) throw notFound(kind);
  return container;
}

/** name (1–100 chars), description, parent collection, mode, f_list / is_listed. */
export function createContainer(state: PhotoShelterState, kind: Container["kind"], p: Record<string, string>): Container {
  const name = (p.name ?? "").trim();
  if (!name || name.length > 100) throw badRequest("name is required and must be at most 100 characters.");
  const parent = p.parent || p.parent_id;
  if (parent) containerOf(state, parent, "collection");
  if (p.description && p.description.length > 5000) throw badRequest("description must be at most 5000 characters.");
  return state.library.createContainer(kind, { name, description: p.description ?? null, parentId: parent || null, mode: modeOf(p.mode, "private"), isListed: boolParam(p, "f_list") ?? boolParam(p, "is_listed") ?? true });
}

export function updateContainer(container: Container, p: Record<string, unknown>): void {
  if (p.name !== undefined) {
    if (typeof p.name !== "string" || !p.name.trim() || p.name.length > 100) throw badRequest("name must be 1 to 100 characters.");
    container.name = p.name.trim();
  }
  if (p.description !== undefined) {
    if (p.description !== null && (typeof p.description !== "string" || p.description.length > 5000)) throw badRequest("description must be a string of at most 5000 characters, or null.");
    container.description = p.description as string | null;
  }
  if (p.mode !== undefined) container.mode = modeOf(String(p.mode), container.mode);
  if (p.is_listed !== undefined) container.isListed = boolParam({ is_listed: String(p.is_listed) }, "is_listed") ?? container.isListed;
  if (p.custom_metadata !== undefined) {
    if (!p.custom_metadata || typeof p.custom_metadata !== "object" || Array.isArray(p.custom_metadata)) throw badRequest("custom_metadata must be an object of field name to text.");
    for (const [key, value] of Object.entries(p.custom_metadata)) {
      if (value === null) delete container.customFields[key];
      else if (typeof value === "string" && value.length <= 2000) container.customFields[key] = value;
      else throw badRequest(`custom_metadata.${key} must be text of at most 2000 characters, or null.`);
    }
  }
  container.modifiedAt = Date.now();
}

const ALLOWED: Partial<Record<CustomFieldKey, readonly string[]>> = {
  approvalStatus: APPROVAL_STATUSES,
  productLine: PRODUCT_LINES,
  region: REGIONS,
  industry: INDUSTRIES,
  tier: TIERS,
};

/** Custom metadata field by id or name (e.g. "CMF0000Approval1" or "Approval Status"); 400 for others. */
export function customFieldKey(key: string): CustomFieldKey {
  const found = (Object.keys(CUSTOM_FIELDS) as CustomFieldKey[]).find((k) => k === key || CUSTOM_FIELDS[k].id === key || CUSTOM_FIELDS[k].name.toLowerCase() === key.toLowerCase());
  if (!found) throw badRequest(`Unknown custom metadata field "${key}".`);
  return found;
}

/**
 * Accepts `{custom_metadata: [{id|name, value}]}` or `{custom_metadata: {field: value}}`; validates
 * every value before changing anything, so a bad request changes nothing.
 */
export function setCustomMetadata(media: Media, body: unknown): void {
  const raw = body && typeof body === "object" ? (body as Record<string, unknown>).custom_metadata : undefined;
  const entries: Array<[string, unknown]> = Array.isArray(raw)
    ? raw.map((item) => {
        if (!item || typeof item !== "object") throw badRequest("custom_metadata items must be objects with id (or name) and value.");
        const { id, name, value } = item as Record<string, unknown>;
        return [String(id ?? name ?? ""), value];
      })
    : raw && typeof raw === "object"
      ? Object.entries(raw)
      : [];
  if (!entries.length) throw badRequest("custom_metadata must list at least one field.");
  const changes: Partial<CustomValues> = {};
  for (const [key, value] of entries) {
    const field = customFieldKey(key);
    if (value !== null && typeof value !== "string") throw badRequest(`${CUSTOM_FIELDS[field].name} must be text or null.`);
    const allowed = ALLOWED[field];
    const text = value === null ? null : value.trim();
    if (text !== null && allowed && !allowed.includes(text)) throw badRequest(`${CUSTOM_FIELDS[field].name} must be one of ${allowed.join(", ")}.`);
    if (text !== null && field === "licenseExpirationDate" && (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text)))) throw badRequest("License Expiration Date must be YYYY-MM-DD.");
    if (text !== null && text.length > 2000) throw badRequest(`${CUSTOM_FIELDS[field].name} must be at most 2000 characters.`);
    (changes as Record<string, string | null>)[field] = text === "" ? null : text;
  }
  Object.assign(media.custom, changes);
  media.searchText = searchTextOf(media);
  media.modifiedAt = Date.now();
}

export interface UploadedFile {
  fileName: string;
  contentType: string;
  bytes: Buffer;
}

/** Reads a multipart upload: every `file` part and the text fields. */
export async function readMultipart(request: FastifyRequest): Promise<{ fields: Record<string, string>; files: UploadedFile[] }> {
  if (!request.isMultipart()) throw new PsError(415, "UnsupportedMediaTypeException", "Unsupported media type", "Send the file as multipart/form-data.");
  const fields: Record<string, string> = {};
  const files: UploadedFile[] = [];
  for await (const part of request.parts({ limits: { fileSize: MAX_UPLOAD_BYTES } })) {
    if (part.type === "file") {
      const bytes = await part.toBuffer();
      if (part.file.truncated) throw new PsError(413, "PayloadTooLargeException", "Payload too large", `Files may be at most ${MAX_UPLOAD_BYTES} bytes.`);
      if (bytes.length === 0) throw badRequest(`The file "${part.filename}" is empty.`);
      files.push({ fileName: part.filename || "upload", contentType: part.mimetype || "application/octet-stream", bytes });
    } else fields[part.fieldname] = String(part.value);
  }
  return { fields, files };
}
