/**
 * Helpers for the tests of the webhook receiver and the job runner: RemoteExecutionContext bodies
 * as Dataverse posts them, delivery to a proxy, and waiting on a condition (never on time).
 */
import { randomUUID } from "node:crypto";

export interface ContextInput {
  message: "Create" | "Update" | "Delete";
  table: string;
  id: string;
  /** Same value on a redelivery of the same change. */
  operationId?: string;
  /** When the change happened (ISO). */
  at?: string;
  target?: Record<string, unknown>;
}

/** A RemoteExecutionContext body (the JSON a service endpoint posts). */
export function remoteContext(input: ContextInput): Record<string, unknown> {
  const userId = "5e000000-0000-4000-8000-000000000001";
  const attributes = Object.entries(input.target ?? {}).map(([key, value]) => ({ key, value }));
  return {
    BusinessUnitId: "b0000000-0000-4000-8000-000000000001",
    CorrelationId: randomUUID(),
    Depth: 1,
    InitiatingUserId: userId,
    InputParameters: [{ key: "Target", value: { __type: "Entity:http://schemas.microsoft.com/xrm/2011/Contracts", Attributes: attributes, Id: input.id, LogicalName: input.table } }],
    MessageName: input.message,
    OperationCreatedOn: `/Date(${Date.parse(input.at ?? new Date().toISOString())})/`,
    OperationId: input.operationId ?? randomUUID(),
    OrganizationId: "0e000000-0000-4000-8000-00000000d365",
    PostEntityImages: [],
    PreEntityImages: [],
    PrimaryEntityId: input.id,
    PrimaryEntityName: input.table,
    RequestId: randomUUID(),
    Stage: 40,
    UserId: userId,
  };
}

/** POSTs a body to a proxy's /hooks/dataverse with the webhook key. */
export function deliver(proxyUrl: string, key: string | null, body: unknown, init: { contentType?: string; raw?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { "content-type": init.contentType ?? "application/json" };
  if (key !== null) headers["x-psh-webhook-key"] = key;
  return fetch(`${proxyUrl}/hooks/dataverse`, { method: "POST", headers, body: init.raw ?? JSON.stringify(body) });
}

/** Resolves when `condition` holds; fails with `what` when it has not held for `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 200);
  }
}
