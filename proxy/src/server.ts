/**
 * Builds and starts the proxy: `startProxy(config)` listens (port 0 picks a free one, for tests)
 * and returns its URL and a `close()` that stops taking requests, finishes the ones in flight and
 * releases upstream connections.
 */
import cors from "@fastify/cors";
import multipart from "@fastify/multipart";
import Fastify, { FastifyBaseLogger, FastifyInstance } from "fastify";
import { randomUUID } from "node:crypto";
import { AddressInfo } from "node:net";
import type { DestinationStream } from "pino";
import { DataverseSignIn } from "./auth/dataverseSignIn";
import { sessionKeys } from "./auth/sessionKeys";
import { BearerVerifier, SessionTokens } from "./auth/sessionTokens";
import { TokenVerifier } from "./auth/tokens";
import { automation } from "./automation";
import { recordCollections } from "./automation/recordCollection";
import { signInCleanupJob } from "./automation/signInCleanup";
import { WebhookEndpointCheck } from "./automation/webhookEndpoint";
import { photoShelterViews, usageRollupJob } from "./automation/usageRollup";
import type { ProxyConfig } from "./config";
import { AssetAnswers } from "./http/assetAnswers";
import { installAuth } from "./http/auth";
import { answerClientError, answerFrameworkError, installEdgeGuards } from "./http/edge";
import { installErrorHandling } from "./http/errors";
import { openBackbone, type Backbone } from "./jobs/backbone";
import { collectOpenApi } from "./http/openapi";
import { opsRoutes } from "./http/ops";
import { RequestLog } from "./http/requestLog";
import { configuredSecrets, createLogger } from "./logger";
import { MediaSigner } from "./media/signing";
import { AccessPolicy } from "./policy/accessPolicy";
import { ClientCredentialsTokens, createDataverseClient } from "./dataverse";
import { DataverseDirectory } from "./policy/dataverseDirectory";
import type { Directory } from "./policy/directory";
import { PhotoShelterClient } from "./photoshelter/client";
import { PhotoShelterLibrary } from "./photoshelter/library";
import { PhotoShelterSession } from "./photoshelter/session";
import { adminRoutes } from "./routes/admin";
import { browseRoutes } from "./routes/browse";
import { fileRoutes, uploadGalleryName } from "./routes/files";
import { hookRoutes } from "./routes/hooks";
import { sessionRoutes } from "./routes/session";
import { recordRoutes } from "./routes/records";
import type { ProxyServices } from "./services";
import { UpstreamHttp } from "./upstream/http";
import { ReadCache } from "./upstream/readCache";
import { StoreUploadKeys } from "./uploadKeys";

export interface StartOptions {
  /** Where log lines go (default stdout); tests pass a stream to scan them. */
  logStream?: DestinationStream;
  /** Replaces the Dataverse directory (tests of the policy seam). */
  directory?: Directory;
}

export interface RunningProxy {
  url: string;
  port: number;
  app: FastifyInstance;
  services: ProxyServices;
  /** State store, job registry and runner (null runner with PROXY_ROLE=api). */
  backbone: Backbone;
  close(): Promise<void>;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** True when `work` settles before `deadline`, false when the deadline comes first. */
async function settledBy(work: Promise<unknown>, deadline: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), false)));
  try {
    return await Promise.race([work.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Trusts the nearest `hops` proxies' X-Forwarded-For entries (what Fastify does for a number). */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

export async function startProxy(config: ProxyConfig, options: StartOptions = {}): Promise<RunningProxy> {
  const log = createLogger(config.logLevel, options.logStream, configuredSecrets(config));
  const photoShelterHttp = new UpstreamHttp("PhotoShelter", { ...config.upstream, uploadConnections: config.upload.concurrency }, log);
  const dataverseHttp = new UpstreamHttp("Dataverse", config.upstream, log);
  const session = new PhotoShelterSession(config.photoShelter, photoShelterHttp, log);
  const cache = new ReadCache({ maxEntries: config.cache.maxEntries, maxBytes: config.cache.maxBytes, ttlMs: config.cache.ttlMs, staleMs: config.cache.staleMs });
  const policyCache = new ReadCache({ maxEntries: 10_000, ttlMs: config.cache.policyTtlMs, staleMs: 0 });
  const client = new PhotoShelterClient(config.photoShelter, photoShelterHttp, session, cache, log);
  const library = new PhotoShelterLibrary(client, config.photoShelter, log);
  const dataverse = createDataverseClient({ url: config.dataverse.url, http: dataverseHttp, tokens: new ClientCredentialsTokens(config.dataverse, dataverseHttp) });
  const directory = options.directory ?? new DataverseDirectory(dataverse, log);
  const backbone = await openBackbone(config, log);
  backbone.registry.addJobs(usageRollupJob({ state: backbone.store, dataverse, readViews: photoShelterViews(client), log: log.child({ job: "usage-rollup" }) }, config.jobs.usageRollupSchedule));
  if (config.signIn.kind === "dataverse") backbone.registry.addJobs(signInCleanupJob(dataverse));
  // A created collection's id is kept in the state store at once, so a retry never makes a second one.
  const collections = recordCollections({ library, dataverse, parents: config.upload.collections, log, createdCollections: backbone.store.keys });
  const automated = automation({ dataverse, library, directory, recordCollections: collections, state: backbone.store, settings: config.automation, orgId: config.photoShelter.orgId, collectionHosts: Object.keys(config.upload.collections), policyCache, log });
  backbone.registry.addHandlers(...automated.handlers).addJobs(...automated.jobs);
  const recordGallery = async (record: { entity: string; id: string }) => {
    const parent = config.upload.collections[record.entity];
    return parent ? library.findGallery(parent, uploadGalleryName(record.entity, record.id)) : null;
  };
  let publicUrl = config.publicUrl ?? "";
  // Every instance signs with the same key: SESSION_SIGNING_KEY, else the one kept in the shared state store.
  const sessions = config.session ? new SessionTokens(await sessionKeys(config.session.keys, backbone.store.db), config.session.ttlSeconds) : null;
  const signer = new MediaSigner(config.media.secret, config.media.ttlSeconds);
  const services: ProxyServices = {
    config,
    log,
    tokens: new BearerVerifier(new TokenVerifier(config.token), sessions),
    directory,
    dataverse,
    recordCollections: collections,
    policy: new AccessPolicy(directory, library, policyCache, recordGallery),
    policyCache,
    library,
    session,
    photoShelterHttp,
    dataverseHttp,
    signer,
    assets: new AssetAnswers(signer, () => publicUrl, (id) => library.photoShelterUrl(id)),
    usage: backbone.usage,
    state: backbone.store,
    // A claim lasts as long as an upload may stay silent; renewed while the file streams.
    uploadKeys: new StoreUploadKeys(backbone.store.keys, log.child({ part: "uploads" }), config.upload.idleTimeoutMs),
    webhookEndpoint: new WebhookEndpointCheck({
      dataverse,
      state: backbone.store,
      webhookKey: config.webhookKey,
      setup: config.webhookSetup,
      role: config.role,
      configuredPublicUrl: config.publicUrl,
      publicUrl: () => publicUrl,
      dataverseUrl: config.dataverse.url,
      log: log.child({ part: "webhook" }),
    }),
    publicUrl: () => publicUrl,
  };

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new RequestLog(),
    genReqId: (request) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    forceCloseConnections: "idle",
    return503OnClosing: true,
    // Requests Node refuses itself (headers too large, not HTTP) are answered in the API's error shape too.
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
    // Behind a load balancer the client address comes from X-Forwarded-For, from the configured proxies only.
    trustProxy: typeof config.trustProxy === "number" ? trustHops(config.trustProxy) : config.trustProxy,
  });
  let closing: Promise<void> | null = null;
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  // While shutting down, answers in flight end their keep-alive connection so close() need not wait for it.
  app.addHook("onSend", async (_request, reply) => {
    if (closing) reply.header("connection", "close");
  });
  installErrorHandling(app);
  installEdgeGuards(app);
  const openApi = collectOpenApi(app, { title: "PhotoShelter for Dynamics 365 — proxy API", version: "1" });
  await app.register(cors, {
    // Only the configured Dynamics origins; others get no CORS headers, so browsers refuse the answer.
    origin: (origin, callback) => callback(null, origin !== undefined && config.allowedOrigins.includes(origin)),
    methods: ["GET", "POST", "OPTIONS"],
    allowedHeaders: ["authorization", "content-type", "x-request-id", "idempotency-key"],
    exposedHeaders: ["content-disposition", "x-request-id", "retry-after"],
    maxAge: 600,
  });
  await app.register(multipart, { limits: { fileSize: config.upload.maxBytes, files: 1, fields: 5, parts: 10, fieldSize: 4096 } });
  await installAuth(app, {
    tokens: services.tokens,
    directory,
    policyCache,
    rateLimitPerMinute: config.rateLimitPerMinute,
    mediaRateLimitPerMinute: config.mediaRateLimitPerMinute,
    authFailuresPerMinute: config.authFailuresPerMinute,
  });
  const readiness = opsRoutes(app, services, openApi);
  // A worker (PROXY_ROLE=worker) serves no API, only the health checks and discovery; the API and the webhook live elsewhere.
  if (config.role !== "worker") {
    browseRoutes(app, services);
    fileRoutes(app, services);
    sessionRoutes(app, services, { sessions, signIn: new DataverseSignIn(dataverse) });
    recordRoutes(app, services);
    hookRoutes(app, { inbox: backbone.store.inbox, webhookKey: config.webhookKey, received: () => backbone.runner?.wake(), seen: (outcome) => services.webhookEndpoint.delivery(outcome) });
    adminRoutes(app, { store: backbone.store, registry: backbone.registry, directory, policyCache, adminRoles: config.adminRoles, wake: () => backbone.runner?.wake(), readiness });
  }

  try {
    await app.listen({ port: config.port, host: config.host });
    await backbone.start();
  } catch (error) {
    await app.close().catch(() => undefined);
    await backbone.close(0).catch(() => undefined);
    throw error;
  }
  const port = (app.server.address() as AddressInfo).port;
  const url = `http://${config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host}:${port}`;
  publicUrl = config.publicUrl ?? url;
  log.info({ url, publicUrl, role: config.role, devDefaults: config.devDefaults.length > 0, photoShelter: config.photoShelter.apiBase, dataverse: config.dataverse.url }, "proxy listening");
  // Checks (and with WEBHOOK_SETUP=auto sets up) the webhook's endpoint now, not at the first probe; the outcome is logged.
  void services.webhookEndpoint.report();

  const close = () => {
    closing ??= (async () => {
      const deadline = Date.now() + config.shutdownGraceMs;
      const upstreams = [photoShelterHttp, dataverseHttp];
      // Jobs finish (or are given back) within the same grace period, before their upstreams close.
      const stopped = backbone.close(config.shutdownGraceMs);
      const served = app.close();
      if (!(await settledBy(served, deadline))) {
        // Past the grace period, whatever is in flight: cut the clients' connections and the upstream
        // calls still open; the handlers see their aborts and end.
        app.server.closeAllConnections();
        await Promise.all(upstreams.map((upstream) => upstream.destroy()));
        await served;
        await stopped;
        return;
      }
      await stopped;
      if (!(await settledBy(Promise.all(upstreams.map((upstream) => upstream.close())), deadline))) await Promise.all(upstreams.map((upstream) => upstream.destroy()));
    })();
    return closing;
  };
  return { url, port, app, services, backbone, close };
}
