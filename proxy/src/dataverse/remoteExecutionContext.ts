/**
 * What a Dataverse webhook (service endpoint) posts: a RemoteExecutionContext in the .NET JSON
 * form. `readChange` validates it and turns the parts the proxy automates on into plain values:
 * entity references → {id, logicalName}, option sets → numbers, money → numbers, `/Date(ms)/` → ISO.
 */
import { Type, type Static, type TSchema } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";

const KeyValue = <T extends TSchema>(value: T) => Type.Object({ key: Type.String(), value });

const EntityShape = Type.Object({
  LogicalName: Type.String({ minLength: 1 }),
  Id: Type.String(),
  Attributes: Type.Optional(Type.Array(KeyValue(Type.Unknown()))),
});

export const RemoteExecutionContext = Type.Object({
  MessageName: Type.String({ minLength: 1 }),
  PrimaryEntityName: Type.String({ minLength: 1 }),
  PrimaryEntityId: Type.String({ minLength: 1 }),
  CorrelationId: Type.String(),
  Depth: Type.Integer({ minimum: 0 }),
  UserId: Type.String(),
  InitiatingUserId: Type.String(),
  OperationCreatedOn: Type.String(),
  InputParameters: Type.Array(KeyValue(Type.Unknown())),
  PreEntityImages: Type.Array(KeyValue(EntityShape)),
  PostEntityImages: Type.Array(KeyValue(EntityShape)),
});
export type RemoteExecutionContext = Static<typeof RemoteExecutionContext>;

const checker = TypeCompiler.Compile(RemoteExecutionContext);
const entityChecker = TypeCompiler.Compile(EntityShape);

export type AttributeValue = string | number | boolean | null | { id: string; logicalName: string } | number[];

export interface DataverseChange {
  message: string;
  table: string;
  id: string;
  correlationId: string;
  /** Greater than 1 when the change was itself caused by a plug-in or flow: guard against loops. */
  depth: number;
  userId: string;
  initiatingUserId: string;
  /** ISO time of the operation. */
  at: string;
  /** The columns the request set (Create/Update); empty for Delete. */
  target: Record<string, AttributeValue>;
  preImage: Record<string, AttributeValue> | null;
  postImage: Record<string, AttributeValue> | null;
}

const NET_DATE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;

function plain(value: unknown): AttributeValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") {
    const date = NET_DATE.exec(value);
    return date ? new Date(Number(date[1])).toISOString() : value;
  }
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map((item) => Number((item as { Value?: unknown }).Value)).filter((n) => Number.isFinite(n));
  const typed = value as { __type?: string; Value?: unknown; Id?: unknown; LogicalName?: unknown };
  if (typeof typed.Id === "string" && typeof typed.LogicalName === "string") return { id: typed.Id.toLowerCase(), logicalName: typed.LogicalName };
  if (typeof typed.Value === "number") return typed.Value;
  throw new TypeError(`Unsupported attribute value of type ${typed.__type ?? typeof value}`);
}

function attributes(entity: Static<typeof EntityShape>): Record<string, AttributeValue> {
  return Object.fromEntries((entity.Attributes ?? []).map(({ key, value }) => [key, plain(value)]));
}

/** Validates a webhook body and reads it; throws a TypeError naming what is wrong. */
export function readChange(body: unknown): DataverseChange {
  if (!checker.Check(body)) {
    const first = checker.Errors(body).First();
    throw new TypeError(`Not a RemoteExecutionContext: ${first ? `${first.path || "/"} ${first.message}` : "invalid"}`);
  }
  const target = body.InputParameters.find((p) => p.key === "Target")?.value;
  const image = (images: RemoteExecutionContext["PreEntityImages"]) => (images[0] ? attributes(images[0].value) : null);
  const created = NET_DATE.exec(body.OperationCreatedOn);
  return {
    message: body.MessageName,
    table: body.PrimaryEntityName,
    id: body.PrimaryEntityId.toLowerCase(),
    correlationId: body.CorrelationId,
    depth: body.Depth,
    userId: body.UserId.toLowerCase(),
    initiatingUserId: body.InitiatingUserId.toLowerCase(),
    at: created ? new Date(Number(created[1])).toISOString() : body.OperationCreatedOn,
    target: entityChecker.Check(target) ? attributes(target) : {},
    preImage: image(body.PreEntityImages),
    postImage: image(body.PostEntityImages),
  };
}
