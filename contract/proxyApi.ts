/**
 * The HTTP API between the control and the proxy: TypeBox schemas (the proxy validates every input
 * with them and publishes them as OpenAPI at /v1/openapi.json) and the matching TypeScript types.
 * The control imports only types from here (`import type`), so TypeBox never reaches its bundle.
 */
import { Static, TSchema, Type } from "@sinclair/typebox";

/* ---------- identifiers ---------- */

/** PhotoShelter media id: 16 characters, I0000… image, VD000… video, AD000… audio, DO000… document. */
export const MEDIA_ID_PATTERN = "^(I0|VD|AD|DO)000[A-Za-z0-9._]{11}$";
/** PhotoShelter collection (C0000…) or gallery (G0000…) id, 16 characters. */
export const CONTAINER_ID_PATTERN = "^[CG]0000[A-Za-z0-9._]{11}$";
/** The host record: `<entityLogicalName>:<guid>`, e.g. `account:6f9a1c2e-…`. */
export const RECORD_PATTERN = "^[a-z][a-z0-9_]{0,63}:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

export const MediaId = Type.String({ pattern: MEDIA_ID_PATTERN, description: "PhotoShelter media id" });
export const ContainerId = Type.String({ pattern: CONTAINER_ID_PATTERN, description: "PhotoShelter collection or gallery id" });
export const RecordRef = Type.String({ pattern: RECORD_PATTERN, description: "host record as <entityLogicalName>:<guid>" });

/**
 * `T | null` as `type: [T, "null"]` rather than `anyOf`: the same JSON Schema meaning, but the proxy's
 * serializer handles it without trying each branch (a page of assets has hundreds of nullable fields).
 */
const Nullable = <T extends TSchema>(schema: T) => {
  const { type, enum: values, ...rest } = schema as TSchema & { type?: string; enum?: unknown[] };
  if (typeof type !== "string") return Type.Union([schema, Type.Null()]);
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, "null"], ...(values ? { enum: [...values, null] } : {}) });
};
const DateOnly = Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "YYYY-MM-DD" });
/** A date the client sends: a real calendar day (2023-13-45 and 2024-02-30 are refused, not passed on). */
const DateParam = Type.String({ format: "date", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "YYYY-MM-DD" });

/* ---------- resources ---------- */

export const RightsStatusSchema = Type.Union([
  Type.Literal("approved"),
  Type.Literal("expiring30"),
  Type.Literal("expiring14"),
  Type.Literal("expired"),
  Type.Literal("restricted"),
  Type.Literal("retired"),
  Type.Literal("unknown"),
]);

export const MediaTypeSchema = Type.Union([Type.Literal("image"), Type.Literal("video"), Type.Literal("audio"), Type.Literal("document")]);
export const OrientationSchema = Type.Union([Type.Literal("landscape"), Type.Literal("portrait"), Type.Literal("square")]);
export const ApprovalStatusSchema = Type.Union([Type.Literal("approved"), Type.Literal("pending"), Type.Literal("rejected"), Type.Literal("retired")]);

export const Asset = Type.Object(
  {
    id: MediaId,
    mediaType: MediaTypeSchema,
    fileName: Type.String(),
    width: Nullable(Type.Integer()),
    height: Nullable(Type.Integer()),
    orientation: Nullable(OrientationSchema),
    caption: Nullable(Type.String()),
    credit: Nullable(Type.String()),
    copyright: Nullable(Type.String()),
    keywords: Type.Array(Type.String()),
    usageRights: Nullable(Type.String()),
    releases: Type.Object({ model: Type.Boolean(), property: Type.Boolean() }),
    approvalStatus: Nullable(ApprovalStatusSchema),
    expiresOn: Nullable(DateOnly),
    version: Nullable(Type.String()),
    productLine: Nullable(Type.String()),
    region: Nullable(Type.String()),
    industry: Nullable(Type.String()),
    tier: Nullable(Type.String()),
    rights: Type.Object({ status: RightsStatusSchema, daysToExpiry: Nullable(Type.Integer()) }),
    createdOn: Type.String({ description: "ISO 8601 timestamp" }),
    thumbnailUrl: Type.String({ description: "absolute, signed, short-lived proxy URL; usable as <img src>" }),
    previewUrl: Type.String({ description: "absolute, signed, short-lived proxy URL of a larger rendition" }),
    photoShelterUrl: Type.String({ description: "opens the asset in PhotoShelter" }),
  },
  { title: "Asset" },
);

export const Container = Type.Object(
  {
    id: ContainerId,
    kind: Type.Union([Type.Literal("collection"), Type.Literal("gallery")]),
    name: Type.String(),
    description: Nullable(Type.String()),
    parentId: Nullable(ContainerId),
    childCount: Type.Integer({ minimum: 0, description: "collections and galleries directly inside" }),
    mediaCount: Type.Integer({ minimum: 0, description: "media directly inside (galleries only; 0 for collections)" }),
    keyImageUrl: Nullable(Type.String({ description: "absolute, signed proxy URL" })),
  },
  { title: "Container" },
);

export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    page: Type.Integer({ minimum: 1 }),
    perPage: Type.Integer({ minimum: 1 }),
    total: Type.Integer({ minimum: 0 }),
    hasMore: Type.Boolean(),
  });
/** Search results: `total` counts matches before the rights filter and the user's access; `hidden` says how many of this page's matches they left out. */
export const AssetPage = Type.Object(
  {
    ...PageOf(Asset).properties,
    hidden: Type.Integer({
      minimum: 0,
      description: "matches on this page left out by the rights filter (expired, restricted, retired without includeRestricted; rights=) or the user's access; total minus the hidden of every page is the exact count",
    }),
  },
  { title: "AssetPage" },
);
export const ContainerPage = PageOf(Container);

/* ---------- errors ---------- */

export const ERROR_CODES = [
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "validation_failed",
  "rate_limited",
  "payload_too_large",
  "unsupported_media_type",
  "upstream_unavailable",
  "upstream_timeout",
  "upstream_error",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorBody = Type.Object(
  { error: Type.Object({ code: Type.Union(ERROR_CODES.map((code) => Type.Literal(code))), message: Type.String() }) },
  { title: "ErrorBody" },
);

/* ---------- requests ---------- */

export const PER_PAGE_MAX = 100;
export const BATCH_MAX = 500;
export const ZIP_MAX = 200;

/** PhotoShelter serves pages 1 to 999; a later page is refused here, not passed on to fail upstream. */
export const PAGE_MAX = 999;

const PageParams = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_MAX, default: 1 })),
  perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: PER_PAGE_MAX, default: 50 })),
};

export const RecordQuery = Type.Object({ record: RecordRef }, { additionalProperties: false });

export const ContainersQuery = Type.Object({ record: RecordRef, parentId: Type.Optional(ContainerId), ...PageParams }, { additionalProperties: false });

const RIGHTS_LIST = "(approved|expiring30|expiring14|expired|restricted|retired|unknown)";
export const SearchSort = Type.Union([Type.Literal("relevance"), Type.Literal("newest"), Type.Literal("oldest"), Type.Literal("name")]);

export const SearchQuery = Type.Object(
  {
    record: RecordRef,
    q: Type.Optional(Type.String({ maxLength: 200, description: "search terms (file name, caption, keywords…)" })),
    mediaType: Type.Optional(MediaTypeSchema),
    rights: Type.Optional(Type.String({ pattern: `^${RIGHTS_LIST}(,${RIGHTS_LIST})*$`, description: "comma list of rights statuses to keep" })),
    containerId: Type.Optional(ContainerId),
    orientation: Type.Optional(OrientationSchema),
    from: Type.Optional(DateParam),
    to: Type.Optional(DateParam),
    sort: Type.Optional(SearchSort),
    includeRestricted: Type.Optional(Type.Boolean({ default: false, description: "also return expired, restricted and retired assets" })),
    ...PageParams,
  },
  { additionalProperties: false },
);

export const AssetParams = Type.Object({ id: MediaId });

export const BatchRequest = Type.Object({ ids: Type.Array(MediaId, { minItems: 1, maxItems: BATCH_MAX }) }, { additionalProperties: false });
export const BatchResponse = Type.Object({ items: Type.Array(Asset), missing: Type.Array(Type.String()) });

export const ZipRequest = Type.Object({ ids: Type.Array(MediaId, { minItems: 1, maxItems: ZIP_MAX }) }, { additionalProperties: false });

export const DownloadSize = Type.Union([Type.Literal("original"), Type.Literal("large"), Type.Literal("medium")]);
export const DownloadQuery = Type.Object({ record: RecordRef, size: Type.Optional(DownloadSize) }, { additionalProperties: false });

/** Signed media URL: `/v1/media/:id/:size?exp=<unix seconds>&u=<user>&sig=<base64url HMAC>`. */
export const MediaSize = Type.Union([Type.Literal("thumb"), Type.Literal("preview"), Type.Literal("key")]);
export const MediaParams = Type.Object({ id: MediaId, size: MediaSize });
export const MediaQuery = Type.Object({
  exp: Type.Integer({ minimum: 0 }),
  u: Type.String({ minLength: 1, maxLength: 64 }),
  sig: Type.String({ pattern: "^[A-Za-z0-9_-]{43}$" }),
});

/* ---------- a record's own collection (S3 campaigns, S7 events), suggestions (S1) ---------- */

export const SyncStatusSchema = Type.Union([Type.Literal("pending"), Type.Literal("synced"), Type.Literal("failed")]);

export const RecordCollection = Type.Object(
  {
    /** The psh_collectionlink row, or null when the record has no collection yet. */
    link: Nullable(
      Type.Object({
        id: Type.String(),
        containerId: ContainerId,
        kind: Type.Union([Type.Literal("collection"), Type.Literal("gallery")]),
        name: Type.String(),
        syncStatus: Nullable(SyncStatusSchema),
        lastError: Nullable(Type.String()),
        lastSyncedOn: Nullable(Type.String({ description: "ISO 8601 timestamp" })),
      }),
    ),
    /** What the collection carries in PhotoShelter (null when PhotoShelter does not return it). */
    collection: Nullable(
      Type.Object({
        name: Type.String(),
        description: Nullable(Type.String()),
        audience: Nullable(Type.String()),
        launchDate: Nullable(DateOnly),
        owner: Nullable(Type.String()),
      }),
    ),
  },
  { title: "RecordCollection" },
);

export const RecordAdditions = Type.Object(
  {
    /** The event's start: media uploaded into its collection from then on are listed. */
    since: Nullable(Type.String({ description: "ISO 8601 timestamp" })),
    items: Type.Array(Asset),
  },
  { title: "RecordAdditions" },
);

export const SegmentField = Type.Union([Type.Literal("industry"), Type.Literal("region"), Type.Literal("tier"), Type.Literal("productLine")]);
export const SUGGESTIONS_MAX = 50;
export const SuggestionsQuery = Type.Object({ record: RecordRef, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SUGGESTIONS_MAX, default: 20 })) }, { additionalProperties: false });
export const Suggestions = Type.Object(
  { items: Type.Array(Type.Object({ asset: Asset, matched: Type.Array(SegmentField, { description: "what of the account the asset matches, best matches first" }) })) },
  { title: "Suggestions" },
);

/** `Idempotency-Key` of an upload: one per file, so a retried upload never stores the file twice. */
export const IDEMPOTENCY_KEY_PATTERN = "^[A-Za-z0-9_-]{8,64}$";

/* ---------- sign-in through Dataverse ---------- */

/** The length of base64url(32 random bytes): the handshake's verifier is 256 bits. */
export const SIGN_IN_VERIFIER_PATTERN = "^[A-Za-z0-9_-]{43}$";

export const SessionRequest = Type.Object(
  {
    id: Type.String({ pattern: "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", description: "the psh_signinrequest row the control created" }),
    verifier: Type.String({ pattern: SIGN_IN_VERIFIER_PATTERN, description: "base64url of 32 random bytes; the row's psh_challenge is base64url(SHA-256(verifier))" }),
  },
  { additionalProperties: false, title: "SessionRequest" },
);

export const SessionResponse = Type.Object(
  { access_token: Type.String(), token_type: Type.Literal("Bearer"), expires_in: Type.Integer({ description: "seconds" }) },
  { title: "SessionResponse" },
);

/* ---------- configuration for the control ---------- */

export const ConfigResponse = Type.Object({
  signIn: Type.Union([
    Type.Object({ kind: Type.Literal("dataverse") }, { description: "create a psh_signinrequest row, then POST /v1/session" }),
    Type.Object({ kind: Type.Literal("entra"), authority: Type.String(), clientId: Type.String(), scope: Type.String() }),
    Type.Object({ kind: Type.Literal("dev"), signInUrl: Type.String() }),
  ]),
  upload: Type.Object({ maxBytes: Type.Integer(), allowedTypes: Type.Array(Type.String()) }),
});

/* ---------- types ---------- */

export type Asset = Static<typeof Asset>;
export type Container = Static<typeof Container>;
export type Page<T> = { items: T[]; page: number; perPage: number; total: number; hasMore: boolean };
export type AssetPage = Static<typeof AssetPage>;
export type ErrorBody = Static<typeof ErrorBody>;
export type MediaType = Static<typeof MediaTypeSchema>;
export type Orientation = Static<typeof OrientationSchema>;
export type ContainersQuery = Static<typeof ContainersQuery>;
export type SearchQuery = Static<typeof SearchQuery>;
export type SearchSort = Static<typeof SearchSort>;
export type BatchRequest = Static<typeof BatchRequest>;
export type BatchResponse = Static<typeof BatchResponse>;
export type ZipRequest = Static<typeof ZipRequest>;
export type DownloadSize = Static<typeof DownloadSize>;
export type MediaSize = Static<typeof MediaSize>;
export type ConfigResponse = Static<typeof ConfigResponse>;
export type RecordCollection = Static<typeof RecordCollection>;
export type RecordAdditions = Static<typeof RecordAdditions>;
export type SegmentField = Static<typeof SegmentField>;
export type Suggestions = Static<typeof Suggestions>;
export type SuggestionsQuery = Static<typeof SuggestionsQuery>;
export type SignIn = ConfigResponse["signIn"];
export type SessionRequest = Static<typeof SessionRequest>;
export type SessionResponse = Static<typeof SessionResponse>;
