/**
 * What the control asks about the record itself, served by the automation's own services (one
 * piece of work for a click and for a webhook): a campaign's or event's collection (read, create and
 * link), the media added to an event's collection since it started, and the assets suggested for an
 * account. Every answer is limited to what the record's segment lets this user see.
 */
import type { Static } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { ErrorBody, RecordAdditions, RecordCollection, RecordQuery, Suggestions, SuggestionsQuery } from "../../../contract/proxyApi";
import { matchAssetsForAccount, segmentLabels } from "../automation/accountMatching";
import { mediaAddedSince } from "../automation/eventAdditions";
import { ProxyError } from "../errors";
import { userOf } from "../http/auth";
import { documented } from "../http/openapi";
import { assetFor, ProxyServices } from "../services";

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody, 502: ErrorBody, 503: ErrorBody, 504: ErrorBody };
const auth = { auth: true };
/** Most media "New since the event" lists. */
const ADDITIONS_MAX = 100;

export function recordRoutes(app: FastifyInstance, services: ProxyServices): void {
  const { policy, library, recordCollections } = services;

  app.get<{ Querystring: Static<typeof RecordQuery> }>(
    "/v1/collection",
    { config: auth, schema: documented({ summary: "The record's own collection (campaigns, events): link row, sync status and what the collection carries", tags: ["records"], querystring: RecordQuery, response: { 200: RecordCollection, ...errors } }) },
    async (request) => {
      const access = await policy.forRecord(userOf(request), request.query.record);
      return recordCollections.read(access.record);
    },
  );

  app.post<{ Querystring: Static<typeof RecordQuery> }>(
    "/v1/collection",
    {
      config: auth,
      schema: documented({
        summary: "Create (when missing) and link the record's collection, as the automation does when the record is saved",
        description: "Idempotent: a record never gets a second collection. 201 when a collection was created, 200 when it existed.",
        tags: ["records"],
        querystring: RecordQuery,
        response: { 200: RecordCollection, 201: RecordCollection, ...errors },
      }),
    },
    async (request, reply) => {
      const access = await policy.forRecord(userOf(request), request.query.record, "collection");
      const { created, value } = await recordCollections.sync(access.record);
      // The new collection is below a granted parent: what this record may see has changed.
      services.policyCache.clear();
      reply.code(created ? 201 : 200);
      return value;
    },
  );

  app.get<{ Querystring: Static<typeof RecordQuery> }>(
    "/v1/collection/additions",
    { config: auth, schema: documented({ summary: "Media uploaded into an event's collection since the event started", tags: ["records"], querystring: RecordQuery, response: { 200: RecordAdditions, ...errors } }) },
    async (request) => {
      const user = userOf(request);
      const access = await policy.forRecord(user, request.query.record);
      const [facts, current] = await Promise.all([recordCollections.facts(access.record), recordCollections.read(access.record)]);
      if (!facts) throw new ProxyError("not_found", "Record not found");
      if (!facts.start || !current.link || !access.visible.has(current.link.containerId)) return { since: facts.start, items: [] };
      const added = await mediaAddedSince(library, current.link.containerId, new Date(facts.start), { limit: ADDITIONS_MAX });
      return { since: facts.start, items: added.filter((asset) => policy.canSeeAsset(access, asset.galleryIds)).map((asset) => assetFor(services, user, asset)) };
    },
  );

  app.get<{ Querystring: Static<typeof SuggestionsQuery> }>(
    "/v1/suggestions",
    { config: auth, schema: documented({ summary: "Approved, unexpired assets matching the account's industry, region, tier and product lines, best first", tags: ["records"], querystring: SuggestionsQuery, response: { 200: Suggestions, ...errors } }) },
    async (request) => {
      const user = userOf(request);
      const access = await policy.forRecord(user, request.query.record);
      const accountId = access.record.accountId;
      if (!accountId) return { items: [] };
      const segment = await services.policyCache.get(`segment:${accountId}`, () => services.directory.segment(accountId));
      if (!segment) return { items: [] };
      const galleries = [...access.visible].filter((id) => id.startsWith("G"));
      const matches = await matchAssetsForAccount(library, segmentLabels(segment), { galleries, limit: request.query.limit ?? 20 });
      return { items: matches.filter((match) => policy.canSeeAsset(access, match.asset.galleryIds)).map((match) => ({ asset: assetFor(services, user, match.asset), matched: match.matched })) };
    },
  );
}
