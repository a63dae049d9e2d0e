/**
 * The bearer check every /v1 route (except signed media, the OpenAPI document and sign-in config)
 * goes through: verify the token, then map its user to the Dataverse user. Also the per-user rate
 * limit, keyed by that user so one busy user cannot starve the others.
 */
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Caller, TokenVerifier } from "../auth/tokens";
import { ProxyError } from "../errors";
import type { Directory, DirectoryUser } from "../policy/directory";
import type { ReadCache } from "../upstream/readCache";

declare module "fastify" {
  interface FastifyRequest {
    caller: Caller | null;
    user: DirectoryUser | null;
  }
  interface FastifyContextConfig {
    /** false for the few routes that need no bearer token. */
    auth?: boolean;
  }
}

export interface AuthDependencies {
  tokens: Pick<TokenVerifier, "verify">;
  directory: Directory;
  /** Caches the oid → Dataverse user mapping briefly. */
  policyCache: ReadCache;
  rateLimitPerMinute: number;
}

/** The signed-in Dataverse user of an authenticated request. */
export function userOf(request: FastifyRequest): DirectoryUser {
  if (!request.user) throw new ProxyError("unauthorized", "A bearer token is required");
  return request.user;
}

export async function installAuth(app: FastifyInstance, deps: AuthDependencies): Promise<void> {
  app.decorateRequest("caller", null);
  app.decorateRequest("user", null);

  app.addHook("onRequest", async (request) => {
    if (request.routeOptions.config?.auth !== true) return;
    const caller = await deps.tokens.verify(request.headers.authorization);
    const user = await deps.policyCache.get(`user:${caller.oid}`, () => deps.directory.userByObjectId(caller.oid), (found) => found !== null);
    if (!user) throw new ProxyError("forbidden", "The signed-in account is not an enabled Dynamics 365 user");
    request.caller = caller;
    request.user = user;
  });

  await app.register(rateLimit, {
    global: true,
    hook: "preHandler",
    max: deps.rateLimitPerMinute,
    timeWindow: 60_000,
    // Per Dataverse user for authenticated routes; per address for the open ones (signed media).
    keyGenerator: (request) => request.user?.systemUserId ?? request.ip,
    allowList: (request) => request.routeOptions.config?.auth !== true && !request.url.startsWith("/v1/media/"),
    errorResponseBuilder: (_request, context) => new ProxyError("rate_limited", `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} seconds`, Math.ceil(context.ttl / 1000)),
  });
}
