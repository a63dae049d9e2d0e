/**
 * PhotoShelter resources → the contract's Asset and Container. PhotoShelter keeps the basics on the
 * media item, caption/credit/copyright/keywords/usage rights in IPTC, and approval, expiry, version
 * and segment fields in the organization's custom metadata (matched by field name, so a real
 * account's fields work when named the same).
 */
import type { Asset, Container, MediaSize } from "../../../contract/proxyApi";
import { ApprovalStatus, rightsStatus } from "../../../contract/rights";
import type { PsResource } from "./client";

/** The organization's custom metadata fields the product reads, by their names in PhotoShelter. */
export const CUSTOM_FIELD_NAMES = {
  approvalStatus: "Approval Status",
  usageRights: "Usage Rights",
  expiresOn: "License Expiration Date",
  version: "Asset Version",
  productLine: "Product Line",
  region: "Region",
  industry: "Industry",
  tier: "Tier",
} as const;

type Attributes = Record<string, unknown>;
const MEDIA_TYPES = new Set(["image", "video", "audio", "document"]);
const APPROVALS = new Set(["approved", "pending", "rejected", "retired"]);
const PREFIX_TYPE: Record<string, Asset["mediaType"]> = { I0: "image", VD: "video", AD: "audio", DO: "document" };

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value : typeof value === "number" ? String(value) : null);
const int = (value: unknown): number | null => {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
};
const bool = (value: unknown): boolean => value === true || value === "t" || value === "true" || value === 1 || value === "1";

/** PhotoShelter dates ("2019-10-02 14:39:23 GMT", ISO, or Unix seconds) as ISO 8601. */
export function isoOf(value: unknown): string | null {
  if (typeof value === "number") return new Date(value * 1000).toISOString();
  if (typeof value !== "string" || value === "") return null;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value.replace(/ GMT$/, "Z").replace(" ", "T"));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The attributes inside `{data: {attributes}}` (or the first of `{data: [...]}`): an included resource or a sub-resource answer. */
export function attributesOf(part: unknown): Attributes | null {
  const data = (part as { data?: unknown } | null | undefined)?.data;
  const first = Array.isArray(data) ? data[0] : data;
  return first && typeof first === "object" ? (((first as { attributes?: Attributes }).attributes ?? null) as Attributes | null) : null;
}

/** The attributes of an included resource (`includes.<name>.data.attributes`), if present. */
export function included(resource: PsResource, name: string): Attributes | null {
  return attributesOf(resource.includes?.[name]);
}

/** Custom metadata as name → value; accepts PhotoShelter's list form and a plain object. */
export function customValues(attributes: Attributes | null): Map<string, string> {
  const values = new Map<string, string>();
  const list = attributes?.custom_metadata ?? attributes?.["custom-metadata"] ?? attributes?.fields;
  if (Array.isArray(list)) {
    for (const item of list as Attributes[]) {
      const name = text(item?.name ?? item?.field_name ?? item?.label);
      const value = text(item?.value ?? (item?.values as unknown[] | undefined)?.[0]);
      if (name && value) values.set(name.toLowerCase(), value);
    }
  } else if (list && typeof list === "object") {
    for (const [name, value] of Object.entries(list as Attributes)) if (text(value)) values.set(name.toLowerCase(), text(value)!);
  }
  return values;
}

function keywordsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(text).filter((k): k is string => k !== null);
  return (text(value) ?? "").split(/[,;]/).map((k) => k.trim()).filter(Boolean);
}

function orientationOf(width: number | null, height: number | null): Asset["orientation"] {
  if (width === null || height === null) return null;
  return width > height ? "landscape" : width < height ? "portrait" : "square";
}

export interface ContainerLinks {
  /** Absolute signed proxy URL of a rendition (the key image). */
  media(id: string, size: MediaSize): string;
}

/** The parts of one asset as PhotoShelter returns them. */
export interface AssetParts {
  media: PsResource;
  iptc: Attributes | null;
  custom: Attributes | null;
}

/** An asset without its per-user links. */
export type AssetFields = Omit<Asset, "thumbnailUrl" | "previewUrl" | "photoShelterUrl">;

/** Image, video, audio or document: the media's type, else what its id's prefix says. */
export function mediaTypeOf(media: PsResource): Asset["mediaType"] {
  const typeName = text(media.attributes?.type) ?? media.type;
  return MEDIA_TYPES.has(typeName) ? (typeName as Asset["mediaType"]) : (PREFIX_TYPE[media.id.slice(0, 2)] ?? "document");
}

/**
 * The contract's fields of an asset. A pure function of the media's id, type and attributes, its IPTC
 * and custom metadata and the UTC day of `today` (nothing else of the media is read): answers reuse
 * the result while these are unchanged (http/assetAnswers.ts).
 */
export function assetFields({ media, iptc, custom }: AssetParts, today: Date): AssetFields {
  const a = media.attributes ?? {};
  const fields = customValues(custom);
  const field = (key: keyof typeof CUSTOM_FIELD_NAMES) => fields.get(CUSTOM_FIELD_NAMES[key].toLowerCase()) ?? null;
  const mediaType = mediaTypeOf(media);
  const width = int(a.width);
  const height = int(a.height);
  const approval = field("approvalStatus")?.toLowerCase() ?? null;
  const approvalStatus = approval && APPROVALS.has(approval) ? (approval as ApprovalStatus) : null;
  const expiry = field("expiresOn");
  const expiresOn = expiry && /^\d{4}-\d{2}-\d{2}/.test(expiry) ? expiry.slice(0, 10) : null;
  const usageRights = field("usageRights") ?? text(iptc?.rights);
  return {
    id: media.id,
    mediaType,
    fileName: text(a.file_name) ?? media.id,
    width,
    height,
    orientation: orientationOf(width, height),
    caption: text(iptc?.caption),
    credit: text(iptc?.credit),
    copyright: text(iptc?.copyright),
    keywords: keywordsOf(iptc?.keywords),
    usageRights,
    releases: { model: bool(a.model_released), property: bool(a.property_released) },
    approvalStatus,
    expiresOn,
    version: field("version"),
    productLine: field("productLine"),
    region: field("region"),
    industry: field("industry"),
    tier: field("tier"),
    rights: rightsStatus({ approvalStatus, expiresOn, usageRights }, today),
    createdOn: isoOf(a.created_at ?? a.uploaded_at) ?? new Date(0).toISOString(),
  };
}

export interface ContainerCounts {
  childCount: number;
  mediaCount: number;
  keyImageId: string | null;
}

export function toContainer(resource: PsResource, parentId: string | null, counts: ContainerCounts, links: ContainerLinks): Container {
  const a = resource.attributes ?? {};
  const kind = resource.id.startsWith("G") ? "gallery" : "collection";
  return {
    id: resource.id,
    kind,
    name: text(a.name) ?? resource.id,
    description: text(a.description),
    parentId,
    childCount: counts.childCount,
    mediaCount: counts.mediaCount,
    keyImageUrl: counts.keyImageId ? links.media(counts.keyImageId, "key") : null,
  };
}
