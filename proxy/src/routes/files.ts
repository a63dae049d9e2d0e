/**
 * Bytes: signed renditions for <img src>, single downloads, multi-asset ZIPs (streamed entry by entry,
 * never buffered) and uploads (streamed through to PhotoShelter). Downloads are counted as usage.
 */
import type { Static } from "@sinclair/typebox";
import type { FastifyInstance, FastifyReply } from "fastify";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ZipFile } from "yazl";
import { AssetParams, DownloadQuery, ErrorBody, IDEMPOTENCY_KEY_PATTERN, MediaParams, MediaQuery, RecordQuery, ZipRequest, Asset } from "../../../contract/proxyApi";
import { ProxyError } from "../errors";
import { distinctIds } from "../http/limits";
import { documented } from "../http/openapi";
import { userOf } from "../http/auth";
import type { LoadedAsset } from "../photoshelter/library";
import type { Access } from "../policy/accessPolicy";
import { assetFor, ProxyServices } from "../services";
import type { UpstreamResponse } from "../upstream/http";
import { mapLimited } from "./browse";
import { guardedStream, readFilePart, unlessAborted, UploadAborted, watchUpload } from "./uploadBody";

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 413: ErrorBody, 415: ErrorBody, 429: ErrorBody, 502: ErrorBody, 503: ErrorBody, 504: ErrorBody };
const PASSED_HEADERS = ["content-type", "content-length", "last-modified", "etag"];

/** `filename*=` per RFC 6266, with an ASCII fallback. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Unique names inside one ZIP: a second "logo.png" becomes "logo (2).png". */
export function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    // Path separators and characters Windows refuses in file names; control characters too.
    const safe = [...name].map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? "_" : c)).join("") || "asset";
    const n = (seen.get(safe.toLowerCase()) ?? 0) + 1;
    seen.set(safe.toLowerCase(), n);
    if (n === 1) return safe;
    const dot = safe.lastIndexOf(".");
    return dot > 0 ? `${safe.slice(0, dot)} (${n})${safe.slice(dot)}` : `${safe} (${n})`;
  });
}

function passHeaders(reply: FastifyReply, upstream: UpstreamResponse): void {
  for (const name of PASSED_HEADERS) {
    const value = upstream.headers[name];
    if (typeof value === "string") reply.header(name, value);
  }
}

/** Seconds a client told "too many uploads" waits before trying again. */
const UPLOAD_RETRY_SECONDS = 5;

export function fileRoutes(app: FastifyInstance, services: ProxyServices): void {
  const { policy, library, signer, usage, config } = services;
  /** Uploads streaming to PhotoShelter now. */
  let uploading = 0;

  async function visibleOrNotFound(recordRef: string, request: Parameters<typeof userOf>[0], ids: string[]): Promise<LoadedAsset[]> {
    const access = await policy.forRecord(userOf(request), recordRef);
    const loaded = await mapLimited(ids, 16, (id) => library.asset(id));
    const hidden = loaded.filter((asset) => !asset || !policy.canSeeAsset(access, asset.galleryIds)).length;
    if (hidden > 0) throw new ProxyError("not_found", ids.length === 1 ? "Asset not found" : `${hidden} of the ${ids.length} assets were not found`);
    return loaded as LoadedAsset[];
  }

  app.get<{ Params: Static<typeof MediaParams>; Querystring: Static<typeof MediaQuery> }>(
    "/v1/media/:id/:size",
    {
      config: { auth: false, signed: true },
      schema: documented({
        summary: "A rendition by signed URL (no bearer token; the signature binds asset, size, user and expiry)",
        tags: ["files"],
        security: [],
        params: MediaParams,
        querystring: MediaQuery,
        produces: ["image/png", "image/jpeg"],
        response: { 400: ErrorBody, 403: ErrorBody, 404: ErrorBody, 502: ErrorBody, 503: ErrorBody, 504: ErrorBody },
      }),
    },
    async (request, reply) => {
      const { id, size } = request.params;
      const { exp, u, sig } = request.query;
      const verdict = signer.verify({ id, size, user: u, exp }, sig);
      if (verdict === "invalid") {
        request.failedAuthentication();
        throw new ProxyError("forbidden", "The media link is not valid");
      }
      if (verdict === "expired") throw new ProxyError("forbidden", "The media link has expired; reload to get a new one");
      // Per signed user, whoever shares their address: one person's thumbnails never hold up another's.
      request.chargeMedia(u);
      const abort = new AbortController();
      request.raw.on("close", () => abort.abort());
      const upstream = await library.rendition(id, size, abort.signal);
      passHeaders(reply, upstream);
      // Private: the URL is per user; cacheable by the browser until it expires.
      reply.header("cache-control", `private, max-age=${signer.remainingSeconds(exp)}, immutable`);
      reply.header("x-content-type-options", "nosniff");
      return reply.send(upstream.body);
    },
  );

  app.get<{ Params: Static<typeof AssetParams>; Querystring: Static<typeof DownloadQuery> }>(
    "/v1/assets/:id/download",
    { config: { auth: true }, schema: documented({ summary: "Download one asset (streamed; counted as a usage event)", tags: ["files"], params: AssetParams, querystring: DownloadQuery, produces: ["application/octet-stream"], response: errors }) },
    async (request, reply) => {
      const size = request.query.size ?? "original";
      const [asset] = await visibleOrNotFound(request.query.record, request, [request.params.id]);
      const sizes = library.downloadSizes(asset);
      if (!sizes.includes(size)) throw new ProxyError("validation_failed", `This asset downloads as ${sizes.join(", ")} only, not ${size}`);
      const abort = new AbortController();
      request.raw.on("close", () => abort.abort());
      const upstream = await library.download(asset.media.id, size, abort.signal);
      passHeaders(reply, upstream);
      reply.header("content-disposition", contentDisposition(String(asset.media.attributes?.file_name ?? asset.media.id)));
      reply.header("cache-control", "private, no-store");
      usage.record({ at: new Date().toISOString(), kind: "download", assetId: asset.media.id, userId: userOf(request).systemUserId, record: request.query.record, size });
      return reply.send(upstream.body);
    },
  );

  app.post<{ Body: Static<typeof ZipRequest>; Querystring: Static<typeof RecordQuery> }>(
    "/v1/downloads/zip",
    { config: { auth: true, cost: distinctIds }, schema: documented({ summary: "Download several assets as one ZIP (streamed; each counted)", tags: ["files"], querystring: RecordQuery, body: ZipRequest, produces: ["application/zip"], response: errors }) },
    async (request, reply) => {
      const ids = [...new Set(request.body.ids)];
      const assets = await visibleOrNotFound(request.query.record, request, ids);
      const names = uniqueNames(assets.map((asset) => String(asset.media.attributes?.file_name ?? asset.media.id)));
      const zip = new ZipFile();
      const abort = new AbortController();
      request.raw.on("close", () => abort.abort());
      const user = userOf(request).systemUserId;
      assets.forEach((asset, i) => {
        // Each original is fetched only when the ZIP reaches it, so one upstream download is open at a time.
        zip.addReadStreamLazy(names[i], { compress: false }, (callback) => {
          library.download(asset.media.id, "original", abort.signal).then(
            (upstream) => {
              usage.record({ at: new Date().toISOString(), kind: "zip", assetId: asset.media.id, userId: user, record: request.query.record, size: "original" });
              callback(null, upstream.body);
            },
            (error: unknown) => callback(error, new PassThrough()),
          );
        });
      });
      zip.end();
      const body = new PassThrough();
      zip.on("error", (error: Error) => {
        request.log.warn({ err: error }, "ZIP aborted: an asset could not be fetched");
        body.destroy(error);
      });
      pipeline(zip.outputStream, body).catch(() => undefined);
      reply.header("content-type", "application/zip");
      reply.header("content-disposition", contentDisposition(`photoshelter-${new Date().toISOString().slice(0, 10)}.zip`));
      reply.header("cache-control", "private, no-store");
      return reply.send(body);
    },
  );

  app.post<{ Querystring: Static<typeof RecordQuery> }>(
    "/v1/uploads",
    {
      config: { auth: true },
      schema: documented({
        summary: "Upload one file into the record's gallery (chosen by the server; e.g. a case's evidence gallery)",
        description: "Send an Idempotency-Key header per file: a retry with the same key returns the asset stored the first time (header idempotent-replayed) instead of storing the file again — also after a restart or on another instance. While the first try still uploads, a retry on the same instance waits for it; elsewhere it gets 409 with Retry-After.",
        tags: ["files"],
        querystring: RecordQuery,
        consumes: ["multipart/form-data"],
        response: { 201: Asset, 408: ErrorBody, 409: ErrorBody, ...errors },
      }),
    },
    async (request, reply) => {
      const user = userOf(request);
      // Before any byte reaches PhotoShelter: the caller may open the record and link assets to it.
      const access = await policy.forRecord(user, request.query.record, "upload");
      const target = Object.hasOwn(config.upload.collections, access.record.entity) ? config.upload.collections[access.record.entity] : undefined;
      if (!target) throw new ProxyError("validation_failed", `Uploads are not available on ${access.record.entity} records`);
      // Idempotency-Key: a retry of an upload that already reached PhotoShelter gets that asset, never a second copy.
      const key = idempotencyKey(request.headers["idempotency-key"]);
      const keyScope = key ? `${user.systemUserId}|${access.recordRef}|${key}` : null;
      const claim = keyScope ? await services.uploadKeys.claim(keyScope, (mediaId) => library.asset(mediaId)) : null;
      if (claim?.kind === "stored") {
        reply.code(201).header("idempotent-replayed", "true");
        return assetFor(services, user, claim.found);
      }
      // The first try is still uploading on another instance (or died there and its claim has not run out).
      if (claim?.kind === "busy") throw new ProxyError("conflict", "An upload with this Idempotency-Key is still running; try again shortly", claim.retryAfterSeconds);
      const held = claim?.kind === "claimed" ? claim.held : null;
      if (held) reply.raw.once("close", () => held.release());
      const declared = Number(request.headers["content-length"]);
      if (Number.isFinite(declared) && declared > config.upload.maxBytes + 64 * 1024) throw tooLarge(config.upload.maxBytes);
      if (!request.isMultipart()) throw new ProxyError("unsupported_media_type", "Send the file as multipart/form-data with a 'file' part");
      // Uploads have a connection pool of their own; beyond it the client waits outside, not holding a connection.
      if (uploading >= config.upload.concurrency) throw new ProxyError("upstream_unavailable", "Too many uploads at once; try again shortly", UPLOAD_RETRY_SECONDS);
      uploading += 1;
      const watch = watchUpload(request, reply, config.upload.idleTimeoutMs);
      let mediaId: string;
      try {
        mediaId = await receive(watch.signal, access, target, (id) => held?.done(id));
      } catch (error) {
        const reason = watch.signal.aborted ? watch.signal.reason : null;
        if (reason instanceof UploadAborted && reason.stalled) {
          // The client is still connected but sends nothing: say so, and close the connection.
          return reply.code(408).header("connection", "close").send({ error: { code: "validation_failed", message: reason.message } });
        }
        // The client went away: nobody hears the answer; the upstream upload has been aborted with it.
        if (reason instanceof UploadAborted) throw new ProxyError("validation_failed", reason.message);
        throw error;
      } finally {
        watch.dispose();
        uploading -= 1;
      }
      services.policyCache.clear();
      const created = await library.asset(mediaId);
      if (!created) throw new ProxyError("upstream_error", "PhotoShelter did not return the uploaded asset");
      reply.code(201);
      return assetFor(services, user, created);

      /** Reads the file out of the body and streams it into the record's gallery; every wait gives way to the abort. */
      async function receive(signal: AbortSignal, access: Access, target: string, stored: (mediaId: string) => Promise<void> | undefined): Promise<string> {
        const incoming = await readFilePart(request, signal);
        const { part } = incoming;
        if (!config.upload.allowedTypes.includes(part.mimetype)) {
          part.file.resume();
          throw new ProxyError("unsupported_media_type", `Files of type ${part.mimetype} cannot be uploaded (allowed: ${config.upload.allowedTypes.join(", ")})`);
        }
        const gallery = await unlessAborted(library.galleryFor(target, uploadGalleryName(access.record.entity, access.record.id)), signal);
        // Past the size limit the parser silently truncates: the stream fails instead, so no half file is stored.
        const stream = guardedStream(part, signal, () => tooLarge(config.upload.maxBytes));
        try {
          const id = await library.upload(gallery, { stream, fileName: part.filename || "upload", mimeType: part.mimetype, complete: incoming.complete }, incoming.caption, signal);
          await stored(id);
          return id;
        } catch (error) {
          if (part.file.truncated) throw tooLarge(config.upload.maxBytes);
          // The client's body broke off (truncated, no closing boundary): its mistake, and nothing was stored.
          const broken = await incoming.complete.then(() => null, (cause: unknown) => cause);
          throw broken ?? error;
        }
      }
    },
  );
}

const IDEMPOTENCY_KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);

/** The Idempotency-Key header, checked; absent → null, malformed → 400. */
function idempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  if (typeof header !== "string" || !IDEMPOTENCY_KEY.test(header)) throw new ProxyError("validation_failed", "Idempotency-Key must be 8 to 64 letters, digits, '-' or '_'");
  return header;
}

const tooLarge = (maxBytes: number) => new ProxyError("payload_too_large", `The file is larger than the ${Math.floor(maxBytes / (1024 * 1024)) || maxBytes} ${maxBytes >= 1024 * 1024 ? "MB" : "bytes"} allowed`);

const UPLOAD_LABEL = new Map([
  ["incident", "Case"],
  ["campaign", "Campaign"],
  ["msevtmgt_event", "Event"],
]);

/** The gallery name of a record's uploads; stable, so the gallery is found again. */
export function uploadGalleryName(entity: string, id: string): string {
  return `${UPLOAD_LABEL.get(entity) ?? entity} ${id}`;
}
