/**
 * `POST /v1/session` — the Dataverse sign-in handshake (auth/dataverseSignIn.ts): `{ id, verifier }`
 * in, the proxy's own short-lived bearer token out. No bearer token is needed to call it; it is
 * rate-limited per client address (every attempt) and per Dataverse user (attempts whose verifier
 * proved a row of theirs). Every refusal is the same 401, whatever the reason, which is only logged.
 */
import type { FastifyInstance } from "fastify";
import { ErrorBody, SessionRequest, SessionResponse } from "../../../contract/proxyApi";
import { DataverseSignIn, SignInRefused } from "../auth/dataverseSignIn";
import type { SessionTokens } from "../auth/sessionTokens";
import { DataverseApiError } from "../dataverse";
import { ProxyError } from "../errors";
import { rateLimited, WindowBudget } from "../http/limits";
import { documented } from "../http/openapi";
import type { ProxyServices } from "../services";

/** The per-address limit's window (the per-user one is WindowBudget's: one minute too). */
const WINDOW_MS = 60_000;
/** What every refused handshake answers. */
export const SIGN_IN_FAILED = "Sign-in failed";

export interface SessionDependencies {
  /** Null when this proxy requires Entra ID tokens (SIGN_IN_MODE=entra). */
  sessions: SessionTokens | null;
  signIn: DataverseSignIn;
}

export function sessionRoutes(app: FastifyInstance, services: ProxyServices, { sessions, signIn }: SessionDependencies): void {
  const settings = services.config.session;
  const perUser = new WindowBudget(settings?.rateLimitPerUser ?? 1);

  app.post(
    "/v1/session",
    {
      schema: documented({
        summary: "Sign in with a psh_signinrequest row the user created in Dataverse; answers the proxy's own bearer token",
        tags: ["sign-in"],
        security: [],
        body: SessionRequest,
        response: { 200: SessionResponse, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody, 502: ErrorBody, 503: ErrorBody, 504: ErrorBody },
      }),
      config: {
        auth: false,
        // Per client address, whatever the outcome (the per-user limit needs a proven verifier first).
        rateLimit: { max: settings?.rateLimitPerIp ?? 1, timeWindow: WINDOW_MS, keyGenerator: (request) => `session:${request.ip}`, allowList: () => false },
      },
    },
    async (request, reply) => {
      if (!sessions) throw new ProxyError("forbidden", "Sign-in through Dataverse is turned off: this proxy requires Entra ID tokens (GET /v1/config)");
      const { id, verifier } = request.body as SessionRequest;
      try {
        const consumed = await signIn.consume(id, verifier, (systemUserId) => {
          const wait = perUser.take(systemUserId);
          if (wait > 0) throw rateLimited(wait, "Too many sign-ins");
        });
        request.log.info({ user: consumed.systemUserId }, "signed in through Dataverse");
        return reply.header("cache-control", "no-store").send(await sessions.issue(consumed.user));
      } catch (error) {
        if (error instanceof SignInRefused) {
          request.log.warn({ reason: error.reason }, "Dataverse sign-in refused");
          throw new ProxyError("unauthorized", SIGN_IN_FAILED);
        }
        if (!(error instanceof DataverseApiError)) throw error;
        request.log.warn({ upstream: "Dataverse", status: error.status, error: error.message }, "Dataverse sign-in check failed");
        if (error.status === 429) throw new ProxyError("upstream_unavailable", "Dataverse is limiting requests; try again shortly", Math.ceil((error.retryAfterMs ?? 5000) / 1000));
        throw new ProxyError("upstream_error", "Dataverse could not answer the sign-in check");
      }
    },
  );
}
