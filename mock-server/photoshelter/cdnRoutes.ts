/**
 * The image CDN: /img-get2/{id}/fill={w}x{h} (exact size, cropped), /img-get2/{id}/fit={w}x{h}
 * (within the box, aspect kept; either side may be left out), the v3 size forms {w}x{h} and x{h},
 * /img-get/{id} (key-image URLs) and /media-get/{id}/{file} for video, audio and document links.
 * Like PhotoShelter's CDN it needs no api key. Pictures with a long edge of 600 px or more count as a view.
 */
import { FastifyInstance, FastifyReply } from "fastify";
import { psErrorBody } from "./envelope";
import { MAX_EDGE, MediaFiles } from "./files";
import { Media } from "./library";
import { sendFile } from "./mediaRoutes";
import { PhotoShelterState } from "./state";

/** Native proportions for types without pixels: video posters 16:9, documents a US Letter page, audio square. */
function nativeSize(media: Media): [number, number] {
  if (media.width !== null && media.height !== null) return [media.width, media.height];
  return media.type === "document" ? [612, 792] : [1200, 1200];
}

const DEFAULT_BOX = 600;
/** The size a PhotoShelter preview counts as a view from. */
const VIEW_EDGE = 600;

/** Reads the size segment of a CDN path; null when none is given, "bad" when it cannot be read. */
function sizeOf(segments: string[], media: Media): [number, number] | null | "bad" {
  const [nw, nh] = nativeSize(media);
  for (const segment of segments) {
    const m = segment.match(/^(?:(fill|fit)=)?(\d*)x(\d*)$/);
    if (!m) continue;
    const [, mode, ws, hs] = m;
    if (!ws && !hs) return "bad";
    const w = ws ? Number(ws) : Infinity;
    const h = hs ? Number(hs) : Infinity;
    if (w < 1 || h < 1 || (ws && w > MAX_EDGE) || (hs && h > MAX_EDGE)) return "bad";
    if (mode === "fill") return ws && hs ? [w, h] : "bad";
    return MediaFiles.fitInBox(nw, nh, w, h);
  }
  return null;
}

export function cdnRoutes(app: FastifyInstance, state: () => PhotoShelterState): void {
  const serve = (id: string, segments: string[], reply: FastifyReply) => {
    const media = state().library.mediaById(id);
    if (!media) return reply.code(404).send(psErrorBody(404, "ResourceNotFoundException", "Resource not found", `No media ${id}.`));
    const size = sizeOf(segments, media);
    if (size === "bad") return reply.code(400).send(psErrorBody(400, "BadRequestException", "Bad Request", `Size must be fill=WxH, fit=WxH, WxH or xH with sides up to ${MAX_EDGE}.`));
    const [nw, nh] = nativeSize(media);
    const [w, h] = size ?? MediaFiles.fitInBox(nw, nh, DEFAULT_BOX, DEFAULT_BOX);
    if (Math.max(w, h) >= VIEW_EDGE) state().usage.record(media.id, "view");
    reply.header("cache-control", "public, max-age=86400");
    return sendFile(reply, state().files.picture(media, w, h), "inline");
  };

  for (const prefix of ["/img-get2", "/img-get"]) {
    app.get(`${prefix}/:id`, async (request, reply) => serve((request.params as { id: string }).id, [], reply));
    app.get(`${prefix}/:id/*`, async (request, reply) => {
      const params = request.params as { id: string; "*": string };
      return serve(params.id, params["*"].split("/"), reply);
    });
  }

  app.get("/media-get/:id/:fileName", async (request, reply) => {
    const media = state().library.mediaById((request.params as { id: string }).id);
    if (!media) return reply.code(404).send(psErrorBody(404, "ResourceNotFoundException", "Resource not found", "No such media."));
    state().usage.record(media.id, "view");
    return sendFile(reply, state().files.original(media), "inline");
  });
}
