/**
 * Deletes the sign-in requests nobody consumed: the control created a row (psh_signinrequest) but the
 * handshake never reached the proxy (form closed, network gone, rate limited), or a row was made
 * unusable on purpose (its creation time overridden). Such a row can never sign anybody in, since
 * the proxy accepts rows for two minutes only; it is removed so the table stays empty in practice.
 * Meant to run on a schedule (every few minutes) with the proxy's application identity, which needs
 * read and delete on psh_signinrequest.
 */
import { signInRequest } from "../../../solution/model";
import { SIGN_IN_MAX_AGE_MS } from "../auth/dataverseSignIn";
import { literal, propertyName, type DataverseClient } from "../dataverse";

/** Rows past the handshake's two minutes, with room for clocks that disagree and handshakes in flight. */
export const UNCONSUMED_AFTER_MS = SIGN_IN_MAX_AGE_MS + 3 * 60_000;
/** At most this many rows per run; the next run takes the rest. */
const BATCH = 500;
const CONCURRENCY = 4;

export interface SignInCleanupResult {
  found: number;
  deleted: number;
}

export async function deleteUnconsumedSignInRequests(dataverse: DataverseClient, now: () => number = Date.now): Promise<SignInCleanupResult> {
  const S = signInRequest.columns;
  const cutoff = new Date(now() - UNCONSUMED_AFTER_MS);
  // A backdated or forward-dated row (overriddencreatedon) is never accepted, whatever its createdon says.
  const filter = `${propertyName(S.createdOn.logicalName)} lt ${literal(cutoff)} or ${propertyName(S.overriddenCreatedOn.logicalName)} ne null`;
  const rows = await dataverse.query(signInRequest, { select: [S.id.logicalName], filter, top: BATCH });
  const ids = rows.map((row) => String(row[S.id.logicalName]));
  let deleted = 0;
  for (let start = 0; start < ids.length; start += CONCURRENCY) {
    // Gone already (consumed meanwhile, or another instance's clean-up) is as good as deleted by us.
    const results = await Promise.all(ids.slice(start, start + CONCURRENCY).map((id) => dataverse.delete(signInRequest, id)));
    deleted += results.filter(Boolean).length;
  }
  return { found: ids.length, deleted };
}

/**
 * The clean-up as a scheduled job of the job runner (proxy/src/jobs: `registry.addJobs(signInCleanupJob(dataverse))`);
 * typed by shape so this module does not depend on the runner.
 */
export function signInCleanupJob(dataverse: DataverseClient): { name: string; schedule: string; run(signal: AbortSignal): Promise<Record<string, unknown>> } {
  return {
    name: "sign-in-cleanup",
    schedule: "every 5m",
    run: async () => ({ ...(await deleteUnconsumedSignInRequests(dataverse)) }),
  };
}
