/**
 * What every route group of the mock-server receives, in a module of its own so the route groups
 * and the server that registers them do not import each other.
 */
import type { FastifyInstance } from "fastify";
import type { MockSettings } from "./config";

/** What every route group receives: the settings and the server's own base URL once it listens. */
export interface MockContext {
  settings: MockSettings;
  seed: number;
  media: number;
  /** Base URL such as http://127.0.0.1:4010, known after listen (route handlers may read it). */
  baseUrl(): string;
}

export type RouteGroup = (app: FastifyInstance, context: MockContext) => Promise<void> | void;
