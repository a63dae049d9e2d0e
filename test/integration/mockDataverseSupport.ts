/** Shared by the mock Dataverse tests: a running mock, tokens, and a small Web API caller. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { request } from "undici";
import { MOCK_DEFAULTS } from "../../mock-server/config";
import { dataverseOf } from "../../mock-server/dataverse";
import { RunningMockServer, startMockServer } from "../../mock-server/server";

export interface WebApiResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  text: string;
}

export class MockDataverseClient {
  constructor(
    readonly mock: RunningMockServer,
    private readonly token: string,
  ) {}

  get api(): string {
    return `${this.mock.url}/api/data/v9.2`;
  }

  async call(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<WebApiResponse> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: "application/json", "odata-version": "4.0", ...options.headers };
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await request(`${this.api}/${path}`, { method: method as "GET", headers, body });
    const text = await response.body.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.statusCode, headers: response.headers as Record<string, string>, body: parsed, text };
  }

  get = (path: string, headers?: Record<string, string>) => this.call("GET", path, { headers });
}

export async function appToken(mock: RunningMockServer, resource = mock.url): Promise<string> {
  const response = await request(`${mock.url}/issuer/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: MOCK_DEFAULTS.clientId, client_secret: MOCK_DEFAULTS.clientSecret, scope: `${resource}/.default` }).toString(),
  });
  return ((await response.body.json()) as { access_token: string }).access_token;
}

export async function userToken(mock: RunningMockServer, user: string, audience?: string): Promise<string> {
  const response = await request(`${mock.url}/issuer/dev/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user, ...(audience ? { audience } : {}) }) });
  return ((await response.body.json()) as { access_token: string }).access_token;
}

export async function startMock(): Promise<{ mock: RunningMockServer; app: MockDataverseClient }> {
  const mock = await startMockServer({ port: 0, media: 10 });
  return { mock, app: new MockDataverseClient(mock, await appToken(mock)) };
}

/** A mock started before a file's tests and stopped after them, reset to the demo org after each test. */
export function useMockDataverse(): { mock: RunningMockServer; app: MockDataverseClient } {
  const started = {} as { mock: RunningMockServer; app: MockDataverseClient };
  beforeAll(async () => Object.assign(started, await startMock()));
  afterAll(() => started.mock.close());
  afterEach(() => dataverseOf(started.mock.context).reset());
  return started;
}

export type Entity = Record<string, unknown>;
export const valuesOf = (response: WebApiResponse) => (response.body as { value: Entity[] }).value;

export interface ReceivedWebhook {
  url: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

/**
 * A stand-in for the proxy's webhook endpoint: records every POST and answers with the given
 * statuses in order (200 once they run out; 429 carries Retry-After: 0).
 */
export async function startWebhookReceiver(): Promise<{ url: string; received: ReceivedWebhook[]; answers: number[]; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  const answers: number[] = [];
  const server: Server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => (text += chunk));
    request.on("end", () => {
      received.push({ url: request.url ?? "", headers: request.headers, body: JSON.parse(text) });
      const status = answers.shift() ?? 200;
      response.writeHead(status, status === 429 ? { "retry-after": "0" } : {}).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/dataverse`,
    received,
    answers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
