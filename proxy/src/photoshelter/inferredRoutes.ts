/**
 * INFERRED PhotoShelter routes the proxy calls — the twin of mock-server/photoshelter/inferredRoutes.ts.
 * No PhotoShelter source confirms these shapes (see the reference's [low] and [inferred] facts); they
 * are named here, in one place, so they can be corrected against a real account.
 *
 *   PATCH /collections/{id}, /galleries/{id}   JSON {name?, description?, custom_metadata?: {field name: text | null}}
 *        sets a record collection's name, description and custom metadata (v3 has no documented
 *        call for custom metadata on collections or galleries).
 *
 * Also inferred, on a documented route: `GET /search?custom_metadata=` keyed by field *name* (the
 * draft names the parameter; whether it takes field names or ids is not shown).
 */

/** Path of the inferred v4 container update (relative to the v4 base). */
export const updateContainerPath = (containerId: string): string => `/${containerId.startsWith("G") ? "galleries" : "collections"}/${encodeURIComponent(containerId)}`;
