/**
 * Development credentials and settings shared by the mock-server and everything that talks to it
 * (the proxy reads the same variables when no real PhotoShelter or Dataverse is configured).
 * All defaults are obviously fake and exist only for local development and tests.
 */
export interface MockSettings {
  port: number;
  psApiKey: string;
  psEmail: string;
  psPassword: string;
  clientId: string;
  clientSecret: string;
  /**
   * PhotoShelter answers only the `include=` names real clients are seen using and ignores the rest
   * (custom_metadata, galleries, key-image…), as the live API may (`MOCK_PS_STRICT_INCLUDES=1`).
   */
  psStrictIncludes: boolean;
  /**
   * The Dataverse org has Event Management (msevtmgt_event and the Event lookups on our tables);
   * `MOCK_DATAVERSE_EVENT_MANAGEMENT=0` stands in for an org without it.
   */
  dataverseEventManagement: boolean;
}

export const MOCK_DEFAULTS: MockSettings = {
  port: 4010,
  psApiKey: "mock-ps-api-key-not-a-secret",
  psEmail: "brand.admin@example.com",
  psPassword: "mock-password-not-a-secret",
  clientId: "mock-proxy-client",
  clientSecret: "mock-client-secret-not-a-secret",
  psStrictIncludes: false,
  dataverseEventManagement: true,
};

function port(raw: string | undefined, name: string, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number (0-65535), got "${raw}"`);
  return value;
}

function flag(raw: string | undefined, name: string): boolean {
  if (raw === undefined || raw === "" || raw === "0" || raw === "false") return false;
  if (raw === "1" || raw === "true") return true;
  throw new Error(`${name} must be 1/true or 0/false, got "${raw}"`);
}

/** Reads MOCK_* variables, falling back to the documented defaults. */
export function mockSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): MockSettings {
  return {
    port: port(env.MOCK_PORT, "MOCK_PORT", MOCK_DEFAULTS.port),
    psApiKey: env.MOCK_PS_API_KEY || MOCK_DEFAULTS.psApiKey,
    psEmail: env.MOCK_PS_EMAIL || MOCK_DEFAULTS.psEmail,
    psPassword: env.MOCK_PS_PASSWORD || MOCK_DEFAULTS.psPassword,
    clientId: env.MOCK_CLIENT_ID || MOCK_DEFAULTS.clientId,
    clientSecret: env.MOCK_CLIENT_SECRET || MOCK_DEFAULTS.clientSecret,
    psStrictIncludes: flag(env.MOCK_PS_STRICT_INCLUDES, "MOCK_PS_STRICT_INCLUDES"),
    dataverseEventManagement: env.MOCK_DATAVERSE_EVENT_MANAGEMENT === undefined || env.MOCK_DATAVERSE_EVENT_MANAGEMENT === "" ? true : flag(env.MOCK_DATAVERSE_EVENT_MANAGEMENT, "MOCK_DATAVERSE_EVENT_MANAGEMENT"),
  };
}

/**
 * Shared key the mock Dataverse sends (header `x-psh-webhook-key`) with the webhook it registers
 * when `MOCK_DATAVERSE_WEBHOOK_URL` is set; the proxy's webhook receiver expects the same value.
 */
export const MOCK_WEBHOOK_KEY = "mock-webhook-key-not-a-secret";
