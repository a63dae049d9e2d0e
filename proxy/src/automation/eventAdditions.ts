/**
 * S7 — media added to an event's collection since the event started: what the control offers as
 * "New since the event" and what the post-event sweep links back to the event.
 */
import type { LoadedAsset, PhotoShelterLibrary } from "../photoshelter/library";

export interface AdditionsOptions {
  /** Most media returned (newest first). */
  limit: number;
}

/** Media in the collection (or gallery) and everything below it uploaded at or after `since`, newest first. */
export async function mediaAddedSince(library: Pick<PhotoShelterLibrary, "search">, containerId: string, since: Date, options: AdditionsOptions): Promise<LoadedAsset[]> {
  const found: LoadedAsset[] = [];
  for (let page = 1; found.length < options.limit; page += 1) {
    const perPage = Math.min(100, options.limit);
    const result = await library.search({ galleries: [containerId], createdAfter: since.toISOString(), sort: "newest", page, perPage });
    found.push(...result.items);
    if (result.items.length < perPage || page * perPage >= result.total) break;
  }
  return found.slice(0, options.limit);
}
