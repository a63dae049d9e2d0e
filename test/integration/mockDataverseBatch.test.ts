import { ACCOUNTS } from "../../mock-server/dataverse/demoData";
import { dataverseOf } from "../../mock-server/dataverse";
import type { RunningMockServer } from "../../mock-server/server";
import { MockDataverseClient, startMock, valuesOf } from "./mockDataverseSupport";

let mock: RunningMockServer;
let app: MockDataverseClient;

beforeAll(async () => {
  ({ mock, app } = await startMock());
});
afterAll(() => mock.close());
afterEach(() => dataverseOf(mock.context).reset());

interface Part {
  method: string;
  url: string;
  body?: unknown;
  contentId?: string;
  headers?: Record<string, string>;
}

/** A $batch body with CRLF line ends; arrays are change sets. */
function batch(items: Array<Part | Part[]>): { body: string; contentType: string } {
  const boundary = "batch_test";
  const partText = (p: Part) =>
    [
      "Content-Type: application/http",
      "Content-Transfer-Encoding: binary",
      ...(p.contentId ? [`Content-ID: ${p.contentId}`] : []),
      "",
      `${p.method} ${p.url} HTTP/1.1`,
      ...(p.body !== undefined ? ["Content-Type: application/json; type=entry"] : []),
      ...Object.entries(p.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
      "",
      p.body !== undefined ? JSON.stringify(p.body) : "",
    ].join("\r\n");
  const chunks = items.map((item, i) => {
    if (!Array.isArray(item)) return partText(item);
    const cs = `changeset_${i}`;
    return [`Content-Type: multipart/mixed; boundary=${cs}`, "", ...item.map((p) => `--${cs}\r\n${partText(p)}`), `--${cs}--`].join("\r\n");
  });
  return { body: `${chunks.map((c) => `--${boundary}\r\n${c}`).join("\r\n")}\r\n--${boundary}--\r\n`, contentType: `multipart/mixed; boundary=${boundary}` };
}

const usage = (media: string) => ({
  method: "PATCH",
  url: `/api/data/v9.2/psh_assetusages(psh_mediaid='${media}',psh_period='2020-01',psh_regardingkey='account:${ACCOUNTS.litware}')`,
  body: { psh_name: `${media} 2020-01`, psh_periodstart: "2020-01-01", psh_views: 3, "psh_AccountId@odata.bind": `/accounts(${ACCOUNTS.litware})` },
});
const countUsage = async () => valuesOf(await app.get("psh_assetusages?$select=psh_mediaid&$filter=psh_period eq '2020-01'")).length;

async function send(items: Array<Part | Part[]>, prefer?: string) {
  const { body, contentType } = batch(items);
  return app.call("POST", "$batch", { raw: body, headers: { "content-type": contentType, ...(prefer ? { prefer } : {}) } });
}

describe("mock Dataverse: $batch", () => {
  it("applies a change set of upserts and answers each part inside a changesetresponse", async () => {
    const response = await send([[usage("I000000000000001"), usage("I000000000000002"), usage("I000000000000003")]]);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^multipart\/mixed; boundary=batchresponse_/);
    expect(response.text).toMatch(/changesetresponse_/);
    expect(response.text.match(/HTTP\/1\.1 204 No Content/g)).toHaveLength(3);
    expect(await countUsage()).toBe(3);
  });

  it("rolls back the whole change set when one request fails, and stops the batch", async () => {
    const bad = { ...usage("I000000000000009"), body: { psh_views: "many" } };
    const response = await send([[usage("I000000000000001"), usage("I000000000000002"), bad], { method: "GET", url: "/api/data/v9.2/accounts?$select=name" }]);
    expect(response.status).toBe(400);
    expect(response.text.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(await countUsage()).toBe(0);
  });

  it("continues after a failed change set with Prefer: odata.continue-on-error", async () => {
    const bad = { ...usage("I000000000000009"), body: { psh_views: -1 } };
    const response = await send([[usage("I000000000000001"), bad], [usage("I000000000000002")], { method: "GET", url: "accounts?$select=name&$top=1" }], "odata.continue-on-error");
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/HTTP\/1\.1 400 Bad Request/);
    expect(response.text).toMatch(/"name":"Northwind Traders"/);
    expect(await countUsage()).toBe(1);
  });

  it("resolves Content-ID references ($1) to rows created earlier in the change set", async () => {
    const response = await send([
      [
        { method: "POST", url: "/api/data/v9.2/accounts", contentId: "1", body: { name: "Batch Partner Ltd" } },
        { method: "POST", url: "/api/data/v9.2/contacts", contentId: "2", body: { lastname: "Batchelor", "parentcustomerid_account@odata.bind": "$1" } },
        { method: "PATCH", url: "$1", body: { accountnumber: "ACC-9999" } },
      ],
    ]);
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/Content-ID: 2/);
    const account = valuesOf(await app.get(`accounts?$select=accountnumber&$filter=name eq 'Batch Partner Ltd'&$expand=contact_customer_accounts($select=lastname)`))[0];
    expect(account).toMatchObject({ accountnumber: "ACC-9999", contact_customer_accounts: [expect.objectContaining({ lastname: "Batchelor" })] });
    const unknown = await send([[{ method: "PATCH", url: "$7", body: { name: "x" } }]]);
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain("Content-ID Reference: '$7' does not exist in the batch context.");
  });

  it("rejects a GET inside a change set and a body without CRLF line ends", async () => {
    expect((await send([[{ method: "GET", url: "accounts" }]])).status).toBe(400);
    const { body, contentType } = batch([usage("I000000000000001")]);
    const lf = await app.call("POST", "$batch", { raw: body.replace(/\r\n/g, "\n"), headers: { "content-type": contentType } });
    expect(lf.status).toBe(400);
    expect(await countUsage()).toBe(0);
  });
});
