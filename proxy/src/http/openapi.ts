/**
 * The OpenAPI 3 document at /v1/openapi.json, generated from the TypeBox schemas each route
 * registers with (they are JSON Schema already), so the document cannot drift from what is validated.
 */
import type { FastifyInstance, FastifySchema, RouteOptions } from "fastify";
import { automationEndpoint } from "../../../solution/model";

/** A route schema with the OpenAPI fields fastify ignores but this document reads. */
export type DocumentedSchema = FastifySchema & {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: unknown[];
  consumes?: string[];
  produces?: string[];
  hide?: boolean;
};

export const documented = (schema: DocumentedSchema): FastifySchema => schema;

interface Operation {
  method: string;
  url: string;
  schema: NonNullable<RouteOptions["schema"]> & { summary?: string; description?: string; tags?: string[]; security?: unknown; consumes?: string[]; produces?: string[] };
}

type JsonSchema = { properties?: Record<string, JsonSchema & { description?: string }>; required?: string[]; [key: string]: unknown };

const toPath = (url: string) => url.replace(/:([A-Za-z]+)/g, "{$1}");

function parameters(schema: unknown, where: "path" | "query") {
  const object = schema as JsonSchema | undefined;
  return Object.entries(object?.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || (object?.required ?? []).includes(name),
    ...(property.description ? { description: property.description } : {}),
    schema: property,
  }));
}

export function collectOpenApi(app: FastifyInstance, info: { title: string; version: string }): () => object {
  const operations: Operation[] = [];
  app.addHook("onRoute", (route) => {
    if (!route.schema || route.method === "HEAD" || (route.schema as { hide?: boolean }).hide) return;
    for (const method of [route.method].flat()) if (method !== "HEAD" && method !== "OPTIONS") operations.push({ method: method.toLowerCase(), url: route.url, schema: route.schema as Operation["schema"] });
  });
  let document: object | null = null;
  return () => {
    document ??= build(operations, info);
    return document;
  };
}

function build(operations: Operation[], info: { title: string; version: string }): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { method, url, schema } of operations) {
    const responses: Record<string, unknown> = {};
    for (const [status, body] of Object.entries((schema.response ?? {}) as Record<string, JsonSchema>)) {
      const contentType = (body as { contentType?: string }).contentType ?? "application/json";
      responses[status] = { description: (body.description as string | undefined) ?? `HTTP ${status}`, content: { [contentType]: { schema: body } } };
    }
    const produces = schema.produces ?? [];
    for (const type of produces) responses["200"] = { description: "the file", content: { [type]: { schema: { type: "string", format: "binary" } } } };
    const requestBody = schema.body
      ? { required: true, content: { [(schema.consumes ?? ["application/json"])[0]]: { schema: schema.body } } }
      : schema.consumes
        ? { required: true, content: { [schema.consumes[0]]: { schema: { type: "object", properties: { file: { type: "string", format: "binary" }, caption: { type: "string" } }, required: ["file"] } } } }
        : undefined;
    paths[toPath(url)] ??= {};
    paths[toPath(url)][method] = {
      summary: schema.summary,
      description: schema.description,
      tags: schema.tags,
      ...(schema.security !== undefined ? { security: schema.security } : {}),
      parameters: [...parameters(schema.params, "path"), ...parameters(schema.querystring, "query")],
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        // The Dataverse service endpoint's HttpHeader authentication (POST /hooks/dataverse).
        webhookKey: { type: "apiKey", in: "header", name: automationEndpoint.header },
      },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
