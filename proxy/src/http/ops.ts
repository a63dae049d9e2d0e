/**
 * Operational and discovery endpoints: /healthz (process up), /readyz (PhotoShelter, Dataverse, the
 * token issuer and the state store reachable; and the webhook's service endpoint as Dataverse has it,
 * reported without deciding readiness), /v1/config (how the control gets a token) and /v1/openapi.json.
 */
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { ConfigResponse } from "../../../contract/proxyApi";
import type { ProxyServices } from "../services";
import { documented } from "./openapi";

const READY_CACHE_MS = 5000;

export function opsRoutes(app: FastifyInstance, services: ProxyServices, openApi: () => object): void {
  app.get("/healthz", { schema: documented({ hide: true }) }, async () => ({ status: "ok" }));

  let lastReady: { at: number; status: number; body: object } | null = null;
  app.get("/readyz", { schema: documented({ hide: true }) }, async (_request, reply) => {
    if (!lastReady || Date.now() - lastReady.at > READY_CACHE_MS) {
      const check = (probe: () => Promise<unknown>) =>
        probe().then(
          () => "ok",
          (error: unknown) => `failing: ${error instanceof Error ? error.message : String(error)}`,
        );
      const [photoShelter, dataverse, issuer, state] = await Promise.all([
        check(() => services.library.topLevel()),
        check(() => services.directory.ready()),
        check(() => services.tokens.ready()),
        check(() => services.state.ping()),
      ]);
      const ok = photoShelter === "ok" && dataverse === "ok" && issuer === "ok" && state === "ok";
      lastReady = { at: Date.now(), status: ok ? 200 : 503, body: { status: ok ? "ready" : "not ready", checks: { photoShelter, dataverse, issuer, state } } };
    }
    // The webhook is reported (on its own schedule, WEBHOOK_CHECK_SECONDS), never a reason to take the
    // instance out of rotation: the control works without it.
    const webhook = await services.webhookEndpoint.report();
    return reply.code(lastReady.status).send({ ...lastReady.body, webhook });
  });

  app.get(
    "/v1/config",
    { schema: documented({ summary: "How the control signs in to the proxy, and upload limits", tags: ["config"], security: [], response: { 200: ConfigResponse } }) },
    async () => ({ signIn: services.config.signIn, upload: { maxBytes: services.config.upload.maxBytes, allowedTypes: services.config.upload.allowedTypes } }),
  );

  app.get("/v1/openapi.json", { schema: documented({ summary: "This document", tags: ["config"], security: [], response: { 200: Type.Object({}, { additionalProperties: true }) } }) }, async () => openApi());
}
