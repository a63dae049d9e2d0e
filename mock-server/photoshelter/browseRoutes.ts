/**
 * v4 browsing: /library, /collections… and /galleries… with children, child counts, parent, key
 * image, cover, link and permissions, the `collection_id` / `password` / `token` access context and
 * the path spellings PhotoShelter's clients use (key-image and key_image, child-count, count and
 * children/count, permissions and permission).
 */
import { FastifyInstance, FastifyRequest } from "fastify";
import { boolParam, notFound, pageOf, pagingMeta, pagingOf, sortBy, sortOf } from "./envelope";
import { Container } from "./library";
import {
  V4,
  canView,
  childCounts,
  containerOr404,
  containerResource,
  effectiveMode,
  isOwner,
  keyImageResource,
  linkResource,
  mediaResource,
  permissionsResource,
  v4Of,
} from "./resources";
import { PhotoShelterState } from "./state";

const CONTAINER_SORTS = ["creation_time", "modification_time", "name", "display_order"] as const;
const CHILD_MEDIA_SORTS = ["creation_time", "modification_time", "added_at", "file_name", "date_taken", "display_order"] as const;

const containerSortKey = (by: (typeof CONTAINER_SORTS)[number]) => (c: Container) =>
  by === "name" ? c.name.toLowerCase() : by === "creation_time" ? c.createdAt : by === "modification_time" ? c.modifiedAt : c.displayOrder;

/** A sorted, paged list of containers in the envelope with meta.paging. */
function containerList(v4: V4, items: Container[], fallbackSort: (typeof CONTAINER_SORTS)[number], extraMeta: Record<string, unknown> = {}) {
  const sort = sortOf(v4.params, CONTAINER_SORTS, fallbackSort);
  const paging = pagingOf(v4.params);
  const sorted = sortBy(items, containerSortKey(sort.by), sort.direction);
  return { data: pageOf(sorted, paging).map((c) => containerResource(v4, c)), meta: { ...extraMeta, paging: pagingMeta(v4.request, v4.base, sorted.length, paging) } };
}

/** One gallery child: id, type and order only, plus whatever `include=` asks for (media, iptc, …). */
function childMedia(v4: V4, gallery: Container, n: number) {
  const media = v4.state.library.media[n - 1];
  const full = mediaResource(v4, media);
  const includes = { ...full.includes, ...(v4.include.has("media") ? { media: { data: mediaResource(v4, media, new Set(), 2) } } : {}) };
  return {
    id: media.id,
    type: media.type,
    attributes: { display_order: gallery.media.indexOf(n) + 1, created_at: full.attributes.created_at, modified_at: full.attributes.modified_at },
    links: full.links,
    ...(Object.keys(includes).length ? { includes } : {}),
  };
}

export function browseRoutes(app: FastifyInstance, state: () => PhotoShelterState): void {
  const member = (request: FastifyRequest) => v4Of(state(), request, "required");
  const anyone = (request: FastifyRequest) => v4Of(state(), request, "optional");
  const byId = (v4: V4, kind: Container["kind"]) => containerOr404(v4, (v4.request.params as { id: string }).id, kind);

  app.get("/library", async (request) => {
    const v4 = member(request);
    const listed = boolParam(v4.params, "is_listed");
    const roots = isOwner(v4) ? state().library.roots().filter((c) => listed === undefined || c.isListed === listed) : [];
    return containerList(v4, roots, "display_order");
  });

  app.get("/collections", async (request) => {
    const v4 = member(request);
    const p = v4.params;
    let items = isOwner(v4) ? [...state().library.containers.values()].filter((c) => c.kind === "collection") : [];
    if (p.id) items = items.filter((c) => c.id === p.id);
    if (p.name) items = items.filter((c) => (p.match === "false" ? c.name.toLowerCase().includes(p.name.toLowerCase()) : c.name === p.name));
    if (p.parent !== undefined) items = items.filter((c) => (p.parent === "" ? c.parentIds.length === 0 : c.parentIds.includes(p.parent)));
    return containerList(v4, items, "display_order");
  });

  app.get("/collections/:id", async (request) => {
    const v4 = anyone(request);
    return { data: containerResource(v4, byId(v4, "collection")), meta: {} };
  });

  const visibleChildren = (v4: V4, collection: Container) =>
    state()
      .library.children(collection.id)
      .filter((c) => canView(v4, c) && (v4.params.visibile === undefined && v4.params.visible === undefined ? true : effectiveMode(v4, c) === "everyone"));

  app.get("/collections/:id/children", async (request) => {
    const v4 = anyone(request);
    const collection = byId(v4, "collection");
    const children = visibleChildren(v4, collection);
    const galleries = children.filter((c) => c.kind === "gallery").length;
    return containerList(v4, children, "display_order", { children_count: { total: children.length, galleries, collections: children.length - galleries } });
  });

  app.get("/collections/:id/children/:childId", async (request) => {
    const v4 = anyone(request);
    const collection = byId(v4, "collection");
    const child = visibleChildren(v4, collection).find((c) => c.id === (request.params as { childId: string }).childId);
    if (!child) throw notFound("child");
    return { data: containerResource(v4, child), meta: {} };
  });

  for (const path of ["/collections/:id/child-count", "/collections/:id/count", "/collections/:id/children/count"]) {
    app.get(path, async (request) => {
      const v4 = anyone(request);
      return { meta: { children_count: childCounts(v4, byId(v4, "collection")) } };
    });
  }

  app.get("/collections/:id/parent", async (request) => {
    const v4 = anyone(request);
    const collection = byId(v4, "collection");
    const parent = collection.parentIds[0] ? state().library.get(collection.parentIds[0]) : undefined;
    return { data: parent && canView(v4, parent) ? containerResource(v4, parent) : [], meta: {} };
  });

  // Key images are "fully public": no member token and no access check, only the api key.
  for (const [kind, plural] of [["collection", "collections"], ["gallery", "galleries"]] as const) {
    for (const spelling of ["key-image", "key_image"]) {
      app.get(`/${plural}/:id/${spelling}`, async (request) => {
        const v4 = anyone(request);
        const container = state().library.get((request.params as { id: string }).id);
        if (!container || container.kind !== kind) throw notFound(kind);
        return { data: keyImageResource(v4, container), meta: {} };
      });
    }
  }

  app.get("/collections/:id/link", async (request) => {
    const v4 = anyone(request);
    return { data: linkResource(v4, byId(v4, "collection")), meta: {} };
  });

  app.get("/galleries", async (request) => {
    const v4 = member(request);
    const p = v4.params;
    let items = isOwner(v4) ? [...state().library.containers.values()].filter((c) => c.kind === "gallery") : [];
    if (p.name) items = items.filter((c) => c.name.toLowerCase().includes(p.name.toLowerCase()));
    if (p.parent !== undefined) items = items.filter((c) => (p.parent === "" ? c.parentIds.length === 0 : c.parentIds.includes(p.parent)));
    const portfolio = boolParam(p, "portfolio");
    if (portfolio !== undefined) items = items.filter((c) => c.isListed === portfolio);
    if (boolParam(p, "recently_updated")) items = items.filter((c) => c.modifiedAt >= Date.now() - 30 * 86_400_000);
    return containerList(v4, items, "creation_time");
  });

  app.get("/galleries/:id", async (request) => {
    const v4 = anyone(request);
    return { data: containerResource(v4, byId(v4, "gallery")), meta: {} };
  });

  app.get("/galleries/:id/children", async (request) => {
    const v4 = anyone(request);
    const gallery = byId(v4, "gallery");
    const sort = sortOf(v4.params, CHILD_MEDIA_SORTS, "display_order");
    const paging = pagingOf(v4.params);
    const media = state().library.media;
    const key = (n: number) => {
      const m = media[n - 1];
      return sort.by === "file_name" ? m.fileName.toLowerCase() : sort.by === "modification_time" ? m.modifiedAt : sort.by === "creation_time" || sort.by === "date_taken" ? m.createdAt : gallery.media.indexOf(n);
    };
    // display_order and added_at are the gallery's own order; sorting by them keeps it.
    const ordered = sort.by === "display_order" || sort.by === "added_at" ? (sort.direction === "ascending" ? gallery.media : [...gallery.media].reverse()) : sortBy(gallery.media, key, sort.direction);
    return {
      data: pageOf(ordered, paging).map((n) => childMedia(v4, gallery, n)),
      meta: { children_count: childCounts(v4, gallery), paging: pagingMeta(request, v4.base, ordered.length, paging) },
    };
  });

  app.get("/galleries/:id/children/:mediaId", async (request) => {
    const v4 = anyone(request);
    const gallery = byId(v4, "gallery");
    const n = gallery.media.find((m) => state().library.media[m - 1].id === (request.params as { mediaId: string }).mediaId);
    if (n === undefined) throw notFound("media in this gallery");
    return { data: childMedia(v4, gallery, n), meta: {} };
  });

  for (const path of ["/galleries/:id/child-count", "/galleries/:id/children/count"]) {
    app.get(path, async (request) => {
      const v4 = anyone(request);
      return { meta: { children_count: childCounts(v4, byId(v4, "gallery")) } };
    });
  }

  app.get("/galleries/:id/cover", async (request) => {
    const v4 = anyone(request);
    const gallery = byId(v4, "gallery");
    return { data: gallery.media.slice(0, 4).map((n) => ({ id: state().library.media[n - 1].id, type: state().library.media[n - 1].type })), meta: {} };
  });

  for (const spelling of ["permissions", "permission"]) {
    app.get(`/galleries/:id/${spelling}`, async (request) => {
      const v4 = anyone(request);
      return { data: permissionsResource(v4, byId(v4, "gallery")), meta: {} };
    });
  }
}
