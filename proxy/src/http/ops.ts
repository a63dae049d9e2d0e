/**
 * Operational and discovery endpoints: /healthz (process up), /readyz (ready or not, each check's and
 * the webhook's state: see readiness.ts), /v1/config (how the control gets a token) and /v1/openapi.json.
 */
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { ConfigResponse } from "../../../contract/proxyApi";
import type { ProxyServices } from "../services";
import { documented } from "./openapi";
import { publicReadiness, readinessOf, type Readiness } from "./readiness";

export function opsRoutes(app: FastifyInstance, services: ProxyServices, openApi: () => object): Readiness {
  app.get("/healthz", { schema: documented({ hide: true }) }, async () => ({ status: "ok" }));

  const readiness = readinessOf(services, app.log);
  app.get("/readyz", { schema: documented({ hide: true }) }, async (_request, reply) => {
    const details = await readiness.details();
    return reply.code(details.ready ? 200 : 503).send(publicReadiness(details));
  });

  app.get(
    "/v1/config",
    { schema: documented({ summary: "How the control signs in to the proxy, and upload limits", tags: ["config"], security: [], response: { 200: ConfigResponse } }) },
    async () => ({ signIn: services.config.signIn, upload: { maxBytes: services.config.upload.maxBytes, allowedTypes: services.config.upload.allowedTypes } }),
  );

  app.get("/v1/openapi.json", { schema: documented({ summary: "This document", tags: ["config"], security: [], response: { 200: Type.Object({}, { additionalProperties: true }) } }) }, async () => openApi());
  return readiness;
}
