import { MOCK_DEFAULTS } from "../../../mock-server/config";
import { withMockDefaults } from "../../../mock-server/proxyEnv";
import { ConfigError, loadConfig } from "../../../proxy/src/config";

/** What a development starter hands the proxy for a mock-server at port 4555. */
const dev = (env: NodeJS.ProcessEnv = {}) => withMockDefaults(env, "http://127.0.0.1:4555", { ...MOCK_DEFAULTS, port: 4555 });

function failure(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a configuration error");
}

describe("loadConfig", () => {
  it("knows no mock: the outside systems are named by whoever starts it", () => {
    expect(failure({}).message).toMatch(/^PS_API_BASE: is required/);
    expect(failure({ PS_API_BASE: "https://www.photoshelter.com/psapi/v4.0" }).variable).toBe("DATAVERSE_URL");
  });

  it("points at the mock-server with the settings a development starter fills in", () => {
    const env = withMockDefaults({ MOCK_PS_API_KEY: "key-from-env" }, "http://127.0.0.1:4555");
    const config = loadConfig(env);
    expect(config.devDefaults).toEqual(expect.arrayContaining(["PS_API_BASE", "PS_API_KEY", "DATAVERSE_URL", "TOKEN_ISSUER", "WEBHOOK_KEY"]));
    expect(config.port).toBe(4000);
    expect(config.photoShelter).toMatchObject({ apiBase: "http://127.0.0.1:4555/psapi/v4.0", apiKey: "key-from-env", credentials: { kind: "password", email: MOCK_DEFAULTS.psEmail } });
    expect(config.upload.collections).toEqual({ incident: "C000000000000060", campaign: "C000000000000030", msevtmgt_event: "C000000000000040" });
    expect(config.webhookKey).toMatch(/^dev-webhook-key-not-a-secret-/);
    expect(config.dataverse).toMatchObject({ url: "http://127.0.0.1:4555", tokenUrl: "http://127.0.0.1:4555/issuer/token", clientId: MOCK_DEFAULTS.clientId, scope: "http://127.0.0.1:4555/.default" });
    expect(config.token).toMatchObject({ issuer: "http://127.0.0.1:4555/issuer", audience: "api://photoshelter-proxy" });
    expect(config.signIn).toEqual({ kind: "dataverse" });
    expect(config.session).toMatchObject({ keys: null, ttlSeconds: 600 });
    expect(config.media.secret.length).toBe(32);
  });

  it("signs users in through Dataverse by default; Entra and the development issuer on request", () => {
    const key = "k".repeat(32);
    expect(loadConfig(dev({ SESSION_SIGNING_KEY: key })).session?.keys?.current.toString()).toBe(key);
    expect(loadConfig(dev({ SIGN_IN_MODE: "dev" })).signIn).toEqual({ kind: "dev", signInUrl: "http://127.0.0.1:4555/issuer/dev/sign-in" });
    const entra = loadConfig(dev({ SIGN_IN_MODE: "entra", SIGN_IN_CLIENT_ID: "spa", SIGN_IN_AUTHORITY: "https://login.microsoftonline.com/t", SIGN_IN_SCOPE: "api://p/access_as_user" }));
    expect(entra.signIn).toEqual({ kind: "entra", clientId: "spa", authority: "https://login.microsoftonline.com/t", scope: "api://p/access_as_user" });
    // Organizations that require Entra tokens get no session tokens at all.
    expect(entra.session).toBeNull();
    expect(failure(dev({ SIGN_IN_MODE: "cookies" })).variable).toBe("SIGN_IN_MODE");
    expect(failure(dev({ SIGN_IN_MODE: "entra" })).variable).toBe("SIGN_IN_CLIENT_ID");
    expect(failure(dev({ SESSION_SIGNING_KEY: "short" })).variable).toBe("SESSION_SIGNING_KEY");
    expect(failure(dev({ SESSION_SIGNING_KEY_PREVIOUS: key })).variable).toBe("SESSION_SIGNING_KEY");
    expect(failure(dev({ SESSION_TOKEN_TTL_SECONDS: "86400" })).variable).toBe("SESSION_TOKEN_TTL_SECONDS");
    // Production without a configured key takes the state store's, shared by every instance (sessionKeys.test.ts).
    const production = { NODE_ENV: "production", PS_API_BASE: "https://www.photoshelter.com/psapi/v4.0", PS_API_KEY: "k", PS_ORG_ID: "O0000AoXP1xI.fPs", PS_AUTH_TOKEN: "t", DATAVERSE_URL: "https://contoso.crm.dynamics.com", DATAVERSE_TOKEN_URL: "https://login.microsoftonline.com/t/oauth2/v2.0/token", DATAVERSE_CLIENT_ID: "a", DATAVERSE_CLIENT_SECRET: "s", TOKEN_ISSUER: "https://login.microsoftonline.com/t/v2.0", MEDIA_URL_SECRET: "m".repeat(32), WEBHOOK_KEY: "w".repeat(32) };
    expect(loadConfig(production).session?.keys).toBeNull();
    expect(loadConfig({ ...production, SESSION_SIGNING_KEY: key }).signIn).toEqual({ kind: "dataverse" });
    expect(failure({ ...production, SESSION_SIGNING_KEY: key, SIGN_IN_MODE: "dev" }).variable).toBe("SIGN_IN_MODE");
  });

  it("reads a real PhotoShelter and Dataverse configuration", () => {
    const config = loadConfig({
      PS_API_BASE: "https://www.photoshelter.com/psapi/v4.0/",
      PS_API_KEY: "abcdefghijk",
      PS_ORG_ID: "O0000AoXP1xI.fPs",
      PS_OAUTH_REFRESH_TOKEN: "refresh",
      PS_OAUTH_CLIENT_ID: "client",
      PS_OAUTH_CLIENT_SECRET: "secret",
      PS_OAUTH_REDIRECT_URI: "https://proxy.contoso.example/oauth/callback",
      DATAVERSE_URL: "https://contoso.crm.dynamics.com",
      DATAVERSE_TOKEN_URL: "https://login.microsoftonline.com/tenant/oauth2/v2.0/token",
      DATAVERSE_CLIENT_ID: "app",
      DATAVERSE_CLIENT_SECRET: "app-secret",
      TOKEN_ISSUER: "https://login.microsoftonline.com/tenant/v2.0",
      SIGN_IN_CLIENT_ID: "spa-client",
      SIGN_IN_AUTHORITY: "https://login.microsoftonline.com/tenant",
      SIGN_IN_SCOPE: "api://photoshelter-proxy/user_impersonation",
      PROXY_ALLOWED_ORIGINS: "https://contoso.crm.dynamics.com, https://contoso.crm4.dynamics.com",
    });
    expect(config.devDefaults).toEqual([]);
    expect(config.photoShelter).toMatchObject({ apiBase: "https://www.photoshelter.com/psapi/v4.0", v3Base: "https://www.photoshelter.com/psapi/v3", credentials: { kind: "oauth", clientId: "client" } });
    expect(config.upload.collections).toEqual({});
    expect(config.dataverse.scope).toBe("https://contoso.crm.dynamics.com/.default");
    expect(config.signIn).toEqual({ kind: "entra", clientId: "spa-client", authority: "https://login.microsoftonline.com/tenant", scope: "api://photoshelter-proxy/user_impersonation" });
    expect(config.allowedOrigins).toEqual(["https://contoso.crm.dynamics.com", "https://contoso.crm4.dynamics.com"]);
  });

  it("names the variable that is wrong", () => {
    expect(failure(dev({ PROXY_PORT: "http" })).variable).toBe("PROXY_PORT");
    expect(failure(dev({ PS_API_BASE: "https://www.photoshelter.com/psapi/v4.0" })).variable).toBe("PS_API_KEY");
    expect(failure(dev({ PS_API_BASE: "https://www.photoshelter.com/psapi/v4.0", PS_API_KEY: "k", PS_ORG_ID: "O0000AoXP1xI.fPs" })).message).toMatch(/^PS_EMAIL: PhotoShelter credentials are required/);
    expect(failure(dev({ PS_API_BASE: "https://www.photoshelter.com/psapi/v4.0", PS_API_KEY: "k", PS_ORG_ID: "O0000AoXP1xI.fPs", PS_EMAIL: "a@b.c" })).variable).toBe("PS_PASSWORD");
    expect(failure(dev({ PROXY_ALLOWED_ORIGINS: "*" })).variable).toBe("PROXY_ALLOWED_ORIGINS");
    expect(failure(dev({ PROXY_ALLOWED_ORIGINS: "https://contoso.crm.dynamics.com/main.aspx" })).message).toMatch(/origin only/);
    expect(failure(dev({ TOKEN_ISSUER: "not a url" })).variable).toBe("TOKEN_ISSUER");
    expect(failure(dev({ MEDIA_URL_SECRET: "short" })).variable).toBe("MEDIA_URL_SECRET");
    expect(failure(dev({ UPSTREAM_TIMEOUT_MS: "5" })).variable).toBe("UPSTREAM_TIMEOUT_MS");
    expect(failure(dev({ PS_CASE_EVIDENCE_COLLECTION_ID: "G000000000000601" })).variable).toBe("PS_CASE_EVIDENCE_COLLECTION_ID");
  });

  it("refuses to run production against the mocks or without a media URL secret", () => {
    expect(failure({ NODE_ENV: "production" }).variable).toBe("PS_API_BASE");
    const real = { NODE_ENV: "production", PS_API_BASE: "https://www.photoshelter.com/psapi/v4.0", PS_API_KEY: "k", PS_ORG_ID: "O0000AoXP1xI.fPs", PS_AUTH_TOKEN: "t" };
    expect(failure(real).variable).toBe("DATAVERSE_URL");
    const withDataverse = { ...real, DATAVERSE_URL: "https://contoso.crm.dynamics.com", DATAVERSE_TOKEN_URL: "https://login.example.com/token", DATAVERSE_CLIENT_ID: "a", DATAVERSE_CLIENT_SECRET: "b" };
    expect(failure(withDataverse).variable).toBe("TOKEN_ISSUER");
    expect(failure({ ...withDataverse, TOKEN_ISSUER: "https://login.microsoftonline.com/tenant/v2.0" }).variable).toBe("MEDIA_URL_SECRET");
  });

  it("refuses development defaults in production, from a starter or typed in", () => {
    const production = { ...dev({ SESSION_SIGNING_KEY: "s".repeat(32), MEDIA_URL_SECRET: "m".repeat(32) }), NODE_ENV: "production" };
    expect(failure(production).message).toMatch(/^PROXY_DEV_DEFAULTS: development defaults \(PS_API_BASE, .*\) were filled in by a development starter/);
    const typedIn = { ...production, PROXY_DEV_DEFAULTS: "" };
    expect(failure(typedIn).variable).toBe("PS_API_KEY");
    expect(failure({ ...typedIn, PS_API_KEY: "real-key" }).variable).toBe("PS_PASSWORD");
    expect(failure({ ...typedIn, PS_API_KEY: "real-key", PS_PASSWORD: "real", DATAVERSE_CLIENT_SECRET: "real" }).variable).toBe("WEBHOOK_KEY");
    expect(failure({ ...typedIn, PS_API_KEY: "real-key", PS_PASSWORD: "real", DATAVERSE_CLIENT_SECRET: "real", WEBHOOK_KEY: "short-but-16-chars" }).message).toMatch(/^WEBHOOK_KEY: must be at least 32 characters/);
  });

  it("reads the state store, the role and the job settings", () => {
    const defaults = loadConfig(dev());
    expect(defaults.role).toBe("all");
    expect(defaults.stateUrl).toMatch(/^sqlite:.*[\\/]data[\\/]proxy\.db$/);
    expect(defaults.jobs).toMatchObject({ concurrency: 4, leaseMs: 30_000, maxAttempts: 5 });
    expect(defaults.adminRoles).toEqual(["PhotoShelter Admin", "System Administrator"]);
    expect(loadConfig(dev({ PROXY_DATA_DIR: "/var/lib/proxy" })).stateUrl).toBe("sqlite:/var/lib/proxy/proxy.db");
    expect(loadConfig(dev({ STATE_URL: "postgres://proxy@db.internal:5432/proxy", PROXY_ROLE: "worker" }))).toMatchObject({ stateUrl: "postgres://proxy@db.internal:5432/proxy", role: "worker" });
    expect(failure(dev({ STATE_URL: "mysql://db/proxy" })).message).toMatch(/^STATE_URL: the scheme "mysql:" is not supported/);
    expect(failure(dev({ PROXY_ROLE: "both" })).variable).toBe("PROXY_ROLE");
    expect(failure(dev({ WEBHOOK_KEY: "short" })).variable).toBe("WEBHOOK_KEY");
    expect(failure(dev({ JOBS_LEASE_MS: "5" })).variable).toBe("JOBS_LEASE_MS");
  });

  it("reads who may call and how the client address is found", () => {
    const defaults = loadConfig(dev());
    expect(defaults.token).toMatchObject({ scopes: ["access_as_user"], appRoles: [] });
    expect(defaults.trustProxy).toBe(false);
    expect(loadConfig(dev({ SIGN_IN_SCOPE: "api://p/Assets.Read" })).token.scopes).toEqual(["Assets.Read"]);
    expect(loadConfig(dev({ PROXY_TOKEN_SCOPES: "a, b", PROXY_APP_ROLES: "PhotoShelter.Integration" })).token).toMatchObject({ scopes: ["a", "b"], appRoles: ["PhotoShelter.Integration"] });
    expect(loadConfig(dev({ PROXY_TRUST_PROXY: "true" })).trustProxy).toBe(true);
    expect(loadConfig(dev({ PROXY_TRUST_PROXY: "2" })).trustProxy).toBe(2);
    expect(loadConfig(dev({ PROXY_TRUST_PROXY: "10.0.0.0/8, 127.0.0.1" })).trustProxy).toEqual(["10.0.0.0/8", "127.0.0.1"]);
    expect(failure(dev({ PROXY_TRUST_PROXY: "load balancer" })).variable).toBe("PROXY_TRUST_PROXY");
    expect(failure(dev({ UPLOAD_IDLE_TIMEOUT_MS: "5" })).variable).toBe("UPLOAD_IDLE_TIMEOUT_MS");
  });
});
