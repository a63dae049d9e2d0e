/**
 * Fakes at the control's seams — the proxy client and the asset-link store — plus builders for assets
 * and asset-link rows. Everything else in a control test is the real code.
 */
import type { Asset, AssetPage, Container, Page, RecordAdditions, RecordCollection, Suggestions } from "../../../../contract/proxyApi";
import { rightsStatus } from "../../../../contract/rights";
import { assetLink } from "../../../../solution/model/assetLink";
import { mediaType as mediaTypeChoice, rightsStatus as rightsChoice } from "../../../../solution/model/choices";
import { toStoredRightsStatus } from "../../../../contract/rights";
import type { SearchQuery } from "../../../../PhotoShelterAssetPicker/domain/searchQuery";
import type { UploadLimits } from "../../../../PhotoShelterAssetPicker/domain/uploads";
import type { UsedOn } from "../../../../PhotoShelterAssetPicker/domain/whereUsed";
import type { AssetLinkStore, CreateOutcome } from "../../../../PhotoShelterAssetPicker/services/assetLinkStore";
import type { HostRecord } from "../../../../PhotoShelterAssetPicker/services/hostRecord";
import { BatchResult, DownloadSize, DownloadedFile, ProxyClient, ProxyError } from "../../../../PhotoShelterAssetPicker/services/proxyClient";
import type { FakeRow } from "../../../support/pcfContext";

/** The day every test lives on, so rights and expiry are stable. */
export const TODAY = new Date("2026-11-28T12:00:00Z");

export function mediaId(n: number, prefix = "I0"): string {
  return `${prefix}000${String(n).padStart(11, "0")}`;
}

function addDays(days: number): string {
  const date = new Date(TODAY.getTime() + days * 86_400_000);
  return date.toISOString().slice(0, 10);
}

export interface AssetOptions extends Partial<Omit<Asset, "rights">> {
  /** Days until expiry (negative: expired); sets expiresOn. */
  expiresInDays?: number;
}

export function makeAsset(n: number, options: AssetOptions = {}): Asset {
  const { expiresInDays, ...overrides } = options;
  const type = overrides.mediaType ?? "image";
  const prefix = { image: "I0", video: "VD", audio: "AD", document: "DO" }[type];
  const base: Omit<Asset, "rights"> = {
    id: mediaId(n, prefix),
    mediaType: type,
    fileName: `asset-${n}.${{ image: "jpg", video: "mp4", audio: "mp3", document: "pdf" }[type]}`,
    width: 1600,
    height: 1200,
    orientation: "landscape",
    caption: `Caption ${n}`,
    credit: "Contoso Studio",
    copyright: "© Contoso",
    keywords: ["brand", `k${n}`],
    usageRights: "Internal and partner use",
    releases: { model: true, property: false },
    approvalStatus: "approved",
    expiresOn: expiresInDays === undefined ? null : addDays(expiresInDays),
    version: "1",
    productLine: null,
    region: null,
    industry: null,
    tier: null,
    createdOn: "2026-01-15T10:00:00Z",
    thumbnailUrl: `http://proxy.test/v1/media/${mediaId(n, prefix)}/thumb?exp=1&u=u&sig=s`,
    previewUrl: `http://proxy.test/v1/media/${mediaId(n, prefix)}/preview?exp=1&u=u&sig=s`,
    photoShelterUrl: `https://contoso.photoshelter.com/media/${mediaId(n, prefix)}`,
    ...overrides,
  };
  return { ...base, rights: rightsStatus(base, TODAY) };
}

const columns = assetLink.columns;

/** An asset-link row as the dataset delivers it, stored from `asset` (or with changed stored fields). */
export function linkRow(asset: Asset, stored: { rights?: Asset["rights"]["status"]; expiresOn?: string | null; version?: string | null; linkedBy?: string; linkedOn?: string } = {}): FakeRow {
  const expiresOn = stored.expiresOn === undefined ? asset.expiresOn : stored.expiresOn;
  return {
    id: `link-${asset.id}`,
    values: {
      [columns.name.logicalName]: asset.caption ?? asset.fileName,
      [columns.mediaId.logicalName]: asset.id,
      [columns.mediaType.logicalName]: mediaTypeChoice.options[asset.mediaType].value,
      [columns.fileName.logicalName]: asset.fileName,
      [columns.rightsStatus.logicalName]: rightsChoice.options[toStoredRightsStatus(stored.rights ?? asset.rights.status)].value,
      [columns.expiresOn.logicalName]: expiresOn,
      [columns.version.logicalName]: stored.version === undefined ? asset.version : stored.version,
      [columns.createdBy.logicalName]: stored.linkedBy ?? "Avery Rep",
      [columns.createdOn.logicalName]: stored.linkedOn ?? "11/20/2026",
    },
  };
}

type Call = { method: string; args: unknown[] };

/** A PhotoShelter library behind the ProxyClient interface, with the proxy's rules for search and batch. */
export class FakeProxyClient implements ProxyClient {
  readonly calls: Call[] = [];
  /** When set, every call fails with it (until cleared). */
  failure: ProxyError | null = null;
  /** Assets the access rules hide from this user: batch reports them missing, getAsset 404s. */
  readonly hidden = new Set<string>();
  /** Which container holds which asset ids; assets not listed are in none. */
  readonly contents = new Map<string, string[]>();

  constructor(
    public readonly library: Asset[],
    public readonly containers: Container[] = [],
  ) {}

  count(method: string): number {
    return this.calls.filter((call) => call.method === method).length;
  }

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.failure) throw this.failure;
  }

  async getAssets(ids: string[]): Promise<BatchResult> {
    this.record("getAssets", ids);
    const items = this.library.filter((asset) => ids.includes(asset.id) && !this.hidden.has(asset.id));
    return { items, missing: ids.filter((id) => !items.some((asset) => asset.id === id)) };
  }

  async getAsset(id: string): Promise<Asset> {
    this.record("getAsset", id);
    const asset = this.library.find((candidate) => candidate.id === id);
    if (!asset || this.hidden.has(id)) throw new ProxyError(404, "not_found", "Asset not found");
    return asset;
  }

  async search(query: SearchQuery, page: number, perPage: number): Promise<AssetPage> {
    this.record("search", query, page, perPage);
    const inContainer = query.containerId ? new Set(this.contents.get(query.containerId) ?? []) : null;
    // As the proxy: total counts matches before access and rights; each page says how many it hid.
    const shown = (asset: Asset) => !this.hidden.has(asset.id) && (query.includeRestricted || !["expired", "restricted", "retired"].includes(asset.rights.status)) && (!query.rights || asset.rights.status === query.rights);
    const matches = this.library.filter(
      (asset) =>
        (!query.text || asset.fileName.includes(query.text) || (asset.caption ?? "").includes(query.text)) &&
        (!query.mediaType || asset.mediaType === query.mediaType) &&
        (!query.orientation || asset.orientation === query.orientation) &&
        (!inContainer || inContainer.has(asset.id)),
    );
    const onPage = matches.slice((page - 1) * perPage, page * perPage);
    const items = onPage.filter(shown);
    return { items, page, perPage, total: matches.length, hasMore: page * perPage < matches.length, hidden: onPage.length - items.length };
  }

  async getContainers(parentId: string | null, page: number, perPage: number): Promise<Page<Container>> {
    this.record("getContainers", parentId, page, perPage);
    const items = this.containers.filter((container) => container.parentId === parentId);
    return { items, page, perPage, total: items.length, hasMore: false };
  }

  async download(id: string, size: DownloadSize, signal?: AbortSignal): Promise<DownloadedFile> {
    this.record("download", id, size, signal);
    return { blob: new Blob(["bytes"]), fileName: `${id}-${size}.jpg` };
  }

  async downloadZip(ids: string[], signal?: AbortSignal): Promise<DownloadedFile> {
    this.record("downloadZip", ids, signal);
    return { blob: new Blob(["zip"]), fileName: "photoshelter-assets.zip" };
  }

  /* ---- uploads: stored once per key, as the proxy does with Idempotency-Key ---- */

  uploadLimits: UploadLimits = { maxBytes: 1000, allowedTypes: ["image/jpeg", "image/png", "application/pdf"] };
  /** Assets stored by key (what the gallery holds). */
  readonly stored = new Map<string, Asset>();
  /** File names whose next upload fails with this error (once each). */
  readonly failUpload = new Map<string, ProxyError>();
  /** File names whose upload stores the file but loses the answer (once each): the retry gets the stored asset. */
  readonly loseAnswer = new Set<string>();
  /** While set, uploads report half their bytes and wait for it (so a test can cancel them). */
  holdUploads: Promise<void> | null = null;

  async getUploadLimits(): Promise<UploadLimits> {
    this.record("getUploadLimits");
    return this.uploadLimits;
  }

  async upload(file: Blob, fileName: string, key: string, onProgress: (loaded: number) => void, signal: AbortSignal): Promise<Asset> {
    this.record("upload", fileName, key);
    const failure = this.failUpload.get(fileName);
    if (failure) {
      this.failUpload.delete(fileName);
      throw failure;
    }
    onProgress(Math.floor(file.size / 2));
    if (this.holdUploads) {
      const held = this.holdUploads;
      await new Promise<void>((resolve, reject) => {
        signal.addEventListener("abort", () => reject(new DOMException("Aborted", "AbortError")));
        void held.then(resolve);
      });
    }
    if (signal.aborted) throw new DOMException("Aborted", "AbortError");
    const asset = this.stored.get(key) ?? makeAsset(9000 + this.stored.size, { fileName, caption: null, approvalStatus: "pending" });
    this.stored.set(key, asset);
    if (this.loseAnswer.delete(fileName)) throw new ProxyError(0, "unreachable", "The connection was lost");
    onProgress(file.size);
    return asset;
  }

  /* ---- the record's own collection, additions, suggestions ---- */

  recordCollection: RecordCollection = { link: null, collection: null };
  createFailure: ProxyError | null = null;
  additions: RecordAdditions = { since: "2026-11-18T09:00:00Z", items: [] };
  suggestions: Suggestions = { items: [] };

  async getRecordCollection(): Promise<RecordCollection> {
    this.record("getRecordCollection");
    return this.recordCollection;
  }

  async createRecordCollection(): Promise<RecordCollection> {
    this.record("createRecordCollection");
    if (this.createFailure) throw this.createFailure;
    if (!this.recordCollection.link) {
      this.recordCollection = {
        link: { id: "link-1", containerId: "C0000000000NEW01", kind: "collection", name: "Holiday Promo", syncStatus: "synced", lastError: null, lastSyncedOn: "2026-11-28T12:00:00Z" },
        collection: { name: "Holiday Promo", description: null, audience: "SMB retail", launchDate: "2026-12-01", owner: "Mia Marketer" },
      };
    }
    return this.recordCollection;
  }

  async getAdditions(): Promise<RecordAdditions> {
    this.record("getAdditions");
    return this.additions;
  }

  async getSuggestions(limit: number): Promise<Suggestions> {
    this.record("getSuggestions", limit);
    return { items: this.suggestions.items.slice(0, limit) };
  }
}

export function makeContainer(id: string, name: string, parentId: string | null, kind: Container["kind"] = "collection"): Container {
  return { id, kind, name, description: null, parentId, childCount: 0, mediaCount: kind === "gallery" ? 3 : 0, keyImageUrl: null };
}

/** Asset-link rows in memory with Dataverse's alternate key (media id + record). */
export class FakeLinkStore implements AssetLinkStore {
  readonly links = new Map<string, { record: string; mediaId: string; linkType: string }>();
  readonly created: string[] = [];
  readonly deleted: string[] = [];
  /** Media ids whose next create fails with this message (once). */
  readonly failNext = new Map<string, string>();
  /** Called before a create is stored: lets a test race a second tab in. */
  beforeCreate: ((mediaId: string) => void) | null = null;

  async findLinkedMediaIds(record: HostRecord, mediaIds: readonly string[]): Promise<Set<string>> {
    const key = `${record.entityName}:${record.id}`;
    return new Set([...this.links.values()].filter((link) => link.record === key && mediaIds.includes(link.mediaId)).map((link) => link.mediaId));
  }

  async createLink(record: HostRecord, asset: Asset, linkType: string): Promise<CreateOutcome> {
    const failure = this.failNext.get(asset.id);
    if (failure) {
      this.failNext.delete(asset.id);
      throw new Error(failure);
    }
    this.beforeCreate?.(asset.id);
    const key = `${record.entityName}:${record.id}|${asset.id}`;
    if (this.links.has(key)) return "alreadyLinked";
    this.links.set(key, { record: `${record.entityName}:${record.id}`, mediaId: asset.id, linkType });
    this.created.push(asset.id);
    return "created";
  }

  async deleteLink(linkId: string): Promise<void> {
    this.deleted.push(linkId);
  }

  /** What Dataverse answers the where-used query with, for the user (already without records they may not read). */
  usedOn: UsedOn[] = [];
  readonly whereUsedCalls: string[] = [];

  async whereUsed(mediaId: string, host: HostRecord | null): Promise<UsedOn[]> {
    this.whereUsedCalls.push(mediaId);
    return this.usedOn.filter((record) => !(host && record.entityName === host.entityName && record.id === host.id));
  }
}
