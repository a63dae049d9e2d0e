/**
 * S8 usage roll-up: turns the downloads the proxy counted and the views PhotoShelter counted into
 * psh_assetusage rows — one per asset, day and record (account, campaign or opportunity) — upserted
 * by the table's alternate key in $batch change sets of at most 100, so a rerun writes the same
 * numbers over the same rows.
 *
 * Downloads belong to the record they were made from (a case's to its customer account, a contact's
 * to its company). PhotoShelter exposes only a running total of views per asset: the roll-up reads it
 * for every asset linked to an account, campaign or opportunity, adds what grew since the last reading
 * to today, and counts those views on each record the asset is linked to. The first reading of an
 * asset is its baseline.
 *
 * Every step is resumable: the event cursor moves in the transaction that marks the (asset, day)
 * pairs to write, a view reading and its increase are stored together, and a pair leaves the to-do
 * list only once all its rows are written. A killed roll-up starts again where it stopped.
 */
import type { Logger } from "pino";
import { assetLink, assetUsage, choices, outOfBox } from "../../../solution/model";
import { anyOf, guid, type DataverseClient, type UpsertRow } from "../dataverse";
import type { Outcome, ScheduledJob } from "../jobs/registry";
import type { PhotoShelterClient, PsResource } from "../photoshelter/client";
import type { AssetDay, StateRepositories } from "../state";
import { mapLimited } from "./mapLimited";

export const USAGE_CURSOR = "usage-rollup:events";
/** Dataverse's limit for one change set is 1000; the product keeps them to 100. */
const CHANGE_SET = 100;
/** Pending pairs read per page. */
const PAGE = 1000;
/** PhotoShelter reads in flight while taking view readings. */
const READ_CONCURRENCY = 8;
/** Record ids per Dataverse query when finding the account of cases and contacts. */
const IDS_PER_QUERY = 50;

const U = assetUsage.columns;
const L = assetLink.columns;
const MEDIA_TYPE: Record<string, number> = {
  image: choices.mediaType.options.image.value,
  video: choices.mediaType.options.video.value,
  audio: choices.mediaType.options.audio.value,
  document: choices.mediaType.options.document.value,
  doc: choices.mediaType.options.document.value,
};

/** The usage table's lookups, by the record table they point at. */
const LOOKUPS: Record<string, { navigationProperty: string; entitySetName: string }> = Object.fromEntries(
  [U.accountId, U.campaignId, U.opportunityId].map((column) => {
    const target = column.targets[0];
    const table = [outOfBox.account, outOfBox.campaign, outOfBox.opportunity].find((t) => t.logicalName === target.table)!;
    return [target.table, { navigationProperty: target.navigationProperty, entitySetName: table.entitySetName }];
  }),
);

export interface ViewReading {
  /** PhotoShelter's running total of views of the asset. */
  views: number;
  mediaType: string | null;
}

export interface UsageRollupDeps {
  state: Pick<StateRepositories, "usage" | "cursors"> & { transaction<T>(work: (tx: StateRepositories) => Promise<T>): Promise<T> };
  dataverse: DataverseClient;
  /** The asset's views as PhotoShelter counts them now (never a cached answer); null when it does not know the asset. */
  readViews(assetId: string, signal: AbortSignal): Promise<ViewReading | null>;
  log: Logger;
  now?: () => Date;
}

const tableOf = (record: string) => record.slice(0, record.indexOf(":"));
const idOf = (record: string) => record.slice(record.indexOf(":") + 1);

/** Active links of assets to accounts, campaigns and opportunities: media id → record keys. */
async function linkedRecords(dataverse: DataverseClient): Promise<Map<string, string[]>> {
  const links = new Map<string, string[]>();
  for await (const page of dataverse.pages(assetLink, { select: [L.mediaId.logicalName, L.regardingKey.logicalName], filter: `${L.stateCode.logicalName} eq 0` })) {
    for (const row of page) {
      const media = String(row[L.mediaId.logicalName] ?? "");
      const record = String(row[L.regardingKey.logicalName] ?? "");
      if (!media || !(tableOf(record) in LOOKUPS)) continue;
      const list = links.get(media) ?? [];
      list.push(record);
      links.set(media, list);
    }
  }
  return links;
}

/** The account/campaign/opportunity a download's record counts for; cases and contacts by their account. */
class RecordAccounts {
  private readonly known = new Map<string, string | null>();

  constructor(private readonly dataverse: DataverseClient) {}

  async resolve(records: Iterable<string>): Promise<void> {
    const wanted = [...new Set(records)].filter((r) => !(tableOf(r) in LOOKUPS) && !this.known.has(r));
    const incidents = wanted.filter((r) => tableOf(r) === outOfBox.incident.logicalName).map(idOf);
    const contacts = wanted.filter((r) => tableOf(r) === outOfBox.contact.logicalName).map(idOf);
    for (const r of wanted) this.known.set(r, null);
    await this.lookup(outOfBox.incident, outOfBox.incident.columns.customerId.logicalName, incidents);
    await this.lookup(outOfBox.contact, outOfBox.contact.columns.parentCustomerId.logicalName, contacts);
  }

  /** The record key the usage row is about, or null when it counts for none. */
  target(record: string): string | null {
    return tableOf(record) in LOOKUPS ? record : (this.known.get(record) ?? null);
  }

  private async lookup(table: typeof outOfBox.incident | typeof outOfBox.contact, lookup: string, ids: string[]): Promise<void> {
    const value = `_${lookup}_value`;
    for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
      const chunk = ids.slice(start, start + IDS_PER_QUERY);
      const rows = await this.dataverse.query(table, { select: [table.primaryIdAttribute, value], filter: anyOf(table.primaryIdAttribute, chunk.map((id) => guid(id))), annotations: true });
      for (const row of rows) {
        const customer = row[value];
        const customerTable = row[`${value}@Microsoft.Dynamics.CRM.lookuplogicalname`];
        if (typeof customer === "string" && customerTable === outOfBox.account.logicalName) this.known.set(`${table.logicalName}:${String(row[table.primaryIdAttribute]).toLowerCase()}`, `account:${customer.toLowerCase()}`);
      }
    }
  }
}

/** One psh_assetusage row. */
function usageRow(pair: AssetDay, record: string, downloads: number, views: number, mediaType: string | null): UpsertRow {
  const lookup = LOOKUPS[tableOf(record)];
  const type = mediaType ? MEDIA_TYPE[mediaType.toLowerCase()] : undefined;
  return {
    key: { [U.mediaId.logicalName]: pair.assetId, [U.period.logicalName]: pair.day, [U.regardingKey.logicalName]: record },
    data: {
      [U.name.logicalName]: `${pair.assetId} ${pair.day}`,
      [U.periodStart.logicalName]: pair.day,
      [U.downloads.logicalName]: downloads,
      [U.views.logicalName]: views,
      [`${lookup.navigationProperty}@odata.bind`]: `/${lookup.entitySetName}(${idOf(record)})`,
      ...(type !== undefined ? { [U.mediaType.logicalName]: type } : {}),
    },
  };
}

export async function rollUpUsage(deps: UsageRollupDeps, signal: AbortSignal): Promise<Outcome> {
  const { state, dataverse, log } = deps;
  const today = (deps.now?.() ?? new Date()).toISOString().slice(0, 10);

  // 1. Downloads recorded since the last run mark their (asset, day) pairs, with the cursor, at once.
  const from = Number((await state.cursors.get(USAGE_CURSOR)) ?? 0);
  const upTo = await state.usage.lastEventId();
  if (upTo > from) {
    await state.transaction(async (tx) => {
      await tx.usage.markEvents(from, upTo);
      await tx.cursors.set(USAGE_CURSOR, String(upTo));
    });
  }

  // 2. Which records each asset is linked to, and 3. the views PhotoShelter counted since the last reading.
  const links = await linkedRecords(dataverse);
  const mediaTypes = new Map<string, string | null>();
  let viewsAdded = 0;
  let unknownAssets = 0;
  await mapLimited([...links.keys()], READ_CONCURRENCY, async (assetId) => {
    signal.throwIfAborted();
    const reading = await deps.readViews(assetId, signal);
    if (!reading) {
      unknownAssets++;
      return;
    }
    mediaTypes.set(assetId, reading.mediaType);
    viewsAdded += await state.usage.recordViews(assetId, reading.views, today);
  });

  // 4. Rows of every pending pair, sent in full change sets; a pair is done when all its rows are.
  const records = new RecordAccounts(dataverse);
  let buffer: { row: UpsertRow; pair: AssetDay }[] = [];
  const waiting = new Map<string, { pair: AssetDay; rows: number }>();
  let rows = 0;
  let changeSets = 0;
  let pairs = 0;
  const pairKey = (p: AssetDay) => `${p.assetId}|${p.day}`;
  const send = async (count: number) => {
    const part = buffer.slice(0, count);
    buffer = buffer.slice(count);
    signal.throwIfAborted();
    if (part.length > 0) {
      await dataverse.upsertMany(assetUsage, part.map((p) => p.row), CHANGE_SET);
      changeSets++;
      rows += part.length;
    }
    const finished: AssetDay[] = [];
    for (const { pair } of part) {
      const entry = waiting.get(pairKey(pair))!;
      if (--entry.rows === 0) {
        waiting.delete(pairKey(pair));
        finished.push(pair);
      }
    }
    await state.usage.donePending(finished);
  };

  let after: AssetDay | undefined;
  for (;;) {
    const page = await state.usage.pending(PAGE, after);
    if (page.length === 0) break;
    after = page[page.length - 1];
    pairs += page.length;
    const [downloads, views] = await Promise.all([state.usage.downloads(page), state.usage.views(page)]);
    await records.resolve(downloads.map((d) => d.record));
    const byPair = new Map<string, Map<string, number>>();
    for (const d of downloads) {
      const target = records.target(d.record);
      if (!target) continue;
      const counts = byPair.get(pairKey(d)) ?? new Map<string, number>();
      counts.set(target, (counts.get(target) ?? 0) + d.downloads);
      byPair.set(pairKey(d), counts);
    }
    const viewsOf = new Map(views.map((v) => [pairKey(v), v.views]));
    const empty: AssetDay[] = [];
    for (const pair of page) {
      const counts = byPair.get(pairKey(pair)) ?? new Map<string, number>();
      const pairViews = viewsOf.get(pairKey(pair)) ?? 0;
      const linked = pairViews > 0 ? (links.get(pair.assetId) ?? []) : [];
      const targets = new Set([...counts.keys(), ...linked]);
      if (targets.size === 0) {
        empty.push(pair);
        continue;
      }
      waiting.set(pairKey(pair), { pair, rows: targets.size });
      for (const record of targets) buffer.push({ pair, row: usageRow(pair, record, counts.get(record) ?? 0, linked.includes(record) ? pairViews : 0, mediaTypes.get(pair.assetId) ?? null) });
    }
    await state.usage.donePending(empty);
    while (buffer.length >= CHANGE_SET) await send(CHANGE_SET);
  }
  await send(buffer.length);

  const outcome = { events: Math.max(0, upTo - from), assetsRead: links.size - unknownAssets, unknownAssets, viewsAdded, pairs, rows, changeSets };
  log.info(outcome, "usage rolled up");
  return outcome;
}

/** The roll-up as a scheduled job of the runner. */
export function usageRollupJob(deps: UsageRollupDeps, schedule: string): ScheduledJob {
  return { name: "usage-rollup", schedule, run: (signal) => rollUpUsage(deps, signal) };
}

/** PhotoShelter's running view count of an asset, read past the cache; null for an asset it does not know. */
export function photoShelterViews(client: Pick<PhotoShelterClient, "fresh">): UsageRollupDeps["readViews"] {
  return async (assetId) => {
    const found = await client.fresh<{ data?: PsResource }>(`/media/${encodeURIComponent(assetId)}`);
    if (!found?.data) return null;
    const attributes = found.data.attributes ?? {};
    const views = Number(attributes.views ?? 0);
    const type = typeof attributes.type === "string" ? attributes.type : found.data.type;
    return { views: Number.isFinite(views) && views >= 0 ? views : 0, mediaType: typeof type === "string" ? type : null };
  };
}
