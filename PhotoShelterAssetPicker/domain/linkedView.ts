import type { Asset } from "../../contract/proxyApi";
import type { RightsResult } from "../../contract/rights";
import type { LinkedAsset } from "./assetLinks";
import { isStale, storedRights } from "./rights";

/** One linked asset as shown: the stored row, what PhotoShelter says now, and what to badge. */
export interface LinkedAssetView {
  link: LinkedAsset;
  /** Live data from the proxy; undefined while loading, when the proxy is down or the asset is hidden. */
  live: Asset | undefined;
  /** The proxy would not return it: outside the user's segment, or gone from PhotoShelter. */
  unavailable: boolean;
  /** Live rights when known, else the stored ones. */
  rights: RightsResult;
  /** Live rights, expiry or version differ from what the row stored. */
  stale: boolean;
}

export function linkedAssetViews(links: readonly LinkedAsset[], live: ReadonlyMap<string, Asset>, missing: ReadonlySet<string>, today: Date): LinkedAssetView[] {
  return links.map((link) => {
    const asset = live.get(link.mediaId);
    return {
      link,
      live: asset,
      unavailable: missing.has(link.mediaId),
      rights: asset ? asset.rights : storedRights(link.storedRights, link.expiresOn, today),
      stale: asset ? isStale(link, asset) : false,
    };
  });
}
