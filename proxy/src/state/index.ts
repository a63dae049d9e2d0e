/** The state store seam: import from here. */
export { defaultStateUrl, parseStateUrl, StateError, type StateLocation } from "./location";
export { openStore, type OpenOptions, type StateRepositories, type StateStore } from "./store";
export type { Engine } from "./migrations";
export type { EventStatus } from "./schema";
export type { InboxEvent, NewEvent } from "./inbox";
export type { JobRecord, RunOutcome } from "./jobRecords";
export type { AssetDay, UsageEventInput } from "./usage";
