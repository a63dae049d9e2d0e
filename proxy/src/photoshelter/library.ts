/**
 * The PhotoShelter library in the product's terms: the container tree, search, assets with their
 * metadata, renditions and downloads, and the case-evidence gallery uploads go to. Every read is a
 * cached, coalesced v4 call; a media item's IPTC, custom metadata and galleries come inline when
 * PhotoShelter answers `include=`, else from their sub-resources (mediaReads.ts).
 */
import { Readable } from "node:stream";
import type { Logger } from "pino";
import type { DownloadSize, MediaSize } from "../../../contract/proxyApi";
import { ProxyError } from "../errors";
import type { ContainerTree } from "../policy/accessPolicy";
import type { UpstreamResponse } from "../upstream/http";
import { CanonicalMedia } from "./canonicalMedia";
import { PhotoShelterClient, PsList, PsResource } from "./client";
import { updateContainerPath } from "./inferredRoutes";
import { KeyImages } from "./keyImages";
import { LoadedAsset, MediaReads } from "./mediaReads";
import { mediaTypeOf } from "./normalize";

export type { LoadedAsset } from "./mediaReads";

/** Renditions: [width, height] of the CDN's `fill` box. */
const RENDITION: Record<MediaSize, [number, number]> = { thumb: [400, 400], preview: [1200, 1200], key: [440, 440] };
/** Download sizes as PhotoShelter's download_filetype/download_quality (long edge in pixels). */
const DOWNLOAD: Record<DownloadSize, { filetype: string; quality: string }> = {
  original: { filetype: "original", quality: "original" },
  large: { filetype: "jpeg", quality: "2400" },
  medium: { filetype: "jpeg", quality: "1200" },
};

export interface SearchFilters {
  terms?: string;
  mediaType?: string;
  /** Galleries to search in (collections too: everything below them); never changed once searched with. */
  galleries: readonly string[];
  orientation?: string;
  from?: string;
  to?: string;
  sort: "relevance" | "newest" | "oldest" | "name";
  page: number;
  perPage: number;
  /** Custom metadata field name → wanted value (several values: any of them). */
  custom?: Record<string, string | string[]>;
  /** Only media created (uploaded) at or after this instant (ISO 8601). */
  createdAfter?: string;
}

const SORT: Record<SearchFilters["sort"], { sort_by: string; sort_direction: string } | Record<string, never>> = {
  relevance: {},
  newest: { sort_by: "creation_time", sort_direction: "descending" },
  oldest: { sort_by: "creation_time", sort_direction: "ascending" },
  name: { sort_by: "file_name", sort_direction: "ascending" },
};
/** A search scope as PhotoShelter's parameters, worked out once per scope list (one per access, reused by every search). */
const scopes = new WeakMap<readonly string[], { galleries: string; collections: string | undefined }>();
function scopeOf(ids: readonly string[]): { galleries: string; collections: string | undefined } {
  let scope = scopes.get(ids);
  if (!scope) {
    scope = { galleries: ids.filter((id) => !id.startsWith("C")).join(","), collections: ids.filter((id) => id.startsWith("C")).join(",") || undefined };
    scopes.set(ids, scope);
  }
  return scope;
}
const PS_MEDIA_TYPE: Record<string, string> = { image: "image", video: "video", audio: "audio", document: "doc" };
const PS_ORIENTATION: Record<string, string> = { landscape: "horizontal", portrait: "vertical", square: "square" };

export class PhotoShelterLibrary implements ContainerTree {
  /** Media reads on confirmed routes, with `include=` as a verified optimization. */
  readonly mediaReads: MediaReads;
  private readonly keyImages: KeyImages;
  /** Media items of search and media answers, one object per item while PhotoShelter sends it unchanged. */
  private readonly media = new CanonicalMedia();
  private readonly keptList = (list: PsList) => this.media.list(list);
  private readonly keptOne = (found: { data: PsResource }) => {
    found.data = this.media.one(found.data);
    return found;
  };

  constructor(
    readonly client: PhotoShelterClient,
    private readonly settings: { cdnBase: string; apiBase: string; webBase: string },
    private readonly log: Logger,
  ) {
    this.mediaReads = new MediaReads(client, client, log);
    this.keyImages = new KeyImages(client);
  }

  /** Top-level collections and galleries of the organization's library. */
  topLevel(): Promise<PsResource[]> {
    return this.client.all("/library");
  }

  async container(id: string): Promise<PsResource | null> {
    const list = await this.client.get<{ data: PsResource }>(`/${id.startsWith("G") ? "galleries" : "collections"}/${id}`, { include: "child-count,key-image,parent" });
    return list?.data ? (await this.keyImages.complete([list.data]))[0] : null;
  }

  /** The direct children of a collection (collections and galleries), with counts and key images. */
  async children(collectionId: string): Promise<PsResource[]> {
    return this.keyImages.complete(await this.childList(collectionId));
  }

  /** The direct children as listed (no key-image reads: for walks, not for display). */
  private childList(collectionId: string): Promise<PsResource[]> {
    if (!collectionId.startsWith("C")) return Promise.resolve([]);
    return this.client.all(`/collections/${collectionId}/children`, { include: "child-count,key-image" });
  }

  async descendants(containerId: string): Promise<string[]> {
    const children = await this.childList(containerId);
    const below = await Promise.all(children.map((child) => this.descendants(child.id)));
    return [...children.map((child) => child.id), ...below.flat()];
  }

  async search(filters: SearchFilters): Promise<{ items: LoadedAsset[]; total: number }> {
    const include = await this.mediaReads.include();
    const list = await this.client.get<PsList>("/search", {
      terms: filters.terms,
      media_type: filters.mediaType ? PS_MEDIA_TYPE[filters.mediaType] : undefined,
      ...scopeOf(filters.galleries),
      orientation: filters.orientation ? PS_ORIENTATION[filters.orientation] : undefined,
      create_start: filters.createdAfter ? psTimestamp(filters.createdAfter) : filters.from ? `${filters.from} 00:00:00 GMT` : undefined,
      create_end: filters.to ? `${filters.to} 23:59:59 GMT` : undefined,
      ...SORT[filters.sort],
      page: filters.page,
      per_page: filters.perPage,
      custom_metadata: filters.custom ? JSON.stringify(filters.custom) : undefined,
      include,
    }, this.keptList);
    if (!list || !Array.isArray(list.data)) throw new ProxyError("upstream_error", "PhotoShelter sent a search result the proxy could not read");
    const items = await this.mediaReads.complete(list.data, include);
    const total = Number(list.meta?.paging?.total ?? items.length);
    return { items, total: Number.isFinite(total) ? total : items.length };
  }

  /** One media item with IPTC, custom metadata and the galleries it is in; null when PhotoShelter does not know it. */
  async asset(id: string): Promise<LoadedAsset | null> {
    const include = await this.mediaReads.include();
    const found = await this.client.get<{ data: PsResource }>(`/media/${id}`, { include }, this.keptOne);
    if (!found?.data || typeof found.data !== "object") return null;
    const [loaded] = await this.mediaReads.complete([found.data], include);
    return loaded;
  }

  /** The bytes of a rendition from the CDN (no session needed). */
  rendition(id: string, size: MediaSize, signal?: AbortSignal): Promise<UpstreamResponse> {
    const [w, h] = RENDITION[size];
    return this.client.stream(`${this.settings.cdnBase}/img-get2/${id}/fill=${w}x${h}`, signal);
  }

  /** The sizes an asset downloads in: images as original, large and medium JPEGs; other media as the original only. */
  downloadSizes(asset: LoadedAsset): DownloadSize[] {
    return mediaTypeOf(asset.media) === "image" ? (Object.keys(DOWNLOAD) as DownloadSize[]) : ["original"];
  }

  download(id: string, size: DownloadSize, signal?: AbortSignal): Promise<UpstreamResponse> {
    const { filetype, quality } = DOWNLOAD[size];
    return this.client.stream(`${this.settings.apiBase}/media/${id}/download?download_filetype=${filetype}&download_quality=${quality}`, signal);
  }

  photoShelterUrl(id: string): string {
    return `${this.settings.webBase}/img-show/${id}`;
  }

  /**
   * The gallery a record's uploads go to, created on first use under `parentCollectionId` (v3
   * gallery insert). Looked up by name, so concurrent first uploads for one case share a gallery.
   */
  async galleryFor(parentCollectionId: string, name: string): Promise<string> {
    const existing = await this.findGallery(parentCollectionId, name);
    if (existing) return existing;
    return this.creating.get(name) ?? this.track(name, this.createGallery(parentCollectionId, name));
  }

  /** A gallery directly under a collection, by name, or null. */
  async findGallery(parentCollectionId: string, name: string): Promise<string | null> {
    const found = (await this.childList(parentCollectionId)).find((child) => child.id.startsWith("G") && child.attributes?.name === name);
    return found?.id ?? null;
  }

  private readonly creating = new Map<string, Promise<string>>();

  private track(name: string, promise: Promise<string>): Promise<string> {
    this.creating.set(name, promise);
    return promise.finally(() => this.creating.delete(name));
  }

  private async createGallery(parentCollectionId: string, name: string): Promise<string> {
    const data = await this.client.v3Write<{ Gallery?: { gallery_id?: string; id?: string } }>(
      "/mem/gallery/insert",
      new URLSearchParams({ name, parent: parentCollectionId, mode: "private", f_list: "f" }).toString(),
    );
    const id = data.Gallery?.gallery_id ?? data.Gallery?.id;
    if (!id) throw new ProxyError("upstream_error", "PhotoShelter did not return the new gallery");
    this.client.cache.clear();
    this.log.info({ gallery: id, parent: parentCollectionId }, "created upload gallery");
    return id;
  }

  /** A collection or gallery with its custom metadata, or null. */
  async containerWithMetadata(id: string): Promise<PsResource | null> {
    const found = await this.client.get<{ data: PsResource }>(`/${id.startsWith("G") ? "galleries" : "collections"}/${id}`, { include: "custom_metadata" });
    return found?.data && typeof found.data === "object" ? found.data : null;
  }

  /** The direct children of a collection with their custom metadata (to find a record's collection by its key). */
  childrenWithMetadata(collectionId: string): Promise<PsResource[]> {
    return this.client.all(`/collections/${collectionId}/children`, { include: "custom_metadata" });
  }

  /** Creates a private collection under a parent (v3 collection insert; not retried) and returns its id. */
  async createCollection(parentCollectionId: string, name: string, description: string): Promise<string> {
    const data = await this.client.v3Write<{ Collection?: { collection_id?: string; id?: string } }>(
      "/mem/collection/insert",
      new URLSearchParams({ name: name.slice(0, 100), parent: parentCollectionId, description: description.slice(0, 5000), mode: "private", f_list: "f" }).toString(),
    );
    const id = data.Collection?.collection_id ?? data.Collection?.id;
    if (!id) throw new ProxyError("upstream_error", "PhotoShelter did not return the new collection");
    this.client.cache.clear();
    this.log.info({ collection: id, parent: parentCollectionId }, "created record collection");
    return id;
  }

  /** Sets a collection's or gallery's name, description and custom metadata (an inferred v4 route, see inferredRoutes.ts). */
  async updateContainer(id: string, change: { name?: string; description?: string; custom?: Record<string, string | null> }): Promise<void> {
    await this.client.v4Patch(updateContainerPath(id), {
      ...(change.name !== undefined ? { name: change.name.slice(0, 100) } : {}),
      ...(change.description !== undefined ? { description: change.description.slice(0, 5000) } : {}),
      ...(change.custom ? { custom_metadata: change.custom } : {}),
    });
  }

  /** Streams one file into a gallery (v3 multipart upload) and returns the new media id. */
  async upload(galleryId: string, file: UploadFile, caption: string | undefined, signal?: AbortSignal): Promise<string> {
    const boundary = `----photoshelter-proxy-${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
    const data = await this.client.v3Upload<{ Image?: { image_id?: string; id?: string } }>("/mem/image/upload", boundary, multipart(boundary, { gallery_id: galleryId, ...(caption ? { caption } : {}), f_searchable: "t" }, file), signal);
    const id = data.Image?.image_id ?? data.Image?.id;
    if (!id) throw new ProxyError("upstream_error", "PhotoShelter did not return the uploaded asset");
    this.client.cache.clear();
    return id;
  }

}

/** An ISO instant as PhotoShelter's search dates ("2026-11-28 09:00:00 GMT"). */
function psTimestamp(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 19).replace("T", " ")} GMT`;
}

/** A file streamed through to PhotoShelter. */
export interface UploadFile {
  stream: Readable;
  fileName: string;
  mimeType: string;
  /** Settles when the client's request has arrived whole (resolves) or broke off (rejects). */
  complete: Promise<void>;
}

/** A multipart/form-data body whose file part is streamed through, never held in memory. */
function multipart(boundary: string, fields: Record<string, string>, file: UploadFile): Readable {
  const quote = (value: string) => value.replace(/["\r\n\\]/g, "_");
  async function* parts() {
    for (const [name, value] of Object.entries(fields)) yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
    yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quote(file.fileName)}"\r\nContent-Type: ${file.mimeType}\r\n\r\n`);
    for await (const chunk of file.stream) yield chunk as Buffer;
    // Only a file that arrived whole is closed: otherwise the stream errors here and PhotoShelter gets a
    // body without its closing boundary, which it refuses rather than storing half a file.
    await file.complete;
    yield Buffer.from(`\r\n--${boundary}--\r\n`);
  }
  return Readable.from(parts());
}
