/**
 * INFERRED v4 routes. No PhotoShelter source confirms these shapes: they come from path names in a
 * low-confidence client ([low] in the reference), from the unfinished 2019 draft, or from what the
 * product needs where v3 has no documented call. They live together here so they can be corrected
 * against a real account in one place.
 *
 *   POST   /collections, /galleries                 create ([low]: name, description, parent, mode, is_listed)
 *   PATCH  /collections/{id}, /galleries/{id}       name, description, mode, is_listed, custom_metadata {field: text}
 *   DELETE /galleries/{id}                          draft galleriesDeleteId.json (not in the final draft)
 *   POST   /galleries/{id}/children                 add existing media {media_id}
 *   POST   /galleries/{id}/permissions              grant: contact (email or contact_id), group, token, password; expires
 *   DELETE /galleries/{id}/permissions/{permission_id}
 *   GET    /collections/{id}/permissions|access|path, /galleries/{id}/access|path|parents|link   ([low] names)
 *   PATCH  /media/{id}/custom-metadata (and custom_metadata)   {custom_metadata: [{id|name, value}] | {field: value}}
 *
 * All writes act for the organization (the token must be switched into it) and answer the v4 envelope.
 *
 * Inferred shapes on documented routes (kept where the route is): the 401 `InvalidCredentialsException`
 * for a wrong email/password and the mock's delegation form (authRoutes.ts), OAuth errors as
 * `OAuthServerException` in the v4 error array (auth.ts), IPTC `keywords` as one comma-separated
 * string and the `custom_metadata` item shape {id, name, type, value} (resources.ts), `per_page` capped
 * at 1000 (envelope.ts), and v3 error bodies {"status":"error","error":{code, message}} (v3Routes.ts).
 */
import { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "@sinclair/typebox";
import { badRequest, notFound, paramsOf } from "./envelope";
import { Container, Permission } from "./library";
import { containerOr404, containerResource, customMetadataResource, linkResource, permissionResource, permissionsResource, v4Of } from "./resources";
import { PhotoShelterState } from "./state";
import { containerOf, createContainer, requireOwner, setCustomMetadata, updateContainer } from "./writes";

const PermissionBody = Type.Object(
  {
    type: Type.Union([Type.Literal("contact"), Type.Literal("group"), Type.Literal("token"), Type.Literal("password"), Type.Literal("access_level")]),
    email: Type.Optional(Type.String({ format: "email", maxLength: 320 })),
    contact_id: Type.Optional(Type.String({ pattern: "^CT000[a-zA-Z0-9._]{11}$" })),
    group_id: Type.Optional(Type.String({ pattern: "^CTG00[a-zA-Z0-9._]{11}$" })),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    access_level: Type.Optional(Type.String({ maxLength: 40 })),
    expires: Type.Optional(Type.Union([Type.String({ format: "date-time" }), Type.String({ pattern: "^\\d{4}-\\d{2}-\\d{2}$" }), Type.Null()])),
    max_downloads: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
    download_image_filetype: Type.Optional(Type.Union([Type.Literal("original"), Type.Literal("jpeg")])),
    download_image_size: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  },
  { additionalProperties: false },
);
type PermissionBody = (typeof PermissionBody)["static"];

/** Each grant type needs its own credential. */
const REQUIRED: Record<PermissionBody["type"], Array<keyof PermissionBody>> = {
  contact: ["email", "contact_id"],
  group: ["group_id"],
  token: ["token"],
  password: ["password"],
  access_level: ["access_level"],
};

export function inferredRoutes(app: FastifyInstance, state: () => PhotoShelterState): void {
  const owner = (request: FastifyRequest) => {
    requireOwner(state(), request);
    return v4Of(state(), request, "required");
  };
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  for (const [kind, plural] of [["collection", "collections"], ["gallery", "galleries"]] as const) {
    app.post(`/${plural}`, async (request, reply) => {
      const v4 = owner(request);
      const p = paramsOf(request);
      return reply.code(201).send({ data: containerResource(v4, createContainer(state(), kind, p)), meta: {} });
    });

    app.patch(`/${plural}/:id`, async (request) => {
      const v4 = owner(request);
      const container = containerOf(state(), idOf(request), kind);
      if (!request.body || typeof request.body !== "object") throw badRequest("Send a JSON object with the fields to change.");
      updateContainer(container, request.body as Record<string, unknown>);
      return { data: containerResource(v4, container), meta: {} };
    });

    for (const sub of ["access", "path"]) {
      app.get(`/${plural}/:id/${sub}`, async (request) => {
        const v4 = v4Of(state(), request, "optional");
        const container = containerOr404(v4, idOf(request), kind);
        return { data: sub === "access" ? permissionsResource(v4, container) : state().library.path(container.id).map((c) => containerResource(v4, c)), meta: {} };
      });
    }
  }

  app.get("/collections/:id/permissions", async (request) => {
    const v4 = v4Of(state(), request, "optional");
    return { data: permissionsResource(v4, containerOr404(v4, idOf(request), "collection")), meta: {} };
  });

  app.get("/galleries/:id/parents", async (request) => {
    const v4 = v4Of(state(), request, "optional");
    const gallery = containerOr404(v4, idOf(request), "gallery");
    return { data: gallery.parentIds.map((id) => state().library.get(id)).filter((c): c is Container => !!c).map((c) => containerResource(v4, c)), meta: {} };
  });

  app.get("/galleries/:id/link", async (request) => {
    const v4 = v4Of(state(), request, "optional");
    return { data: linkResource(v4, containerOr404(v4, idOf(request), "gallery")), meta: {} };
  });

  app.delete("/galleries/:id", async (request) => {
    owner(request);
    const gallery = containerOf(state(), idOf(request), "gallery");
    for (const n of gallery.media) {
      const media = state().library.media[n - 1];
      media.galleryIds = media.galleryIds.filter((g) => g !== gallery.id);
    }
    state().library.containers.delete(gallery.id);
    return { meta: { status: "OK" } };
  });

  app.post("/galleries/:id/children", async (request, reply) => {
    const v4 = owner(request);
    const gallery = containerOf(state(), idOf(request), "gallery");
    const ids = (paramsOf(request).media_id ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (!ids.length) throw badRequest("media_id is required (one id or a comma list).");
    const media = ids.map((id) => state().library.mediaById(id) ?? (() => { throw notFound(`media ${id}`); })());
    for (const m of media) {
      if (!gallery.media.includes(m.number)) gallery.media.push(m.number);
      if (!m.galleryIds.includes(gallery.id)) m.galleryIds.push(gallery.id);
    }
    gallery.modifiedAt = Date.now();
    return reply.code(201).send({ data: containerResource(v4, gallery), meta: { added: media.map((m) => m.id) } });
  });

  app.post("/galleries/:id/permissions", { schema: { body: PermissionBody } }, async (request, reply) => {
    const v4 = owner(request);
    const gallery = containerOf(state(), idOf(request), "gallery");
    const body = request.body as PermissionBody;
    if (!REQUIRED[body.type].some((field) => body[field] !== undefined)) throw badRequest(`A ${body.type} permission needs ${REQUIRED[body.type].join(" or ")}.`);
    if (body.expires && Date.parse(body.expires) <= Date.now()) throw badRequest("expires must be in the future.");
    const fields: Omit<Permission, "id" | "createdAt"> = {
      type: body.type,
      expires: body.expires ? new Date(Date.parse(body.expires)).toISOString() : null,
      contactId: body.contact_id ?? null,
      email: body.email ?? null,
      groupId: body.group_id ?? null,
      token: body.token ?? null,
      password: body.password ?? null,
      accessLevel: body.access_level ?? null,
      maxDownloads: body.max_downloads ?? null,
      downloadImageFiletype: body.download_image_filetype ?? "original",
      downloadImageSize: body.download_image_size ?? null,
    };
    return reply.code(201).send({ data: permissionResource(v4, state().library.addPermission(gallery, fields)), meta: {} });
  });

  app.delete("/galleries/:id/permissions/:permissionId", async (request) => {
    owner(request);
    const gallery = containerOf(state(), idOf(request), "gallery");
    const id = (request.params as { permissionId: string }).permissionId;
    const before = gallery.permissions.length;
    gallery.permissions = gallery.permissions.filter((p) => p.id !== id);
    if (gallery.permissions.length === before) throw notFound("permission");
    gallery.modifiedAt = Date.now();
    return { meta: { status: "OK" } };
  });

  for (const spelling of ["custom-metadata", "custom_metadata"]) {
    app.patch(`/media/:id/${spelling}`, async (request) => {
      owner(request);
      const media = state().library.mediaById(idOf(request));
      if (!media) throw notFound("media");
      setCustomMetadata(media, request.body);
      return { data: customMetadataResource(media), meta: {} };
    });
  }
}
