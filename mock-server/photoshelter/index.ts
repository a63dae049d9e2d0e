/**
 * PhotoShelter route group: PSAPI v4 under /psapi/v4.0, the v3 calls under /psapi/v3 (and /psapi/v3.0),
 * the image CDN (/img-get2, /img-get, /media-get) and PhotoShelter's own admin read-outs under
 * /__admin/photoshelter. Every /psapi call needs the api key; errors use each version's shape.
 */
import multipart from "@fastify/multipart";
import { Type } from "@sinclair/typebox";
import { FastifyError, FastifyInstance } from "fastify";
import { adminOf, strictValidator } from "../admin";
import type { RouteGroup } from "../context";
import { authRoutes } from "./authRoutes";
import { browseRoutes } from "./browseRoutes";
import { cdnRoutes } from "./cdnRoutes";
import { PsError, psErrorBody } from "./envelope";
import { inferredRoutes } from "./inferredRoutes";
import { mediaRoutes } from "./mediaRoutes";
import { PhotoShelterState, createState, resetState } from "./state";
import { v3ErrorBody, v3Routes } from "./v3Routes";
import { MAX_UPLOAD_BYTES } from "./writes";

export { photoShelterOf } from "./state";
export type { PhotoShelterState } from "./state";

const FORM = "application/x-www-form-urlencoded";

/** Any error a handler or Fastify raises, as a PsError (validation → 400, body too large → 413, the rest → 500). */
function asPsError(error: FastifyError | PsError): PsError {
  if (error instanceof PsError) return error;
  const status = error.statusCode ?? 500;
  if (status === 413) return new PsError(413, "PayloadTooLargeException", "Payload too large", error.message);
  if (status === 415) return new PsError(415, "UnsupportedMediaTypeException", "Unsupported media type", error.message);
  if (status >= 400 && status < 500) return new PsError(status, "BadRequestException", "Bad Request", error.message);
  return new PsError(500, "ServiceException", "Internal Server Error", error.message);
}

/** What both API versions share: form bodies, the api key check and error bodies in the version's shape. */
async function apiScope(scope: FastifyInstance, state: () => PhotoShelterState, errorBody: (error: PsError) => unknown) {
  if (!scope.hasContentTypeParser(FORM)) scope.addContentTypeParser(FORM, { parseAs: "string" }, (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));
  scope.addHook("onRequest", async (request, reply) => {
    if (!state().auth.validApiKey(request)) {
      const error = new PsError(403, "ApiKeyInvalidException", "Missing or invalid API key", "Missing or invalid API key");
      return reply.code(403).send(errorBody(error));
    }
  });
  scope.setErrorHandler((error: FastifyError | PsError, _request, reply) => {
    const ps = asPsError(error);
    for (const [name, value] of Object.entries(ps.headers)) reply.header(name, value);
    return reply.code(ps.status).send(errorBody(ps));
  });
  scope.setNotFoundHandler((request, reply) => reply.code(404).send(errorBody(new PsError(404, "ResourceNotFoundException", "Resource not found", `No route ${request.method} ${request.url.split("?")[0]}.`))));
}

export const photoShelterRoutes: RouteGroup = async (app, context) => {
  const initial = createState(context);
  const state = () => initial;
  const admin = adminOf(context);
  admin.setErrorFormat("/psapi/v3", (status, title, detail) => ({ status: "error", error: { code: status === 429 ? "TooManyRequestsException" : "ServiceException", message: `${title}: ${detail}` } }));
  admin.setErrorFormat("/psapi/", (status, title, detail) => psErrorBody(status, status === 429 ? "TooManyRequestsException" : "ServiceException", title, detail));
  admin.setErrorFormat("/img-get", (status, title, detail) => psErrorBody(status, "ServiceException", title, detail));
  admin.onReset(({ seed, media }) => resetState(initial, seed, media));

  await app.register(
    async (v4) => {
      v4.setValidatorCompiler(strictValidator);
      await apiScope(v4, state, (error) => psErrorBody(error.status, error.id, error.title, error.detail));
      // meta.rate_limit on every v4 envelope, from the per-key limit the admin group keeps.
      v4.addHook("preSerialization", async (request, _reply, payload) => {
        const limit = admin.rateLimitState(request);
        if (!limit || !payload || typeof payload !== "object" || !("meta" in payload)) return payload;
        const body = payload as { meta: Record<string, unknown> };
        return { ...body, meta: { ...body.meta, rate_limit: limit } };
      });
      await authRoutes(v4, state);
      browseRoutes(v4, state);
      mediaRoutes(v4, state);
      inferredRoutes(v4, state);
    },
    { prefix: "/psapi/v4.0" },
  );

  for (const prefix of ["/psapi/v3", "/psapi/v3.0"]) {
    await app.register(
      async (v3) => {
        await v3.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 20 } });
        await apiScope(v3, state, v3ErrorBody);
        v3Routes(v3, state);
      },
      { prefix },
    );
  }

  await app.register(async (cdn) => cdnRoutes(cdn, state));

  await app.register(
    async (ps) => {
      ps.setValidatorCompiler(strictValidator);
      const UsageQuery = Type.Object(
        { media_id: Type.Optional(Type.String()), from: Type.Optional(Type.String({ format: "date" })), to: Type.Optional(Type.String({ format: "date" })) },
        { additionalProperties: false },
      );
      ps.get("/usage", { schema: { querystring: UsageQuery } }, async (request) => {
        const q = request.query as { media_id?: string; from?: string; to?: string };
        const items = state().usage.list({ mediaId: q.media_id, from: q.from, to: q.to });
        return { total: items.length, items };
      });
      ps.put("/oauth", { schema: { body: Type.Object({ accessTokenTtlSeconds: Type.Integer({ minimum: 1, maximum: 86400 * 30 }) }, { additionalProperties: false }) } }, async (request) => {
        state().auth.accessTokenTtlSeconds = (request.body as { accessTokenTtlSeconds: number }).accessTokenTtlSeconds;
        return { accessTokenTtlSeconds: state().auth.accessTokenTtlSeconds };
      });
      ps.put("/includes", { schema: { body: Type.Object({ strict: Type.Boolean() }, { additionalProperties: false }) } }, async (request) => {
        state().strictIncludes = (request.body as { strict: boolean }).strict;
        return { strict: state().strictIncludes };
      });
      ps.post("/tokens/expire", { schema: { body: Type.Optional(Type.Object({ token: Type.Optional(Type.String()) }, { additionalProperties: false })) } }, async (request) => ({
        expired: state().auth.expireAccessTokens((request.body as { token?: string } | undefined)?.token),
      }));
      // What a person does in PhotoShelter's web app and the API cannot: delete an asset.
      ps.delete("/media/:id", async (request, reply) => {
        if (!state().library.deleteMedia((request.params as { id: string }).id)) return reply.code(404).send({ error: "no such media" });
        return reply.code(204).send();
      });
      ps.get("/library", async () => {
        const library = state().library;
        const byType: Record<string, number> = {};
        for (const m of library.media) byType[m.type] = (byType[m.type] ?? 0) + 1;
        return { seed: library.seed, media: library.media.length, byType, collections: [...library.containers.values()].filter((c) => c.kind === "collection").length, galleries: [...library.containers.values()].filter((c) => c.kind === "gallery").length };
      });
    },
    { prefix: "/__admin/photoshelter" },
  );
};

