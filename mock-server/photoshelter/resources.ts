/**
 * v4 resource objects {id, type, attributes, links} for containers, media and their sub-resources,
 * with `include=` related data nested inside each resource under includes.<name>.data, and the
 * access rules that decide who may see a container (owner, public, password/token, invitation).
 */
import { FastifyRequest } from "fastify";
import { Session } from "./auth";
import { DateFormat, answeredIncludes, badRequest, dateFormatOf, formatDate, notAuthorized, notFound, paramsOf } from "./envelope";
import { Container, Media, Mode, Permission } from "./library";
import { PhotoShelterState } from "./state";
import { CUSTOM_FIELDS, CustomFieldKey, MEMBER_USER, ORGANIZATION } from "./wellKnown";

export interface Resource {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  links?: Record<string, string>;
  includes?: Record<string, { data: unknown }>;
}

/** What every handler works with: the state, the caller, the v4 base URL and request options. */
export interface V4 {
  state: PhotoShelterState;
  session: Session | null;
  request: FastifyRequest;
  params: Record<string, string>;
  /** Absolute base such as http://127.0.0.1:4010/psapi/v4.0 */
  base: string;
  dateFormat: DateFormat;
  include: Set<string>;
}

/** The caller acts for the organization that owns the library. */
export const isOwner = (v4: V4) => v4.session?.orgId === ORGANIZATION.id;

const date = (v4: V4, ms: number) => formatDate(ms, v4.dateFormat);

/** A container's mode in effect, given the collection it is viewed through (`collection_id`). */
export function effectiveMode(v4: V4, container: Container, contextCollectionId?: string): Mode {
  if (!container.accessInherit || container.parentIds.length === 0) return container.mode;
  const parents = container.parentIds.map((id) => v4.state.library.get(id)).filter((p): p is Container => !!p);
  const context = contextCollectionId ? parents.find((p) => p.id === contextCollectionId) : undefined;
  if (context) return effectiveMode(v4, context);
  const modes = new Set(parents.map((p) => effectiveMode(v4, p)));
  // Draft rule: a gallery in a private and a public collection is denied without context.
  return modes.size === 1 ? [...modes][0] : "private";
}

const live = (p: Permission) => !p.expires || Date.parse(p.expires) > Date.now();

/** Owner, public (`everyone`), a matching password/token grant, or an invitation to the caller. */
export function canView(v4: V4, container: Container): boolean {
  if (isOwner(v4)) return true;
  const mode = effectiveMode(v4, container, v4.params.collection_id);
  if (mode === "everyone") return true;
  if (mode === "private") return false;
  const grants = [container, ...v4.state.library.path(container.id)].flatMap((c) => c.permissions).filter(live);
  return grants.some(
    (p) =>
      (p.type === "password" && v4.params.password !== undefined && p.password === v4.params.password) ||
      (p.type === "token" && v4.params.token !== undefined && p.token === v4.params.token) ||
      (p.type === "contact" && v4.session !== null && p.email?.toLowerCase() === v4.session.email.toLowerCase()),
  );
}

export function containerOr404(v4: V4, id: string, kind: Container["kind"]): Container {
  const container = v4.state.library.get(id);
  if (!container || container.kind !== kind) throw notFound(kind);
  if (!canView(v4, container)) throw notAuthorized(kind === "gallery" ? "Gallery" : "Collection");
  return container;
}

export function mediaOr404(v4: V4, id: string): Media {
  const media = v4.state.library.mediaById(id);
  if (!media) throw notFound("media");
  const galleries = media.galleryIds.map((g) => v4.state.library.get(g)).filter((g): g is Container => !!g);
  if (!isOwner(v4) && !galleries.some((g) => canView(v4, g))) throw notAuthorized("Media");
  return media;
}

export function childCounts(v4: V4, container: Container): Record<string, number> {
  if (container.kind === "collection") {
    const children = v4.state.library.children(container.id);
    const galleries = children.filter((c) => c.kind === "gallery").length;
    return { total: children.length, collections: children.length - galleries, galleries };
  }
  const counts = { total: container.media.length, images: 0, videos: 0, audio: 0, documents: 0 };
  for (const n of container.media) {
    const type = v4.state.library.media[n - 1].type;
    if (type === "image") counts.images++;
    else if (type === "video") counts.videos++;
    else if (type === "audio") counts.audio++;
    else counts.documents++;
  }
  return counts;
}

export function permissionResource(v4: V4, p: Permission): Resource {
  // Credentials are only shown to the owner, as the draft describes.
  const owner = isOwner(v4);
  return {
    id: p.id,
    type: p.type,
    attributes: {
      expires: p.expires,
      contact_id: p.contactId,
      email: owner ? p.email : null,
      group_id: p.groupId,
      access_level: p.accessLevel,
      password: owner ? p.password : null,
      token: owner ? p.token : null,
      max_downloads: p.maxDownloads,
      download_image_filetype: p.downloadImageFiletype,
      download_image_size: p.downloadImageSize,
      download_image_embed: false,
      download_video_filetype: "original",
      download_video_format: "hd1080",
      download_audio_filetype: "original",
      download_doc_filetype: "original",
      created_at: date(v4, p.createdAt),
    },
  };
}

export function permissionsResource(v4: V4, container: Container): Resource {
  return {
    id: container.id,
    type: "permissions",
    attributes: {
      mode: effectiveMode(v4, container, v4.params.collection_id),
      native_mode: container.mode,
      native: container.permissions.map((p) => permissionResource(v4, p)),
      inherited: v4.state.library.path(container.id).map((parent) => ({
        mode: effectiveMode(v4, parent),
        native_mode: parent.mode,
        collection_id: parent.id,
        permissions: parent.permissions.map((p) => permissionResource(v4, p)),
      })),
    },
  };
}

export function keyImageResource(v4: V4, container: Container): Resource | null {
  const image = v4.state.library.keyImage(container);
  if (!image) return null;
  return {
    id: image.id,
    type: "keyImage",
    attributes: {
      image_id: image.id,
      gallery_id: container.kind === "gallery" ? container.id : image.galleryIds[0],
      collection_id: container.kind === "collection" ? container.id : container.parentIds[0] ?? null,
      custom: container.keyImageId !== null,
      image_url: `${v4.state.context.baseUrl()}/img-get/${image.id}`,
      public: effectiveMode(v4, container) === "everyone",
    },
  };
}

export const linkResource = (v4: V4, container: Container): Resource => ({
  id: container.id,
  type: "link",
  attributes: { url: `${v4.state.context.baseUrl()}/${container.kind === "collection" ? "collection" : "gallery"}/${container.id}` },
});

export function customMetadataItems(values: Record<string, string | null>) {
  return (Object.keys(CUSTOM_FIELDS) as CustomFieldKey[])
    .filter((key) => key in values)
    .map((key) => ({ id: CUSTOM_FIELDS[key].id, name: CUSTOM_FIELDS[key].name, type: key === "licenseExpirationDate" ? "date" : "text", value: values[key] }));
}

export function containerResource(v4: V4, container: Container, include = v4.include, depth = 0): Resource {
  const owner = isOwner(v4);
  const common = {
    name: container.name,
    description: container.description,
    display_order: container.displayOrder,
    access_id: owner ? container.accessId : null,
    is_listed: container.isListed,
    mode: effectiveMode(v4, container, v4.params.collection_id),
    effective_mode: effectiveMode(v4, container, v4.params.collection_id),
    native_mode: container.mode,
    access_inherit: container.accessInherit,
    created_at: owner ? date(v4, container.createdAt) : null,
    modified_at: owner ? date(v4, container.modifiedAt) : null,
  };
  // The draft's Collection schema (components/schemas.yaml) has no key_image_id, only Gallery does:
  // strict mode leaves it out, so clients read /collections/{id}/key-image as the WordPress plugin does.
  const attributes =
    container.kind === "collection"
      ? { ...common, org_id: ORGANIZATION.id, ...(v4.state.strictIncludes ? {} : { key_image_id: v4.state.library.keyImage(container)?.id ?? null }) }
      : {
          ...common,
          name_url: container.name.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
          key_image_id: v4.state.library.keyImage(container)?.id ?? null,
          is_orig_enabled: true,
          is_watermark_disabled: true,
          sort_order: "display_order",
        };
  const resource: Resource = {
    id: container.id,
    type: container.kind,
    attributes,
    links: { self: `${v4.base}/${container.kind === "collection" ? "collections" : "galleries"}/${container.id}` },
  };
  if (depth > 0 || include.size === 0) return resource;
  const includes: Record<string, { data: unknown }> = {};
  const parent = () => {
    const id = v4.params.collection_id && container.parentIds.includes(v4.params.collection_id) ? v4.params.collection_id : container.parentIds[0];
    const p = id ? v4.state.library.get(id) : undefined;
    return p ? containerResource(v4, p, include, depth + 1) : null;
  };
  for (const name of include) {
    if (name === "parent") includes.parent = { data: parent() };
    else if (name === "child-count" || name === "children_count") includes[name] = { data: { id: container.id, type: "childCount", attributes: childCounts(v4, container) } };
    else if (name === "children")
      includes.children = {
        data:
          container.kind === "collection"
            ? v4.state.library.children(container.id).map((c) => containerResource(v4, c, include, depth + 1))
            : container.media.slice(0, 50).map((n) => mediaResource(v4, v4.state.library.media[n - 1], include, depth + 1)),
      };
    else if (name === "permissions" || name === "access") includes[name] = { data: permissionsResource(v4, container) };
    else if (name === "path") includes.path = { data: v4.state.library.path(container.id).map((c) => containerResource(v4, c, include, depth + 1)) };
    else if (name === "key-image" || name === "key_image") includes[name] = { data: keyImageResource(v4, container) };
    else if (name === "link") includes.link = { data: linkResource(v4, container) };
    else if (name === "custom-metadata" || name === "custom_metadata")
      includes[name] = { data: { id: container.id, type: "customMetadata", attributes: { custom_metadata: Object.entries(container.customFields).map(([fieldName, value]) => ({ name: fieldName, value })) } } };
  }
  if (Object.keys(includes).length) resource.includes = includes;
  return resource;
}

export function iptcResource(media: Media): Resource {
  return {
    id: media.id,
    type: "iptc",
    attributes: {
      caption: media.caption,
      headline: media.headline,
      keywords: media.keywords.join(","),
      credit: media.credit,
      author: media.credit,
      copyright: media.copyright,
      rights: media.custom.usageRights,
      web_statement: null,
      city: media.city,
      country: media.country,
      source: "Contoso Brand Studio",
    },
  };
}

export function metadataResource(media: Media): Resource {
  const raw: Record<string, unknown> = { format: { format_name: media.format, size: media.fileSize, ...(media.durationSeconds !== null ? { duration: String(media.durationSeconds) } : {}) } };
  if (media.width !== null) raw.streams = [{ width: media.width, height: media.height }];
  return { id: media.id, type: "metadata", attributes: { author: media.credit, raw: JSON.stringify(raw) } };
}

export const customMetadataResource = (media: Media): Resource => ({
  id: media.id,
  type: "customMetadata",
  attributes: { custom_metadata: customMetadataItems(media.custom as unknown as Record<string, string | null>) },
});

/**
 * The CDN size segment a link asks for with `image_size` (`300x300`, `x700`) and `image_mode`
 * (`fit`, or `fill` for an exact crop): the v3 ImageLink parameters ([v3-doc] user_guide/request,
 * `webbtik-io/photoshelter` src/PhotoShelterService.php), which the v4 /media/{id}/link takes too
 * [inferred: no v4 source names its parameters].
 */
export function imageLinkForm(params: Record<string, string>, defaultSize: string): string {
  const size = params.image_size || defaultSize;
  if (!/^\d*x\d*$/.test(size) || size === "x" || /(^|x)0+(x|$)/.test(size)) throw badRequest("image_size must look like 300x300, 300x or x700.");
  const mode = params.image_mode || "fit";
  if (mode !== "fit" && mode !== "fill") throw badRequest("image_mode must be fit or fill.");
  if (mode === "fill" && !/^\d+x\d+$/.test(size)) throw badRequest("image_mode=fill needs both sides, e.g. image_size=300x300.");
  return `${mode}=${size}`;
}

/** `data.attributes.link` is what PhotoShelter's WordPress plugin reads (assets/dist/js/library.js, video and audio `src`). */
export const mediaLinkResource = (v4: V4, media: Media): Resource => {
  const base = v4.state.context.baseUrl();
  const link = media.type === "image" ? `${base}/img-get2/${media.id}/${imageLinkForm(v4.params, "1200x1200")}` : `${base}/media-get/${media.id}/${encodeURIComponent(media.fileName)}`;
  return { id: media.id, type: "link", attributes: { link, url: link } };
};

export function mediaAttributes(v4: V4, media: Media): Record<string, unknown> {
  const common = {
    file_name: media.fileName,
    file_size: media.fileSize,
    type: media.type,
    owner_id: ORGANIZATION.id,
    organization_id: ORGANIZATION.id,
    creator_id: MEMBER_USER.id,
    photographer_id: MEMBER_USER.id,
    views: media.baseViews + v4.state.usage.views(media.id),
    searchable: media.searchable,
    model_released: media.modelReleased,
    property_released: media.propertyReleased,
    rating: media.rating,
    created_at: date(v4, media.createdAt),
    modified_at: date(v4, media.modifiedAt),
  };
  const hash = `sha1-mock-${media.id}`;
  switch (media.type) {
    case "image": {
      const [sw, sh] = fitBox(media, 1200);
      const [tw, th] = fitBox(media, 250);
      return { ...common, width: media.width, height: media.height, screen_width: sw, screen_height: sh, screen_width_max: sw, screen_height_max: sh, thumbnail_width: tw, thumbnail_height: th, flagged: false, focal_point_x: 0.5, focal_point_y: 0.5 };
    }
    case "video":
      return { ...common, width: media.width, height: media.height, rotate: 0, start_time: 0, duration: media.durationSeconds, format: media.format, hash };
    case "audio":
      return { ...common, start_time: 0, duration: media.durationSeconds, format: media.format, hash };
    default:
      return { ...common, format: media.format, format_readable: media.format === "application/pdf" ? "PDF Document" : media.format, hash };
  }
}

function fitBox(media: Media, edge: number): [number | null, number | null] {
  if (media.width === null || media.height === null) return [null, null];
  const scale = Math.min(1, edge / Math.max(media.width, media.height));
  return [Math.round(media.width * scale), Math.round(media.height * scale)];
}

export function mediaResource(v4: V4, media: Media, include = v4.include, depth = 0): Resource {
  const resource: Resource = { id: media.id, type: media.type, attributes: mediaAttributes(v4, media), links: { self: `${v4.base}/media/${media.id}` } };
  if (depth > 1 || include.size === 0) return resource;
  const includes: Record<string, { data: unknown }> = {};
  for (const name of include) {
    if (name === "iptc") includes.iptc = { data: iptcResource(media) };
    else if (name === "metadata") includes.metadata = { data: metadataResource(media) };
    else if (name === "custom-metadata" || name === "custom_metadata") includes[name] = { data: customMetadataResource(media) };
    else if (name === "link") includes.link = { data: mediaLinkResource(v4, media) };
    else if (name === "galleries" || name === "gallery")
      includes[name] = {
        data: media.galleryIds
          .map((id) => v4.state.library.get(id))
          .filter((g): g is Container => !!g && canView(v4, g))
          .map((g) => containerResource(v4, g, new Set(), 1)),
      };
  }
  if (Object.keys(includes).length) resource.includes = includes;
  return resource;
}

/** Builds the handler context; `member: "required"` answers PhotoShelter's 401 when no valid token is sent. */
export function v4Of(state: PhotoShelterState, request: FastifyRequest, member: "required" | "optional"): V4 {
  const params = paramsOf(request);
  return {
    state,
    session: member === "required" ? state.auth.member(request) : state.auth.optionalMember(request),
    request,
    params,
    base: `${state.context.baseUrl()}/psapi/v4.0`,
    dateFormat: dateFormatOf(params),
    include: answeredIncludes(params, state.strictIncludes),
  };
}
