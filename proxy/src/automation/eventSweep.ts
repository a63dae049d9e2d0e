/**
 * S7 — media added to an event's collection after the event started are linked back to the event
 * (psh_assetlink rows, source automatic, link type event), create-only by the link's alternate key,
 * so a sweep run twice links nothing twice and never touches a link made by hand.
 *
 * Two scheduled passes call the same sweep: the daily one over every event with a collection that
 * is running or ended at most EVENT_SWEEP_DAYS ago, and the post-event one, once per event, the day
 * after it ends (remembered in the state store so it runs once whichever instance runs it).
 * Where Event Management is not installed (no msevtmgt_event table) both do nothing and say so.
 */
import type { Logger } from "pino";
import { event as eventTable } from "../../../solution/model";
import { DataverseApiError, type DataverseClient, literal } from "../dataverse";
import type { PhotoShelterLibrary } from "../photoshelter/library";
import type { IdempotencyKeys } from "../state/records";
import { mediaAddedSince } from "./eventAdditions";
import { automaticLink, createLinks, newCount } from "./linkRows";
import type { RecordCollections } from "./recordCollection";

export interface SweepDeps {
  dataverse: DataverseClient;
  library: Pick<PhotoShelterLibrary, "search">;
  recordCollections: Pick<RecordCollections, "read">;
  keys: Pick<IdempotencyKeys, "get" | "put">;
  /** Events ended longer ago than this are no longer swept. */
  sweepDays: number;
  log: Logger;
  now?: () => Date;
}

export interface SweepResult {
  events: number;
  linked: number;
  alreadyLinked: number;
  /** Set when the org has no Event table (Event Management not installed). */
  skipped?: string;
}

/** Most media linked back per event and run (newest first); the next run takes the rest. */
const SWEEP_LIMIT = 1000;
const DAY = 86_400_000;
const V = eventTable.columns;

/** False when the Event table does not exist in this org. */
export async function hasEventTable(dataverse: DataverseClient): Promise<boolean> {
  try {
    await dataverse.query(eventTable, { select: [V.id.logicalName], top: 1 });
    return true;
  } catch (error) {
    if (error instanceof DataverseApiError && error.status === 404) return false;
    throw error;
  }
}

/** Links what was added to one event's collection since the event started. */
export async function sweepEvent(deps: SweepDeps, eventId: string, start: Date, containerId: string): Promise<{ linked: number; alreadyLinked: number }> {
  const now = deps.now?.() ?? new Date();
  const added = await mediaAddedSince(deps.library, containerId, start, { limit: SWEEP_LIMIT });
  const links = added.map((asset) => automaticLink(asset, eventTable.logicalName, eventId, "event", now));
  const result = await createLinks(deps.dataverse, `${eventTable.logicalName}:${eventId}`, links, newCount());
  if (result.created) deps.log.info({ event: eventId, linked: result.created }, "media added after the event started linked back to it");
  return { linked: result.created, alreadyLinked: result.existing };
}

interface EventWindow {
  id: string;
  start: Date;
  end: Date | null;
}

/** Events with a start in the past whose end (or start, without one) is within [from, to]. */
async function eventsEnding(deps: SweepDeps, from: Date, to: Date): Promise<EventWindow[]> {
  const rows = await deps.dataverse.query(eventTable, {
    select: [V.id, V.startDate, V.endDate].map((c) => c.logicalName),
    filter: `${V.startDate.logicalName} le ${literal(deps.now?.() ?? new Date())} and (${V.endDate.logicalName} ge ${literal(from)} or (${V.endDate.logicalName} eq null and ${V.startDate.logicalName} ge ${literal(from)}))`,
  });
  return rows
    .map((row) => ({ id: String(row[V.id.logicalName]).toLowerCase(), start: new Date(String(row[V.startDate.logicalName])), end: row[V.endDate.logicalName] ? new Date(String(row[V.endDate.logicalName])) : null }))
    .filter((event) => !Number.isNaN(event.start.getTime()) && (event.end ?? event.start) <= to);
}

/** The event's collection (from its link row), or null when it has none. */
async function collectionOf(deps: SweepDeps, eventId: string): Promise<string | null> {
  const current = await deps.recordCollections.read({ entity: eventTable.logicalName, id: eventId });
  return current.link?.containerId ?? null;
}

async function sweepAll(deps: SweepDeps, events: readonly EventWindow[], after?: (event: EventWindow) => Promise<void>): Promise<SweepResult> {
  const result: SweepResult = { events: 0, linked: 0, alreadyLinked: 0 };
  for (const event of events) {
    const containerId = await collectionOf(deps, event.id);
    if (containerId) {
      const swept = await sweepEvent(deps, event.id, event.start, containerId);
      result.events += 1;
      result.linked += swept.linked;
      result.alreadyLinked += swept.alreadyLinked;
    }
    await after?.(event);
  }
  return result;
}

/** Daily: every event running now or ended at most `sweepDays` ago. */
export async function dailyEventSweep(deps: SweepDeps): Promise<SweepResult> {
  if (!(await hasEventTable(deps.dataverse))) return { events: 0, linked: 0, alreadyLinked: 0, skipped: "no Event table (Event Management is not installed)" };
  const now = deps.now?.() ?? new Date();
  const events = await eventsEnding(deps, new Date(now.getTime() - deps.sweepDays * DAY), new Date(8_640_000_000_000_000));
  const result = await sweepAll(deps, events);
  deps.log.info({ job: "event-sweep", ...result }, "daily event sweep finished");
  return result;
}

/** Once per event, the day after it ends: its last sweep (remembered by the event's end, so a moved end runs again). */
export async function postEventSweep(deps: SweepDeps): Promise<SweepResult> {
  if (!(await hasEventTable(deps.dataverse))) return { events: 0, linked: 0, alreadyLinked: 0, skipped: "no Event table (Event Management is not installed)" };
  const now = deps.now?.() ?? new Date();
  const ended = await eventsEnding(deps, new Date(now.getTime() - deps.sweepDays * DAY), new Date(now.getTime() - DAY));
  const due: EventWindow[] = [];
  const key = (event: EventWindow) => `post-event-sweep:${event.id}:${(event.end ?? event.start).toISOString()}`;
  for (const event of ended) if ((await deps.keys.get(key(event))) === null) due.push(event);
  const result = await sweepAll(deps, due, async (event) => {
    await deps.keys.put(key(event), now.toISOString());
  });
  deps.log.info({ job: "post-event-sweep", ...result }, "post-event sweep finished");
  return result;
}
