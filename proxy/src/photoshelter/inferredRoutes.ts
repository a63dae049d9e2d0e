/**
 * INFERRED PhotoShelter routes the proxy calls — the twin of mock-server/photoshelter/inferredRoutes.ts.
 * No PhotoShelter source confirms these shapes (see the reference's [low] and [inferred] facts); they
 * are named here, in one place, so they can be corrected against a real account.
 *
 *   PATCH /collections/{id}, /galleries/{id}   JSON {name?, description?, custom_metadata?: {field name: text | null}}
 *        sets a record collection's name, description and custom metadata (v3 has no documented
 *        call for custom metadata on collections or galleries).
 *   PATCH /media/{id}/custom-metadata          JSON {custom_metadata: {field name: text | null}}
 *        sets one asset's custom metadata (the "Under review" flag, S5); the read of the same path is
 *        confirmed, the write is not.
 *   POST  /galleries/{id}/permissions          JSON {type: contact, email, expires} | {type: group, group_id, expires}
 *   DELETE /galleries/{id}/permissions/{permission id}
 *        grant and revoke a partner's access to a gallery (S6). The read, GET /galleries/{id}/permissions,
 *        is in the 2019 draft ([v4-spec] paths/galleriesIdPermissions.yaml); no source shows a write.
 *        Granting by email (rather than by a CT000 contact id made first) is the mock's assumption.
 *
 * Also inferred, on a documented route: `GET /search?custom_metadata=` keyed by field *name* (the
 * draft names the parameter; whether it takes field names or ids is not shown).
 */

const containerPath = (containerId: string) => `/${containerId.startsWith("G") ? "galleries" : "collections"}/${encodeURIComponent(containerId)}`;

/** Path of the inferred v4 container update (relative to the v4 base). */
export const updateContainerPath = (containerId: string): string => containerPath(containerId);

/** Path of the inferred v4 media custom metadata write. */
export const mediaCustomMetadataPath = (mediaId: string): string => `/media/${encodeURIComponent(mediaId)}/custom-metadata`;

/** Path of the inferred v4 gallery permission grant (POST). */
export const grantPermissionPath = (galleryId: string): string => `/galleries/${encodeURIComponent(galleryId)}/permissions`;

/** Path of the inferred v4 gallery permission revoke (DELETE). */
export const revokePermissionPath = (galleryId: string, permissionId: string): string => `/galleries/${encodeURIComponent(galleryId)}/permissions/${encodeURIComponent(permissionId)}`;
