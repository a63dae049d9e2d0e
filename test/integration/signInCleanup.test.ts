/**
 * The clean-up of unconsumed sign-in requests against the mock Dataverse: rows past the handshake's
 * window and rows with an overridden creation time go, fresh rows stay, and a second run finds nothing.
 */
import pino from "pino";
import { MOCK_DEFAULTS } from "../../mock-server/config";
import { dataverseOf } from "../../mock-server/dataverse";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { RunningMockServer, startMockServer } from "../../mock-server/server";
import { deleteUnconsumedSignInRequests, signInCleanupJob, UNCONSUMED_AFTER_MS } from "../../proxy/src/automation/signInCleanup";
import { ClientCredentialsTokens, createDataverseClient, type DataverseClient } from "../../proxy/src/dataverse";
import { UpstreamHttp } from "../../proxy/src/upstream/http";
import { signInRequest } from "../../solution/model";
import { MockDataverseClient, userToken } from "./mockDataverseSupport";

let mock: RunningMockServer;
let http: UpstreamHttp;
let client: DataverseClient;
let riley: MockDataverseClient;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, media: 10 });
  http = new UpstreamHttp("Dataverse", { timeoutMs: 5000, connections: 4, maxRetries: 2, retryBudgetMs: 8000, breakerFailures: 50, breakerResetMs: 1000 }, pino({ level: "silent" }));
  const tokens = new ClientCredentialsTokens({ tokenUrl: `${mock.url}/issuer/token`, clientId: MOCK_DEFAULTS.clientId, clientSecret: MOCK_DEFAULTS.clientSecret, scope: `${mock.url}/.default` }, http);
  client = createDataverseClient({ url: mock.url, http, tokens });
  riley = new MockDataverseClient(mock, await userToken(mock, USERS.salesNorthAmerica.upn, mock.url));
});

afterAll(async () => {
  await http.close();
  await mock.close();
});

async function create(body: Record<string, unknown> = {}): Promise<string> {
  const response = await riley.call("POST", signInRequest.entitySetName, { body: { psh_challenge: `c-${Math.random()}`, ...body } });
  expect(response.status).toBe(204);
  return /\(([0-9a-f-]{36})\)$/.exec(response.headers["odata-entityid"])![1];
}

/** Makes a row look created `ms` ago (the platform sets createdon; only the mock's store can age it). */
function age(id: string, ms: number): void {
  const { store } = dataverseOf(mock.context);
  const row = store.get(signInRequest.logicalName, id)!;
  store.put(signInRequest.logicalName, id, { ...row, createdon: new Date(Date.now() - ms).toISOString().replace(/\.\d{3}Z$/, "Z") });
}

const remaining = () => dataverseOf(mock.context).store.rows(signInRequest.logicalName).map((row) => String(row[signInRequest.primaryIdAttribute]));

it("deletes the rows past the handshake's window and the overridden ones, and keeps the fresh ones", async () => {
  const fresh = await create();
  const recent = await create();
  age(recent, UNCONSUMED_AFTER_MS - 60_000);
  const stale = await create();
  age(stale, UNCONSUMED_AFTER_MS + 60_000);
  const veryOld = await create();
  age(veryOld, 24 * 60 * 60_000);
  const forwardDated = await create({ overriddencreatedon: new Date(Date.now() + 60 * 60_000).toISOString() });

  expect(await deleteUnconsumedSignInRequests(client)).toEqual({ found: 3, deleted: 3 });
  expect(remaining().sort()).toEqual([fresh, recent].sort());
  expect(remaining()).not.toContain(forwardDated);
  expect(await deleteUnconsumedSignInRequests(client)).toEqual({ found: 0, deleted: 0 });
});

it("runs as a scheduled job that reports what it removed", async () => {
  const stale = await create();
  age(stale, UNCONSUMED_AFTER_MS + 60_000);
  const job = signInCleanupJob(client);
  expect(job.name).toBe("sign-in-cleanup");
  expect(await job.run(new AbortController().signal)).toEqual({ found: 1, deleted: 1 });
  expect(remaining()).not.toContain(stale);
});
