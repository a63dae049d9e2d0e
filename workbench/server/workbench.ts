/**
 * The workbench's web server: one origin that plays the part of a Dynamics 365 organization.
 *   /                       the simulated model-driven form (index.html + the workbench client)
 *   /platform/*.js          React 16.14 and Fluent 9 as the platform provides them (pcf-start's local builds)
 *   /controls/<name>/*      the control exactly as built for Dataverse (bundle.js, css, strings)
 *   /api/data/v9.2/*        the Dataverse Web API, same origin as in Dynamics, forwarded to the mock
 *                           Dataverse as the signed-in user (Dynamics uses a session cookie; here the
 *                           client names the user in a header and the server holds the user's token)
 *   /workbench/*            what the host page needs: settings, seeded users, each form's person
 */
import Fastify, { FastifyInstance, FastifyReply } from "fastify";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { AddressInfo } from "node:net";
import path from "node:path";
import { request } from "undici";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { buildClient } from "./buildClient";
import { personaFor } from "./personas";
import { UserTokens } from "./userTokens";

export const CONTROL_NAME = "PhotoShelterAssetPicker";
export const WORKBENCH_USER_HEADER = "x-workbench-user";

export interface WorkbenchOptions {
  /** Base URL of the mock-server (Dataverse under /api/data/v9.2, issuer under /issuer). */
  mockUrl: string;
  /**
   * Base URL of the proxy the control calls. May be given later with useProxy(): the proxy must
   * know the workbench's origin (CORS) before it starts, so the workbench often starts first.
   */
  proxyUrl?: string;
  /** Port to listen on; 0 picks a free one. Defaults to WORKBENCH_PORT or 4020. */
  port?: number;
  host?: string;
  /** Folder of the built control; defaults to out/controls/PhotoShelterAssetPicker. */
  controlDir?: string;
}

export interface RunningWorkbench {
  url: string;
  port: number;
  useProxy(proxyUrl: string): void;
  close(): Promise<void>;
}

const repoRoot = path.resolve(__dirname, "..", "..");
const platformLibDir = path.join(path.dirname(require.resolve("pcf-start/package.json")), "lib");
/** The platform builds the control's manifest asks for (PlatformLibraryVersions.json: React 16.14 → react_16_14_0, Fluent 9 → fluent_9_4_0). */
const PLATFORM_FILES = new Set(["react_16_14_0.js", "fluent_9_4_0.js"]);
const CONTENT_TYPES: Record<string, string> = {
  ".js": "application/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".resx": "application/xml; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".png": "image/png",
};
/** Request headers the forwarder passes to Dataverse; everything else (cookies, auth) stays here. */
const FORWARDED_REQUEST_HEADERS = ["accept", "content-type", "prefer", "if-match", "if-none-match", "odata-version", "odata-maxversion"];
const FORWARDED_RESPONSE_HEADERS = ["content-type", "odata-entityid", "odata-version", "preference-applied", "etag", "location", "retry-after"];

export function workbenchPortFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WORKBENCH_PORT;
  if (raw === undefined || raw === "") return 4020;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`WORKBENCH_PORT must be a port number (0-65535), got "${raw}"`);
  return value;
}

async function sendFile(reply: FastifyReply, file: string): Promise<FastifyReply> {
  const body = await readFile(file).catch(() => null);
  if (body === null) return reply.code(404).send({ error: { code: "not_found", message: `No such file: ${path.basename(file)}` } });
  return reply
    .header("content-type", CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream")
    .header("cache-control", "no-store")
    .send(body);
}

function pageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PhotoShelter for Dynamics 365 — workbench</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/workbench/workbench.css">
</head>
<body>
<div id="workbench-root"></div>
<script src="/platform/react_16_14_0.js"></script>
<script>window.React = window.Reactv16; window.ReactDOM = window.ReactDOMv16;</script>
<script src="/platform/fluent_9_4_0.js"></script>
<script src="/workbench/client.js"></script>
</body>
</html>`;
}

export async function startWorkbench(options: WorkbenchOptions): Promise<RunningWorkbench> {
  const controlDir = options.controlDir ?? path.join(repoRoot, "out", "controls", CONTROL_NAME);
  if (!existsSync(path.join(controlDir, "bundle.js"))) {
    throw new Error(`The control is not built: ${path.join(controlDir, "bundle.js")} is missing. Run "npm run build" first.`);
  }
  const client = await buildClient();
  const mockUrl = options.mockUrl.replace(/\/$/, "");
  const tokens = new UserTokens(mockUrl);
  let proxyUrl = options.proxyUrl?.replace(/\/$/, "") ?? null;

  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 50 * 1024 * 1024 });
  // The forwarder passes bodies through untouched (JSON, $batch multipart).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));

  app.get("/", async (_request, reply) => reply.header("content-type", CONTENT_TYPES[".html"]).header("cache-control", "no-store").send(pageHtml()));
  app.get("/workbench/client.js", async (_request, reply) => reply.header("content-type", CONTENT_TYPES[".js"]).send(client.js));
  app.get("/workbench/workbench.css", async (_request, reply) => sendFile(reply, path.join(__dirname, "..", "client", "workbench.css")));
  app.get("/workbench/settings", async (_request, reply) => {
    if (proxyUrl === null) return reply.code(503).send({ error: { code: "upstream_unavailable", message: "The proxy has not started yet." } });
    return { proxyUrl, controlName: CONTROL_NAME };
  });
  app.get<{ Querystring: { form?: string; id?: string } }>("/workbench/persona", async (req) => {
    // The account's region, read as the administrator: the persona is chosen before anyone signs in.
    const regionOf = async (accountId: string) => {
      if (!/^[0-9a-f-]{36}$/i.test(accountId)) return null;
      const response = await request(`${mockUrl}/api/data/v9.2/accounts(${accountId})?$select=psh_region`, { headers: { authorization: `Bearer ${await tokens.tokenFor(USERS.admin.id)}`, accept: "application/json" } });
      const body = (await response.body.json().catch(() => null)) as { psh_region?: unknown } | null;
      return response.statusCode === 200 && typeof body?.psh_region === "number" ? body.psh_region : null;
    };
    return personaFor(req.query.form, req.query.id || null, regionOf);
  });
  app.get("/workbench/users", async (_request, reply) => {
    try {
      const response = await request(`${mockUrl}/issuer/dev/users`);
      return reply.code(response.statusCode).send(await response.body.json());
    } catch (error) {
      return reply.code(502).send({ error: { code: "upstream_unavailable", message: `The mock issuer at ${mockUrl} is unreachable: ${error instanceof Error ? error.message : String(error)}` } });
    }
  });

  app.get<{ Params: { file: string } }>("/platform/:file", async (req, reply) => {
    if (!PLATFORM_FILES.has(req.params.file)) return reply.code(404).send({ error: { code: "not_found", message: "Not a platform library" } });
    return sendFile(reply, path.join(platformLibDir, req.params.file));
  });
  app.get<{ Params: { "*": string } }>(`/controls/${CONTROL_NAME}/*`, async (req, reply) => {
    const file = path.resolve(controlDir, req.params["*"]);
    if (!file.startsWith(controlDir + path.sep)) return reply.code(404).send({ error: { code: "not_found", message: "Outside the control folder" } });
    return sendFile(reply, file);
  });

  app.all<{ Params: { "*": string } }>("/api/data/v9.2/*", async (req, reply) => {
    const user = req.headers[WORKBENCH_USER_HEADER];
    if (typeof user !== "string" || user === "") {
      return reply.code(401).send({ error: { code: "0x80040220", message: `No signed-in user: the workbench client names the user in the ${WORKBENCH_USER_HEADER} header.` } });
    }
    let token: string;
    try {
      token = await tokens.tokenFor(user);
    } catch (error) {
      return reply.code(401).send({ error: { code: "0x80040220", message: error instanceof Error ? error.message : String(error) } });
    }
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === "string") headers[name] = value;
    }
    const query = req.url.includes("?") ? req.url.slice(req.url.indexOf("?")) : "";
    let upstream: Awaited<ReturnType<typeof request>>;
    try {
      upstream = await request(`${mockUrl}/api/data/v9.2/${req.params["*"]}${query}`, {
        method: req.method as "GET",
        headers,
        body: Buffer.isBuffer(req.body) ? req.body : undefined,
      });
    } catch (error) {
      return reply.code(502).send({ error: { code: "0x80040216", message: `The mock Dataverse at ${mockUrl} is unreachable: ${error instanceof Error ? error.message : String(error)}` } });
    }
    // Links in headers and bodies (OData-EntityId, @odata.nextLink, @odata.context) point back at this origin, as in Dynamics.
    const ownUrls = (text: string) => text.split(`${mockUrl}/api/data/v9.2`).join(`${req.protocol}://${req.headers.host}/api/data/v9.2`);
    reply.code(upstream.statusCode);
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers[name];
      if (typeof value === "string") reply.header(name, ownUrls(value));
    }
    return reply.send(ownUrls(await upstream.body.text()));
  });

  await app.listen({ port: options.port ?? workbenchPortFromEnv(), host: options.host ?? "127.0.0.1" });
  const port = (app.server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    useProxy: (url) => {
      proxyUrl = url.replace(/\/$/, "");
    },
    close: () => app.close(),
  };
}
