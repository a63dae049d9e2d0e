/**
 * What changed in the library since a moment (S5 rights sync) and the one per-asset write the
 * automation makes (the "Under review" flag). Change listings never come from the read cache: a
 * cached answer would hide a change made a moment ago. Media are listed by modification time,
 * ascending, with `modify_start` ([v4-spec] media search), one page at a time.
 */
import type { Logger } from "pino";
import type { PhotoShelterClient, PsList } from "./client";
import { mediaCustomMetadataPath } from "./inferredRoutes";
import { type LoadedAsset, MediaReads } from "./mediaReads";
import { isoOf } from "./normalize";

export interface ChangedAsset {
  asset: LoadedAsset;
  /** When PhotoShelter last modified it (epoch ms, whole seconds as PhotoShelter keeps them). */
  modifiedAt: number;
}

/** An instant as PhotoShelter's search dates ("2026-11-28 09:00:00 GMT"). */
export function psTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} GMT`;
}

export class LibraryChanges {
  /** Media parts read past the cache too, so a change to custom metadata is seen at once. */
  private readonly reads: MediaReads;

  constructor(
    private readonly client: PhotoShelterClient,
    private readonly orgId: string,
    log: Logger,
  ) {
    this.reads = new MediaReads({ get: (path, query) => client.fresh(path, query) }, client, log);
  }

  /** Media modified at or after `since` (epoch ms), oldest change first: one page of `perPage`. */
  async modifiedSince(since: number, page: number, perPage: number): Promise<{ items: ChangedAsset[]; total: number }> {
    const include = await this.reads.include();
    const list = await this.client.fresh<PsList>("/search", {
      org_id: this.orgId,
      modify_start: psTimestamp(since),
      sort_by: "modification_time",
      sort_direction: "ascending",
      page,
      per_page: perPage,
      include,
    });
    if (!list || !Array.isArray(list.data)) throw new Error("PhotoShelter sent a change listing the proxy could not read");
    const assets = await this.reads.complete(list.data, include);
    const items = assets.map((asset) => ({ asset, modifiedAt: Date.parse(isoOf(asset.media.attributes?.modified_at) ?? "") }));
    const broken = items.find((item) => Number.isNaN(item.modifiedAt));
    if (broken) throw new Error(`PhotoShelter listed media ${broken.asset.media.id} without a modification time`);
    const total = Number(list.meta?.paging?.total ?? items.length);
    return { items, total: Number.isFinite(total) ? total : items.length };
  }

  /** Sets custom metadata fields of one asset (an inferred v4 route; setting a value is safe to resend). */
  async setCustomMetadata(mediaId: string, values: Record<string, string | null>): Promise<void> {
    await this.client.v4Write("PATCH", mediaCustomMetadataPath(mediaId), { custom_metadata: values }, true);
  }
}
