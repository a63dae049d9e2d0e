/**
 * One object per media item while PhotoShelter sends it unchanged. Every upstream answer is parsed
 * anew, so an asset arrives as a new object in each search that lists it (a new search, or the cache
 * off). Each item of a media answer is replaced, before the read cache keeps the answer, by the object
 * kept for its id when the two are equal member by member: what was derived from that object — its
 * assembled parts and its normalized fields and JSON, kept by object — is reused without comparing or
 * allocating again, and the read cache holds one copy of an asset across the answers that list it
 * instead of one per answer. A changed item becomes the kept one; answers cached before keep theirs.
 */
import { dequal } from "dequal/lite";
import { LRUCache } from "lru-cache";
import type { PsResource } from "./client";

/** Media items kept by id (each a few KB; the assets a library's searches keep coming back to). */
const KEPT_MEDIA = 2_000;

/** Equality of two values as JSON.parse makes them; members may come in any order. */
export const sameJson: (a: unknown, b: unknown) => boolean = dequal;

export class CanonicalMedia {
  private readonly kept = new LRUCache<string, PsResource>({ max: KEPT_MEDIA });

  /** The kept object when PhotoShelter sent this item unchanged; else this one, kept from now on. */
  one(item: PsResource): PsResource {
    if (!item || typeof item !== "object" || typeof item.id !== "string") return item;
    const known = this.kept.get(item.id);
    if (known && sameJson(known, item)) return known;
    this.kept.set(item.id, item);
    return item;
  }

  /** The items of a list answer, each replaced in place by its kept object where unchanged. */
  list<T extends { data?: unknown }>(answer: T): T {
    if (Array.isArray(answer.data)) for (let i = 0; i < answer.data.length; i++) answer.data[i] = this.one(answer.data[i] as PsResource);
    return answer;
  }
}
