/**
 * /api/data/v9.2 — the mock Dataverse Web API, its tables and metadata taken from solution/model,
 * seeded with the demo org, plus /__admin/dataverse (reset, webhook registrations and deliveries).
 * Every request needs a bearer token from the mock issuer whose audience is this server (or the
 * proxy's audience, which the workbench uses to act as the signed-in user, like a Dynamics session).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dataModel, outOfBox, webApiPath } from "../../solution/model";
import { adminOf } from "../admin";
import { MOCK_WEBHOOK_KEY } from "../config";
import { ISSUER_PATH, issuerOf, proxyAudience } from "../issuer";
import type { MockContext, RouteGroup } from "../context";
import { parseBatch, runBatch } from "./batch";
import { photoShelterOf } from "../photoshelter";
import { seedDemoData, type DemoLibrary } from "./demoData";
import { serviceDocuments } from "./csdl";
import { CODES, DataverseError } from "./errors";
import { Metadata } from "./metadata";
import { withPlatformColumns } from "./platformColumns";
import { withParameterAliases } from "./queryFunctions";
import { impersonated, principalFor, RoleAssignments } from "./security";
import { DataverseService, type ChangeEvent, type Principal, type ServiceResponse } from "./service";
import { Store, type Reference, type StoreSnapshot } from "./store";
import { seedPlatform } from "./pluginRegistration";
import { defaultWebhook, WebhookRegistrationInput, Webhooks } from "./webhooks";

export { defaultWebhook };

export const ADMIN_DATAVERSE = "/__admin/dataverse";
const WRITE_METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

export interface MockDataverse {
  metadata: Metadata;
  store: Store;
  service: DataverseService;
  webhooks: Webhooks;
  /** Security roles per user (seeded from the demo users; reset restores them). */
  roles: RoleAssignments;
  /** Back to the seeded demo org (drops registrations and deliveries too). */
  reset(): void;
}

const instances = new WeakMap<MockContext, MockDataverse>();

/** The mock Dataverse of one running mock server (for tests and other route groups). */
export function dataverseOf(context: MockContext): MockDataverse {
  const instance = instances.get(context);
  if (!instance) throw new Error("the Dataverse route group is not registered on this mock server");
  return instance;
}

/**
 * The mock PhotoShelter library's media, so demo links point at assets that exist (none if absent).
 * Read one at a time as the demo data looks for them; names and captions only of those it keeps.
 */
function libraryMedia(context: MockContext): DemoLibrary {
  let library;
  try {
    library = photoShelterOf(context).library;
  } catch {
    return { size: 0, media: () => undefined as never };
  }
  const { media } = library;
  return {
    size: media.length,
    media: (index) => {
      const m = media[index];
      return {
        id: m.id,
        type: m.type,
        get fileName() {
          return m.fileName;
        },
        get caption() {
          return m.caption;
        },
        approvalStatus: m.custom.approvalStatus,
        expiresOn: m.custom.licenseExpirationDate,
        usageRights: m.custom.usageRights,
        version: m.custom.assetVersion,
        galleryIds: m.galleryIds,
      };
    },
  };
}

function loadState(file: string): StoreSnapshot {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as StoreSnapshot;
    if (typeof parsed.version !== "number" || !parsed.tables || typeof parsed.tables !== "object") throw new Error("missing version/tables");
    return parsed;
  } catch (error) {
    throw new Error(`MOCK_DATAVERSE_STATE_FILE "${file}" is not a saved mock Dataverse state (${(error as Error).message}); move it away or fix it.`);
  }
}

export const dataverseRoutes: RouteGroup = async (app, context) => {
  const metadata = new Metadata(withPlatformColumns(dataModel({ eventManagement: context.settings.dataverseEventManagement })));
  const store = new Store(metadata.tables.keys(), Object.fromEntries([...metadata.tables.values()].map((e) => [e.table.logicalName, e.table.alternateKeys.map((k) => k.columns)])));
  const service = new DataverseService(metadata, store, context.baseUrl);
  const empty = store.snapshot();
  const userRow = (id: string) => store.get(outOfBox.systemUser.logicalName, id);
  const businessUnitOf = (userId: string) => ((userRow(userId)?.businessunitid as Reference | null) ?? null)?.id ?? null;
  const webhooks = new Webhooks(metadata, store, businessUnitOf, (userId) => (userRow(userId)?.azureactivedirectoryobjectid as string | null) ?? null);
  const stateFile = process.env.MOCK_DATAVERSE_STATE_FILE || null;
  const roles = new RoleAssignments();

  const reset = () => {
    webhooks.clear();
    roles.reset();
    store.restore(empty);
    seedPlatform(store, metadata);
    seedDemoData(store, metadata, new Date(), libraryMedia(context));
    const url = process.env.MOCK_DATAVERSE_WEBHOOK_URL;
    if (url) webhooks.register(defaultWebhook(url, process.env.MOCK_DATAVERSE_WEBHOOK_KEY || MOCK_WEBHOOK_KEY, (table) => metadata.byLogicalName(table) !== undefined));
  };
  reset();
  if (stateFile && existsSync(stateFile)) {
    store.restore(loadState(stateFile));
    // A state saved before the platform's message rows existed gets them (they are the same in every org).
    seedPlatform(store, metadata);
  }
  const save = () => {
    if (stateFile) writeFileSync(stateFile, JSON.stringify(store.snapshot()));
  };

  instances.set(context, { metadata, store, service, webhooks, roles, reset });
  const admin = adminOf(context);
  admin.setErrorFormat(`${webApiPath}/`, (status, title, detail) => ({
    error: status === 429
      ? { code: CODES.serviceProtection, message: `Number of requests exceeded the limit of 6000 over time window of 300 seconds. (${detail})` }
      : { code: "0x80040216", message: `${title}: ${detail}` },
  }));
  admin.onReset(() => {
    reset();
    save();
  });
  app.addHook("onClose", async () => webhooks.clear());

  /**
   * The caller: a token from our issuer for this server (or the proxy audience), mapped to a systemuser
   * with their roles — or the user it acts for (CallerObjectId / MSCRMCallerID impersonation).
   */
  const principalOf = async (request: FastifyRequest): Promise<Principal> => {
    const header = request.headers.authorization ?? "";
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const base = context.baseUrl();
    const unauthorized = (why: string) =>
      new DataverseError(401, CODES.notAuthenticated, `${why} Get a token from ${base}${ISSUER_PATH}/token (client credentials) or ${ISSUER_PATH}/dev/sign-in.`, {
        "www-authenticate": `Bearer authorization_uri=${base}${ISSUER_PATH}/authorize, resource_id=${base}/`,
      });
    if (!token) throw unauthorized("No bearer token.");
    // The same server under its loopback names (localhost vs 127.0.0.1), never a name the caller picks.
    const port = new URL(base).port;
    const origins = [base, ...["localhost", "127.0.0.1", "[::1]"].map((host) => `http://${host}:${port}`)];
    let oid: string;
    try {
      const audiences = [...origins.flatMap((origin) => [origin, `${origin}/`]), proxyAudience()];
      oid = (await issuerOf(context).verify(token, audiences)).oid;
    } catch (error) {
      throw unauthorized(`The bearer token is not valid: ${(error as Error).message}.`);
    }
    const user = store.rows(outOfBox.systemUser.logicalName).find((row) => String(row.azureactivedirectoryobjectid ?? "").toLowerCase() === oid.toLowerCase());
    if (!user || user.isdisabled === true) throw new DataverseError(403, CODES.notAuthenticated, `The user with object id ${oid} is not a member of the organization (or is disabled).`);
    const caller = principalFor(user, roles.of(user.systemuserid as string), metadata, roles.teamsOf(user.systemuserid as string));
    return impersonated(caller, request.headers, store, roles, metadata);
  };

  // Bodies go out as bytes: Fastify rewrites the Content-Type of a string body (quoting
  // odata.metadata and adding charset), and Dataverse sends exactly `application/json; odata.metadata=minimal`.
  const send = (reply: FastifyReply, response: ServiceResponse) => {
    reply.code(response.status).headers(response.headers);
    if (response.body === undefined) return reply.send();
    const body = response.body;
    return reply.send(Buffer.from(typeof body === "string" ? body : typeof body === "number" ? String(body) : JSON.stringify(body)));
  };

  await app.register(async (scope: FastifyInstance) => {
    // Bodies are parsed here: JSON (an empty body is allowed, as on DELETE) and $batch multipart as text.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));

    scope.all(`${webApiPath}/*`, async (request, reply) => {
      const correlationId = randomUUID();
      reply.header("odata-version", "4.0").header("req_id", correlationId);
      try {
        const principal = await principalOf(request);
        const url = request.url.slice(webApiPath.length + 1);
        const question = url.indexOf("?");
        const path = question === -1 ? url : url.slice(0, question);
        const query = withParameterAliases(question === -1 ? "" : url.slice(question + 1));
        const raw = typeof request.body === "string" ? request.body : "";
        const headers = request.headers as Record<string, string | undefined>;
        const document = serviceDocuments(metadata, service.apiBase(), request.method, path, query, headers.prefer);
        if (document) return send(reply, document);
        if (path === "$batch") {
          if (request.method !== "POST") throw new DataverseError(405, "", "$batch takes POST.");
          const items = parseBatch(raw, headers["content-type"]);
          const continueOnError = /odata\.continue-on-error/.test(headers.prefer ?? "");
          const result = runBatch(service, items, principal, continueOnError);
          if (result.events.length) {
            webhooks.publish(result.events, correlationId);
            save();
          }
          return reply.code(result.status).header("content-type", result.contentType).send(Buffer.from(result.body));
        }
        let body: unknown;
        if (raw.trim()) {
          if (!/^application\/json/i.test(headers["content-type"] ?? "")) throw new DataverseError(415, CODES.badBind, "Send JSON bodies with Content-Type: application/json.");
          try {
            body = JSON.parse(raw);
          } catch {
            throw new DataverseError(400, CODES.badBind, "Error identified in Payload provided by the user: the body is not valid JSON.");
          }
        }
        const events: ChangeEvent[] = [];
        const response = service.handleAtomically({ method: request.method, path, query, headers, body, principal }, events);
        if (events.length) {
          webhooks.publish(events, correlationId);
          if (WRITE_METHODS.has(request.method)) save();
        }
        return send(reply, response);
      } catch (error) {
        if (!(error instanceof DataverseError)) throw error;
        return send(reply, { status: error.status, headers: { "content-type": "application/json; odata.metadata=minimal", ...error.headers }, body: error.body() });
      }
    });
  });

  // Admin routes keep the server's default JSON parsing and schema validation.
  app.post(`${ADMIN_DATAVERSE}/reset`, async () => {
    reset();
    save();
    return { reset: true };
  });
  app.get(`${ADMIN_DATAVERSE}/webhooks`, async () => ({ registrations: webhooks.list() }));
  app.get(`${ADMIN_DATAVERSE}/webhooks/deliveries`, async () => ({ deliveries: webhooks.log() }));
  app.post(`${ADMIN_DATAVERSE}/webhooks`, { schema: { body: WebhookRegistrationInput } }, async (request, reply) => {
    try {
      return reply.code(201).send(webhooks.register(request.body as WebhookRegistrationInput));
    } catch (error) {
      return reply.code(400).send({ error: { code: "validation_failed", message: (error as Error).message } });
    }
  });
  app.delete(`${ADMIN_DATAVERSE}/webhooks/:id`, async (request, reply) => {
    const { id } = request.params as { id: string };
    return webhooks.remove(id) ? { removed: id } : reply.code(404).send({ error: { code: "not_found", message: `No webhook registration ${id}.` } });
  });
};
