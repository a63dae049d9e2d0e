/**
 * One HTTP server for all local stand-ins. Each outside system is a route group under its own
 * prefix, registered here and nowhere else:
 *   /psapi/v4.0, /psapi/v3, /img-get2   PhotoShelter (photoshelter/)
 *   /api/data/v9.2                      Dataverse Web API (dataverse/)
 *   /issuer                             OpenID token issuer (issuer/)
 *   /__admin                            fault injection, request log, reset (admin/)
 */
import Fastify, { FastifyInstance } from "fastify";
import { AddressInfo } from "node:net";
import { adminRoutes } from "./admin";
import { MockSettings, mockSettingsFromEnv } from "./config";
import type { MockContext, RouteGroup } from "./context";
import { dataverseRoutes } from "./dataverse";
import { issuerRoutes } from "./issuer";
import { photoShelterRoutes } from "./photoshelter";

export interface MockServerOptions {
  /** Port to listen on; 0 picks a free one (tests). Defaults to MOCK_PORT or 4010. */
  port?: number;
  host?: string;
  /** Seed of the generated PhotoShelter library and Dataverse demo data. */
  seed?: number;
  /** Number of media in the generated library. */
  media?: number;
  settings?: Partial<MockSettings>;
  logger?: boolean;
}

export interface RunningMockServer {
  url: string;
  port: number;
  app: FastifyInstance;
  context: MockContext;
  close(): Promise<void>;
}

export const DEFAULT_SEED = 20261128;
export const DEFAULT_MEDIA = 2000;

/** The route groups, in registration order. Each part of the mock adds itself here; admin stays first so its hooks see every route. */
const routeGroups: RouteGroup[] = [adminRoutes, photoShelterRoutes, issuerRoutes, dataverseRoutes];

export async function startMockServer(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const settings: MockSettings = { ...mockSettingsFromEnv(), ...options.settings };
  let baseUrl = "";
  const context: MockContext = {
    settings,
    seed: options.seed ?? DEFAULT_SEED,
    media: options.media ?? DEFAULT_MEDIA,
    baseUrl: () => baseUrl,
  };
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 200 * 1024 * 1024, routerOptions: { maxParamLength: 2000 } });
  for (const group of routeGroups) await group(app, context);
  await app.listen({ port: options.port ?? settings.port, host: options.host ?? "127.0.0.1" });
  const port = (app.server.address() as AddressInfo).port;
  baseUrl = `http://${options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1"}:${port}`;
  return { url: baseUrl, port, app, context, close: () => app.close() };
}
