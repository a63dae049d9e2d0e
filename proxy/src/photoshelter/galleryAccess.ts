/**
 * Who may open a gallery (S6 partner galleries): the gallery's own permissions, read from the
 * documented `GET /galleries/{id}/permissions` past the read cache, granted and revoked through the
 * inferred routes (inferredRoutes.ts). A grant is sent once (a lost answer is found by the next
 * reconcile, never granted twice blindly); a revoke is safe to resend and "already gone" is success.
 */
import type { PhotoShelterClient } from "./client";
import { grantPermissionPath, revokePermissionPath } from "./inferredRoutes";
import { isoOf } from "./normalize";

export interface GalleryPermission {
  id: string;
  type: string;
  /** Lower-case e-mail of a contact permission (shown to the owner), else null. */
  email: string | null;
  groupId: string | null;
  /** ISO instant, or null when it never expires. */
  expires: string | null;
}

/** Whom a grant is for: a contact by e-mail, or a contact group. */
export type Grantee = { email: string } | { groupId: string };

interface PermissionResource {
  id?: unknown;
  type?: unknown;
  attributes?: { email?: unknown; group_id?: unknown; expires?: unknown };
}

function toPermission(resource: PermissionResource): GalleryPermission | null {
  if (typeof resource?.id !== "string") return null;
  const a = resource.attributes ?? {};
  return {
    id: resource.id,
    type: typeof resource.type === "string" ? resource.type : "unknown",
    email: typeof a.email === "string" && a.email ? a.email.toLowerCase() : null,
    groupId: typeof a.group_id === "string" && a.group_id ? a.group_id : null,
    expires: isoOf(a.expires),
  };
}

export class GalleryAccess {
  constructor(private readonly client: PhotoShelterClient) {}

  /** The gallery's own (native) permissions; null when PhotoShelter does not know the gallery. */
  async permissions(galleryId: string): Promise<GalleryPermission[] | null> {
    const answer = await this.client.fresh<{ data?: { attributes?: { native?: PermissionResource[] } } }>(`/galleries/${encodeURIComponent(galleryId)}/permissions`);
    if (!answer) return null;
    const native = answer.data?.attributes?.native;
    if (!Array.isArray(native)) throw new Error(`PhotoShelter sent permissions of ${galleryId} the proxy could not read`);
    return native.map(toPermission).filter((p): p is GalleryPermission => p !== null);
  }

  /** Grants the gallery until the end of `lastDay` (YYYY-MM-DD, UTC), or without expiry. */
  async grant(galleryId: string, to: Grantee, lastDay: string | null): Promise<GalleryPermission> {
    const body = {
      ...("email" in to ? { type: "contact", email: to.email } : { type: "group", group_id: to.groupId }),
      expires: lastDay ? `${lastDay}T23:59:59Z` : null,
      download_image_filetype: "original",
    };
    const { data } = await this.client.v4Write<PermissionResource>("POST", grantPermissionPath(galleryId), body, false);
    const permission = data ? toPermission(data) : null;
    if (!permission) throw new Error(`PhotoShelter did not return the permission it granted on ${galleryId}`);
    return permission;
  }

  /** Removes one permission; false when it was already gone. */
  async revoke(galleryId: string, permissionId: string): Promise<boolean> {
    return (await this.client.v4Write("DELETE", revokePermissionPath(galleryId, permissionId), undefined, true)).found;
  }
}
