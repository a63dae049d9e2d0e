/**
 * The documented v3 calls (/psapi/v3, also reachable as /psapi/v3.0): sign-in, organization
 * switching, gallery and collection insert and query, image upload (multipart, bytes stored),
 * duplicate check, visibility and permission inheritance, image link and download, and the public
 * organization look-up. Envelope: {"status":"ok","data":{"<Record>":…}}; errors
 * {"status":"error","error":{"code","message"}}.
 */
import { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { PsError, badRequest, formatDate, paramsOf } from "./envelope";
import { Container } from "./library";
import { downloadFile, sendFile } from "./mediaRoutes";
import { imageLinkForm } from "./resources";
import { PhotoShelterState } from "./state";
import { MEMBER_USER } from "./wellKnown";
import { containerOf, createContainer, modeOf, readMultipart, requireOwner } from "./writes";

const ok = (data: Record<string, unknown>) => ({ status: "ok", data });

export const v3ErrorBody = (error: PsError) => ({ status: "error", error: { code: error.id, message: error.detail } });

const v3Date = (ms: number) => formatDate(ms, "iso8601ps");

const galleryRecord = (g: Container) => ({
  gallery_id: g.id,
  name: g.name,
  description: g.description,
  mode: g.mode,
  f_list: g.isListed ? "t" : "f",
  parent_id: g.parentIds[0] ?? null,
  created_at: v3Date(g.createdAt),
  updated_at: v3Date(g.modifiedAt),
});

export function v3Routes(app: FastifyInstance, state: () => PhotoShelterState): void {
  const login = async (request: FastifyRequest, reply: FastifyReply) => {
    const p = paramsOf(request);
    if (!state().auth.checkCredentials(p.email, p.password)) throw new PsError(401, "InvalidCredentialsException", "Invalid credentials", "The email or password is not correct.");
    const session = state().auth.startSession(null);
    // Cookie mode is v3's default; token mode returns the token to send as X-PS-Auth-Token or auth_token.
    if (p.mode !== "token") reply.header("set-cookie", `ps_session=${session.token}; Path=/; HttpOnly; SameSite=Lax`);
    return ok({ ...(p.mode === "token" ? { token: session.token } : {}), org: state().auth.organizations().map((o) => ({ id: o.id, name: o.name, member: "t" })) });
  };
  app.post("/mem/authenticate", login);
  app.get("/mem/authenticate", login);

  const orgLogin = async (request: FastifyRequest) => {
    state().auth.switchOrganization(state().auth.member(request), (request.params as { orgId: string }).orgId);
    return ok({});
  };
  app.get("/mem/organization/:orgId/authenticate", orgLogin);
  app.post("/mem/organization/:orgId/authenticate", orgLogin);
  const orgLogout = async (request: FastifyRequest) => {
    state().auth.switchOrganization(state().auth.member(request), null);
    return ok({});
  };
  app.get("/mem/organization/logout", orgLogout);
  app.post("/mem/organization/logout", orgLogout);

  app.get("/mem/user/session", async (request) => {
    const session = state().auth.member(request);
    return ok({ Session: { user_id: session.userId, email: session.email, first_name: MEMBER_USER.firstName, last_name: MEMBER_USER.lastName, org_id: session.orgId, auth_type: session.kind } });
  });

  app.get("/organization/:orgId", async (request) => {
    const org = state().auth.organizations().find((o) => o.id === (request.params as { orgId: string }).orgId);
    if (!org) throw new PsError(404, "ResourceNotFoundException", "Resource not found", "No such organization.");
    return ok({ Organization: { id: org.id, name: org.name } });
  });

  // Clients send these as GET with query parameters as well as POST with a form.
  for (const kind of ["gallery", "collection"] as const) {
    const insert = async (request: FastifyRequest) => {
      requireOwner(state(), request);
      const created = createContainer(state(), kind, paramsOf(request));
      return ok(kind === "gallery" ? { Gallery: { gallery_id: created.id } } : { Collection: { collection_id: created.id } });
    };
    app.get(`/mem/${kind}/insert`, insert);
    app.post(`/mem/${kind}/insert`, insert);

    app.post(`/mem/${kind}/:id/visibility/update`, async (request) => {
      requireOwner(state(), request);
      const container = containerOf(state(), (request.params as { id: string }).id, kind);
      const p = paramsOf(request);
      container.mode = modeOf(p.mode ?? p.visibility, container.mode);
      container.accessInherit = false;
      container.modifiedAt = Date.now();
      return ok({});
    });

    app.post(`/mem/${kind}/:id/permission/inherit`, async (request) => {
      requireOwner(state(), request);
      const container = containerOf(state(), (request.params as { id: string }).id, kind);
      const p = paramsOf(request);
      if (p.collection_id && !container.parentIds.includes(p.collection_id)) throw badRequest("collection_id is not a parent of this container.");
      if (!["t", "f"].includes(p.inherit ?? "")) throw badRequest("inherit must be t or f.");
      container.accessInherit = p.inherit === "t";
      container.modifiedAt = Date.now();
      return ok({});
    });
  }

  app.get("/mem/gallery/query", async (request) => {
    requireOwner(state(), request);
    const p = paramsOf(request);
    const galleries = [...state().library.containers.values()].filter((c) => c.kind === "gallery" && (!p.parent || c.parentIds.includes(p.parent)));
    return ok({ Gallery: galleries.map(galleryRecord) });
  });

  app.post("/mem/image/upload", async (request, reply) => {
    requireOwner(state(), request);
    const { fields, files } = await readMultipart(request);
    const gallery = containerOf(state(), fields.gallery_id, "gallery");
    if (fields.parent_id && !gallery.parentIds.includes(fields.parent_id)) throw badRequest("parent_id is not a parent collection of gallery_id.");
    if (!files.length) throw badRequest("file is required.");
    const images = files.map((file) => state().library.addUpload(gallery, { ...file, caption: fields.caption, searchable: fields.f_searchable !== "f" }));
    const records = images.map((m) => ({ image_id: m.id, file_name: m.fileName, file_size: m.fileSize, gallery_id: gallery.id, width: m.width, height: m.height, format: m.format, uploaded_at: v3Date(m.createdAt) }));
    return reply.code(200).send(ok({ Image: records.length === 1 ? records[0] : records }));
  });

  app.post("/mem/image/query", async (request) => {
    requireOwner(state(), request);
    const p = paramsOf(request);
    const gallery = containerOf(state(), p.gallery_id, "gallery");
    const total = gallery.media.filter((n) => !p.file_name || state().library.media[n - 1].fileName === p.file_name).length;
    return ok({ total });
  });

  app.get("/mem/image/:id/link", async (request) => {
    requireOwner(state(), request);
    const media = state().library.mediaById((request.params as { id: string }).id);
    if (!media) throw new PsError(404, "ResourceNotFoundException", "Resource not found", "No such image.");
    const form = imageLinkForm(paramsOf(request), "600x600");
    const base = state().context.baseUrl();
    const link = `${base}/img-get2/${media.id}/${form}`;
    return ok({ ImageLink: { link, auth_link: link, base: `${base}/img-get2/${media.id}/` } });
  });

  app.get("/mem/image/:id/download", async (request, reply) => {
    requireOwner(state(), request);
    const media = state().library.mediaById((request.params as { id: string }).id);
    if (!media) throw new PsError(404, "ResourceNotFoundException", "Resource not found", "No such image.");
    const file = downloadFile(state(), media, paramsOf(request));
    state().usage.record(media.id, "download");
    return sendFile(reply, file, "attachment");
  });
}
