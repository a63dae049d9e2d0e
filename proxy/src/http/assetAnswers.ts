/**
 * Assets as the API answers them, at the least cost per request. What an asset says does not depend
 * on who asks: each PhotoShelter media item is normalized and serialized to JSON once per day (rights
 * depend on the date) — once per loaded object (the read cache hands out the same object until
 * PhotoShelter's answer changes), and once per asset when PhotoShelter sends it again unchanged in
 * another answer (a new search, or the cache off): its parts are compared with those it was made
 * from. What does depend on the user, the signed links, is made once per user, asset and expiry
 * window. An answer is these pieces joined: no serializer runs over a page of assets per request.
 */
import { dequal } from "dequal/lite";
import { LRUCache } from "lru-cache";
import type { Asset } from "../../../contract/proxyApi";
import type { MediaSigner } from "../media/signing";
import type { LoadedAsset } from "../photoshelter/mediaReads";
import { assetFields, type AssetFields } from "../photoshelter/normalize";
import type { PsResource } from "../photoshelter/client";
import type { DirectoryUser } from "../policy/directory";

interface Prepared {
  day: string;
  fields: AssetFields;
  /** The fields' JSON without its closing brace: the links follow. */
  head: string;
}

interface Links {
  exp: number;
  base: string;
  thumbnailUrl: string;
  previewUrl: string;
  photoShelterUrl: string;
  /** The links' members of the asset's JSON and its closing brace. */
  tail: string;
}

/** Signed link sets kept (user × asset): a page of results signs the same ones again and again. */
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

/** The contract's AssetPage as JSON, around the items' JSON (integers as the schema's serializer writes them). */
export function assetPageJson(items: readonly string[], page: { page: number; perPage: number; total: number; hasMore: boolean; hidden: number }): string {
  return `{"items":[${items.join(",")}],"page":${Math.trunc(page.page)},"perPage":${Math.trunc(page.perPage)},"total":${Math.trunc(page.total)},"hasMore":${page.hasMore},"hidden":${Math.trunc(page.hidden)}}`;
}

/** The contract's BatchResponse as JSON, around the items' JSON. */
export function batchJson(items: readonly string[], missing: readonly string[]): string {
  return `{"items":[${items.join(",")}],"missing":${JSON.stringify(missing)}}`;
}

export class AssetAnswers {
  private readonly prepared = new WeakMap<PsResource, Prepared>();
  private readonly byId = new LRUCache<string, Made>({ max: ASSETS_BY_ID });
  private readonly links = new LRUCache<string, Links>({ max: LINK_SETS });

  constructor(
    private readonly signer: MediaSigner,
    /** Absolute base URL of this proxy as browsers reach it. */
    private readonly publicUrl: () => string,
    private readonly photoShelterUrl: (id: string) => string,
  ) {}

  /** Answers for one request of one user (the day and the user's key worked out once). */
  forUser(user: DirectoryUser, today: Date = new Date()): UserAssets {
    return new UserAssets(this, this.signer.userKey(user.systemUserId), today);
  }

  /** The normalized fields of a loaded asset and their JSON, made once per asset and day while its parts stay the same. */
  preparedOf(loaded: LoadedAsset, today: Date, day: string): Prepared {
    const { media, iptc, custom } = loaded;
    const known = this.prepared.get(media);
    if (known && known.day === day) return known;
    const before = this.byId.get(media.id);
    let prepared: Prepared;
    if (before && before.prepared.day === day && before.type === media.type && dequal(before.attributes, media.attributes) && dequal(before.iptc, iptc) && dequal(before.custom, custom)) {
      prepared = before.prepared;
    } else {
      const fields = assetFields(loaded, today);
      prepared = { day, fields, head: JSON.stringify(fields).slice(0, -1) };
      this.byId.set(media.id, { type: media.type, attributes: media.attributes, iptc, custom, prepared });
    }
    this.prepared.set(media, prepared);
    return prepared;
  }

  /** A user's signed links to an asset for the current expiry window. */
  linksOf(userKey: string, id: string): Links {
    const exp = this.signer.expiry();
    const base = this.publicUrl();
    const key = `${userKey}\n${id}`;
    const known = this.links.get(key);
    if (known && known.exp === exp && known.base === base) return known;
    const url = (size: "thumb" | "preview") => `${base}/v1/media/${id}/${size}?${this.signer.sign(id, size, userKey, exp)}`;
    const thumbnailUrl = url("thumb");
    const previewUrl = url("preview");
    const photoShelterUrl = this.photoShelterUrl(id);
    const tail = `,"thumbnailUrl":${JSON.stringify(thumbnailUrl)},"previewUrl":${JSON.stringify(previewUrl)},"photoShelterUrl":${JSON.stringify(photoShelterUrl)}}`;
    const made = { exp, base, thumbnailUrl, previewUrl, photoShelterUrl, tail };
    this.links.set(key, made);
    return made;
  }
}

/** One request's view: the contract's Asset for loaded assets, as an object or as JSON text. */
export class UserAssets {
  private readonly day: string;

  constructor(
    private readonly answers: AssetAnswers,
    private readonly userKey: string,
    private readonly today: Date,
  ) {
    this.day = dayOf(today);
  }

  fields(loaded: LoadedAsset): AssetFields {
    return this.answers.preparedOf(loaded, this.today, this.day).fields;
  }

  /** The asset's JSON (the contract's Asset, members in its order). */
  json(loaded: LoadedAsset): string {
    const prepared = this.answers.preparedOf(loaded, this.today, this.day);
    return prepared.head + this.answers.linksOf(this.userKey, prepared.fields.id).tail;
  }

  asset(loaded: LoadedAsset): Asset {
    const fields = this.fields(loaded);
    const { thumbnailUrl, previewUrl, photoShelterUrl } = this.answers.linksOf(this.userKey, fields.id);
    return { ...fields, thumbnailUrl, previewUrl, photoShelterUrl };
  }
}
