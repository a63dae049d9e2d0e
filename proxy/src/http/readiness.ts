/**
 * Readiness: PhotoShelter, Dataverse, the token issuer and the state store reachable, checked at most
 * every 5 s, and the webhook's service endpoint as Dataverse has it (on its own schedule, never a
 * reason for "not ready": the control works without it). `/readyz` is public — a load balancer asks
 * it — so it answers states only; what failed and the webhook's details (org URL, endpoint id, what
 * the admin must do) are for admins, at `GET /v1/admin/readiness`, and in the log.
 */
import type { FastifyBaseLogger } from "fastify";
import type { WebhookReport } from "../automation/webhookEndpoint";
import type { ProxyServices } from "../services";

const READY_CACHE_MS = 5000;

type CheckName = "photoShelter" | "dataverse" | "issuer" | "state";

export interface ReadinessDetails {
  ready: boolean;
  /** "ok", else "failing: <what the probe said>". */
  checks: Record<CheckName, string>;
  webhook: WebhookReport;
}

export interface Readiness {
  details(): Promise<ReadinessDetails>;
}

export function readinessOf(services: ProxyServices, log: FastifyBaseLogger): Readiness {
  type Probed = { at: number; ready: boolean; checks: Record<CheckName, string> };
  let last: Probed | null = null;
  let pending: Promise<Probed> | null = null;
  const probe = async (): Promise<Probed> => {
    const check = (run: () => Promise<unknown>) =>
      run().then(
        () => "ok",
        (error: unknown) => `failing: ${error instanceof Error ? error.message : String(error)}`,
      );
    const [photoShelter, dataverse, issuer, state] = await Promise.all([
      check(() => services.library.topLevel()),
      check(() => services.directory.ready()),
      check(() => services.tokens.ready()),
      check(() => services.state.ping()),
    ]);
    const checks = { photoShelter, dataverse, issuer, state };
    const ready = Object.values(checks).every((value) => value === "ok");
    if (!ready) log.warn({ checks }, "not ready");
    return { at: Date.now(), ready, checks };
  };
  return {
    async details() {
      let probed = last;
      if (!probed || Date.now() - probed.at > READY_CACHE_MS) {
        // Callers arriving together share one round of probes.
        pending ??= probe().finally(() => (pending = null));
        probed = last = await pending;
      }
      return { ready: probed.ready, checks: probed.checks, webhook: await services.webhookEndpoint.report() };
    },
  };
}

/** What `/readyz` may say to anyone: each check's state and the webhook's, nothing that names the org. */
export function publicReadiness(details: ReadinessDetails): { status: "ready" | "not ready"; checks: Record<CheckName, "ok" | "failing">; webhook: { status: WebhookReport["status"] } } {
  const checks = Object.fromEntries(Object.entries(details.checks).map(([name, value]) => [name, value === "ok" ? "ok" : "failing"])) as Record<CheckName, "ok" | "failing">;
  return { status: details.ready ? "ready" : "not ready", checks, webhook: { status: details.webhook.status } };
}
