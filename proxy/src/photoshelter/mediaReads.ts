/**
 * Media with their IPTC, custom metadata and galleries, read so that the proxy never depends on a
 * parameter no real client confirms. The confirmed routes are the baseline: `/media/{id}/iptc`
 * (PhotoShelter's WordPress plugin, assets/dist/js/library.js), `/media/{id}/custom-metadata` and
 * `/media/{id}/galleries?include=gallery` (`brnco/natlaqua_migration` photoshelter.py). Asking for
 * the same data inline (`include=iptc,custom_metadata,galleries`) is only an optimization: the first
 * media read of each PhotoShelter session shows which includes come back; the ones that do not are
 * no longer asked for in that session (logged once), and every item that lacks a part gets it from
 * its sub-resource — through the read cache (coalesced, TTL) and at most READ_CONCURRENCY at a time.
 */
import type { Logger } from "pino";
import type { PsResource } from "./client";
import { attributesOf, type AssetParts } from "./normalize";

export interface LoadedAsset extends AssetParts {
  galleryIds: string[];
}

/** What MediaReads needs from the client: cached v4 GETs (null for 404). */
export interface MediaSource {
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T | null>;
  /** The cached answer while fresh, without reading (undefined when it would have to be read); absent when nothing is cached. */
  peek?<T>(path: string, query?: Record<string, string | number | undefined>): T | null | undefined;
}

/** Which PhotoShelter session the reads belong to; a new session verifies the includes again. */
export interface SessionGeneration {
  readonly generation: number;
  /** Resolves once a session is established (at once when one is). */
  ready(): Promise<unknown>;
}

interface Part {
  /** The include name asked for inline. */
  include: string;
  /** Names the part may come back under inside `includes`. */
  keys: readonly string[];
  /** The confirmed sub-resource and its query. */
  path: (id: string) => string;
  query?: Record<string, string | number>;
}

const PARTS = {
  iptc: { include: "iptc", keys: ["iptc"], path: (id: string) => `/media/${id}/iptc` },
  custom: { include: "custom_metadata", keys: ["custom_metadata", "custom-metadata"], path: (id: string) => `/media/${id}/custom-metadata` },
  galleries: { include: "galleries", keys: ["galleries"], path: (id: string) => `/media/${id}/galleries`, query: { include: "gallery", per_page: 100 } },
} satisfies Record<string, Part>;
type PartName = keyof typeof PARTS;
const PART_NAMES = Object.keys(PARTS) as PartName[];

/** Sub-resource reads in flight at once, across all requests (each is one upstream call when not cached). */
const READ_CONCURRENCY = 16;

/** Runs at most `limit` reads at a time; the rest wait their turn. */
export class ReadLimiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit = READ_CONCURRENCY) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

type Support = "unknown" | "honoured" | "ignored";

/** One item's parts as they came back (inline or from a sub-resource), and what was assembled from them. */
interface Assembly {
  iptc: unknown;
  custom: unknown;
  galleries: unknown;
  /** All parts were inside the resource itself, so they cannot change while it is cached. */
  inline: boolean;
  loaded: LoadedAsset;
}

const inlinePart = (resource: PsResource, part: Part): unknown => {
  for (const key of part.keys) if (resource.includes && key in resource.includes) return resource.includes[key];
  return undefined;
};

/** A search hit may carry only id, type and file name (the draft's search items); then /media/{id} is read. */
const isThin = (resource: PsResource) => !resource.attributes || (resource.attributes.created_at === undefined && resource.attributes.uploaded_at === undefined);

function galleryIdsOf(value: unknown): string[] {
  const data = (value as { data?: unknown } | null)?.data;
  return Array.isArray(data) ? data.map((g) => String((g as { id?: unknown })?.id)).filter((id) => id !== "undefined") : [];
}

export class MediaReads {
  private support = new Map<PartName, Support>();
  private generation = -1;
  private includeParam: string | undefined;
  /** Include names already reported as ignored (the warning is logged once per process). */
  private readonly reported = new Set<string>();
  private readonly assembled = new WeakMap<PsResource, Assembly>();
  private readonly limiter = new ReadLimiter();

  constructor(
    private readonly source: MediaSource,
    private readonly session: SessionGeneration,
    private readonly log: Logger,
  ) {
    this.reset();
  }

  /** The `include=` value to send on media reads now: every part not known to be ignored in this session. */
  async include(): Promise<string | undefined> {
    await this.session.ready();
    this.sync();
    return this.includeParam;
  }

  /** Is PhotoShelter known to answer this part inline in the current session? (for tests and /readyz) */
  supports(part: PartName): Support {
    this.sync();
    return this.support.get(part)!;
  }

  /**
   * Completes media resources (one media read or a search page) into assets: inline parts where they
   * came back, sub-resources for the rest. The response that asked for includes also settles, once per
   * session, which includes PhotoShelter honours.
   */
  async complete(resources: PsResource[], requested: string | undefined): Promise<LoadedAsset[]> {
    this.observe(resources, requested);
    // Items that came complete (the includes answered), or whose other parts the read cache holds fresh,
    // are assembled at once, without awaiting anything.
    const ready = resources.map((resource) => this.inlineAssembly(resource) ?? this.cachedAssembly(resource));
    if (ready.every((loaded) => loaded !== null)) return ready as LoadedAsset[];
    return Promise.all(resources.map((resource, i) => ready[i] ?? this.assemble(resource)));
  }

  private reset(): void {
    for (const name of PART_NAMES) this.support.set(name, "unknown");
    this.includeParam = PART_NAMES.map((name) => PARTS[name].include).join(",");
  }

  /** A new session verifies the includes again. */
  private sync(): void {
    if (this.generation === this.session.generation) return;
    this.generation = this.session.generation;
    this.reset();
  }

  private observe(resources: PsResource[], requested: string | undefined): void {
    this.sync();
    if (!requested || resources.length === 0) return;
    const asked = new Set(requested.split(","));
    let changed = false;
    for (const name of PART_NAMES) {
      const part = PARTS[name];
      if (!asked.has(part.include) || this.support.get(name) !== "unknown") continue;
      const present = resources.filter((resource) => inlinePart(resource, part) !== undefined).length;
      // Settled only when every item agrees; a mixed answer stays unknown (sub-resources fill the gaps).
      if (present === resources.length) this.support.set(name, "honoured");
      else if (present === 0) this.support.set(name, "ignored");
      else continue;
      changed = true;
    }
    if (!changed) return;
    const kept = PART_NAMES.filter((name) => this.support.get(name) !== "ignored");
    this.includeParam = kept.length ? kept.map((name) => PARTS[name].include).join(",") : undefined;
    const ignored = PART_NAMES.filter((name) => this.support.get(name) === "ignored" && !this.reported.has(name));
    if (ignored.length) {
      for (const name of ignored) this.reported.add(name);
      this.log.warn(
        { upstream: "PhotoShelter", ignored: ignored.map((name) => PARTS[name].include), reading: ignored.map((name) => PARTS[name].path("{id}")) },
        "PhotoShelter does not answer these includes; reading the sub-resources instead",
      );
    }
  }

  /** The asset of a resource that carries every part itself, or null when something must be read. */
  private inlineAssembly(resource: PsResource): LoadedAsset | null {
    const known = this.assembled.get(resource);
    if (known?.inline) return known.loaded;
    if (isThin(resource)) return null;
    const [iptc, custom, galleries] = PART_NAMES.map((name) => inlinePart(resource, PARTS[name]));
    if (iptc === undefined || custom === undefined || galleries === undefined) return null;
    return this.remember(resource, iptc, custom, galleries);
  }

  /** The asset of a full resource whose missing parts are all in the read cache and fresh, or null. */
  private cachedAssembly(resource: PsResource): LoadedAsset | null {
    const peek = this.source.peek?.bind(this.source);
    if (!peek || isThin(resource)) return null;
    const parts: unknown[] = [];
    for (const name of PART_NAMES) {
      const part: Part = PARTS[name];
      const value = inlinePart(resource, part) ?? peek(part.path(resource.id), part.query);
      if (value === undefined) return null;
      parts.push(value ?? null);
    }
    return this.remember(resource, parts[0], parts[1], parts[2]);
  }

  private async assemble(resource: PsResource): Promise<LoadedAsset> {
    const media = isThin(resource) ? ((await this.limiter.run(() => this.source.get<{ data?: PsResource }>(`/media/${resource.id}`)))?.data ?? resource) : resource;
    const [iptc, custom, galleries] = await Promise.all(PART_NAMES.map((name) => this.part(resource, media, PARTS[name])));
    return this.remember(media, iptc, custom, galleries);
  }

  /** The asset assembled from these parts: the one made before when none of them changed. */
  private remember(media: PsResource, iptc: unknown, custom: unknown, galleries: unknown): LoadedAsset {
    const known = this.assembled.get(media);
    if (known && known.iptc === iptc && known.custom === custom && known.galleries === galleries) return known.loaded;
    const inline = iptc === inlinePart(media, PARTS.iptc) && custom === inlinePart(media, PARTS.custom) && galleries === inlinePart(media, PARTS.galleries);
    const loaded: LoadedAsset = {
      // A resource completed from sub-resources gets its own object, so what is derived from it (the
      // normalized asset) is derived again when a part changes.
      media: inline ? media : { ...media },
      iptc: attributesOf(iptc),
      custom: attributesOf(custom),
      galleryIds: galleryIdsOf(galleries),
    };
    this.assembled.set(media, { iptc, custom, galleries, inline, loaded });
    return loaded;
  }

  /** A part inline on the hit or on the full media resource, else from its sub-resource (cached). */
  private async part(hit: PsResource, media: PsResource, part: Part): Promise<unknown> {
    const inline = inlinePart(media, part) ?? inlinePart(hit, part);
    if (inline !== undefined) return inline;
    return (await this.limiter.run(() => this.source.get(part.path(media.id), part.query))) ?? null;
  }
}
