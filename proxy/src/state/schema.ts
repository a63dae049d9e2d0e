/**
 * The tables of the state store as Kysely sees them. Times are epoch milliseconds (BIGINT on
 * PostgreSQL, read back as numbers), flags are 0/1 integers, JSON is text: one shape on both engines.
 */
import type { Generated } from "kysely";

export type EventStatus = "pending" | "running" | "done" | "parked";

/** Dataverse webhook deliveries, deduplicated: the durable inbox the runner drains. */
export interface InboxTable {
  id: Generated<number>;
  /** Operation id + message + table + record: a redelivery of the same change has the same key. */
  dedupe_key: string;
  message: string;
  table_name: string;
  record_id: string;
  correlation_id: string;
  /** When the change happened in Dataverse (events of one record are handled in this order). */
  operation_at: number;
  received_at: number;
  /** The RemoteExecutionContext as received. */
  body: string;
  status: EventStatus;
  attempts: number;
  available_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  /** JSON object: what each handler that finished this event reported (a retry skips those). */
  handler_results: string;
  last_error: string | null;
  finished_at: number | null;
}

/** One row per scheduled job: its schedule, the next tick, the lease of whoever runs it, the last outcome. */
export interface JobTable {
  name: string;
  schedule: string;
  next_run_at: number;
  run_requested: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_started_at: number | null;
  last_finished_at: number | null;
  last_outcome: string | null;
  last_error: string | null;
  /** JSON counts the job reported for its last run. */
  last_result: string | null;
  runs: number;
  failures: number;
  consecutive_failures: number;
}

export interface CursorTable {
  name: string;
  value: string;
  updated_at: number;
}

export interface KeyTable {
  key: string;
  value: string;
  created_at: number;
}

export interface UsageEventTable {
  id: Generated<number>;
  at: number;
  /** UTC day YYYY-MM-DD. */
  day: string;
  kind: string;
  asset_id: string;
  user_id: string;
  /** The host record, `<table>:<guid>`. */
  record: string;
  size: string;
}

/** Views PhotoShelter counted for an asset, attributed to the day the roll-up saw them. */
export interface UsageViewTable {
  asset_id: string;
  day: string;
  views: number;
}

/** The cumulative `views` last read from PhotoShelter per asset (the next read's baseline). */
export interface UsageViewMarkTable {
  asset_id: string;
  views_seen: number;
  seen_at: number;
}

/** (asset, day) pairs whose psh_assetusage rows must be written (again). */
export interface UsagePendingTable {
  asset_id: string;
  day: string;
}

export interface StateDatabase {
  state_inbox: InboxTable;
  state_jobs: JobTable;
  state_cursors: CursorTable;
  state_keys: KeyTable;
  usage_events: UsageEventTable;
  usage_views: UsageViewTable;
  usage_view_marks: UsageViewMarkTable;
  usage_pending: UsagePendingTable;
}
