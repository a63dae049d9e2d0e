/**
 * Uploads that never finish must not take the proxy down (issue 11, item 1), over real sockets: a
 * client that sends part of its declared body and hangs up, or stops sending, has its upstream v3
 * upload aborted at once, its connection released and nothing stored; a body that breaks off is a
 * 400; afterwards the proxy still answers; and SIGTERM ends the real process (proxy/main.ts) within
 * its grace period although uploads are still in flight.
 */
import { spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { CAMPAIGNS, CASES } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { startMockServer, type RunningMockServer } from "../../mock-server/server";
import { adminOf } from "../../mock-server/admin";
import { withMockDefaults } from "../../mock-server/proxyEnv";
import { Stack, startStack } from "./proxyHarness";

const CASE = `incident:${CASES.damagedDelivery}`;
const UPLOAD_PATH = "/psapi/v3/mem/image/upload";
const BOUNDARY = "----upload-test-boundary";
const MB = 1024 * 1024;

/** Polls `condition` until it holds, failing after `ms` (the deadline is generous: the machine is shared). */
async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const fileHead = (name = "big.png") => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`);

/** Opens a raw connection and sends an upload's headers (declaring `contentLength`) and `body`; nothing more. */
function partialUpload(baseUrl: string, token: string, contentLength: number, body: Buffer): { socket: Socket; answer: Promise<string> } {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  socket.setNoDelay(true);
  socket.write(
    `POST /v1/uploads?record=${CASE} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${token}\r\n` +
      `Content-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${contentLength}\r\n\r\n`,
  );
  socket.write(body);
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  socket.on("error", () => undefined);
  const answer = new Promise<string>((resolve) => socket.once("close", () => resolve(text)));
  return { socket, answer };
}

const uploadsSeen = (admin: ReturnType<typeof adminOf>) => admin.requests.count({ path: UPLOAD_PATH, method: "POST" });

describe("uploads that never finish", () => {
  let stack: Stack;
  let sam: string;

  beforeAll(async () => {
    stack = await startStack({ UPLOAD_IDLE_TIMEOUT_MS: "500", UPLOAD_CONCURRENCY: "24", UPLOAD_MAX_BYTES: String(4 * MB), RATE_LIMIT_PER_MINUTE: "100000" });
    sam = await stack.token(USERS.serviceAgent.upn);
    // The case's gallery exists before the sockets race for it.
    const first = new FormData();
    first.set("file", new Blob([new Uint8Array([137, 80, 78, 71])], { type: "image/png" }), "first.png");
    expect((await stack.call(`/v1/uploads?record=${CASE}`, { token: sam, method: "POST", body: first })).status).toBe(201);
  });
  afterAll(() => stack?.close());

  const inFlightUpstream = () => stack.proxy.services.photoShelterHttp.inFlight().uploads;

  it("aborts the upstream upload of 100 clients that send 1 MB of a declared 2 MB and hang up, storing nothing", async () => {
    const media = stack.photoShelter.library.media.length;
    const body = Buffer.concat([fileHead(), Buffer.alloc(MB, 7)]);
    for (let wave = 0; wave < 10; wave += 1) {
      const seen = uploadsSeen(stack.admin);
      const clients = Array.from({ length: 10 }, () => partialUpload(stack.proxy.url, sam, 2 * MB, body));
      // Each one's bytes are flowing to PhotoShelter when the client goes away.
      await until(() => uploadsSeen(stack.admin) >= seen + clients.length, "every upload of the wave reached PhotoShelter");
      for (const client of clients) client.socket.destroy();
      await until(() => inFlightUpstream() === 0, "the upstream uploads were aborted and their connections released");
    }
    expect(stack.photoShelter.library.media.length).toBe(media);
  });

  it("answers 408 to 20 clients that stop sending, aborts their upstream uploads, and stores nothing", async () => {
    const media = stack.photoShelter.library.media.length;
    const clients = Array.from({ length: 20 }, () => partialUpload(stack.proxy.url, sam, 2 * MB, Buffer.concat([fileHead(), Buffer.alloc(64 * 1024, 3)])));
    const answers = await Promise.all(clients.map((client) => client.answer));
    for (const answer of answers) {
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain('"message":"The upload made no progress for');
    }
    await until(() => inFlightUpstream() === 0, "the stalled uploads' upstream calls were aborted");
    expect(stack.photoShelter.library.media.length).toBe(media);
  });

  it("still answers afterwards: readiness, a search, and a whole upload", async () => {
    expect((await stack.call("/readyz")).status).toBe(200);
    expect((await stack.call(`/v1/search?record=${CASE}&perPage=5`, { token: sam })).status).toBe(200);
    const form = new FormData();
    form.set("file", new Blob([new Uint8Array(200_000).fill(5)], { type: "image/png" }), "whole.png");
    const stored = await stack.call(`/v1/uploads?record=${CASE}`, { token: sam, method: "POST", body: form });
    expect(stored.status).toBe(201);
    const id = ((await stored.json()) as { id: string }).id;
    expect(stack.photoShelter.library.mediaById(id)!.bytes!.length).toBe(200_000);
  });

  it("refuses a body without its closing boundary with 400 and stores nothing", async () => {
    const media = stack.photoShelter.library.media.length;
    for (const body of [
      Buffer.concat([fileHead(), Buffer.alloc(100_000, 9)]), // ends inside the file
      Buffer.concat([fileHead(), Buffer.alloc(100_000, 9), Buffer.from(`\r\n--${BOUNDARY}\r\n`)]), // a part begun, never finished
    ]) {
      const response = await stack.call(`/v1/uploads?record=${CASE}`, { token: sam, method: "POST", headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` }, body });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("validation_failed");
    }
    await until(() => inFlightUpstream() === 0, "no upstream upload is left open");
    expect(stack.photoShelter.library.media.length).toBe(media);
  });

  it("answers 503 with Retry-After when every upload slot is taken, before reading the body", async () => {
    const small = await startStack({ UPLOAD_CONCURRENCY: "1", UPLOAD_IDLE_TIMEOUT_MS: "60000" });
    try {
      const token = await small.token(USERS.marketer.upn);
      const record = `campaign:${CAMPAIGNS.springLaunch}`;
      const seen = uploadsSeen(small.admin);
      const { hostname, port } = new URL(small.proxy.url);
      const hanging = connect(Number(port), hostname);
      hanging.on("error", () => undefined);
      hanging.write(`POST /v1/uploads?record=${record} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${token}\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${2 * MB}\r\n\r\n`);
      hanging.write(Buffer.concat([fileHead(), Buffer.alloc(1024, 1)]));
      await until(() => uploadsSeen(small.admin) > seen, "the first upload reached PhotoShelter");
      const form = new FormData();
      form.set("file", new Blob([new Uint8Array(10)], { type: "image/png" }), "second.png");
      const second = await small.call(`/v1/uploads?record=${record}`, { token, method: "POST", body: form });
      expect(second.status).toBe(503);
      expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
      hanging.destroy();
      await until(() => small.proxy.services.photoShelterHttp.inFlight().uploads === 0, "the hung-up upload was aborted");
    } finally {
      await small.close();
    }
  });
});

describe("shutdown with uploads in flight", () => {
  const GRACE_MS = 1500;
  let mock: RunningMockServer;

  beforeAll(async () => {
    mock = await startMockServer({ port: 0, media: 50 });
  });
  afterAll(() => mock?.close());

  it("SIGTERM ends proxy/main.ts within its grace period while 20 stalled uploads stream to PhotoShelter", async () => {
    const root = path.resolve(__dirname, "..", "..");
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "proxy", "main.ts")], {
      cwd: root,
      env: withMockDefaults({ ...process.env, PROXY_PORT: "0", LOG_LEVEL: "info", STATE_URL: "sqlite::memory:", SHUTDOWN_GRACE_MS: String(GRACE_MS), UPLOAD_IDLE_TIMEOUT_MS: "600000", UPLOAD_CONCURRENCY: "32", NODE_ENV: "" }, mock.url, mock.context.settings),
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.once("exit", (code) => resolve({ code, at: Date.now() })));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout! }).on("line", (line) => {
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === "proxy listening" && entry.url) resolve(entry.url);
        });
        child.once("exit", () => reject(new Error("the proxy exited before listening")));
      });
      const signIn = await fetch(`${mock.url}/issuer/dev/sign-in`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: USERS.serviceAgent.upn }) });
      const token = ((await signIn.json()) as { access_token: string }).access_token;
      const admin = adminOf(mock.context);
      const seen = uploadsSeen(admin);
      const clients = Array.from({ length: 20 }, () => partialUpload(url, token, 2 * MB, Buffer.concat([fileHead(), Buffer.alloc(256 * 1024, 1)])));
      await until(() => uploadsSeen(admin) >= seen + clients.length, "all 20 uploads are streaming to PhotoShelter");
      expect((await fetch(`${url}/v1/search?record=${CASE}&perPage=1`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

      const signalled = Date.now();
      child.kill("SIGTERM");
      const { code, at } = await exited;
      expect(code).toBe(0);
      // The grace period, plus what starting a busy machine's timers may add; without the fix it never exits.
      expect(at - signalled).toBeLessThan(GRACE_MS + 5000);
      for (const client of clients) client.socket.destroy();
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
