/**
 * Key images of collections and galleries without depending on `include=key-image`, a name no real
 * client confirms: a container that carries neither the include nor a `key_image_id` attribute (the
 * draft spec gives galleries one, collections none) gets its key image from `/collections/{id}/key-image`
 * or `/galleries/{id}/key-image` — the route PhotoShelter's WordPress plugin reads
 * (assets/dist/js/library.js) — through the read cache, at most 16 reads in flight.
 */
import type { PsResource } from "./client";
import { ReadLimiter, type MediaSource } from "./mediaReads";

const KEY = "key-image";

export class KeyImages {
  private readonly completed = new WeakMap<PsResource, { answer: unknown; resource: PsResource }>();
  private readonly limiter = new ReadLimiter();

  constructor(private readonly source: MediaSource) {}

  /** The containers, each with `includes["key-image"]` when PhotoShelter has a key image for it. */
  complete(resources: PsResource[]): Promise<PsResource[]> {
    return Promise.all(resources.map((resource) => this.one(resource)));
  }

  private async one(resource: PsResource): Promise<PsResource> {
    if (resource.includes?.[KEY] !== undefined || resource.attributes?.key_image_id) return resource;
    const path = `/${resource.id.startsWith("G") ? "galleries" : "collections"}/${resource.id}/${KEY}`;
    const answer = await this.limiter.run(() => this.source.get<{ data?: unknown }>(path));
    const known = this.completed.get(resource);
    if (known && known.answer === answer) return known.resource;
    // A copy, so the cached resource stays as PhotoShelter sent it and a changed answer is seen.
    const completed: PsResource = { ...resource, includes: { ...resource.includes, [KEY]: { data: answer?.data ?? null } } };
    this.completed.set(resource, { answer, resource: completed });
    return completed;
  }
}
