/**
 * The bearer check every /v1 route (except signed media, the OpenAPI document and sign-in config)
 * goes through: verify the token, then map its user to the Dataverse user. Also the budgets that fit
 * their callers: per Dataverse user (weighted: a batch costs one per asset), per signed media user
 * (`u`, not the client address, so people behind one NAT do not share a bucket), and failed
 * authentications per client address (the address as `trustProxy` makes it).
 */
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Caller, TokenVerifier } from "../auth/tokens";
import { ProxyError } from "../errors";
import type { Directory, DirectoryUser } from "../policy/directory";
import type { ReadCache } from "../upstream/readCache";
import { rateLimited, WindowBudget } from "./limits";

declare module "fastify" {
  interface FastifyRequest {
    caller: Caller | null;
    user: DirectoryUser | null;
    /** Charges the budget of a signed media URL's user; 429 when spent. */
    chargeMedia(signedUser: string): void;
    /** Counts a failed authentication (e.g. a bad media signature) against the client address. */
    failedAuthentication(): void;
  }
  interface FastifyContextConfig {
    /** false for the few routes that need no bearer token. */
    auth?: boolean;
    /** Routes authenticated by a signature instead (signed media): failed attempts count per address too. */
    signed?: boolean;
    /** What a request costs its user's budget when not 1 (a batch: one per asset, each may be a PhotoShelter call). */
    cost?: (request: FastifyRequest) => number;
  }
}

export interface AuthDependencies {
  tokens: Pick<TokenVerifier, "verify">;
  directory: Directory;
  /** Caches the oid → Dataverse user mapping briefly. */
  policyCache: ReadCache;
  rateLimitPerMinute: number;
  mediaRateLimitPerMinute: number;
  authFailuresPerMinute: number;
}

/** The signed-in Dataverse user of an authenticated request. */
export function userOf(request: FastifyRequest): DirectoryUser {
  if (!request.user) throw new ProxyError("unauthorized", "A bearer token is required");
  return request.user;
}

export async function installAuth(app: FastifyInstance, deps: AuthDependencies): Promise<void> {
  const users = new WindowBudget(deps.rateLimitPerMinute);
  const media = new WindowBudget(deps.mediaRateLimitPerMinute);
  const failures = new WindowBudget(deps.authFailuresPerMinute);
  const failed = (request: FastifyRequest) => failures.take(request.ip);

  app.decorateRequest("caller", null);
  app.decorateRequest("user", null);
  app.decorateRequest("chargeMedia", function (this: FastifyRequest, signedUser: string) {
    const wait = media.take(signedUser);
    if (wait > 0) throw rateLimited(wait);
  });
  app.decorateRequest("failedAuthentication", function (this: FastifyRequest) {
    failed(this);
  });

  app.addHook("onRequest", async (request) => {
    const config = request.routeOptions.config;
    if (config?.auth !== true && config?.signed !== true) return;
    // An address that keeps failing is turned away before any token or signature is checked again.
    const blocked = failures.spent(request.ip);
    if (blocked > 0) throw rateLimited(blocked, "Too many failed sign-ins from this address");
    if (config.auth !== true) return;
    let caller: Caller;
    try {
      caller = await deps.tokens.verify(request.headers.authorization);
    } catch (error) {
      if (error instanceof ProxyError && (error.status === 401 || error.status === 403)) failed(request);
      throw error;
    }
    const user = await deps.policyCache.get(`user:${caller.oid}`, () => deps.directory.userByObjectId(caller.oid), (found) => found !== null);
    if (!user) {
      failed(request);
      throw new ProxyError("forbidden", caller.app ? "The application has no application user in Dynamics 365" : "The signed-in account is not an enabled Dynamics 365 user");
    }
    // A person's token for a non-interactive user (a service account) is refused; application tokens act as one by design.
    if (!caller.app && !user.interactive) {
      failed(request);
      throw new ProxyError("forbidden", "The signed-in account is a non-interactive Dynamics 365 user");
    }
    request.caller = caller;
    request.user = user;
  });

  // Every authenticated request costs its user one unit, or what its route says (after validation, so the body counts).
  app.addHook("preHandler", async (request) => {
    const config = request.routeOptions.config;
    if (config?.auth !== true) return;
    const wait = users.take(userOf(request).systemUserId, Math.max(1, config.cost?.(request) ?? 1));
    if (wait > 0) throw rateLimited(wait);
  });

  // Routes without a bearer token may set a limit of their own with `config.rateLimit` (the sign-in handshake does).
  await app.register(rateLimit, {
    global: false,
    hook: "preHandler",
    errorResponseBuilder: (_request, context) => rateLimited(Math.ceil(context.ttl / 1000)),
  });
}
