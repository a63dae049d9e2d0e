/**
 * Short-lived signed media URLs, so `<img src>` works without a bearer header. The signature (HMAC
 * SHA-256 with a server secret) binds the asset, the size, the user and the expiry; changing any of
 * them breaks it. The user appears only as a pseudonymous key, never as a name or Entra id.
 * Expiry is rounded to a window so the same URL is handed out for a while and browsers can cache it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { MediaSize } from "../../../contract/proxyApi";

export interface SignedMedia {
  id: string;
  size: MediaSize;
  user: string;
  exp: number;
}

export class MediaSigner {
  private readonly userKeys = new Map<string, string>();
  /** Signatures of the current expiry window: a page of results signs the same URLs again and again. */
  private readonly signatures = new LRUCache<string, string>({ max: 50_000 });

  constructor(
    private readonly secret: Buffer,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A stable pseudonym of a user for URLs (16 characters). */
  userKey(userId: string): string {
    let key = this.userKeys.get(userId);
    if (key === undefined) {
      key = createHmac("sha256", this.secret).update(`user\n${userId}`).digest("base64url").slice(0, 16);
      // Users are few (an organization's staff); the map is bounded anyway.
      if (this.userKeys.size > 100_000) this.userKeys.clear();
      this.userKeys.set(userId, key);
    }
    return key;
  }

  /** The expiry URLs signed now carry: valid between ttl and 2 × ttl seconds from now. */
  expiry(): number {
    return (Math.floor(Math.floor(this.now() / 1000) / this.ttlSeconds) + 2) * this.ttlSeconds;
  }

  /** Query string `exp=…&u=…&sig=…` for a media path, expiring at `exp` (default: `expiry()`). */
  sign(id: string, size: MediaSize, user: string, exp = this.expiry()): string {
    const key = `${id}\n${size}\n${user}\n${exp}`;
    let sig = this.signatures.get(key);
    if (sig === undefined) {
      sig = this.signature({ id, size, user, exp });
      this.signatures.set(key, sig);
    }
    return `exp=${exp}&u=${encodeURIComponent(user)}&sig=${sig}`;
  }

  /** "ok", "expired" or "invalid"; comparison in constant time. */
  verify(media: SignedMedia, sig: string): "ok" | "expired" | "invalid" {
    const expected = Buffer.from(this.signature(media));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return "invalid";
    return media.exp * 1000 < this.now() ? "expired" : "ok";
  }

  /** Seconds a signed URL stays valid from now (for Cache-Control on the bytes it serves). */
  remainingSeconds(exp: number): number {
    return Math.max(0, exp - Math.floor(this.now() / 1000));
  }

  private signature(media: SignedMedia): string {
    return createHmac("sha256", this.secret).update(`media\n${media.id}\n${media.size}\n${media.user}\n${media.exp}`).digest("base64url");
  }
}
