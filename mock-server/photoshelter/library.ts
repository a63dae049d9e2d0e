/**
 * The organization's library: the fixed collection tree from wellKnown.ts, galleries inside it, and
 * N media generated from a seed. Every asset is computed from (seed, asset number) alone, so the same
 * seed gives the same library; only bytes are produced on request (render.ts), which keeps 100,000
 * media within a few hundred megabytes. Writes (uploads, new containers, grants, metadata) change
 * this in memory until the next reset.
 */
import {
  APPROVAL_STATUSES,
  ApprovalStatus,
  COLLECTION_TREE,
  GALLERIES,
  GALLERY_LIST,
  GalleryPurpose,
  INDUSTRIES,
  Industry,
  PRODUCT_LINES,
  ProductLine,
  REGIONS,
  Region,
  TIERS,
  Tier,
  WellKnownGallery,
} from "./wellKnown";

export type MediaType = "image" | "video" | "audio" | "document";
export type Mode = "private" | "permission" | "everyone";

const ID_PREFIX: Record<MediaType, string> = { image: "I0000", video: "VD000", audio: "AD000", document: "DO000" };
const PREFIX_TYPE = new Map(Object.entries(ID_PREFIX).map(([type, prefix]) => [prefix, type as MediaType]));

/** PhotoShelter-style media id: type prefix + the asset number in 11 digits (16 characters). */
export const mediaId = (type: MediaType, assetNumber: number) => `${ID_PREFIX[type]}${String(assetNumber).padStart(11, "0")}`;

/** The asset number inside a media id, or null when the id is not one of ours. */
export function assetNumberOf(id: string): number | null {
  if (!/^(I0000|VD000|AD000|DO000)\d{11}$/.test(id) || !PREFIX_TYPE.has(id.slice(0, 5))) return null;
  const n = Number(id.slice(5));
  return n > 0 ? n : null;
}

export interface CustomValues {
  approvalStatus: ApprovalStatus | null;
  usageRights: string | null;
  /** YYYY-MM-DD */
  licenseExpirationDate: string | null;
  assetVersion: string | null;
  productLine: ProductLine | null;
  region: Region | null;
  industry: Industry | null;
  tier: Tier | null;
  reviewFlag: string | null;
}

export interface Media {
  /** 1-based, drawn on the image. */
  number: number;
  id: string;
  type: MediaType;
  fileName: string;
  /** MIME type of the original file. */
  format: string;
  width: number | null;
  height: number | null;
  durationSeconds: number | null;
  /** Size of the original in bytes (exact for uploads, documents, audio and video; nominal for generated images). */
  fileSize: number;
  createdAt: number;
  modifiedAt: number;
  caption: string;
  headline: string;
  keywords: string[];
  credit: string;
  copyright: string;
  city: string | null;
  country: string | null;
  modelReleased: boolean;
  propertyReleased: boolean;
  rating: number;
  /** Views recorded before the mock started; usage through the mock is added on top. */
  baseViews: number;
  searchable: boolean;
  custom: CustomValues;
  galleryIds: string[];
  /** Lower-case text the `terms` filter matches against. */
  searchText: string;
  /** Deleted in PhotoShelter's web app: unknown to every route from then on (its number stays taken). */
  deleted?: boolean;
  /** Bytes of an uploaded original; generated media are rendered on request. */
  bytes?: Buffer;
}

export interface Permission {
  id: string;
  type: "contact" | "group" | "token" | "password" | "access_level";
  expires: string | null;
  contactId: string | null;
  email: string | null;
  groupId: string | null;
  token: string | null;
  password: string | null;
  accessLevel: string | null;
  maxDownloads: number | null;
  downloadImageFiletype: "original" | "jpeg";
  downloadImageSize: number | null;
  createdAt: number;
}

export interface Container {
  id: string;
  kind: "collection" | "gallery";
  name: string;
  description: string | null;
  /** A collection has at most one parent; a gallery may sit in several collections. */
  parentIds: string[];
  mode: Mode;
  /** Access inherited from the parent collection rather than the container's own mode. */
  accessInherit: boolean;
  isListed: boolean;
  displayOrder: number;
  accessId: string;
  createdAt: number;
  modifiedAt: number;
  keyImageId: string | null;
  customFields: Record<string, string>;
  permissions: Permission[];
  /** Galleries only: asset numbers in display order. */
  media: number[];
}

const DAY = 86_400_000;
/** Generated assets were created between these instants, so the library looks the same every day. */
const CREATED_FROM = Date.UTC(2019, 0, 1);
const CREATED_TO = Date.UTC(2025, 11, 31);

/** Purposes assets are drawn for; the public press gallery is filled by rule instead (see generate). */
type DrawnKind = Exclude<GalleryPurpose["kind"], "press">;

const KEYWORDS: Record<DrawnKind, string[]> = {
  logos: ["logo", "brand mark", "wordmark", "icon", "vector"],
  product: ["product", "hero shot", "studio", "packshot", "lifestyle", "detail"],
  region: ["customer story", "sales collateral", "city", "office", "team"],
  industry: [],
  campaign: ["campaign", "launch", "social", "banner", "key visual"],
  event: ["booth", "keynote", "headshot", "conference", "networking"],
  partner: ["partner", "co-marketing", "reseller", "datasheet", "playbook"],
  caseEvidence: ["damage", "warranty", "installation", "field validation", "serial plate"],
};
const INDUSTRY_KEYWORDS: Record<Industry, string[]> = {
  Manufacturing: ["factory", "assembly line", "robotics", "field service", "warehouse"],
  Healthcare: ["hospital", "clinic", "laboratory", "patient care", "medical device"],
  Retail: ["store", "shelf", "checkout", "shopper", "e-commerce"],
  Energy: ["wind turbine", "solar panel", "substation", "pipeline", "grid"],
  "Financial Services": ["bank branch", "trading floor", "insurance", "advisor", "mobile banking"],
};
const REGION_PLACES: Record<Region, Array<[string, string]>> = {
  NA: [["Chicago", "United States"], ["Toronto", "Canada"], ["Austin", "United States"]],
  EMEA: [["Berlin", "Germany"], ["Lyon", "France"], ["Dubai", "United Arab Emirates"]],
  APAC: [["Singapore", "Singapore"], ["Sydney", "Australia"], ["Osaka", "Japan"]],
};
const PHOTOGRAPHERS = ["Ana Ruiz", "Kenji Sato", "Maya Patel", "Lars Eriksen", "Chloe Martin", "Omar Haddad"];
const USAGE_RIGHTS = [
  "Worldwide, all media, perpetual",
  "Web and social only",
  "Editorial use only",
  "Internal use only",
  "Partner co-marketing permitted",
  "Print and web, North America only",
];
const PURPOSE_WEIGHTS: Array<[DrawnKind, number]> = [
  ["product", 25],
  ["region", 20],
  ["industry", 25],
  ["logos", 4],
  ["campaign", 10],
  ["event", 8],
  ["partner", 5],
  ["caseEvidence", 3],
];
const TYPE_WEIGHTS: Record<DrawnKind, Array<[MediaType, number]>> = {
  logos: [["image", 1]],
  product: [["image", 85], ["video", 10], ["document", 5]],
  region: [["image", 60], ["document", 30], ["video", 10]],
  industry: [["image", 60], ["video", 15], ["document", 15], ["audio", 10]],
  campaign: [["image", 70], ["video", 20], ["audio", 10]],
  event: [["image", 90], ["video", 10]],
  partner: [["document", 50], ["image", 50]],
  caseEvidence: [["image", 1]],
};
const IMAGE_SIZES: ReadonlyArray<readonly [number, number]> = [[1920, 1280], [1600, 1067], [2400, 1600], [1920, 1080], [1280, 1920], [1067, 1600], [1500, 1500]];
const LOGO_SIZES: ReadonlyArray<readonly [number, number]> = [[800, 800], [1200, 400]];
const VIDEO_SIZES: ReadonlyArray<readonly [number, number]> = [[1920, 1080], [1280, 720]];
const APPROVAL_WEIGHTS = APPROVAL_STATUSES.map((s, i) => [s, [74, 10, 6, 10][i]] as const);
const LOGO_APPROVAL_WEIGHTS = [["approved", 70], ["retired", 30]] as const;
const VERSIONS = [1, 2, 3].flatMap((major) => [0, 1, 2, 3, 4].map((minor) => `${major}.${minor}`));
/** Licence expiry relative to today: none, already expired, within 14 days, within 30 days, far out. */
const EXPIRY_WEIGHTS = [["none", 30], ["expired", 12], ["within14", 8], ["within30", 8], ["far", 42]] as const;
const EXTENSION: Record<MediaType, string> = { image: "png", video: "mp4", audio: "wav", document: "pdf" };
export const FORMAT: Record<MediaType, string> = { image: "image/png", video: "video/mp4", audio: "audio/wav", document: "application/pdf" };

const GALLERIES_BY_KIND = new Map<GalleryPurpose["kind"], WellKnownGallery[]>();
for (const g of GALLERY_LIST) GALLERIES_BY_KIND.set(g.purpose.kind, [...(GALLERIES_BY_KIND.get(g.purpose.kind) ?? []), g]);
const galleriesWhere = (match: (p: GalleryPurpose) => boolean) => GALLERY_LIST.filter((g) => match(g.purpose));
const REGION_GALLERIES = Object.fromEntries(REGIONS.map((r) => [r, galleriesWhere((p) => p.kind === "region" && p.region === r)])) as Record<Region, WellKnownGallery[]>;
const INDUSTRY_GALLERIES = Object.fromEntries(INDUSTRIES.map((i) => [i, galleriesWhere((p) => p.kind === "industry" && p.industry === i)])) as Record<Industry, WellKnownGallery[]>;
const PRODUCT_GALLERY = Object.fromEntries(PRODUCT_LINES.map((l) => [l, galleriesWhere((p) => p.kind === "product" && p.productLine === l)[0]])) as Record<ProductLine, WellKnownGallery>;

export const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const title = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/** mulberry32 as a class: no closures per asset, which keeps generating 100,000 media fast. */
class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  reseed(seed: number): this {
    this.a = seed >>> 0;
    return this;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(max: number): number {
    return Math.floor(this.next() * max);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    let total = 0;
    for (const [, w] of choices) total += w;
    let pick = this.next() * total;
    for (const [value, w] of choices) {
      pick -= w;
      if (pick < 0) return value;
    }
    return choices[choices.length - 1][0];
  }
}

/** Mixes seed and asset number so neighbouring assets get unrelated random streams. */
const streamSeed = (seed: number, n: number) => Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(n, 0xc2b2ae35);

export function searchTextOf(media: Pick<Media, "fileName" | "caption" | "keywords" | "credit" | "copyright" | "custom" | "city" | "country">): string {
  const c = media.custom;
  let text = `${media.fileName} ${media.caption} ${media.keywords.join(" ")} ${media.credit} ${media.copyright}`;
  for (const extra of [media.city, media.country, c.productLine, c.region, c.industry, c.tier, c.usageRights]) if (extra) text += ` ${extra}`;
  return text.toLowerCase();
}

/** Nominal sizes of generated files: audio and video are exact (render.ts writes fixed layouts). */
function generatedFileSize(type: MediaType, size: readonly [number, number] | null, seconds: number | null): number {
  if (type === "audio") return 44 + Math.round(8000 * (seconds ?? 0)) * 2;
  if (type === "image") return Math.round((size ? size[0] * size[1] : 0) * 0.012) + 2048;
  if (type === "video") return 200;
  return 1500;
}

const YEAR_OF = (ms: number) => new Date(ms).getUTCFullYear();
const slugs = new Map<string, string>();
const slugOf = (s: string) => slugs.get(s) ?? (slugs.set(s, slug(s)), slugs.get(s)!);

/**
 * A generated asset. Text that only some requests read (file name, caption, search text) is derived
 * on demand from a few stored picks, so 100,000 of them build quickly and stay small.
 */
class GeneratedMedia implements Media {
  readonly format: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly fileSize: number;
  readonly searchable = true;
  readonly city: string | null;
  readonly country: string | null;
  private cachedSearchText: string | undefined;

  constructor(
    readonly number: number,
    readonly type: MediaType,
    /** What the file name and caption were made from; they do not change when metadata is edited. */
    private readonly origin: { subject: string; productLine: ProductLine | null; industry: Industry | null },
    size: readonly [number, number] | null,
    readonly durationSeconds: number | null,
    readonly createdAt: number,
    public modifiedAt: number,
    readonly keywords: string[],
    readonly credit: string,
    place: readonly [string, string] | null,
    readonly modelReleased: boolean,
    readonly propertyReleased: boolean,
    readonly rating: number,
    readonly baseViews: number,
    readonly custom: CustomValues,
    public galleryIds: string[],
  ) {
    this.format = FORMAT[type];
    this.width = size ? size[0] : null;
    this.height = size ? size[1] : null;
    this.fileSize = generatedFileSize(type, size, durationSeconds);
    this.city = place ? place[0] : null;
    this.country = place ? place[1] : null;
  }

  get id(): string {
    return mediaId(this.type, this.number);
  }

  get fileName(): string {
    return `${slugOf(this.origin.subject)}-${(this.origin.productLine ?? "contoso").toLowerCase()}-${String(this.number).padStart(6, "0")}.${EXTENSION[this.type]}`;
  }

  get headline(): string {
    return title(this.origin.subject);
  }

  get caption(): string {
    const { subject, productLine, industry } = this.origin;
    const where = industry && this.city ? `${industry}, ${this.city}` : (industry ?? this.city);
    return `${title(subject)} — ${productLine ?? "Contoso"}${where ? ` (${where})` : ""}`;
  }

  get copyright(): string {
    return `© ${YEAR_OF(this.createdAt)} Contoso Ltd.`;
  }

  get searchText(): string {
    return (this.cachedSearchText ??= searchTextOf(this));
  }

  set searchText(value: string) {
    this.cachedSearchText = value;
  }

  toJSON() {
    const { origin: _origin, cachedSearchText: _cached, ...fields } = this;
    return { ...fields, id: this.id, fileName: this.fileName, caption: this.caption, headline: this.headline, copyright: this.copyright };
  }
}

export class Library {
  readonly containers = new Map<string, Container>();
  readonly media: Media[] = [];
  private nextContainer = 1000;
  private nextPermission = 1;

  constructor(
    readonly seed: number,
    mediaCount: number,
    /** Expiry dates are relative to this day, so "expires in 10 days" stays true whenever tests run. */
    readonly today: Date = new Date(),
  ) {
    COLLECTION_TREE.forEach((c, i) => this.containers.set(c.id, this.container("collection", c.id, c.name, c.description, c.parentId ? [c.parentId] : [], c.mode, i)));
    // Galleries inherit their collection's access, except the press gallery: public (`everyone`), so
    // its media are readable with the api key alone, as the spec's paths/mediaId.yaml allows.
    GALLERY_LIST.forEach((g, i) => {
      const press = g.purpose.kind === "press";
      this.containers.set(g.id, this.container("gallery", g.id, g.name, null, [g.parentId], press ? "everyone" : "permission", i, !press));
    });
    for (let n = 1; n <= mediaCount; n++) this.place(this.generate(n));
  }

  private days = new Map<number, string>();
  private rng = new Rng(0);
  /** YYYY-MM-DD, `offset` days from today (cached: only a few hundred distinct offsets occur). */
  private dayFromToday(offset: number): string {
    let day = this.days.get(offset);
    if (day === undefined) {
      day = isoDate(Date.UTC(this.today.getUTCFullYear(), this.today.getUTCMonth(), this.today.getUTCDate()) + offset * DAY);
      this.days.set(offset, day);
    }
    return day;
  }

  private container(kind: Container["kind"], id: string, name: string, description: string | null, parentIds: string[], mode: Mode, order: number, inherit = false): Container {
    const createdAt = Date.UTC(2019, 0, 15) + order * DAY;
    return {
      id,
      kind,
      name,
      description,
      parentIds,
      mode,
      accessInherit: inherit,
      isListed: true,
      displayOrder: order + 1,
      accessId: `A0000${id.slice(5)}`,
      createdAt,
      modifiedAt: createdAt,
      keyImageId: null,
      customFields: {},
      permissions: [],
      media: [],
    };
  }

  private generate(n: number): Media {
    const r = this.rng.reseed(streamSeed(this.seed, n));
    const kind = r.weighted(PURPOSE_WEIGHTS);
    const type = r.weighted(TYPE_WEIGHTS[kind]);
    const candidates = GALLERIES_BY_KIND.get(kind) ?? [];
    // Industry galleries split imagery from documents and video.
    const home = kind === "industry" ? candidates[r.int(INDUSTRIES.length) * 2 + (type === "image" ? 0 : 1)] : r.pick(candidates);
    const purpose = home.purpose;
    const productLine = purpose.kind === "product" ? purpose.productLine : r.chance(kind === "logos" ? 0.5 : 0.6) ? r.pick(PRODUCT_LINES) : null;
    const region = purpose.kind === "region" ? purpose.region : r.chance(0.5) ? r.pick(REGIONS) : null;
    const industry = purpose.kind === "industry" ? purpose.industry : r.chance(0.4) ? r.pick(INDUSTRIES) : null;
    const tier = r.chance(0.5) ? r.pick(TIERS) : null;
    const approvalStatus = r.weighted(kind === "logos" ? LOGO_APPROVAL_WEIGHTS : APPROVAL_WEIGHTS);
    const expiry = r.weighted(EXPIRY_WEIGHTS);
    const offsetDays = expiry === "expired" ? -1 - r.int(400) : expiry === "within14" ? r.int(15) : expiry === "within30" ? 15 + r.int(16) : 31 + r.int(870);
    const licenseExpirationDate = expiry === "none" ? null : this.dayFromToday(offsetDays);

    const pool = purpose.kind === "industry" ? INDUSTRY_KEYWORDS[purpose.industry] : KEYWORDS[kind];
    const subject = r.pick(pool);
    const keywords = [subject];
    for (const k of [r.pick(pool), r.pick(pool), industry ? r.pick(INDUSTRY_KEYWORDS[industry]) : null, type === "image" ? "photo" : type]) {
      if (k && !keywords.includes(k)) keywords.push(k);
    }
    const place = region ? r.pick(REGION_PLACES[region]) : null;
    const size = type === "image" ? r.pick(kind === "logos" ? LOGO_SIZES : IMAGE_SIZES) : type === "video" ? r.pick(VIDEO_SIZES) : null;
    const durationSeconds = type === "video" ? 5 + r.int(56) : type === "audio" ? 2 + r.int(5) : null;
    const createdAt = CREATED_FROM + Math.floor(r.next() * (CREATED_TO - CREATED_FROM));
    const custom: CustomValues = {
      approvalStatus,
      usageRights: r.chance(0.85) ? r.pick(USAGE_RIGHTS) : null,
      licenseExpirationDate,
      assetVersion: VERSIONS[r.int(3) * 5 + r.int(5)],
      productLine,
      region,
      industry,
      tier,
      reviewFlag: null,
    };

    // Extra galleries always agree with the asset's metadata, so segment rules on them make sense.
    const galleryIds = [home.id];
    if (region && kind !== "region" && r.chance(0.35)) galleryIds.push(r.pick(REGION_GALLERIES[region]).id);
    if (industry && kind !== "industry" && r.chance(0.35)) galleryIds.push(r.pick(INDUSTRY_GALLERIES[industry]).id);
    if (productLine && type === "image" && (kind === "campaign" || kind === "event" || kind === "partner") && r.chance(0.2)) galleryIds.push(PRODUCT_GALLERY[productLine].id);
    // Approved, unexpired logos are also in the public press kit (a rule, so no draw moves other assets).
    if (kind === "logos" && approvalStatus === "approved" && expiry !== "expired") galleryIds.push(GALLERIES.pressLogos);

    return new GeneratedMedia(n, type, { subject, productLine, industry }, size, durationSeconds, createdAt, createdAt + r.int(30) * DAY, keywords, r.pick(PHOTOGRAPHERS), place, r.chance(0.6), r.chance(0.4), r.int(6), r.int(2000), custom, galleryIds);
  }

  private place(media: Media): void {
    this.media.push(media);
    for (const id of media.galleryIds) this.containers.get(id)?.media.push(media.number);
  }

  private orders = new Map<"createdAt" | "fileName", Media[]>();

  /** Media in ascending order of a key that never changes (ties by asset number), cached until media are added. */
  sortedBy(key: "createdAt" | "fileName"): Media[] {
    const cached = this.orders.get(key);
    if (cached && cached.length === this.media.length) return cached;
    const keyed = this.media.map((m) => ({ m, k: key === "createdAt" ? m.createdAt : m.fileName.toLowerCase() }));
    keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.m.number - b.m.number));
    const order = keyed.map((entry) => entry.m);
    this.orders.set(key, order);
    return order;
  }

  mediaById(id: string): Media | undefined {
    const n = assetNumberOf(id);
    const media = n === null ? undefined : this.media[n - 1];
    return media && media.id === id && !media.deleted ? media : undefined;
  }

  /**
   * Deletes an asset as a person does in PhotoShelter's web app (the API has no delete): it leaves
   * every gallery and answers 404 from then on. False when there is no such asset.
   */
  deleteMedia(id: string): boolean {
    const media = this.mediaById(id);
    if (!media) return false;
    media.deleted = true;
    const now = Date.now();
    for (const galleryId of media.galleryIds) {
      const gallery = this.containers.get(galleryId);
      if (!gallery) continue;
      gallery.media = gallery.media.filter((n) => n !== media.number);
      gallery.modifiedAt = now;
    }
    media.galleryIds = [];
    return true;
  }

  get(id: string): Container | undefined {
    return this.containers.get(id);
  }

  children(collectionId: string): Container[] {
    return [...this.containers.values()].filter((c) => c.parentIds.includes(collectionId)).sort((a, b) => a.displayOrder - b.displayOrder);
  }

  roots(): Container[] {
    return [...this.containers.values()].filter((c) => c.parentIds.length === 0).sort((a, b) => a.displayOrder - b.displayOrder);
  }

  /** Every gallery at or below a collection (or the gallery itself). */
  galleriesUnder(id: string): Container[] {
    const start = this.containers.get(id);
    if (!start) return [];
    if (start.kind === "gallery") return [start];
    return this.children(id).flatMap((child) => this.galleriesUnder(child.id));
  }

  /** Ancestors from the root down to the direct parent (first parent for galleries). */
  path(id: string): Container[] {
    const out: Container[] = [];
    let parentId = this.containers.get(id)?.parentIds[0];
    while (parentId) {
      const parent = this.containers.get(parentId);
      if (!parent || out.includes(parent)) break;
      out.unshift(parent);
      parentId = parent.parentIds[0];
    }
    return out;
  }

  /** The explicit key image, else the first image in the gallery (or in the collection's first gallery with one). */
  keyImage(container: Container): Media | undefined {
    const explicit = container.keyImageId ? this.mediaById(container.keyImageId) : undefined;
    if (explicit) return explicit;
    for (const gallery of this.galleriesUnder(container.id)) {
      for (const n of gallery.media) if (this.media[n - 1].type === "image") return this.media[n - 1];
    }
    return undefined;
  }

  createContainer(kind: Container["kind"], fields: { name: string; description?: string | null; parentId?: string | null; mode?: Mode; isListed?: boolean }): Container {
    const prefix = kind === "collection" ? "C" : "G";
    const now = Date.now();
    const container = this.container(kind, `${prefix}${String(++this.nextContainer).padStart(15, "0")}`, fields.name, fields.description ?? null, fields.parentId ? [fields.parentId] : [], fields.mode ?? "private", this.containers.size, false);
    container.createdAt = now;
    container.modifiedAt = now;
    container.isListed = fields.isListed ?? true;
    this.containers.set(container.id, container);
    return container;
  }

  addPermission(container: Container, fields: Omit<Permission, "id" | "createdAt">): Permission {
    const permission: Permission = { ...fields, id: `AR000${String(this.nextPermission++).padStart(11, "0")}`, createdAt: Date.now() };
    container.permissions.push(permission);
    container.modifiedAt = Date.now();
    return permission;
  }

  /** Stores an uploaded original and files it into a gallery; returns the new asset. */
  addUpload(gallery: Container, upload: { fileName: string; contentType: string; bytes: Buffer; caption?: string; searchable?: boolean }): Media {
    const type: MediaType = upload.contentType.startsWith("image/") ? "image" : upload.contentType.startsWith("video/") ? "video" : upload.contentType.startsWith("audio/") ? "audio" : "document";
    const n = this.media.length + 1;
    const size = type === "image" ? imageSize(upload.bytes) : null;
    const now = Date.now();
    const media: Media = {
      number: n,
      id: mediaId(type, n),
      type,
      fileName: upload.fileName,
      format: upload.contentType,
      width: size?.width ?? null,
      height: size?.height ?? null,
      durationSeconds: null,
      fileSize: upload.bytes.length,
      createdAt: now,
      modifiedAt: now,
      caption: upload.caption ?? "",
      headline: "",
      keywords: [],
      credit: "",
      copyright: "",
      city: null,
      country: null,
      modelReleased: false,
      propertyReleased: false,
      rating: 0,
      baseViews: 0,
      searchable: upload.searchable ?? true,
      custom: { approvalStatus: "pending", usageRights: null, licenseExpirationDate: null, assetVersion: "1.0", productLine: null, region: null, industry: null, tier: null, reviewFlag: null },
      galleryIds: [gallery.id],
      searchText: "",
      bytes: upload.bytes,
    };
    media.searchText = searchTextOf(media);
    this.place(media);
    gallery.modifiedAt = now;
    return media;
  }
}

/** Width and height from a PNG or JPEG header; null for anything else. */
export function imageSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length > 24 && bytes.readUInt32BE(0) === 0x89504e47) return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let at = 2;
    while (at + 9 < bytes.length && bytes[at] === 0xff) {
      const marker = bytes[at + 1];
      const length = bytes.readUInt16BE(at + 2);
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
      at += 2 + length;
    }
  }
  return null;
}
