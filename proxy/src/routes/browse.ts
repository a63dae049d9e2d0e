/**
 * Browse, search, asset detail and batch get. Every answer is filtered by the access policy for the
 * host record; an asset or container outside it is "not found", never "forbidden".
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import {
  Asset,
  AssetPage,
  AssetParams,
  BatchRequest,
  BatchResponse,
  Container,
  ContainerPage,
  ContainersQuery,
  ErrorBody,
  RecordQuery,
  SearchQuery,
} from "../../../contract/proxyApi";
import type { Static } from "@sinclair/typebox";
import { isUsable, RightsStatus } from "../../../contract/rights";
import { assetJson, type AssetJson, assetPageJson, batchJson } from "../http/assetAnswers";
import { userOf } from "../http/auth";
import type { PsResource } from "../photoshelter/client";
import type { LoadedAsset } from "../photoshelter/library";
import { included, toContainer } from "../photoshelter/normalize";
import { distinctIds } from "../http/limits";
import { documented } from "../http/openapi";
import type { Access } from "../policy/accessPolicy";
import { notFound } from "../errors";
import { mediaUrl, ProxyServices } from "../services";

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody, 502: ErrorBody, 503: ErrorBody, 504: ErrorBody };
const auth = { auth: true };
/** Upstream look-ups one batch runs at the same time. */
const BATCH_CONCURRENCY = 16;

function page<T>(items: T[], pageNumber: number, perPage: number) {
  const start = (pageNumber - 1) * perPage;
  return { items: items.slice(start, start + perPage), page: pageNumber, perPage, total: items.length, hasMore: start + perPage < items.length };
}

const count = (value: unknown): number => {
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : 0;
};

/** Sends JSON bytes made from pre-serialized assets (the route's schema still documents it). */
function sendJson(reply: FastifyReply, json: Buffer): FastifyReply {
  return reply.type("application/json; charset=utf-8").send(json);
}

/** The galleries an access covers, sorted (the search scope), worked out once per access. */
const galleryScopes = new WeakMap<Access, string[]>();
function galleriesOf(access: Access): string[] {
  let scope = galleryScopes.get(access);
  if (!scope) {
    scope = [...access.visible].filter((id) => id.startsWith("G")).sort();
    galleryScopes.set(access, scope);
  }
  return scope;
}

/** Runs `work` over items with at most `limit` in flight, keeping the order. */
export async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  });
  await Promise.all(lanes);
  return results;
}

export function browseRoutes(app: FastifyInstance, services: ProxyServices): void {
  const { policy, library } = services;

  const accessOf = (request: { user: unknown; query: unknown }) => policy.forRecord(userOf(request as never), (request.query as { record: string }).record);

  const containerOf = (resource: PsResource, parentId: string | null, user: ReturnType<typeof userOf>): Container => {
    const counts = included(resource, "child-count") ?? {};
    const keyImage = included(resource, "key-image");
    const keyImageId = (keyImage?.image_id as string | undefined) ?? (resource.attributes?.key_image_id as string | undefined) ?? null;
    const gallery = resource.id.startsWith("G");
    return toContainer(resource, parentId, { childCount: gallery ? 0 : count(counts.total), mediaCount: gallery ? count(counts.total) : 0, keyImageId }, { media: (id, size) => mediaUrl(services, user, id, size) });
  };

  /** Loads assets and keeps those the record's segment may see; the rest are reported missing. */
  async function visibleAssets(access: Access, ids: string[]): Promise<{ found: LoadedAsset[]; missing: string[] }> {
    const loaded = await mapLimited(ids, BATCH_CONCURRENCY, (id) => library.asset(id));
    const found: LoadedAsset[] = [];
    const missing: string[] = [];
    loaded.forEach((asset, i) => (asset && policy.canSeeAsset(access, asset.galleryIds) ? found.push(asset) : missing.push(ids[i])));
    return { found, missing };
  }

  app.get<{ Querystring: Static<typeof ContainersQuery> }>(
    "/v1/containers",
    { config: auth, schema: documented({ summary: "Collections and galleries under a parent (top level when no parentId)", tags: ["browse"], querystring: ContainersQuery, response: { 200: ContainerPage, ...errors } }) },
    async (request) => {
      const user = userOf(request);
      const access = await accessOf(request);
      const { parentId, page: pageNumber = 1, perPage = 50 } = request.query;
      let containers: Container[];
      if (parentId) {
        policy.assertVisible(access, parentId);
        containers = (await library.children(parentId)).filter((child) => access.visible.has(child.id)).map((child) => containerOf(child, parentId, user));
      } else {
        const roots = await Promise.all(access.roots.map((id) => library.container(id)));
        containers = roots.filter((root): root is PsResource => root !== null).map((root) => containerOf(root, null, user));
        containers.sort((a, b) => a.name.localeCompare(b.name));
      }
      return page(containers, pageNumber, perPage);
    },
  );

  app.get<{ Querystring: Static<typeof SearchQuery> }>(
    "/v1/search",
    {
      config: auth,
      schema: documented({
        summary: "Search assets the record's segment may see",
        description: "Expired, restricted and retired assets are left out unless includeRestricted=true. `total` counts matches before that rights filter and the user's access, `hidden` how many of this page's matches they left out; `hasMore` says whether another page exists.",
        tags: ["browse"],
        querystring: SearchQuery,
        response: { 200: AssetPage, ...errors },
      }),
    },
    async (request, reply) => {
      const user = userOf(request);
      const access = await accessOf(request);
      const q = request.query;
      const pageNumber = q.page ?? 1;
      const perPage = q.perPage ?? 50;
      let scope = galleriesOf(access);
      if (q.containerId) {
        policy.assertVisible(access, q.containerId);
        scope = q.containerId.startsWith("G") ? [q.containerId] : (await library.descendants(q.containerId)).filter((id) => id.startsWith("G") && access.visible.has(id)).sort();
      }
      if (scope.length === 0) return { items: [], page: pageNumber, perPage, total: 0, hasMore: false, hidden: 0 };
      const result = await library.search({ terms: q.q?.trim() || undefined, mediaType: q.mediaType, galleries: scope, orientation: q.orientation, from: q.from, to: q.to, sort: q.sort ?? "relevance", page: pageNumber, perPage });
      const wanted = q.rights ? new Set(q.rights.split(",") as RightsStatus[]) : null;
      const assets = services.assets.forUser(user);
      const items: AssetJson[] = [];
      for (const loaded of result.items) {
        if (!policy.canSeeAsset(access, loaded.galleryIds)) continue;
        const { status } = assets.fields(loaded).rights;
        if ((wanted && !wanted.has(status)) || (!q.includeRestricted && !isUsable(status))) continue;
        items.push(assets.json(loaded));
      }
      return sendJson(reply, assetPageJson(items, { page: pageNumber, perPage, total: result.total, hasMore: pageNumber * perPage < result.total, hidden: result.items.length - items.length }));
    },
  );

  app.get<{ Params: Static<typeof AssetParams>; Querystring: Static<typeof RecordQuery> }>(
    "/v1/assets/:id",
    { config: auth, schema: documented({ summary: "One asset (404 when unknown or outside the record's segment)", tags: ["assets"], params: AssetParams, querystring: RecordQuery, response: { 200: Asset, ...errors } }) },
    async (request, reply) => {
      const access = await accessOf(request);
      const { found } = await visibleAssets(access, [request.params.id]);
      if (found.length === 0) throw notFound();
      return sendJson(reply, assetJson(services.assets.forUser(userOf(request)).json(found[0])));
    },
  );

  app.post<{ Body: Static<typeof BatchRequest>; Querystring: Static<typeof RecordQuery> }>(
    "/v1/assets/batch",
    // Each id may be a PhotoShelter call: the caller's budget pays for all of them, so one user cannot spend the organization's rate limit.
    { config: { ...auth, cost: distinctIds }, schema: documented({ summary: "Many assets in one call (the linked assets of a form)", tags: ["assets"], querystring: RecordQuery, body: BatchRequest, response: { 200: BatchResponse, ...errors } }) },
    async (request, reply) => {
      const access = await accessOf(request);
      const assets = services.assets.forUser(userOf(request));
      const ids = [...new Set(request.body.ids)];
      const { found, missing } = await visibleAssets(access, ids);
      return sendJson(reply, batchJson(found.map((asset) => assets.json(asset)), missing));
    },
  );
}
