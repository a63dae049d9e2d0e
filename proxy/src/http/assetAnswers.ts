/**
 * Assets as the API answers them, at the least cost per request. What an asset says does not depend
 * on who asks: each PhotoShelter media item is normalized and serialized to JSON once per day (rights
 * depend on the date) — once per loaded object (the read cache hands out the same object until
 * PhotoShelter's answer changes), and once per asset when PhotoShelter sends it again unchanged in
 * another answer (a new search, or the cache off): its parts are compared with those it was made
 * from. What does depend on the user, the signed links, is made once per user, asset and expiry
 * window. An answer is these pieces joined: no serializer runs over a page of assets per request.
 * The pieces are kept as UTF-8 bytes, so an answer is one copy of them into one buffer, written to
 * the socket as it is (no string joined, flattened, measured and encoded again per request).
 */
import { LRUCache } from "lru-cache";
import type { Asset } from "../../../contract/proxyApi";
import type { MediaSigner } from "../media/signing";
import type { LoadedAsset } from "../photoshelter/mediaReads";
import { assetFields, type AssetFields } from "../photoshelter/normalize";
import { sameJson } from "../photoshelter/canonicalMedia";
import type { PsResource } from "../photoshelter/client";
import type { DirectoryUser } from "../policy/directory";

interface Prepared {
  day: string;
  fields: AssetFields;
  /** The fields' JSON without its closing brace (UTF-8): the links follow. */
  head: Buffer;
}

interface Links {
  thumbnailUrl: string;
  previewUrl: string;
  photoShelterUrl: string;
  /** The links' members of the asset's JSON and its closing brace (UTF-8). */
  tail: Buffer;
}

/** Signed link sets kept (user × asset, the current window): a page of results signs the same ones again and again. */
const LINK_SETS = 20_000;
/** Assets whose preparation is kept by id with the parts it was made from (each holds a few KB). */
const ASSETS_BY_ID = 2_000;

/** What an asset was prepared from: everything `assetFields` reads besides the day. */
interface Made {
  type: string;
  attributes: unknown;
  iptc: unknown;
  custom: unknown;
  prepared: Prepared;
}

export const dayOf = (today: Date) => today.toISOString().slice(0, 10);

/** A user's link sets of one expiry window and base URL, by asset id. */
interface UserLinks {
  userKey: string;
  exp: number;
  base: string;
  byId: Map<string, Links>;
}

/** One asset's JSON as UTF-8 bytes: its fields (the same for every user), then the user's links. */
export type AssetJson = readonly [head: Buffer, tail: Buffer];

const COMMA = Buffer.from(",");
const ITEMS_OPEN = Buffer.from('{"items":[');

/** Items' JSON between `open` and `close`, comma-separated, copied once into one buffer. */
function joined(items: readonly AssetJson[], close: string): Buffer {
  const end = Buffer.from(close);
  const parts: Buffer[] = [ITEMS_OPEN];
  let length = ITEMS_OPEN.length + end.length;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts.push(COMMA);
    parts.push(items[i][0], items[i][1]);
    length += items[i][0].length + items[i][1].length + (i > 0 ? 1 : 0);
  }
  parts.push(end);
  return Buffer.concat(parts, length);
}

/** One asset's JSON in one buffer. */
export const assetJson = (item: AssetJson): Buffer => Buffer.concat(item, item[0].length + item[1].length);

/** The contract's AssetPage as JSON, around the items' JSON (integers as the schema's serializer writes them). */
export function assetPageJson(items: readonly AssetJson[], page: { page: number; perPage: number; total: number; hasMore: boolean; hidden: number }): Buffer {
  return joined(items, `],"page":${Math.trunc(page.page)},"perPage":${Math.trunc(page.perPage)},"total":${Math.trunc(page.total)},"hasMore":${page.hasMore},"hidden":${Math.trunc(page.hidden)}}`);
}

/** The contract's BatchResponse as JSON, around the items' JSON. */
export function batchJson(items: readonly AssetJson[], missing: readonly string[]): Buffer {
  return joined(items, `],"missing":${JSON.stringify(missing)}}`);
}

export class AssetAnswers {
  private readonly prepared = new WeakMap<PsResource, Prepared>();
  private readonly byId = new LRUCache<string, Made>({ max: ASSETS_BY_ID });
  /** Per user key: the link sets of the current window; all are let go when LINK_SETS are held. */
  private readonly links = new Map<string, UserLinks>();
  private linkCount = 0;

  constructor(
    private readonly signer: MediaSigner,
    /** Absolute base URL of this proxy as browsers reach it. */
    private readonly publicUrl: () => string,
    private readonly photoShelterUrl: (id: string) => string,
  ) {}

  /** Answers for one request of one user (the day and the user's key worked out once). */
  forUser(user: DirectoryUser, today: Date = new Date()): UserAssets {
    return new UserAssets(this, this.linksFor(this.signer.userKey(user.systemUserId)), today);
  }

  /** The normalized fields of a loaded asset and their JSON, made once per asset and day while its parts stay the same. */
  preparedOf(loaded: LoadedAsset, today: Date, day: string): Prepared {
    const { media, iptc, custom } = loaded;
    const known = this.prepared.get(media);
    if (known && known.day === day) return known;
    const before = this.byId.get(media.id);
    let prepared: Prepared;
    if (before && before.prepared.day === day && before.type === media.type && sameJson(before.attributes, media.attributes) && sameJson(before.iptc, iptc) && sameJson(before.custom, custom)) {
      prepared = before.prepared;
    } else {
      const fields = assetFields(loaded, today);
      prepared = { day, fields, head: Buffer.from(JSON.stringify(fields).slice(0, -1)) };
      this.byId.set(media.id, { type: media.type, attributes: media.attributes, iptc, custom, prepared });
    }
    this.prepared.set(media, prepared);
    return prepared;
  }

  /** A user's link sets for the current expiry window and base URL (worked out once per request). */
  linksFor(userKey: string): UserLinks {
    const exp = this.signer.expiry();
    const base = this.publicUrl();
    let known = this.links.get(userKey);
    if (!known || known.exp !== exp || known.base !== base) {
      if (known) this.linkCount -= known.byId.size;
      known = { userKey, exp, base, byId: new Map() };
      this.links.set(userKey, known);
    }
    return known;
  }

  /** A user's signed links to an asset for the window `user` was worked out for. */
  linksOf(user: UserLinks, id: string): Links {
    const made = user.byId.get(id);
    if (made) return made;
    const { exp, base, userKey } = user;
    const url = (size: "thumb" | "preview") => `${base}/v1/media/${id}/${size}?${this.signer.sign(id, size, userKey, exp)}`;
    const thumbnailUrl = url("thumb");
    const previewUrl = url("preview");
    const photoShelterUrl = this.photoShelterUrl(id);
    const tail = Buffer.from(`,"thumbnailUrl":${JSON.stringify(thumbnailUrl)},"previewUrl":${JSON.stringify(previewUrl)},"photoShelterUrl":${JSON.stringify(photoShelterUrl)}}`);
    const links = { thumbnailUrl, previewUrl, photoShelterUrl, tail };
    if (this.linkCount >= LINK_SETS) {
      // Let every user's sets go at once (each is one signature away); a request under way keeps its own.
      this.links.clear();
      this.linkCount = 0;
      this.links.set(userKey, user);
    }
    user.byId.set(id, links);
    this.linkCount++;
    return links;
  }
}

/** One request's view: the contract's Asset for loaded assets, as an object or as JSON bytes. */
export class UserAssets {
  private readonly day: string;

  constructor(
    private readonly answers: AssetAnswers,
    private readonly links: UserLinks,
    private readonly today: Date,
  ) {
    this.day = dayOf(today);
  }

  fields(loaded: LoadedAsset): AssetFields {
    return this.answers.preparedOf(loaded, this.today, this.day).fields;
  }

  /** The asset's JSON (the contract's Asset, members in its order), in its two pieces. */
  json(loaded: LoadedAsset): AssetJson {
    const prepared = this.answers.preparedOf(loaded, this.today, this.day);
    return [prepared.head, this.answers.linksOf(this.links, prepared.fields.id).tail];
  }

  asset(loaded: LoadedAsset): Asset {
    const fields = this.fields(loaded);
    const { thumbnailUrl, previewUrl, photoShelterUrl } = this.answers.linksOf(this.links, fields.id);
    return { ...fields, thumbnailUrl, previewUrl, photoShelterUrl };
  }
}
