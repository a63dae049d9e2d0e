/**
 * pino logger with request ids, redacting by allow-list at every level: a line carries text only in
 * the fields named here (and `msg`), each scrubbed of anything that looks like a credential; numbers
 * and booleans are always kept; any other text or object — a library's options with the request's
 * headers, a caller's token — is left out, its field named in `unlogged` so a missing field is
 * noticed. The filter sees the finished line, so child bindings, serializers and every library that
 * logs through this logger (Fastify, its plugins) pass it too. To log a new text field, add its name
 * to TEXT_FIELDS.
 */
import pino, { DestinationStream, Logger } from "pino";
import type { ProxyConfig } from "./config";

/** Fields whose text (or list of texts) is logged, scrubbed. Keep them to names, ids, paths and outcomes. */
const TEXT_FIELDS = new Set([
  "msg", "reqId", "upstream", "path", "url", "publicUrl", "photoShelter", "dataverse", "error", "message", "code", "reason",
  "role", "engine", "where", "signal", "part", "job", "jobs", "event", "events", "handler", "handlers", "owner", "table", "step",
  "record", "regarding", "account", "user", "org", "gallery", "parent", "parentCollectionId", "collection", "container", "media",
  "status", "scheduledFor", "retryAt", "ignored", "reading",
]);

/** Objects logged field by field; inside them, text only in these fields. */
const OBJECT_FIELDS: Record<string, Set<string>> = {
  req: new Set(["id", "method", "url", "origin", "ip"]),
  res: new Set(["statusCode"]),
  err: new Set(["type", "name", "message", "stack", "code", "status", "statusCode"]),
};

/** Fields pino writes itself. */
const PINO_FIELDS = new Set(["level", "time", "pid", "hostname"]);

/** Query parameters whose values are credentials (signed media URLs, PhotoShelter and OAuth parameters). */
const SECRET_PARAMS = /([?&](?:sig|api_key|auth_token|token|access_token|refresh_token|id_token|client_secret|password|code|verifier)=)[^&\s"]*/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const REDACTED = "[Redacted]";
const MAX_LIST = 50;

/** Drops the values of credentials in a URL (signed media `sig`, api keys, tokens) so log readers cannot replay them. */
export function safeUrl(url: string): string {
  return url.replace(SECRET_PARAMS, `$1${REDACTED}`);
}

/** Text with every credential-looking part replaced: JWTs, bearer/basic credentials, secret URL parameters, the configured secrets. */
function scrub(text: string, secrets: readonly string[]): string {
  let clean = safeUrl(text).replace(JWT, REDACTED).replace(BEARER, `$1 ${REDACTED}`);
  for (const secret of secrets) if (clean.includes(secret)) clean = clean.split(secret).join(REDACTED);
  return clean;
}

const isPlain = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** Only numbers and booleans, however nested (job results, counters): safe to keep whole. */
function onlyNumbers(value: unknown, depth = 0): boolean {
  if (typeof value === "number" || typeof value === "boolean" || value === null) return true;
  if (depth > 3 || !isPlain(value)) return false;
  return Object.values(value).every((item) => onlyNumbers(item, depth + 1));
}

/** One logged line, reduced to what the allow-lists let through. */
export function allowListed(line: Record<string, unknown>, secrets: readonly string[] = []): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  const unlogged: string[] = [];
  for (const [key, value] of Object.entries(line)) {
    if (PINO_FIELDS.has(key) || typeof value === "number" || typeof value === "boolean" || value === null) kept[key] = value;
    else if (typeof value === "string" && TEXT_FIELDS.has(key)) kept[key] = scrub(value, secrets);
    else if (Array.isArray(value) && TEXT_FIELDS.has(key) && value.every((item) => typeof item !== "object" || item === null)) {
      kept[key] = value.slice(0, MAX_LIST).map((item) => (typeof item === "string" ? scrub(item, secrets) : item));
    } else if (isPlain(value) && Object.hasOwn(OBJECT_FIELDS, key)) {
      const fields = OBJECT_FIELDS[key];
      kept[key] = Object.fromEntries(
        Object.entries(value)
          .filter(([name, item]) => typeof item === "number" || typeof item === "boolean" || (typeof item === "string" && fields.has(name)))
          .map(([name, item]) => [name, typeof item === "string" ? scrub(item, secrets) : item]),
      );
    } else if (onlyNumbers(value)) kept[key] = value;
    else unlogged.push(key);
  }
  if (unlogged.length > 0) kept.unlogged = unlogged;
  return kept;
}

/** The secrets in the configuration, to be replaced wherever they would turn up in a line. */
export function configuredSecrets(config: ProxyConfig): string[] {
  const { credentials } = config.photoShelter;
  const own = credentials.kind === "password" ? [credentials.password] : credentials.kind === "token" ? [credentials.token] : [credentials.clientSecret, credentials.refreshToken];
  const keys = config.session?.keys ? [config.session.keys.current, config.session.keys.previous] : [];
  return [config.photoShelter.apiKey, config.photoShelter.v3ApiKey, ...own, config.dataverse.clientSecret, config.media.secret.toString("utf8"), ...keys.map((key) => key?.toString("utf8")), config.webhookKey].filter(
    (secret): secret is string => typeof secret === "string" && secret !== "",
  );
}

/**
 * The proxy's logger. `secrets` are values that must never appear in a line (configured keys and
 * passwords); they are replaced wherever they turn up, on top of the allow-list.
 */
export function createLogger(level: string, destination?: DestinationStream, secrets: readonly string[] = []): Logger {
  const known = secrets.filter((secret) => secret.length >= 8);
  return pino(
    {
      level,
      serializers: {
        req: (req: { id: string; method: string; url: string; headers: Record<string, unknown>; ip?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
          origin: req.headers.origin,
          ip: req.ip,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
      hooks: {
        // Every finished line, whatever wrote it: only the allow-listed fields go out.
        streamWrite(line: string): string {
          try {
            return `${JSON.stringify(allowListed(JSON.parse(line) as Record<string, unknown>, known))}\n`;
          } catch {
            return `${JSON.stringify({ level: 50, time: Date.now(), msg: "a log line could not be read and was left out" })}\n`;
          }
        },
      },
    },
    destination,
  );
}
