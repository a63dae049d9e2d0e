/**
 * S3 / S7 — a campaign's or an event's own PhotoShelter collection. One piece of work, called by the
 * control ("Create collection") and by the automation (a campaign or event created or changed):
 * create the collection under the configured parent if the record has none, carry the record's name,
 * audience, launch date and owner onto it (description and custom metadata), and write the
 * psh_collectionlink row (synced, or failed with the error).
 *
 * Never two collections for one record, whatever the order or repetition of calls: the link row
 * decides first; then the collection carrying the record's key in its custom metadata (a crash
 * between creating it and writing the link row); concurrent calls in this process share one run.
 */
import type { Logger } from "pino";
import type { RecordCollection } from "../../../contract/proxyApi";
import { choices, collectionLink, event as eventTable, eventLookups, lookupValueName, outOfBox, regardingKey } from "../../../solution/model";
import type { LookupColumn } from "../../../solution/model";
import { DataverseApiError, type DataverseClient, guid, literal } from "../dataverse";
import { ProxyError } from "../errors";
import type { PsResource } from "../photoshelter/client";
import type { PhotoShelterLibrary } from "../photoshelter/library";
import { customValues } from "../photoshelter/normalize";

export interface RecordCollectionDeps {
  library: Pick<PhotoShelterLibrary, "createCollection" | "updateContainer" | "childrenWithMetadata" | "containerWithMetadata">;
  /** Acts as the proxy's application user (the automation's identity). */
  dataverse: DataverseClient;
  /** Parent collection of each host table's collections (campaign → Campaigns, msevtmgt_event → Events). */
  parents: Readonly<Record<string, string>>;
  log: Logger;
  now?: () => Date;
  /**
   * Durable idempotency keys (the state store): the id of a collection is kept the moment it is
   * created, so a retry after a crash before the link row was written finds it, not a second one.
   */
  createdCollections?: { get(key: string): Promise<string | null>; set(key: string, value: string): Promise<void> };
}

export interface RecordRef {
  entity: string;
  id: string;
}

/** Custom metadata fields a record collection carries, by their names in PhotoShelter. */
export const COLLECTION_FIELDS = { audience: "Audience", launchDate: "Launch Date", owner: "Owner", record: "Dynamics Record" } as const;

/** What the record says about itself, in the collection's terms. */
export interface RecordFacts {
  name: string;
  audience: string | null;
  /** Campaign launch date, or the event's start day (YYYY-MM-DD). */
  launchDate: string | null;
  owner: string | null;
  /** The event's start instant (ISO); null for campaigns. */
  start: string | null;
}

const L = collectionLink.columns;
const K = outOfBox.campaign.columns;
const V = eventTable.columns;
const OWNER_NAME = `${lookupValueName(K.ownerId)}@OData.Community.Display.V1.FormattedValue`;

/** The host tables that have their own collection: how to read them and which lookup the link row binds. */
const HOSTS: Record<string, { purpose: keyof typeof choices.linkType.options; lookup: LookupColumn; read: (dataverse: DataverseClient, id: string) => Promise<RecordFacts | null> }> = {
  [outOfBox.campaign.logicalName]: {
    purpose: "campaign",
    lookup: L.campaignId,
    read: async (dataverse, id) => {
      const row = await dataverse.retrieve(outOfBox.campaign, guid(id), { select: [K.name.logicalName, K.audience.logicalName, K.launchDate.logicalName, lookupValueName(K.ownerId)], annotations: true });
      if (!row) return null;
      return { name: text(row[K.name.logicalName]) ?? id, audience: text(row[K.audience.logicalName]), launchDate: day(row[K.launchDate.logicalName]), owner: text(row[OWNER_NAME]), start: null };
    },
  },
  [eventTable.logicalName]: {
    purpose: "event",
    lookup: eventLookups.psh_collectionlink.eventId,
    read: async (dataverse, id) => {
      const row = await dataverse.retrieve(eventTable, guid(id), { select: [V.name.logicalName, V.startDate.logicalName, lookupValueName(V.ownerId)], annotations: true });
      if (!row) return null;
      const start = text(row[V.startDate.logicalName]);
      return { name: text(row[V.name.logicalName]) ?? id, audience: null, launchDate: day(start), owner: text(row[OWNER_NAME]), start: start && !Number.isNaN(Date.parse(start)) ? new Date(start).toISOString() : null };
    },
  },
};

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function day(value: unknown): string | null {
  const raw = text(value);
  return raw && /^\d{4}-\d{2}-\d{2}/.test(raw) ? raw.slice(0, 10) : null;
}

/** The description the collection carries: readable in PhotoShelter by someone who never opens Dynamics. */
export function collectionDescription(facts: RecordFacts): string {
  return [facts.audience ? `Audience: ${facts.audience}` : null, facts.launchDate ? `Launch: ${facts.launchDate}` : null, facts.owner ? `Owner: ${facts.owner}` : null].filter(Boolean).join(" · ");
}

function hostOf(record: RecordRef) {
  const host = Object.prototype.hasOwnProperty.call(HOSTS, record.entity) ? HOSTS[record.entity] : undefined;
  if (!host) throw new ProxyError("validation_failed", `Only campaigns and events have their own collection, not ${record.entity} records`);
  return host;
}

type LinkRow = NonNullable<RecordCollection["link"]>;

const SYNC = Object.fromEntries(Object.entries(choices.syncStatus.options).map(([name, option]) => [option.value, name])) as Record<number, LinkRow["syncStatus"]>;

/** Unwraps Dataverse failures into errors the control can show (details go to the log). */
async function dataverseCall<T>(log: Logger, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ProxyError) throw error;
    const status = error instanceof DataverseApiError ? error.status : null;
    log.warn({ upstream: "Dataverse", status, error: (error as Error).message }, "record collection: Dataverse call failed");
    if (status === 429) throw new ProxyError("upstream_unavailable", "Dataverse is limiting requests; try again shortly", Math.ceil(((error as DataverseApiError).retryAfterMs ?? 5000) / 1000));
    throw new ProxyError("upstream_error", "Dataverse could not read or write the record's collection link");
  }
}

export interface RecordCollections {
  /** The record's link row and what its collection carries. */
  read(record: RecordRef): Promise<RecordCollection>;
  /** Creates (when missing) and updates the record's collection and link row; `created` says whether a collection was made. */
  sync(record: RecordRef): Promise<{ created: boolean; value: RecordCollection }>;
  /** The record's facts (name, start…), null when Dataverse does not have it. */
  facts(record: RecordRef): Promise<RecordFacts | null>;
}

export function recordCollections(deps: RecordCollectionDeps): RecordCollections {
  const { library, dataverse, log } = deps;
  const now = deps.now ?? (() => new Date());
  const running = new Map<string, Promise<{ created: boolean; value: RecordCollection }>>();

  async function readLink(record: RecordRef): Promise<LinkRow | null> {
    const host = hostOf(record);
    const rows = await dataverseCall(log, () =>
      dataverse.query(collectionLink, {
        select: [L.id, L.name, L.containerId, L.containerKind, L.syncStatus, L.lastError, L.lastSyncedOn].map((c) => c.logicalName),
        filter: `${L.regardingKey.logicalName} eq ${literal(regardingKey(record.entity, record.id))} and ${L.purpose.logicalName} eq ${literal(choices.linkType.options[host.purpose].value)}`,
        orderBy: [`${L.modifiedOn.logicalName} desc`],
        top: 1,
      }),
    );
    const row = rows[0];
    const containerId = row ? text(row[L.containerId.logicalName]) : null;
    if (!row || !containerId) return null;
    return {
      id: String(row[L.id.logicalName]),
      containerId,
      kind: containerId.startsWith("G") ? "gallery" : "collection",
      name: text(row[L.name.logicalName]) ?? containerId,
      syncStatus: SYNC[Number(row[L.syncStatus.logicalName])] ?? null,
      lastError: text(row[L.lastError.logicalName]),
      lastSyncedOn: text(row[L.lastSyncedOn.logicalName]),
    };
  }

  function carried(resource: PsResource | null): RecordCollection["collection"] {
    if (!resource) return null;
    const custom = customValues((resource.includes?.custom_metadata?.data as { attributes?: Record<string, unknown> } | undefined)?.attributes ?? null);
    const field = (name: string) => custom.get(name.toLowerCase()) ?? null;
    return {
      name: text(resource.attributes?.name) ?? resource.id,
      description: text(resource.attributes?.description),
      audience: field(COLLECTION_FIELDS.audience),
      launchDate: day(field(COLLECTION_FIELDS.launchDate)),
      owner: field(COLLECTION_FIELDS.owner),
    };
  }

  async function read(record: RecordRef): Promise<RecordCollection> {
    const link = await readLink(record);
    if (!link) return { link: null, collection: null };
    // The row stays visible when PhotoShelter is down; only the carried metadata is missing then.
    const resource = await library.containerWithMetadata(link.containerId).catch((error: unknown) => {
      log.warn({ container: link.containerId, error: (error as Error).message }, "record collection: PhotoShelter did not return the collection");
      return null;
    });
    return { link, collection: carried(resource) };
  }

  /** A collection under the parent that already carries this record's key (created, then the link write was lost). */
  async function findByKey(parent: string, key: string): Promise<string | null> {
    const children = await library.childrenWithMetadata(parent);
    const found = children.find((child) => {
      const custom = customValues((child.includes?.custom_metadata?.data as { attributes?: Record<string, unknown> } | undefined)?.attributes ?? null);
      return custom.get(COLLECTION_FIELDS.record.toLowerCase()) === key;
    });
    return found?.id ?? null;
  }

  async function writeLink(record: RecordRef, containerId: string, facts: RecordFacts, failure: string | null): Promise<void> {
    const host = hostOf(record);
    const target = host.lookup.targets[0];
    const setName = target.table === eventTable.logicalName ? eventTable.entitySetName : outOfBox.campaign.entitySetName;
    await dataverseCall(log, () =>
      dataverse.upsert(collectionLink, { [L.containerId.logicalName]: containerId, [L.regardingKey.logicalName]: regardingKey(record.entity, record.id) }, {
        [L.name.logicalName]: facts.name.slice(0, L.name.maxLength),
        [L.containerKind.logicalName]: choices.containerKind.options[containerId.startsWith("G") ? "gallery" : "collection"].value,
        [L.purpose.logicalName]: choices.linkType.options[host.purpose].value,
        [L.syncStatus.logicalName]: choices.syncStatus.options[failure ? "failed" : "synced"].value,
        [L.lastError.logicalName]: failure ? failure.slice(0, L.lastError.maxLength) : null,
        ...(failure ? {} : { [L.lastSyncedOn.logicalName]: now().toISOString() }),
        [`${target.navigationProperty}@odata.bind`]: `/${setName}(${record.id})`,
      }),
    );
  }

  async function run(record: RecordRef): Promise<{ created: boolean; value: RecordCollection }> {
    const host = hostOf(record);
    const parent = Object.prototype.hasOwnProperty.call(deps.parents, record.entity) ? deps.parents[record.entity] : undefined;
    if (!parent) throw new ProxyError("validation_failed", `No parent collection is configured for ${record.entity} collections`);
    const facts = await dataverseCall(log, () => host.read(dataverse, record.id));
    if (!facts) throw new ProxyError("not_found", "Record not found");
    const key = regardingKey(record.entity, record.id);
    const link = await readLink(record);
    const idKey = `record-collection:${key}`;
    let containerId = link?.containerId ?? (await deps.createdCollections?.get(idKey)) ?? (await findByKey(parent, key));
    let created = false;
    if (!containerId) {
      containerId = await library.createCollection(parent, facts.name, collectionDescription(facts));
      created = true;
      await deps.createdCollections?.set(idKey, containerId);
    }
    try {
      await library.updateContainer(containerId, {
        name: facts.name,
        description: collectionDescription(facts),
        custom: { [COLLECTION_FIELDS.audience]: facts.audience, [COLLECTION_FIELDS.launchDate]: facts.launchDate, [COLLECTION_FIELDS.owner]: facts.owner, [COLLECTION_FIELDS.record]: key },
      });
    } catch (error) {
      // The collection exists: the link row says so, and that the metadata did not get there.
      await writeLink(record, containerId, facts, error instanceof Error ? error.message : String(error));
      log.warn({ record: key, container: containerId, error: (error as Error).message }, "record collection: metadata not synced");
      throw error;
    }
    await writeLink(record, containerId, facts, null);
    log.info({ record: key, container: containerId, created }, "record collection synced");
    return { created, value: await read(record) };
  }

  return {
    read,
    facts: (record) => dataverseCall(log, () => hostOf(record).read(dataverse, record.id)),
    sync(record) {
      const key = regardingKey(record.entity, record.id);
      const pending = running.get(key);
      if (pending) return pending;
      const started = run(record).finally(() => running.delete(key));
      running.set(key, started);
      return started;
    },
  };
}
