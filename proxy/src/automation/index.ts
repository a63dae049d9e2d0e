/**
 * The automation, assembled from the proxy's parts: the scenario handlers and scheduled jobs the job
 * runner runs (S1, S3, S5, S6, S7). The PhotoShelter and Dataverse work itself lives in the scenario
 * modules, which the control's routes call too.
 */
import type { Logger } from "pino";
import type { DataverseClient } from "../dataverse";
import { LibraryChanges } from "../photoshelter/changes";
import { GalleryAccess } from "../photoshelter/galleryAccess";
import type { PhotoShelterLibrary } from "../photoshelter/library";
import type { Directory } from "../policy/directory";
import type { StateRepositories } from "../state";
import type { EventHandler, ScheduledJob } from "../jobs/registry";
import { eventHandlers, scheduledJobs } from "./handlers";
import type { ReadCache } from "../upstream/readCache";
import type { RecordCollections } from "./recordCollection";
import type { AutomationSettings } from "./settings";

export interface AutomationParts {
  dataverse: DataverseClient;
  library: PhotoShelterLibrary;
  directory: Directory;
  recordCollections: RecordCollections;
  state: Pick<StateRepositories, "cursors" | "keys">;
  settings: AutomationSettings;
  /** PhotoShelter organization id (the change listing names it, as PhotoShelter's own clients do). */
  orgId: string;
  /** Host tables with a configured parent collection (campaign, msevtmgt_event). */
  collectionHosts: readonly string[];
  /** The access policy's cache: access rules are read once per POLICY_TTL_MS, not once per account. */
  policyCache: ReadCache;
  log: Logger;
}

export function automation(parts: AutomationParts): { handlers: EventHandler[]; jobs: ScheduledJob[] } {
  const deps = {
    dataverse: parts.dataverse,
    library: parts.library,
    changes: new LibraryChanges(parts.library.client, parts.orgId, parts.log),
    galleries: new GalleryAccess(parts.library.client),
    directory: {
      segment: (accountId: string) => parts.directory.segment(accountId),
      partnerGrants: (accountId: string) => parts.directory.partnerGrants(accountId),
      accessRules: () => parts.policyCache.get("rules", () => parts.directory.accessRules()),
    },
    recordCollections: parts.recordCollections,
    cursors: parts.state.cursors,
    keys: parts.state.keys,
    settings: parts.settings,
    collectionHosts: parts.collectionHosts,
    log: parts.log.child({ part: "automation" }),
  };
  return { handlers: eventHandlers(deps), jobs: scheduledJobs(deps) };
}
