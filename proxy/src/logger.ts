/**
 * pino logger with request ids. Keys, tokens, passwords and signatures are redacted wherever they
 * appear in a logged object, and URLs are logged without their query values for signed media.
 */
import pino, { DestinationStream, Logger } from "pino";

const REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-ps-api-key"]',
  'req.headers["x-ps-auth-token"]',
  "headers.authorization",
  'headers["x-ps-api-key"]',
  'headers["x-ps-auth-token"]',
  "*.apiKey",
  "*.token",
  "*.password",
  "*.clientSecret",
  "*.refreshToken",
  "*.access_token",
];

/** Drops the values of `sig` (signed media URLs) so log readers cannot replay them. */
export function safeUrl(url: string): string {
  return url.replace(/([?&](?:sig|api_key|auth_token|token|password)=)[^&]*/g, "$1[Redacted]");
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: "[Redacted]" },
      serializers: {
        req: (req: { id: string; method: string; url: string; headers: Record<string, unknown>; ip?: string }) => ({
          id: req.id,
          method: req.method,
          url: safeUrl(req.url),
          origin: req.headers.origin,
          ip: req.ip,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    destination,
  );
}
