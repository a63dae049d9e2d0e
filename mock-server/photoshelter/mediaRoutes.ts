/**
 * v4 media: search (/media and /search with the same filters), one item with /iptc, /metadata,
 * /custom-metadata (and custom_metadata), /galleries, /link, and /download with real bytes.
 */
import { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { badRequest, boolParam, pageOf, pagingMeta, pagingOf, parseDate, sortOf } from "./envelope";
import { FileBytes } from "./files";
import { Container, CustomValues, Media, MediaType } from "./library";
import {
  V4,
  canView,
  containerResource,
  customMetadataResource,
  iptcResource,
  isOwner,
  mediaLinkResource,
  mediaOr404,
  mediaResource,
  metadataResource,
  v4Of,
} from "./resources";
import { PhotoShelterState } from "./state";
import { ORGANIZATION } from "./wellKnown";
import { customFieldKey } from "./writes";

const MEDIA_SORTS = ["relevance", "date", "file_name", "upload_time", "creation_time", "modification_time"] as const;
const MEDIA_TYPE_PARAM: Record<string, MediaType> = { image: "image", video: "video", audio: "audio", doc: "document", document: "document" };
/** The draft requires one of these on /media ("at least one of"). */
const MEDIA_REQUIRED_ONE_OF = ["terms", "custom_metadata", "date_start", "date_end", "user_id", "org_id", "photographer_id", "virtual_agency_id", "orientation", "state", "country", "country_iso"];

const list = (raw: string | undefined) => (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean);

function orientationOf(media: Media): string | null {
  if (media.width === null || media.height === null) return null;
  if (media.width === media.height) return "square";
  if (media.width >= media.height * 2) return "panoramic";
  return media.width > media.height ? "horizontal" : "vertical";
}

type Filter = (media: Media) => boolean;

/** Turns the search parameters into predicates; bad values answer 400 before any work is done. */
function filtersOf(v4: V4): { filters: Filter[]; terms: string[] } {
  const p = v4.params;
  const filters: Filter[] = [];
  const terms = list(p.terms?.replace(/\s+/g, ",")).map((t) => t.toLowerCase());
  const all = boolParam(p, "match_all_terms") ?? true;
  if (p.media_type) {
    const types = list(p.media_type).map((t) => MEDIA_TYPE_PARAM[t] ?? (() => { throw badRequest(`media_type must be image, video, audio or doc, got "${t}".`); })());
    filters.push((m) => types.includes(m.type));
  }
  if (p.media_id) {
    const ids = new Set(list(p.media_id));
    filters.push((m) => ids.has(m.id));
  }
  const containerIds = [...list(p.collections), ...list(p.galleries)];
  if (containerIds.length) {
    // Marked from the galleries' own lists (kept in step with each asset's galleryIds): a flag per asset
    // number, not a set look-up per asset and gallery — a library of 100,000 is searched in milliseconds.
    const library = v4.state.library;
    const inScope = new Uint8Array(library.media.length + 1);
    for (const id of containerIds) for (const gallery of library.galleriesUnder(id)) for (const n of gallery.media) inScope[n] = 1;
    filters.push((m) => inScope[m.number] === 1);
  }
  if (p.custom_metadata) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(p.custom_metadata);
    } catch {
      throw badRequest("custom_metadata must be a JSON object of field id to value.");
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw badRequest("custom_metadata must be a JSON object of field id to value.");
    for (const [key, wanted] of Object.entries(parsed)) {
      const field = customFieldKey(key);
      const values = (Array.isArray(wanted) ? wanted : [wanted]).map((v) => (v === null ? null : String(v).toLowerCase()));
      filters.push((m) => values.includes((m.custom[field as keyof CustomValues] ?? null)?.toLowerCase() ?? null));
    }
  }
  const text = (name: string, value: (m: Media) => string | null) => {
    if (p[name]) filters.push((m) => (value(m) ?? "").toLowerCase().includes(p[name].toLowerCase()));
  };
  text("file_name", (m) => m.fileName);
  text("keywords", (m) => m.keywords.join(","));
  text("caption", (m) => m.caption);
  text("credit", (m) => m.credit);
  text("copyright", (m) => m.copyright);
  text("rights", (m) => m.custom.usageRights);
  text("city", (m) => m.city);
  text("country", (m) => m.country);
  const model = boolParam(p, "model_release");
  if (model !== undefined) filters.push((m) => m.modelReleased === model);
  const property = boolParam(p, "property_release");
  if (property !== undefined) filters.push((m) => m.propertyReleased === property);
  if (p.orientation) {
    const wanted = list(p.orientation);
    for (const o of wanted) if (!["horizontal", "vertical", "panoramic", "square"].includes(o)) throw badRequest("orientation must be horizontal, vertical, panoramic or square.");
    filters.push((m) => wanted.includes(orientationOf(m) ?? ""));
  }
  const range = (start: string, end: string, value: (m: Media) => number) => {
    const from = p[start] ? parseDate(p[start], start) : -Infinity;
    const to = p[end] ? parseDate(p[end], end) : Infinity;
    if (p[start] || p[end]) filters.push((m) => value(m) >= from && value(m) <= to);
  };
  range("date_start", "date_end", (m) => m.createdAt);
  range("create_start", "create_end", (m) => m.createdAt);
  range("modify_start", "modify_end", (m) => m.modifiedAt);
  // Last: the text scan is the dearest test, so it runs only on what the others let through.
  if (terms.length) filters.push((m) => (all ? terms.every((t) => m.searchText.includes(t)) : terms.some((t) => m.searchText.includes(t))));
  return { filters, terms };
}

/** Lower-case captions: a caption never changes once an asset exists, and relevance reads it for every hit. */
const lowerCaptions = new WeakMap<Media, string>();
function lowerCaption(m: Media): string {
  let caption = lowerCaptions.get(m);
  if (caption === undefined) lowerCaptions.set(m, (caption = m.caption.toLowerCase()));
  return caption;
}

/** How well a media item matches the terms: caption and keyword hits count more than other text. */
function relevance(m: Media, terms: string[]): number {
  let score = 0;
  for (const t of terms) {
    if (lowerCaption(m).includes(t)) score += 3;
    if (m.keywords.some((k) => k.includes(t))) score += 2;
    if (m.searchText.includes(t)) score += 1;
  }
  return score;
}

function search(v4: V4, requireOneOf: boolean) {
  const p = v4.params;
  if (requireOneOf && !MEDIA_REQUIRED_ONE_OF.some((k) => p[k])) throw badRequest(`At least one of ${MEDIA_REQUIRED_ONE_OF.join(", ")} is required.`);
  // Org content is searchable when the token is switched into the org, or the caller names it (org_id=…).
  const owner = isOwner(v4) || (p.org_id === ORGANIZATION.id && v4.state.auth.organizations().some((o) => o.id === p.org_id) && p.mode !== "invited");
  const { filters, terms } = filtersOf(v4);
  const library = v4.state.library;
  const visible = owner ? null : new Set([...library.containers.values()].filter((c) => c.kind === "gallery" && canView(v4, c)).map((c) => c.id));
  const sort = sortOf(p, MEDIA_SORTS, terms.length ? "relevance" : "creation_time", "descending");
  const matches = (m: Media) => !m.deleted && (visible === null || m.galleryIds.some((g) => visible.has(g))) && filters.every((f) => f(m));
  const immutableKey = sort.by === "file_name" ? "fileName" : sort.by === "modification_time" || sort.by === "relevance" ? null : "createdAt";
  let sorted: Media[];
  if (immutableKey) {
    // Creation time and file name never change: filter the library's cached order instead of sorting.
    const order = library.sortedBy(immutableKey);
    sorted = (sort.direction === "ascending" ? order : [...order].reverse()).filter(matches);
  } else if (sort.by === "relevance") {
    // Scores are small whole numbers: hits bucketed by score in asset-number order come out as a sort
    // by score with ties by number would put them, without sorting.
    const buckets: Media[][] = [];
    for (const m of library.media) if (matches(m)) (buckets[relevance(m, terms)] ??= []).push(m);
    sorted = [];
    const scores = Array.from(buckets.keys());
    for (const score of sort.direction === "ascending" ? scores : scores.reverse()) for (const m of buckets[score] ?? []) sorted.push(m);
  } else {
    // Keys are computed once per hit, not once per comparison.
    const sign = sort.direction === "ascending" ? 1 : -1;
    const keyed = library.media.filter(matches).map((m) => ({ m, k: m.modifiedAt }));
    keyed.sort((a, b) => (a.k - b.k) * sign || a.m.number - b.m.number);
    sorted = keyed.map((entry) => entry.m);
  }
  const paging = pagingOf(p);
  return { data: pageOf(sorted, paging).map((m) => mediaResource(v4, m)), meta: { total: sorted.length, paging: pagingMeta(v4.request, v4.base, sorted.length, paging) } };
}

export function sendFile(reply: FastifyReply, file: FileBytes, disposition: "attachment" | "inline") {
  const ascii = file.fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return reply
    .header("content-type", file.contentType)
    .header("content-length", String(file.bytes.length))
    .header("content-disposition", `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    .send(file.bytes);
}

/** download_filetype original|jpeg|mp4 and download_quality (long edge in px, or a video format). */
export function downloadFile(state: PhotoShelterState, media: Media, params: Record<string, string>): FileBytes {
  const filetype = params.download_filetype || "original";
  if (!["original", "jpeg", "mp4"].includes(filetype)) throw badRequest("download_filetype must be original, jpeg or mp4.");
  if (filetype === "jpeg" && media.type !== "image") throw badRequest(`download_filetype jpeg is not available for ${media.type}.`);
  if (filetype === "mp4" && media.type !== "video") throw badRequest(`download_filetype mp4 is not available for ${media.type}.`);
  const raw = params.download_quality ?? "";
  let quality: number | null = null;
  if (media.type === "image" && raw !== "" && raw !== "original") {
    if (!/^\d+$/.test(raw) || Number(raw) < 1) throw badRequest("download_quality must be a long-edge size in pixels (600, 1200, 2400, 4800) or original.");
    quality = Number(raw);
  } else if (media.type === "video" && raw !== "" && !["original", "hd1080", "hd720", "sd480"].includes(raw)) throw badRequest("download_quality for video must be hd1080, hd720 or sd480.");
  return state.files.download(media, filetype, quality);
}

export function mediaRoutes(app: FastifyInstance, state: () => PhotoShelterState): void {
  const member = (request: FastifyRequest) => v4Of(state(), request, "required");

  app.get("/media", async (request) => search(member(request), true));
  app.get("/search", async (request) => search(member(request), false));

  // One media item and its sub-resources: "This endpoint works for both public and authenticated
  // users" (spec paths/mediaId.yaml), so the api key alone reads media in a public (`everyone`)
  // gallery; `SpencerAP/oauth-tester` checks an api key by reading a public media id without a token
  // (src.php handleAuthorize, config.sample.php TEST_MEDIA_ID). Anything else answers 401.
  const item = (request: FastifyRequest) => {
    const v4 = v4Of(state(), request, "optional");
    return { v4, media: mediaOr404(v4, (request.params as { id: string }).id) };
  };

  app.get("/media/:id", async (request) => {
    const { v4, media } = item(request);
    return { data: mediaResource(v4, media), meta: {} };
  });
  app.get("/media/:id/iptc", async (request) => ({ data: iptcResource(item(request).media), meta: {} }));
  app.get("/media/:id/metadata", async (request) => ({ data: metadataResource(item(request).media), meta: {} }));
  for (const spelling of ["custom-metadata", "custom_metadata"]) {
    app.get(`/media/:id/${spelling}`, async (request) => ({ data: customMetadataResource(item(request).media), meta: {} }));
  }
  app.get("/media/:id/galleries", async (request) => {
    const { v4, media } = item(request);
    const galleries = media.galleryIds.map((id) => state().library.get(id)).filter((g): g is Container => !!g && canView(v4, g));
    const paging = pagingOf(v4.params);
    return {
      data: pageOf(galleries, paging).map((g) => {
        const resource = containerResource(v4, g);
        // Clients read includes.gallery.data.attributes.name on these items.
        return v4.include.has("gallery") ? { ...resource, includes: { ...resource.includes, gallery: { data: containerResource(v4, g, new Set(), 1) } } } : resource;
      }),
      meta: { paging: pagingMeta(request, v4.base, galleries.length, paging) },
    };
  });
  app.get("/media/:id/link", async (request) => {
    const { v4, media } = item(request);
    return { data: mediaLinkResource(v4, media), meta: {} };
  });

  app.get("/media/:id/download", async (request, reply) => {
    const { v4, media } = item(request);
    const file = downloadFile(state(), media, v4.params);
    state().usage.record(media.id, "download");
    return sendFile(reply, file, "attachment");
  });
}
