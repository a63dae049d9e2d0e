/**
 * Usage (S8) as the store keeps it: every download and ZIP entry the proxy serves, the views
 * PhotoShelter counted (as deltas of its cumulative `views`, attributed to the day they were seen),
 * and the (asset, day) pairs whose psh_assetusage rows still have to be written. Totals are always
 * recomputed from these tables, so writing a pair twice writes the same numbers.
 */
import type { Kysely } from "kysely";
import type { StateDatabase } from "./schema";

export interface UsageEventInput {
  /** ISO time. */
  at: string;
  kind: string;
  assetId: string;
  userId: string;
  record: string;
  size: string;
}

export interface AssetDay {
  assetId: string;
  day: string;
}

/** Pairs per statement when filtering by (asset, day): keeps parameter lists well under both engines' limits. */
const CHUNK = 400;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class UsageStore {
  constructor(private readonly db: Kysely<StateDatabase>) {}

  async record(events: readonly UsageEventInput[]): Promise<void> {
    for (const part of chunks(events, 500)) {
      await this.db
        .insertInto("usage_events")
        .values(part.map((e) => ({ at: Date.parse(e.at), day: e.at.slice(0, 10), kind: e.kind, asset_id: e.assetId, user_id: e.userId, record: e.record, size: e.size })))
        .execute();
    }
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom("usage_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The latest events, newest first (for checks and support). */
  async recent(limit: number): Promise<UsageEventInput[]> {
    const rows = await this.db.selectFrom("usage_events").selectAll().orderBy("id", "desc").limit(limit).execute();
    return rows.map((row) => ({ at: new Date(Number(row.at)).toISOString(), kind: row.kind, assetId: row.asset_id, userId: row.user_id, record: row.record, size: row.size }));
  }

  async lastEventId(): Promise<number> {
    const row = await this.db.selectFrom("usage_events").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  /** Marks the (asset, day) pairs of events after `afterId` up to `upToId` as to be written. */
  async markEvents(afterId: number, upToId: number): Promise<void> {
    await this.db
      .insertInto("usage_pending")
      .columns(["asset_id", "day"])
      .expression((eb) => eb.selectFrom("usage_events").select(["asset_id", "day"]).distinct().where("id", ">", afterId).where("id", "<=", upToId))
      .onConflict((oc) => oc.columns(["asset_id", "day"]).doNothing())
      .execute();
  }

  /**
   * Takes PhotoShelter's cumulative view count for an asset: the first reading is the baseline;
   * later increases are added to `day` and the pair marked to be written. Returns the views added.
   */
  async recordViews(assetId: string, cumulative: number, day: string, now: number = Date.now()): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      // Write first, so SQLite takes its write lock at once instead of upgrading a read.
      await trx.insertInto("usage_view_marks").values({ asset_id: assetId, views_seen: cumulative, seen_at: now }).onConflict((oc) => oc.column("asset_id").doNothing()).execute();
      const mark = await trx.selectFrom("usage_view_marks").select("views_seen").where("asset_id", "=", assetId).executeTakeFirstOrThrow();
      const delta = cumulative - Number(mark.views_seen);
      if (delta === 0) return 0;
      await trx.updateTable("usage_view_marks").set({ views_seen: cumulative, seen_at: now }).where("asset_id", "=", assetId).execute();
      if (delta <= 0) return 0;
      await trx
        .insertInto("usage_views")
        .values({ asset_id: assetId, day, views: delta })
        .onConflict((oc) => oc.columns(["asset_id", "day"]).doUpdateSet((eb) => ({ views: eb("usage_views.views", "+", delta) })))
        .execute();
      await trx.insertInto("usage_pending").values({ asset_id: assetId, day }).onConflict((oc) => oc.columns(["asset_id", "day"]).doNothing()).execute();
      return delta;
    });
  }

  /** The next pairs to write, in a stable order; `after` continues from a previous page. */
  async pending(limit: number, after?: AssetDay): Promise<AssetDay[]> {
    let query = this.db.selectFrom("usage_pending").select(["asset_id", "day"]).orderBy("asset_id").orderBy("day").limit(limit);
    if (after) query = query.where((eb) => eb.or([eb("asset_id", ">", after.assetId), eb.and([eb("asset_id", "=", after.assetId), eb("day", ">", after.day)])]));
    return (await query.execute()).map((row) => ({ assetId: row.asset_id, day: row.day }));
  }

  async pendingCount(): Promise<number> {
    const row = await this.db.selectFrom("usage_pending").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async donePending(pairs: readonly AssetDay[]): Promise<void> {
    for (const part of chunks(pairs, CHUNK)) {
      await this.db
        .deleteFrom("usage_pending")
        .where(({ eb, refTuple, tuple }) => eb(refTuple("asset_id", "day"), "in", part.map((p) => tuple(p.assetId, p.day))))
        .execute();
    }
  }

  /** Downloads per (asset, day, record) for these pairs: totals over every event ever recorded. */
  async downloads(pairs: readonly AssetDay[]): Promise<{ assetId: string; day: string; record: string; downloads: number }[]> {
    const out: { assetId: string; day: string; record: string; downloads: number }[] = [];
    for (const part of chunks(pairs, CHUNK)) {
      const rows = await this.db
        .selectFrom("usage_events")
        .select((eb) => ["asset_id", "day", "record", eb.fn.countAll<number>().as("n")])
        .where(({ eb, refTuple, tuple }) => eb(refTuple("asset_id", "day"), "in", part.map((p) => tuple(p.assetId, p.day))))
        .groupBy(["asset_id", "day", "record"])
        .execute();
      out.push(...rows.map((row) => ({ assetId: row.asset_id, day: row.day, record: row.record, downloads: Number(row.n) })));
    }
    return out;
  }

  /** Views per (asset, day) for these pairs. */
  async views(pairs: readonly AssetDay[]): Promise<{ assetId: string; day: string; views: number }[]> {
    const out: { assetId: string; day: string; views: number }[] = [];
    for (const part of chunks(pairs, CHUNK)) {
      const rows = await this.db
        .selectFrom("usage_views")
        .select(["asset_id", "day", "views"])
        .where(({ eb, refTuple, tuple }) => eb(refTuple("asset_id", "day"), "in", part.map((p) => tuple(p.assetId, p.day))))
        .execute();
      out.push(...rows.map((row) => ({ assetId: row.asset_id, day: row.day, views: Number(row.views) })));
    }
    return out;
  }
}
