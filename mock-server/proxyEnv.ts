/**
 * What the proxy needs to run against this mock-server, handed to it as environment by whoever
 * starts the stack (`npm start`, `npm run proxy`, the tests): the proxy itself knows nothing of the
 * mock. Each outside system is filled in as a group only when the environment names none of it (a
 * real PS_API_BASE keeps every PS_* setting its own), and the names filled in are listed in
 * PROXY_DEV_DEFAULTS, which a proxy started with NODE_ENV=production refuses.
 */
import { randomBytes } from "node:crypto";
import { MockSettings, mockSettingsFromEnv } from "./config";
import { COLLECTIONS, ORGANIZATION } from "./photoshelter/wellKnown";

type Env = Record<string, string | undefined>;

const isSet = (env: Env, name: string) => (env[name] ?? "").trim() !== "";

/** Development settings for a proxy talking to the mock at `mockUrl`, by outside system. */
export function mockProxySettings(mockUrl: string, settings: MockSettings = mockSettingsFromEnv()): Record<"photoShelter" | "dataverse" | "issuer" | "webhook", Record<string, string>> {
  return {
    photoShelter: {
      PS_API_BASE: `${mockUrl}/psapi/v4.0`,
      PS_V3_API_BASE: `${mockUrl}/psapi/v3`,
      PS_CDN_BASE: mockUrl,
      PS_WEB_BASE: mockUrl,
      PS_API_KEY: settings.psApiKey,
      PS_ORG_ID: ORGANIZATION.id,
      PS_EMAIL: settings.psEmail,
      PS_PASSWORD: settings.psPassword,
      PS_CASE_EVIDENCE_COLLECTION_ID: COLLECTIONS.caseEvidence,
      PS_CAMPAIGNS_COLLECTION_ID: COLLECTIONS.campaigns,
      PS_EVENTS_COLLECTION_ID: COLLECTIONS.events,
    },
    dataverse: {
      DATAVERSE_URL: mockUrl,
      DATAVERSE_TOKEN_URL: `${mockUrl}/issuer/token`,
      DATAVERSE_CLIENT_ID: settings.clientId,
      DATAVERSE_CLIENT_SECRET: settings.clientSecret,
    },
    issuer: { TOKEN_ISSUER: `${mockUrl}/issuer` },
    // A fresh key per start: the stack registers the mock's webhook with the same value.
    webhook: { WEBHOOK_KEY: `dev-webhook-key-not-a-secret-${randomBytes(12).toString("base64url")}` },
  };
}

/** The group each outside system is recognized by: set it and the group stays yours. */
const OWNER: Record<keyof ReturnType<typeof mockProxySettings>, string> = {
  photoShelter: "PS_API_BASE",
  dataverse: "DATAVERSE_URL",
  issuer: "TOKEN_ISSUER",
  webhook: "WEBHOOK_KEY",
};

/**
 * `env` with the mock's settings filled in for every outside system it does not name, and
 * PROXY_DEV_DEFAULTS listing what was filled in.
 */
export function withMockDefaults(env: Env, mockUrl: string, settings?: MockSettings): Record<string, string> {
  const groups = mockProxySettings(mockUrl, settings ?? mockSettingsFromEnv(env as NodeJS.ProcessEnv));
  const filled: Record<string, string> = {};
  for (const [group, values] of Object.entries(groups) as [keyof typeof groups, Record<string, string>][]) {
    if (isSet(env, OWNER[group])) continue;
    for (const [name, value] of Object.entries(values)) if (!isSet(env, name)) filled[name] = value;
  }
  const given = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return { ...given, ...filled, PROXY_DEV_DEFAULTS: Object.keys(filled).join(",") };
}
