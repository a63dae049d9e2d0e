/**
 * The proxy's configuration, read only from environment variables and validated once at start.
 * A bad value stops the start with an error naming the variable. The proxy knows no development
 * defaults: whoever starts it against the mock-server hands it the mock's settings as environment
 * (listing them in PROXY_DEV_DEFAULTS), and NODE_ENV=production refuses them.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { proxyTokenAudience } from "../../solution/model/environmentVariables";
import { type AutomationSettings, DEFAULT_AUTOMATION } from "./automation/settings";
import { parseSchedule } from "./jobs/schedule";
import { defaultStateUrl, parseStateUrl, StateError } from "./state/location";
import type { UpstreamOptions } from "./upstream/http";

export type PhotoShelterCredentials =
  | { kind: "password"; email: string; password: string }
  | { kind: "token"; token: string }
  | { kind: "oauth"; clientId: string; clientSecret: string; refreshToken: string; redirectUri: string };

/** What `GET /v1/config` tells the control: the Dataverse handshake (default), Entra ID, or the mock issuer's development sign-in. */
export type SignInConfig =
  | { kind: "dataverse" }
  | { kind: "entra"; authority: string; clientId: string; scope: string }
  | { kind: "dev"; signInUrl: string };

export const SIGN_IN_MODES = ["dataverse", "entra", "dev"] as const;

export interface ProxyConfig {
  port: number;
  host: string;
  /** Base URL the browser reaches the proxy at; signed media URLs are absolute on it. Null: derived from the listening address. */
  publicUrl: string | null;
  /** Variables a development starter filled in (PROXY_DEV_DEFAULTS); empty in production. */
  devDefaults: string[];
  /** What this instance does: serve the API and run the workers (all), or one of them. */
  role: ProxyRole;
  /** STATE_URL: where the inbox, job state and usage events are kept. */
  stateUrl: string;
  /** The x-psh-webhook-key the Dataverse webhook must carry; null: /hooks/dataverse answers 503. */
  webhookKey: string | null;
  /** How the proxy looks after the solution's service endpoint (WEBHOOK_SETUP, WEBHOOK_CHECK_SECONDS). */
  webhookSetup: WebhookSetup;
  jobs: {
    concurrency: number;
    pollMs: number;
    leaseMs: number;
    maxAttempts: number;
    backoffBaseMs: number;
    backoffCapMs: number;
    /** Handled inbox events are kept this long (their dedupe keys with them). */
    inboxRetentionDays: number;
    usageRollupSchedule: string;
  };
  /** Dataverse security roles that may call /v1/admin. */
  adminRoles: string[];
  /** The scenarios that run by themselves (S1, S3, S5, S6, S7): caps, the review flag, schedules. */
  automation: AutomationSettings;
  logLevel: string;
  photoShelter: {
    apiBase: string;
    v3Base: string;
    cdnBase: string;
    webBase: string;
    apiKey: string;
    v3ApiKey: string;
    orgId: string;
    credentials: PhotoShelterCredentials;
  };
  dataverse: { url: string; tokenUrl: string; clientId: string; clientSecret: string; scope: string };
  token: {
    issuer: string;
    audience: string;
    jwksUrl: string | null;
    /** Delegated scopes a user's token must carry one of (`scp`). */
    scopes: string[];
    /** App roles that let an app-only (client-credentials) token call /v1; empty: none may. */
    appRoles: string[];
  };
  /** Fastify's trustProxy: false (default), true, a hop count or the proxies' addresses/CIDRs; decides the client address. */
  trustProxy: boolean | number | string[];
  signIn: SignInConfig;
  /** The proxy's own session tokens (Dataverse sign-in); null when sign-in is Entra only. */
  session: {
    /** Signing keys shared by every instance (SESSION_SIGNING_KEY); null: the key kept in the state store. */
    keys: { current: Buffer; previous?: Buffer } | null;
    ttlSeconds: number;
    rateLimitPerIp: number;
    rateLimitPerUser: number;
  } | null;
  allowedOrigins: string[];
  /** Per Dataverse user and minute; a batch or ZIP costs one per asset it names. */
  rateLimitPerMinute: number;
  /** Signed media URLs per signed user (`u`) and minute. */
  mediaRateLimitPerMinute: number;
  /** Failed authentications (bad token, bad media signature) per client address and minute before that address gets 429. */
  authFailuresPerMinute: number;
  cache: { maxEntries: number; maxBytes: number; ttlMs: number; staleMs: number; policyTtlMs: number };
  upstream: UpstreamOptions;
  media: { secret: Buffer; ttlSeconds: number };
  upload: {
    maxBytes: number;
    allowedTypes: string[];
    /** An upload whose body makes no progress for this long is aborted (stalled or vanished client). */
    idleTimeoutMs: number;
    /** Uploads streaming to PhotoShelter at once (their own connection pool); more get 503 with Retry-After. */
    concurrency: number;
    /** Collection that receives a record's upload gallery, by host table (case → Case Evidence…); tables without one cannot upload. */
    collections: Record<string, string>;
  };
  shutdownGraceMs: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

type Env = NodeJS.ProcessEnv;

function text(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function required(env: Env, name: string, why: string): string {
  const value = text(env, name);
  if (value === undefined) throw new ConfigError(name, `is required ${why}`);
  return value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`);
  return value;
}

function url(env: Env, name: string, fallback?: string): string {
  const raw = text(env, name) ?? fallback;
  if (raw === undefined) throw new ConfigError(name, "is required");
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an absolute http(s) URL, got "${raw}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  return raw.replace(/\/+$/, "");
}

function list(env: Env, name: string, fallback: string[]): string[] {
  const raw = text(env, name);
  return raw === undefined ? fallback : raw.split(",").map((item) => item.trim()).filter(Boolean);
}

function origins(env: Env): string[] {
  const values = list(env, "PROXY_ALLOWED_ORIGINS", []);
  for (const value of values) {
    if (value === "*") throw new ConfigError("PROXY_ALLOWED_ORIGINS", "must list origins explicitly; \"*\" is not allowed");
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError("PROXY_ALLOWED_ORIGINS", `"${value}" is not an origin such as https://contoso.crm.dynamics.com`);
    }
    if (parsed.origin !== value) throw new ConfigError("PROXY_ALLOWED_ORIGINS", `"${value}" must be an origin only (scheme://host[:port]), e.g. "${parsed.origin}"`);
  }
  return values;
}

function credentials(env: Env): PhotoShelterCredentials {
  const token = text(env, "PS_AUTH_TOKEN");
  const refreshToken = text(env, "PS_OAUTH_REFRESH_TOKEN");
  const email = text(env, "PS_EMAIL");
  if (refreshToken) {
    return {
      kind: "oauth",
      refreshToken,
      clientId: required(env, "PS_OAUTH_CLIENT_ID", "with PS_OAUTH_REFRESH_TOKEN"),
      clientSecret: required(env, "PS_OAUTH_CLIENT_SECRET", "with PS_OAUTH_REFRESH_TOKEN"),
      redirectUri: url(env, "PS_OAUTH_REDIRECT_URI"),
    };
  }
  if (token) return { kind: "token", token };
  if (email) return { kind: "password", email, password: required(env, "PS_PASSWORD", "with PS_EMAIL") };
  throw new ConfigError("PS_EMAIL", "PhotoShelter credentials are required: set PS_EMAIL and PS_PASSWORD, PS_AUTH_TOKEN, or PS_OAUTH_REFRESH_TOKEN with PS_OAUTH_CLIENT_ID/SECRET");
}

/** PROXY_TRUST_PROXY: false/true, a hop count, or a comma list of proxy addresses or CIDRs. */
function trustProxy(env: Env): boolean | number | string[] {
  const raw = text(env, "PROXY_TRUST_PROXY");
  if (raw === undefined || raw === "false") return false;
  if (raw === "true") return true;
  if (/^\d+$/.test(raw)) return integer(env, "PROXY_TRUST_PROXY", 0, 1, 32);
  const addresses = list(env, "PROXY_TRUST_PROXY", []);
  for (const address of addresses) if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(address)) throw new ConfigError("PROXY_TRUST_PROXY", `must be true, false, a hop count or a comma list of addresses/CIDRs, got "${address}"`);
  return addresses;
}

/** The scope name of SIGN_IN_SCOPE (`api://…/access_as_user` → `access_as_user`). */
function scopeName(scope: string | undefined): string | undefined {
  return scope?.split("/").pop() || undefined;
}

function collectionId(env: Env, name: string): string | undefined {
  const value = text(env, name);
  if (value !== undefined && !/^C0000[A-Za-z0-9._]{11}$/.test(value)) throw new ConfigError(name, `must be a PhotoShelter collection id (C0000…, 16 characters), got "${value}"`);
  return value;
}

function uploadCollections(env: Env): Record<string, string> {
  const targets: Record<string, string | undefined> = {
    incident: collectionId(env, "PS_CASE_EVIDENCE_COLLECTION_ID"),
    campaign: collectionId(env, "PS_CAMPAIGNS_COLLECTION_ID"),
    msevtmgt_event: collectionId(env, "PS_EVENTS_COLLECTION_ID"),
  };
  return Object.fromEntries(Object.entries(targets).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** SIGN_IN_MODE; without it, Entra when SIGN_IN_CLIENT_ID is set, else the Dataverse handshake. */
function signInConfig(env: Env, issuer: string): SignInConfig {
  const mode = text(env, "SIGN_IN_MODE") ?? (text(env, "SIGN_IN_CLIENT_ID") ? "entra" : "dataverse");
  if (!(SIGN_IN_MODES as readonly string[]).includes(mode)) throw new ConfigError("SIGN_IN_MODE", `must be one of ${SIGN_IN_MODES.join(", ")}, got "${mode}"`);
  if (mode === "entra") {
    return { kind: "entra", clientId: required(env, "SIGN_IN_CLIENT_ID", "with SIGN_IN_MODE=entra"), authority: url(env, "SIGN_IN_AUTHORITY"), scope: required(env, "SIGN_IN_SCOPE", "with SIGN_IN_MODE=entra") };
  }
  if (mode === "dev") {
    if (env.NODE_ENV === "production") throw new ConfigError("SIGN_IN_MODE", "dev is for the local mocks only, not NODE_ENV=production");
    return { kind: "dev", signInUrl: `${issuer}/dev/sign-in` };
  }
  return { kind: "dataverse" };
}

/** A signing key: at least 32 characters, used as its bytes. */
function signingKey(env: Env, name: string): Buffer | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  if (value.length < 32) throw new ConfigError(name, "must be at least 32 characters (e.g. openssl rand -base64 48)");
  return Buffer.from(value, "utf8");
}

function sessionConfig(env: Env): NonNullable<ProxyConfig["session"]> {
  const current = signingKey(env, "SESSION_SIGNING_KEY");
  const previous = signingKey(env, "SESSION_SIGNING_KEY_PREVIOUS");
  // Without SESSION_SIGNING_KEY every instance takes the key kept in the shared state store (auth/sessionKeys.ts).
  if (!current && previous) throw new ConfigError("SESSION_SIGNING_KEY", "is required with SESSION_SIGNING_KEY_PREVIOUS");
  return {
    keys: current ? { current, ...(previous ? { previous } : {}) } : null,
    ttlSeconds: integer(env, "SESSION_TOKEN_TTL_SECONDS", 600, 5, 3600),
    rateLimitPerIp: integer(env, "SESSION_RATE_LIMIT_PER_IP", 120, 1, 1_000_000),
    rateLimitPerUser: integer(env, "SESSION_RATE_LIMIT_PER_USER", 30, 1, 1_000_000),
  };
}

/** A schedule the job runner reads (cron, or `every <n><unit>`), checked now so a bad one names its variable. */
function schedule(env: Env, name: string, fallback: string): string {
  const value = text(env, name) ?? fallback;
  try {
    parseSchedule(value);
  } catch (error) {
    throw new ConfigError(name, (error as Error).message);
  }
  return value;
}

function automationSettings(env: Env): AutomationSettings {
  const d = DEFAULT_AUTOMATION;
  const galleries = list(env, "PARTNER_GALLERY_IDS", d.partnerGalleryIds);
  for (const id of galleries) if (!/^G0000[A-Za-z0-9._]{11}$/.test(id)) throw new ConfigError("PARTNER_GALLERY_IDS", `must list PhotoShelter gallery ids (G0000…, 16 characters), got "${id}"`);
  return {
    autoLinkMax: integer(env, "AUTO_LINK_MAX", d.autoLinkMax, 0, 500),
    reviewField: text(env, "PS_REVIEW_FIELD") ?? d.reviewField,
    reviewValue: text(env, "PS_REVIEW_VALUE") ?? d.reviewValue,
    partnerGalleryIds: galleries,
    rightsSyncPageSize: integer(env, "RIGHTS_SYNC_PAGE_SIZE", d.rightsSyncPageSize, 10, 1000),
    eventSweepDays: integer(env, "EVENT_SWEEP_DAYS", d.eventSweepDays, 1, 365),
    schedules: {
      rightsSync: schedule(env, "RIGHTS_SYNC_SCHEDULE", d.schedules.rightsSync),
      rightsCalendar: schedule(env, "RIGHTS_CALENDAR_SCHEDULE", d.schedules.rightsCalendar),
      assetExistence: schedule(env, "ASSET_EXISTENCE_SCHEDULE", d.schedules.assetExistence),
      eventSweep: schedule(env, "EVENT_SWEEP_SCHEDULE", d.schedules.eventSweep),
      partnerReconcile: schedule(env, "PARTNER_RECONCILE_SCHEDULE", d.schedules.partnerReconcile),
    },
  };
}

export const WEBHOOK_SETUP_MODES = ["auto", "report", "force"] as const;

export interface WebhookSetup {
  /**
   * auto: point the endpoint here while its URL is the solution's placeholder, and set its header value
   * once it points here; report: change nothing, say what to do; force: also take over an endpoint
   * that points elsewhere.
   */
  mode: (typeof WEBHOOK_SETUP_MODES)[number];
  /** How long a check of the endpoint is reused by /readyz. */
  checkSeconds: number;
  /** Outside production the listening address stands in for PROXY_PUBLIC_URL (the mocks reach it). */
  listeningUrlAllowed: boolean;
}

function webhookSetup(env: Env, production: boolean): WebhookSetup {
  const mode = text(env, "WEBHOOK_SETUP") ?? "auto";
  if (!(WEBHOOK_SETUP_MODES as readonly string[]).includes(mode)) throw new ConfigError("WEBHOOK_SETUP", `must be one of ${WEBHOOK_SETUP_MODES.join(", ")}, got "${mode}"`);
  return { mode: mode as WebhookSetup["mode"], checkSeconds: integer(env, "WEBHOOK_CHECK_SECONDS", 60, 0, 86_400), listeningUrlAllowed: !production };
}

export const PROXY_ROLES = ["all", "api", "worker"] as const;
export type ProxyRole = (typeof PROXY_ROLES)[number];

/** Secrets that must never be a development stand-in in production (every mock secret says so in its value). */
const SECRETS = ["PS_API_KEY", "PS_V3_API_KEY", "PS_PASSWORD", "PS_AUTH_TOKEN", "PS_OAUTH_CLIENT_SECRET", "DATAVERSE_CLIENT_SECRET", "WEBHOOK_KEY", "MEDIA_URL_SECRET", "SESSION_SIGNING_KEY"];

/** Production takes no development defaults: not from a starter, not a mock secret passed by hand. */
function refuseDevelopmentValues(env: Env): void {
  const supplied = list(env, "PROXY_DEV_DEFAULTS", []);
  if (supplied.length > 0) throw new ConfigError("PROXY_DEV_DEFAULTS", `development defaults (${supplied.join(", ")}) were filled in by a development starter; NODE_ENV=production needs real values and no PROXY_DEV_DEFAULTS`);
  for (const name of SECRETS) if (/not-a-secret/i.test(text(env, name) ?? "")) throw new ConfigError(name, "is a development value (it says not-a-secret); NODE_ENV=production needs a real one");
}

function proxyRole(env: Env): ProxyRole {
  const role = text(env, "PROXY_ROLE") ?? "all";
  if (!(PROXY_ROLES as readonly string[]).includes(role)) throw new ConfigError("PROXY_ROLE", `must be one of ${PROXY_ROLES.join(", ")}, got "${role}"`);
  return role as ProxyRole;
}

/** STATE_URL, checked now (the database itself is reached at start); default a SQLite file in PROXY_DATA_DIR. */
function stateUrl(env: Env): string {
  const raw = text(env, "STATE_URL") ?? defaultStateUrl(path.resolve(text(env, "PROXY_DATA_DIR") ?? "data"));
  try {
    parseStateUrl(raw);
  } catch (error) {
    if (error instanceof StateError) throw new ConfigError("STATE_URL", error.message.replace(/^STATE_URL: /, ""));
    throw error;
  }
  return raw;
}

function webhookKey(env: Env, production: boolean): string | null {
  const key = text(env, "WEBHOOK_KEY");
  if (key === undefined && production) throw new ConfigError("WEBHOOK_KEY", "is required when NODE_ENV=production (the value of the x-psh-webhook-key header registered on the Dataverse service endpoint; at least 32 characters)");
  if (key !== undefined && key.length < 16) throw new ConfigError("WEBHOOK_KEY", "must be at least 16 characters (32 or more in production)");
  if (key !== undefined && production && key.length < 32) throw new ConfigError("WEBHOOK_KEY", "must be at least 32 characters when NODE_ENV=production");
  return key ?? null;
}

export function loadConfig(env: Env = process.env): ProxyConfig {
  const production = env.NODE_ENV === "production";
  if (production) refuseDevelopmentValues(env);
  // The outside systems are always named; against the mock-server the starters name them (npm start, npm run proxy).
  for (const name of ["PS_API_BASE", "DATAVERSE_URL", "TOKEN_ISSUER"]) if (text(env, name) === undefined) throw new ConfigError(name, "is required (npm start and npm run proxy fill it in for the local mock-server)");

  const apiKey = required(env, "PS_API_KEY", "(the PhotoShelter API key)");
  const issuer = url(env, "TOKEN_ISSUER");
  const mediaSecretText = text(env, "MEDIA_URL_SECRET");
  if (mediaSecretText === undefined && production) throw new ConfigError("MEDIA_URL_SECRET", "is required when NODE_ENV=production (at least 32 characters)");
  if (mediaSecretText !== undefined && mediaSecretText.length < 32) throw new ConfigError("MEDIA_URL_SECRET", "must be at least 32 characters");

  const signIn = signInConfig(env, issuer);
  const session = signIn.kind === "entra" ? null : sessionConfig(env);

  const publicUrl = text(env, "PROXY_PUBLIC_URL") === undefined ? null : url(env, "PROXY_PUBLIC_URL");
  const dataverseUrl = url(env, "DATAVERSE_URL");

  return {
    port: integer(env, "PROXY_PORT", 4000, 0, 65535),
    host: text(env, "PROXY_HOST") ?? "127.0.0.1",
    publicUrl,
    devDefaults: list(env, "PROXY_DEV_DEFAULTS", []),
    role: proxyRole(env),
    stateUrl: stateUrl(env),
    webhookKey: webhookKey(env, production),
    webhookSetup: webhookSetup(env, production),
    jobs: {
      concurrency: integer(env, "JOBS_CONCURRENCY", 4, 1, 256),
      pollMs: integer(env, "JOBS_POLL_MS", 1000, 10, 600_000),
      leaseMs: integer(env, "JOBS_LEASE_MS", 30_000, 100, 3_600_000),
      maxAttempts: integer(env, "JOBS_MAX_ATTEMPTS", 5, 1, 100),
      backoffBaseMs: integer(env, "JOBS_BACKOFF_BASE_MS", 1000, 1, 3_600_000),
      backoffCapMs: integer(env, "JOBS_BACKOFF_CAP_MS", 300_000, 1, 86_400_000),
      inboxRetentionDays: integer(env, "INBOX_RETENTION_DAYS", 7, 1, 3650),
      usageRollupSchedule: text(env, "USAGE_ROLLUP_SCHEDULE") ?? "0 * * * *",
    },
    adminRoles: list(env, "ADMIN_ROLES", ["PhotoShelter Admin", "System Administrator"]),
    automation: automationSettings(env),
    logLevel: text(env, "LOG_LEVEL") ?? "info",
    photoShelter: {
      apiBase: url(env, "PS_API_BASE"),
      v3Base: url(env, "PS_V3_API_BASE", "https://www.photoshelter.com/psapi/v3"),
      cdnBase: url(env, "PS_CDN_BASE", "https://m.psecn.photoshelter.com"),
      webBase: url(env, "PS_WEB_BASE", "https://www.photoshelter.com"),
      apiKey,
      v3ApiKey: text(env, "PS_V3_API_KEY") ?? apiKey,
      orgId: required(env, "PS_ORG_ID", "(the PhotoShelter organization id, O0000…)"),
      credentials: credentials(env),
    },
    dataverse: {
      url: dataverseUrl,
      tokenUrl: url(env, "DATAVERSE_TOKEN_URL"),
      clientId: required(env, "DATAVERSE_CLIENT_ID", "with DATAVERSE_URL"),
      clientSecret: required(env, "DATAVERSE_CLIENT_SECRET", "with DATAVERSE_URL"),
      scope: text(env, "DATAVERSE_SCOPE") ?? `${dataverseUrl}/.default`,
    },
    token: {
      issuer,
      audience: text(env, "PROXY_TOKEN_AUDIENCE") ?? proxyTokenAudience.defaultValue,
      jwksUrl: text(env, "TOKEN_JWKS_URL") === undefined ? null : url(env, "TOKEN_JWKS_URL"),
      scopes: list(env, "PROXY_TOKEN_SCOPES", [scopeName(text(env, "SIGN_IN_SCOPE")) ?? "access_as_user"]),
      appRoles: list(env, "PROXY_APP_ROLES", []),
    },
    signIn,
    session,
    allowedOrigins: origins(env),
    trustProxy: trustProxy(env),
    rateLimitPerMinute: integer(env, "RATE_LIMIT_PER_MINUTE", 600, 1, 1_000_000),
    mediaRateLimitPerMinute: integer(env, "MEDIA_RATE_LIMIT_PER_MINUTE", 1200, 1, 1_000_000),
    authFailuresPerMinute: integer(env, "AUTH_FAILURES_PER_MINUTE", 30, 1, 1_000_000),
    cache: {
      maxEntries: integer(env, "CACHE_MAX_ENTRIES", 5000, 0, 1_000_000),
      // About 1.3 bytes of heap per byte of JSON: the default stays well inside a 128 MB heap cap.
      maxBytes: integer(env, "CACHE_MAX_BYTES", 32 * 1024 * 1024, 0, 4 * 1024 * 1024 * 1024),
      ttlMs: integer(env, "CACHE_TTL_MS", 30_000, 0, 86_400_000),
      staleMs: integer(env, "CACHE_STALE_MS", 120_000, 0, 86_400_000),
      policyTtlMs: integer(env, "POLICY_TTL_MS", 60_000, 0, 3_600_000),
    },
    upstream: {
      timeoutMs: integer(env, "UPSTREAM_TIMEOUT_MS", 10_000, 50, 300_000),
      connections: integer(env, "UPSTREAM_CONNECTIONS", 64, 1, 1024),
      maxRetries: integer(env, "UPSTREAM_MAX_RETRIES", 2, 0, 10),
      retryBudgetMs: integer(env, "UPSTREAM_RETRY_BUDGET_MS", 15_000, 0, 300_000),
      breakerFailures: integer(env, "UPSTREAM_BREAKER_FAILURES", 5, 1, 1000),
      breakerResetMs: integer(env, "UPSTREAM_BREAKER_RESET_MS", 10_000, 10, 600_000),
    },
    media: {
      secret: mediaSecretText === undefined ? randomBytes(32) : Buffer.from(mediaSecretText, "utf8"),
      ttlSeconds: integer(env, "MEDIA_URL_TTL_SECONDS", 900, 10, 86_400),
    },
    upload: {
      maxBytes: integer(env, "UPLOAD_MAX_BYTES", 50 * 1024 * 1024, 1, 2 * 1024 * 1024 * 1024),
      allowedTypes: list(env, "UPLOAD_ALLOWED_TYPES", ["image/jpeg", "image/png", "image/gif", "image/tiff", "image/heic", "video/mp4", "application/pdf"]),
      idleTimeoutMs: integer(env, "UPLOAD_IDLE_TIMEOUT_MS", 30_000, 100, 600_000),
      concurrency: integer(env, "UPLOAD_CONCURRENCY", 16, 1, 1024),
      collections: uploadCollections(env),
    },
    shutdownGraceMs: integer(env, "SHUTDOWN_GRACE_MS", 10_000, 0, 600_000),
  };
}
