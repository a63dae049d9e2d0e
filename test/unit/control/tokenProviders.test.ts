/** @jest-environment node */
import { createHash, webcrypto } from "node:crypto";
import type { AuthWindow } from "../../../PhotoShelterAssetPicker/services/authWindow";
import { dataverseTokens } from "../../../PhotoShelterAssetPicker/services/dataverseTokenProvider";
import { devIssuerTokens } from "../../../PhotoShelterAssetPicker/services/devIssuerTokenProvider";
import { entraTokens } from "../../../PhotoShelterAssetPicker/services/entraTokenProvider";
import { createPkce } from "../../../PhotoShelterAssetPicker/services/pkce";
import { SignInRequiredError, configuredTokens } from "../../../PhotoShelterAssetPicker/services/tokenProvider";
import { createServices } from "../../../PhotoShelterAssetPicker/services/createServices";

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("devIssuerTokens", () => {
  it("signs in the Dataverse user at the issuer, caches the token and renews it before it expires", async () => {
    let now = 0;
    let issued = 0;
    const fetchImpl = jest.fn(async () => json({ access_token: `t${++issued}`, token_type: "Bearer", expires_in: 300 }));
    const provider = devIssuerTokens("http://mock.test/issuer/dev/sign-in", "{A1B2C3D4-0000-4000-8000-000000000001}", fetchImpl as unknown as typeof fetch, () => now);
    const [a, b] = await Promise.all([provider.getToken(), provider.getToken()]);
    expect([a, b]).toEqual(["t1", "t1"]);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("http://mock.test/issuer/dev/sign-in");
    expect(JSON.parse(String(init.body))).toEqual({ user: "a1b2c3d4-0000-4000-8000-000000000001" });
    now = 200_000;
    expect(await provider.getToken()).toBe("t1");
    now = 250_000; // inside the last minute of the token's life
    expect(await provider.getToken()).toBe("t2");
    provider.invalidate();
    expect(await provider.getToken()).toBe("t3");
  });

  it("fails clearly when the issuer refuses", async () => {
    const provider = devIssuerTokens("http://mock.test/s", "u", (async () => json({ error: "unknown user" }, 404)) as typeof fetch);
    await expect(provider.getToken()).rejects.toThrow("Development sign-in failed with HTTP 404");
  });
});

describe("configuredTokens", () => {
  it("reads the proxy's sign-in config once and uses the provider it names; a failed read is retried", async () => {
    const loadConfig = jest.fn().mockRejectedValueOnce(new Error("proxy down")).mockResolvedValue({ kind: "dev", signInUrl: "http://mock.test/s" });
    const inner = { getToken: jest.fn(async () => "dev-token"), invalidate: jest.fn() };
    const create = jest.fn(() => inner);
    const provider = configuredTokens(loadConfig, create);
    await expect(provider.getToken()).rejects.toThrow("proxy down");
    expect(await provider.getToken()).toBe("dev-token");
    expect(await provider.getToken()).toBe("dev-token");
    expect(loadConfig).toHaveBeenCalledTimes(2);
    expect(create).toHaveBeenCalledWith({ kind: "dev", signInUrl: "http://mock.test/s" });
  });
});

describe("createServices", () => {
  const inputs = (fetchImpl: jest.Mock) => ({
    webAPI: {} as ComponentFramework.WebApi,
    utils: {} as ComponentFramework.Utility,
    userId: "{A1B2C3D4-0000-4000-8000-000000000001}",
    proxyBaseUrl: () => "http://proxy.test/",
    record: () => ({ entityName: "incident", id: "c0000000-0000-4000-8000-000000000001", name: null }),
    fetch: fetchImpl as unknown as typeof fetch,
  });
  const config = { signIn: { kind: "dev", signInUrl: "http://mock.test/issuer/dev/sign-in" }, upload: { maxBytes: 1000, allowedTypes: ["image/jpeg"] } };

  it("reads GET /v1/config once for the sign-in method and the upload limits", async () => {
    const fetchImpl = jest.fn(async (url: string) => (url.endsWith("/v1/config") ? json(config) : json({ access_token: "t1", token_type: "Bearer", expires_in: 300 })));
    const services = createServices(inputs(fetchImpl));
    const [limits, token] = await Promise.all([services.proxy.getUploadLimits(), services.tokens.getToken()]);
    expect(limits).toEqual(config.upload);
    expect(token).toBe("t1");
    expect(await services.proxy.getUploadLimits()).toEqual(config.upload);
    expect(fetchImpl.mock.calls.map(([url]) => String(url))).toEqual(["http://proxy.test/v1/config", "http://mock.test/issuer/dev/sign-in"]);
  });

  it("reads it again after a failed read, and the sign-in names the failure", async () => {
    let down = true;
    const fetchImpl = jest.fn(async (url: string) =>
      url.endsWith("/v1/config") ? (down ? json({ error: { code: "unavailable", message: "down" } }, 503) : json(config)) : json({ access_token: "t1", token_type: "Bearer", expires_in: 300 }),
    );
    const services = createServices(inputs(fetchImpl));
    await expect(services.tokens.getToken()).rejects.toThrow("The proxy's configuration could not be read (HTTP 503)");
    await expect(services.proxy.getUploadLimits()).rejects.toMatchObject({ status: 503 });
    down = false;
    expect(await services.proxy.getUploadLimits()).toEqual(config.upload);
    expect(await services.tokens.getToken()).toBe("t1");
    expect(fetchImpl.mock.calls.filter(([url]) => String(url).endsWith("/v1/config"))).toHaveLength(3);
  });
});

describe("Entra ID sign-in (authorization code + PKCE)", () => {
  const crypto = webcrypto as unknown as Crypto;

  it("creates a verifier whose S256 challenge matches RFC 7636", async () => {
    const { verifier, challenge } = await createPkce(crypto);
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash("sha256").update(verifier).digest("base64url"));
  });

  function setup(answer: (url: URL) => string, mode: "silent" | "interactive" = "silent") {
    const seen: URL[] = [];
    const authWindow: AuthWindow = {
      silent: jest.fn(async (url: string) => {
        seen.push(new URL(url));
        if (mode === "interactive") throw new SignInRequiredError("Sign-in window timeout");
        return answer(new URL(url));
      }),
      interactive: jest.fn(async (url: string) => {
        seen.push(new URL(url));
        return answer(new URL(url));
      }),
    };
    const fetchImpl = jest.fn(async () => json({ access_token: "entra-token", expires_in: 3600 }));
    const provider = entraTokens({
      authority: "https://login.microsoftonline.com/tenant-id/",
      clientId: "client-id",
      scope: "api://photoshelter-proxy/.default",
      redirectUri: "https://org.crm.dynamics.com/",
      loginHint: async () => "avery@contoso.com",
      authWindow,
      fetch: fetchImpl as unknown as typeof fetch,
      crypto,
    });
    return { provider, seen, authWindow, fetchImpl };
  }

  const redirect = (url: URL, extra = "") => `https://org.crm.dynamics.com/#code=auth-code&state=${url.searchParams.get("state")}${extra}`;

  it("signs in silently with the user's login hint and redeems the code with the PKCE verifier", async () => {
    const { provider, seen, fetchImpl } = setup((url) => redirect(url));
    expect(await provider.getToken()).toBe("entra-token");
    const url = seen[0];
    expect(url.origin + url.pathname).toBe("https://login.microsoftonline.com/tenant-id/oauth2/v2.0/authorize");
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ client_id: "client-id", response_type: "code", prompt: "none", login_hint: "avery@contoso.com", code_challenge_method: "S256", scope: "api://photoshelter-proxy/.default" });
    const [tokenUrl, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(tokenUrl).toBe("https://login.microsoftonline.com/tenant-id/oauth2/v2.0/token");
    const form = new URLSearchParams(String(init.body));
    expect(form.get("grant_type")).toBe("authorization_code");
    expect(form.get("code")).toBe("auth-code");
    expect(createHash("sha256").update(form.get("code_verifier") ?? "").digest("base64url")).toBe(url.searchParams.get("code_challenge"));
    expect(await provider.getToken()).toBe("entra-token");
    expect(fetchImpl).toHaveBeenCalledTimes(1);
  });

  it("needs an interactive sign-in when Entra asks for interaction, and then has a token without asking again", async () => {
    const { provider, authWindow } = setup((url) => (url.searchParams.get("prompt") === "none" ? "https://org.crm.dynamics.com/#error=interaction_required" : redirect(url)));
    await expect(provider.getToken()).rejects.toBeInstanceOf(SignInRequiredError);
    await provider.signInInteractively!();
    expect(authWindow.interactive).toHaveBeenCalledTimes(1);
    expect(await provider.getToken()).toBe("entra-token");
  });

  it("treats a silent sign-in that never returns as 'sign-in required'", async () => {
    const { provider } = setup((url) => redirect(url), "interactive");
    await expect(provider.getToken()).rejects.toBeInstanceOf(SignInRequiredError);
  });

  it("rejects an answer with a different state (a forged redirect)", async () => {
    const { provider } = setup(() => "https://org.crm.dynamics.com/#code=x&state=forged");
    await expect(provider.getToken()).rejects.toThrow("different state");
  });
});

describe("dataverseTokens (sign-in through Dataverse)", () => {
  const crypto = webcrypto as unknown as Crypto;

  function setup(options: { expiresIn?: number; status?: number } = {}) {
    let now = 0;
    const rows: { id: string; challenge: string }[] = [];
    const createRecord = jest.fn(async (table: string, data: Record<string, unknown>) => {
      expect(table).toBe("psh_signinrequest");
      const id = `00000000-0000-4000-8000-${String(rows.length + 1).padStart(12, "0")}`;
      rows.push({ id, challenge: String(data.psh_challenge) });
      return { id: `{${id.toUpperCase()}}`, entityType: table };
    });
    const posted: { url: string; id: string; verifier: string }[] = [];
    const fetchImpl = jest.fn(async (url: string, init: RequestInit) => {
      const body = JSON.parse(String(init.body)) as { id: string; verifier: string };
      posted.push({ url, ...body });
      return json({ access_token: `session-${posted.length}`, token_type: "Bearer", expires_in: options.expiresIn ?? 600 }, options.status ?? 200);
    });
    const provider = dataverseTokens(async () => "https://proxy.test/", { createRecord } as unknown as ComponentFramework.WebApi, fetchImpl as unknown as typeof fetch, crypto, () => now);
    return { provider, rows, posted, createRecord, fetchImpl, advance: (ms: number) => (now += ms) };
  }

  it("creates a row carrying SHA-256 of a 256-bit verifier and shows the proxy the row and the verifier", async () => {
    const { provider, rows, posted } = setup();
    expect(await provider.getToken()).toBe("session-1");
    expect(posted).toHaveLength(1);
    expect(posted[0].url).toBe("https://proxy.test/v1/session");
    expect(posted[0].id).toBe(rows[0].id.toUpperCase()); // braces gone, the id as Dataverse gave it
    expect(posted[0].verifier).toMatch(/^[A-Za-z0-9_-]{43}$/); // base64url of 32 bytes
    expect(Buffer.from(posted[0].verifier, "base64url")).toHaveLength(32);
    expect(rows[0].challenge).toBe(createHash("sha256").update(posted[0].verifier).digest("base64url"));
  });

  it("shares one handshake between concurrent callers and a fresh verifier per handshake", async () => {
    const { provider, createRecord, fetchImpl, posted, rows } = setup();
    const tokens = await Promise.all([provider.getToken(), provider.getToken(), provider.getToken()]);
    expect(tokens).toEqual(["session-1", "session-1", "session-1"]);
    expect(createRecord).toHaveBeenCalledTimes(1);
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    provider.invalidate();
    await provider.getToken();
    expect(rows).toHaveLength(2);
    expect(posted[1].verifier).not.toBe(posted[0].verifier);
  });

  it("renews once when several calls report the same rejected token", async () => {
    const { provider, createRecord } = setup();
    const rejected = await provider.getToken();
    provider.invalidate(rejected);
    const renewed = await provider.getToken();
    provider.invalidate(rejected); // a late call with the old token
    expect(await provider.getToken()).toBe(renewed);
    expect(createRecord).toHaveBeenCalledTimes(2);
  });

  it("renews before the token expires, with the same handshake", async () => {
    const { provider, advance, createRecord } = setup({ expiresIn: 600 });
    expect(await provider.getToken()).toBe("session-1");
    advance(530_000);
    expect(await provider.getToken()).toBe("session-1");
    advance(20_000); // inside the last minute
    expect(await provider.getToken()).toBe("session-2");
    expect(createRecord).toHaveBeenCalledTimes(2);
  });

  it("renews a short-lived token a quarter of its life early", async () => {
    const { provider, advance } = setup({ expiresIn: 8 });
    expect(await provider.getToken()).toBe("session-1");
    advance(5_000);
    expect(await provider.getToken()).toBe("session-1");
    advance(1_500);
    expect(await provider.getToken()).toBe("session-2");
  });

  it("a caller that gives up does not cancel the handshake the others wait for", async () => {
    const { provider } = setup();
    const leaving = new AbortController();
    const first = provider.getToken(leaving.signal);
    const second = provider.getToken();
    leaving.abort(new Error("form closed"));
    await expect(first).rejects.toThrow("form closed");
    expect(await second).toBe("session-1");
  });

  it("passes the proxy's refusal on as its error, with Retry-After when rate-limited", async () => {
    const refused = setup({ status: 401 });
    await expect(refused.provider.getToken()).rejects.toMatchObject({ status: 401 });
    const limited = dataverseTokens(
      async () => "https://proxy.test",
      { createRecord: async () => ({ id: "00000000-0000-4000-8000-000000000001", entityType: "psh_signinrequest" }) } as unknown as ComponentFramework.WebApi,
      (async () => new Response(JSON.stringify({ error: { code: "rate_limited", message: "Too many sign-ins" } }), { status: 429, headers: { "content-type": "application/json", "retry-after": "7" } })) as typeof fetch,
      crypto,
    );
    await expect(limited.getToken()).rejects.toMatchObject({ status: 429, code: "rate_limited", retryAfterMs: 7000 });
  });

  it("says so when Dataverse refuses the row (a user without the PhotoShelter User role)", async () => {
    const provider = dataverseTokens(
      async () => "https://proxy.test",
      { createRecord: async () => Promise.reject({ errorCode: 2147746336, message: "Principal user is missing prvCreatepsh_signinrequest privilege" }) } as unknown as ComponentFramework.WebApi,
      jest.fn() as unknown as typeof fetch,
      crypto,
    );
    await expect(provider.getToken()).rejects.toMatchObject({ status: 401, code: "sign_in_failed", message: expect.stringContaining("prvCreatepsh_signinrequest") });
  });
});
