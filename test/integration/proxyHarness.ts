/**
 * Starts the mock-server and the proxy in-process on free ports, over real HTTP, and gives tests
 * tokens for the seeded users, the mock's request log and fault injection, and the proxy's log lines.
 */
import { Writable } from "node:stream";
import { adminOf, MockAdmin } from "../../mock-server/admin";
import { MOCK_DEFAULTS, type MockSettings } from "../../mock-server/config";
import { withMockDefaults } from "../../mock-server/proxyEnv";
import { photoShelterOf, PhotoShelterState } from "../../mock-server/photoshelter";
import { RunningMockServer, startMockServer } from "../../mock-server/server";
import { loadConfig } from "../../proxy/src/config";
import { RunningProxy, startProxy } from "../../proxy/src/server";

export const ORIGIN = "https://contoso.crm.dynamics.com";

export interface Stack {
  mock: RunningMockServer;
  proxy: RunningProxy;
  admin: MockAdmin;
  photoShelter: PhotoShelterState;
  /** Every log line the proxy wrote, as text. */
  logs: string[];
  /** A bearer token of a seeded user (upn), from the mock issuer. */
  token(upn: string, options?: { audience?: string; expiresIn?: number }): Promise<string>;
  /** fetch against the proxy with an optional bearer token. */
  call(path: string, init?: RequestInit & { token?: string }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Mock settings every stack of this test file starts with. A file that sets `psStrictIncludes` runs
 * its proxy tests against a PhotoShelter that ignores the includes no real client confirms.
 */
export const stackDefaults: { mock: Partial<MockSettings> } = { mock: {} };

export async function startStack(env: Record<string, string> = {}, media = 300, mockSettings: Partial<MockSettings> = {}): Promise<Stack> {
  const mock = await startMockServer({ port: 0, media, settings: { ...stackDefaults.mock, ...mockSettings } });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config = loadConfig(withMockDefaults({ PROXY_PORT: "0", LOG_LEVEL: "info", PROXY_ALLOWED_ORIGINS: ORIGIN, STATE_URL: "sqlite::memory:", ...env }, mock.url, mock.context.settings));
  const proxy = await startProxy(config, { logStream });
  const tokens = new Map<string, string>();
  return {
    mock,
    proxy,
    admin: adminOf(mock.context),
    photoShelter: photoShelterOf(mock.context),
    logs,
    async token(upn, options = {}) {
      const key = `${upn}|${options.audience ?? ""}|${options.expiresIn ?? ""}`;
      const cached = tokens.get(key);
      if (cached) return cached;
      const response = await fetch(`${mock.url}/issuer/dev/sign-in`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: upn, ...options }),
      });
      if (response.status !== 200) throw new Error(`sign-in for ${upn} failed: ${response.status} ${await response.text()}`);
      const token = ((await response.json()) as { access_token: string }).access_token;
      tokens.set(key, token);
      return token;
    },
    call(path, init = {}) {
      const { token, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token) headers.set("authorization", `Bearer ${token}`);
      return fetch(`${proxy.url}${path}`, { ...rest, headers });
    },
    async close() {
      await proxy.close();
      await mock.close();
    },
  };
}

/** Secrets the proxy holds that must never reach a response or a log line. */
export async function photoShelterSecrets(stack: Stack): Promise<string[]> {
  const session = await stack.proxy.services.session.headers();
  return [MOCK_DEFAULTS.psApiKey, MOCK_DEFAULTS.psPassword, MOCK_DEFAULTS.clientSecret, ...Object.values(session)];
}
