/**
 * The Dataverse sign-in handshake, proxy side. The control created a `psh_signinrequest` row as the
 * signed-in user, carrying base64url(SHA-256(verifier)), and now presents the row id and the
 * verifier. The proxy reads the row with its own application identity and accepts it only when:
 * exactly one row carries that challenge and it is the named one; the proxy's delete of it succeeds
 * (single use: a replay, or a second instance racing for the same row, finds it gone); the platform's
 * `createdon` is at most two minutes old and not overridden (`overriddencreatedon`); nobody else
 * changed it and nobody created it on someone's behalf; and its creator is an enabled Dataverse
 * user with an Entra identity, not an application user.
 *
 * Every refusal is the same to the caller (`SignInRefused`), so a prober learns nothing; the reason
 * is only logged.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { lookupValueName, outOfBox, signInRequest } from "../../../solution/model";
import { guid, literal, propertyName, type DataverseClient, type Row } from "../dataverse";
import type { SessionUser } from "./sessionTokens";

/** How old a sign-in request may be when the proxy reads it. */
export const SIGN_IN_MAX_AGE_MS = 2 * 60_000;
/** Dataverse's clock may run a little ahead of ours. */
const CLOCK_SKEW_MS = 30_000;

const S = signInRequest.columns;
const U = outOfBox.systemUser.columns;

/** Why a handshake was refused; the caller only ever sees "sign-in failed". */
export class SignInRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "SignInRefused";
  }
}

/** The challenge of a verifier: base64url(SHA-256(verifier)), as RFC 7636 S256. */
export function challengeOf(verifier: string): string {
  return createHash("sha256").update(verifier, "ascii").digest("base64url");
}

function sameText(a: unknown, b: string): boolean {
  if (typeof a !== "string") return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

export interface ConsumedSignIn {
  user: SessionUser;
  /** The row's creator, for the per-user rate limit. */
  systemUserId: string;
}

export class DataverseSignIn {
  constructor(
    private readonly dataverse: DataverseClient,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Finds the row the verifier proves, checks it and deletes it. `admit` runs once the verifier is
   * proven (before anything is consumed) and may throw, e.g. for a per-user rate limit.
   */
  async consume(id: string, verifier: string, admit: (systemUserId: string) => void = () => undefined): Promise<ConsumedSignIn> {
    const challenge = challengeOf(verifier);
    const createdBy = lookupValueName(S.createdBy);
    const rows = await this.dataverse.query(signInRequest, {
      select: [S.id, S.challenge, S.createdOn, S.overriddenCreatedOn].map((c) => c.logicalName).concat([createdBy, lookupValueName(S.modifiedBy), lookupValueName(S.createdOnBehalfBy)]),
      // Dataverse compares text case-insensitively: the exact comparison happens below.
      filter: `${propertyName(S.challenge.logicalName)} eq ${literal(challenge)}`,
      expand: `${S.createdBy.targets[0].navigationProperty}($select=${[U.id, U.isDisabled, U.accessMode, U.aadObjectId, U.applicationId, U.fullName, U.domainName].map((c) => c.logicalName).join(",")})`,
      top: 10,
    });
    const matching = rows.filter((row) => sameText(row[S.challenge.logicalName], challenge));
    const wanted = guid(id).value;
    const row = matching.find((candidate) => String(candidate[S.id.logicalName]).toLowerCase() === wanted);
    if (!row) throw new SignInRefused(matching.length === 0 ? "no sign-in request carries this verifier's challenge" : "the verifier belongs to another sign-in request");
    if (matching.length > 1) {
      // A verifier on two rows was copied: none of them proves anything any more.
      await Promise.all(matching.map((other) => this.dataverse.delete(signInRequest, String(other[S.id.logicalName])).catch(() => false)));
      throw new SignInRefused("the verifier's challenge is on several sign-in requests");
    }
    const creator = (row[S.createdBy.targets[0].navigationProperty] ?? null) as Row | null;
    const systemUserId = text(row[createdBy]);
    if (!systemUserId) throw new SignInRefused("the sign-in request names no creator");
    admit(systemUserId.toLowerCase());
    if (!(await this.dataverse.delete(signInRequest, wanted))) throw new SignInRefused("the sign-in request was already used");

    if (row[S.overriddenCreatedOn.logicalName] != null) throw new SignInRefused("the sign-in request's creation time was overridden");
    const createdOn = Date.parse(String(row[S.createdOn.logicalName] ?? ""));
    const age = this.now() - createdOn;
    if (!Number.isFinite(createdOn) || age > SIGN_IN_MAX_AGE_MS || age < -CLOCK_SKEW_MS) throw new SignInRefused("the sign-in request is too old (or from the future)");
    if (text(row[lookupValueName(S.modifiedBy)])?.toLowerCase() !== systemUserId.toLowerCase()) throw new SignInRefused("someone other than its creator changed the sign-in request");
    if (row[lookupValueName(S.createdOnBehalfBy)] != null) throw new SignInRefused("the sign-in request was created on behalf of its creator");
    if (!creator || text(creator[U.id.logicalName])?.toLowerCase() !== systemUserId.toLowerCase()) throw new SignInRefused("the sign-in request's creator is not a Dataverse user");
    if (creator[U.isDisabled.logicalName] === true) throw new SignInRefused("the sign-in request's creator is disabled");
    if (text(creator[U.applicationId.logicalName])) throw new SignInRefused("the sign-in request's creator is an application user");
    if (creator[U.accessMode.logicalName] === outOfBox.userAccessMode.options.nonInteractive.value) throw new SignInRefused("the sign-in request's creator is a non-interactive user");
    const oid = text(creator[U.aadObjectId.logicalName]);
    if (!oid) throw new SignInRefused("the sign-in request's creator has no Entra identity");
    return {
      systemUserId: systemUserId.toLowerCase(),
      user: { systemUserId: systemUserId.toLowerCase(), oid: oid.toLowerCase(), upn: text(creator[U.domainName.logicalName]), name: text(creator[U.fullName.logicalName]) },
    };
  }
}
