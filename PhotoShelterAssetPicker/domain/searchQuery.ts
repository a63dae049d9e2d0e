import type { Asset } from "../../contract/proxyApi";
import type { RightsStatus } from "../../contract/rights";

export type MediaType = Asset["mediaType"];
export type Orientation = NonNullable<Asset["orientation"]>;
export type SortOrder = "relevance" | "newest" | "oldest" | "name";

export const MEDIA_TYPES: readonly MediaType[] = ["image", "video", "audio", "document"];
export const ORIENTATIONS: readonly Orientation[] = ["landscape", "portrait", "square"];
export const SORT_ORDERS: readonly SortOrder[] = ["relevance", "newest", "oldest", "name"];
export const RIGHTS_FILTERS: readonly RightsStatus[] = ["approved", "expiring30", "expiring14", "expired", "restricted", "retired"];

/** What the person asked for in the browse panel. Empty strings mean "any". */
export interface SearchQuery {
  text: string;
  containerId: string | null;
  mediaType: MediaType | "";
  rights: RightsStatus | "";
  orientation: Orientation | "";
  /** YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
  sort: SortOrder;
  /** Expired, restricted and retired assets are hidden unless the person asks to see them. */
  includeRestricted: boolean;
}

export const EMPTY_QUERY: SearchQuery = {
  text: "",
  containerId: null,
  mediaType: "",
  rights: "",
  orientation: "",
  from: "",
  to: "",
  sort: "relevance",
  includeRestricted: false,
};

/** The filters sent as they are, under their own names. */
const FILTERS = ["containerId", "mediaType", "rights", "orientation", "from", "to"] as const;

/** Query-string parameters of `GET /v1/search` for a query; "any" filters are left out. */
export function searchParams(query: SearchQuery): Record<string, string> {
  const params: Record<string, string> = { sort: query.sort, includeRestricted: String(query.includeRestricted) };
  if (query.text.trim() !== "") params.q = query.text.trim();
  for (const filter of FILTERS) {
    const value = query[filter];
    if (value) params[filter] = value;
  }
  return params;
}

/** A stable cache key for a query (same filters → same key, whatever order they were set in). */
export function queryKey(query: SearchQuery): string {
  return new URLSearchParams(Object.entries(searchParams(query)).sort(([a], [b]) => a.localeCompare(b))).toString();
}
