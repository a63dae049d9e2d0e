/**
 * What each Dataverse change the solution's webhook sends sets off (S1, S3, S5, S6, S7), and the
 * scheduled jobs: the runner calls these, they call the scenario modules. Every handler reads the
 * record as it is now rather than trusting the delivery's images for anything but "what changed",
 * so a replay or a late delivery redoes the same, idempotent work.
 */
import type { Logger } from "pino";
import { choices, event as eventTable, outOfBox, regardingKey } from "../../../solution/model";
import { type AttributeValue, type DataverseChange, type DataverseClient, guid } from "../dataverse";
import type { GalleryAccess } from "../photoshelter/galleryAccess";
import type { LibraryChanges } from "../photoshelter/changes";
import type { PhotoShelterLibrary } from "../photoshelter/library";
import type { EventHandler, Outcome, ScheduledJob } from "../jobs/registry";
import type { Directory } from "../policy/directory";
import type { Cursors, IdempotencyKeys } from "../state/records";
import { autoLinkAccount } from "./autoLink";
import { dailyEventSweep, postEventSweep } from "./eventSweep";
import { customerAccount, reconcilePartners, syncPartner } from "./partnerGalleries";
import type { RecordCollections } from "./recordCollection";
import { checkLinkedAssets } from "./assetExistence";
import { clearReview, flagForReview, reviewReasons, withProductLine } from "./reviewFlags";
import { recomputeCalendarStates, syncRights } from "./rightsSync";
import type { AutomationSettings } from "./settings";

export interface AutomationDeps {
  dataverse: DataverseClient;
  library: Pick<PhotoShelterLibrary, "search" | "asset" | "descendants">;
  changes: LibraryChanges;
  galleries: GalleryAccess;
  directory: Pick<Directory, "segment" | "accessRules" | "partnerGrants">;
  recordCollections: Pick<RecordCollections, "sync" | "read">;
  cursors: Pick<Cursors, "get" | "set">;
  keys: Pick<IdempotencyKeys, "get" | "put">;
  settings: AutomationSettings;
  /** The host tables whose records get their own collection (a configured parent): campaign, msevtmgt_event. */
  collectionHosts: readonly string[];
  log: Logger;
  now?: () => Date;
}

const { account, campaign, opportunity, entitlement } = outOfBox;
const CAMPAIGN_STATUS = outOfBox.campaignStatus.options;
const ENDED_CAMPAIGN = new Set<number>([CAMPAIGN_STATUS.completed.value, CAMPAIGN_STATUS.canceled.value, CAMPAIGN_STATUS.inactive.value]);
const WON = outOfBox.opportunityState.options.won.value;
const SEGMENT_COLUMNS = [account.columns.industryCode, account.columns.region, account.columns.tier, account.columns.productLines].map((c) => c.logicalName);
const PARTNER_COLUMNS = [account.columns.customerTypeCode, account.columns.partnerGroupId].map((c) => c.logicalName);
const productLineLabel = (value: number) => Object.values(choices.productLine.options).find((option) => option.value === value)?.label ?? null;

/** The columns a change touched: those whose image values differ, or (no images) those the request set. */
export function changedColumns(change: DataverseChange): Set<string> {
  if (change.preImage && change.postImage) {
    const names = new Set([...Object.keys(change.preImage), ...Object.keys(change.postImage)]);
    return new Set([...names].filter((name) => JSON.stringify(change.preImage![name] ?? null) !== JSON.stringify(change.postImage![name] ?? null)));
  }
  return new Set(Object.keys(change.target));
}

const numbers = (value: AttributeValue | undefined): number[] => (Array.isArray(value) ? value : typeof value === "number" ? [value] : []);

function campaignEnded(values: Record<string, AttributeValue> | null): boolean {
  if (!values) return false;
  const status = values[campaign.columns.statusCode.logicalName];
  const state = values[campaign.columns.stateCode.logicalName];
  return (typeof status === "number" && ENDED_CAMPAIGN.has(status)) || state === 1;
}

/** Is the campaign ended now (read from Dataverse, not from a possibly late delivery)? */
async function endedNow(deps: AutomationDeps, id: string): Promise<{ ended: boolean; name: string }> {
  const row = await deps.dataverse.retrieve(campaign, guid(id), { select: [campaign.columns.name.logicalName, campaign.columns.statusCode.logicalName, campaign.columns.stateCode.logicalName] });
  return { ended: !!row && campaignEnded(row as Record<string, AttributeValue>), name: String(row?.[campaign.columns.name.logicalName] ?? id) };
}

function reviewDeps(deps: AutomationDeps) {
  return { dataverse: deps.dataverse, changes: deps.changes, library: deps.library, reviewField: deps.settings.reviewField, reviewValue: deps.settings.reviewValue, log: deps.log, now: deps.now };
}

const labels = (values: readonly number[]) => values.map(productLineLabel).filter((label): label is string => label !== null);

/**
 * The record's product lines changed: links to assets of lines it no longer has are flagged for
 * review, and links flagged because a line was retired lose the flag when that line is back.
 */
async function reviewProductLines(deps: AutomationDeps, table: string, what: string, id: string, retiredValues: readonly number[], addedValues: readonly number[]): Promise<Outcome> {
  const retired = labels(retiredValues);
  const added = labels(addedValues);
  if (retired.length === 0 && added.length === 0) return { skipped: "no product line retired or added" };
  const regarding = regardingKey(table, id);
  const outcome: Outcome = {};
  if (added.length > 0) {
    const ofAdded = withProductLine(deps, added);
    outcome.restored = { ...(await clearReview(reviewDeps(deps), regarding, (row) => reviewReasons.isProductLineRetired(row.reviewReason) && ofAdded(row))) };
  }
  if (retired.length > 0) outcome.retired = { ...(await flagForReview(reviewDeps(deps), regarding, reviewReasons.productLinesRetired(retired, what), withProductLine(deps, retired))) };
  return outcome;
}

function partnerDeps(deps: AutomationDeps) {
  return { dataverse: deps.dataverse, galleries: deps.galleries, defaultGalleryIds: deps.settings.partnerGalleryIds, log: deps.log, now: deps.now };
}

function autoLinkDeps(deps: AutomationDeps) {
  return { dataverse: deps.dataverse, library: deps.library, directory: deps.directory, max: deps.settings.autoLinkMax, log: deps.log, now: deps.now };
}

/** An account Update handler that works only when one of `columns` changed. */
function onAccountColumns(name: string, columns: readonly string[], what: string, work: (accountId: string) => Promise<object>): EventHandler {
  return {
    name,
    table: account.logicalName,
    messages: ["Update"],
    async handle(change) {
      const changed = changedColumns(change);
      if (!columns.some((column) => changed.has(column))) return { skipped: `no ${what} column changed` };
      return { ...(await work(change.id)) };
    },
  };
}

export function eventHandlers(deps: AutomationDeps): EventHandler[] {
  const handlers: EventHandler[] = [];
  const collection = (table: string, name: string): EventHandler => ({
    name,
    table,
    messages: ["Create", "Update"],
    async handle(change) {
      const { created, value } = await deps.recordCollections.sync({ entity: table, id: change.id });
      return { created, containerId: value.link?.containerId ?? null, syncStatus: value.link?.syncStatus ?? null };
    },
  });

  // S3: a campaign's collection, and its assets flagged for review when it ends.
  if (deps.collectionHosts.includes(campaign.logicalName)) handlers.push(collection(campaign.logicalName, "campaign-collection"));
  handlers.push({
    name: "campaign-ended-review",
    table: campaign.logicalName,
    messages: ["Update"],
    async handle(change) {
      if (!campaignEnded(change.postImage ?? change.target) || campaignEnded(change.preImage)) return { skipped: "the campaign did not end in this change" };
      const now = await endedNow(deps, change.id);
      if (!now.ended) return { skipped: "the campaign is no longer ended" };
      return { ...(await flagForReview(reviewDeps(deps), regardingKey(campaign.logicalName, change.id), reviewReasons.campaignEnded(now.name))) };
    },
  });
  // S5 undone: a campaign active again takes the review its end put on its links.
  handlers.push({
    name: "campaign-reactivated-review",
    table: campaign.logicalName,
    messages: ["Update"],
    async handle(change) {
      const changed = changedColumns(change);
      const status = [campaign.columns.statusCode.logicalName, campaign.columns.stateCode.logicalName];
      if (!status.some((column) => changed.has(column)) || campaignEnded(change.postImage ?? change.target)) return { skipped: "the campaign did not become active in this change" };
      if ((await endedNow(deps, change.id)).ended) return { skipped: "the campaign is ended again" };
      return { ...(await clearReview(reviewDeps(deps), regardingKey(campaign.logicalName, change.id), (row) => reviewReasons.isCampaignEnded(row.reviewReason))) };
    },
  });

  // S7: an event's collection (only where Event Management is installed: its webhooks come only from there).
  if (deps.collectionHosts.includes(eventTable.logicalName)) handlers.push(collection(eventTable.logicalName, "event-collection"));

  // S1: an account whose segment changed gets its matching assets.
  handlers.push(onAccountColumns("account-auto-link", SEGMENT_COLUMNS, "segment", (id) => autoLinkAccount(autoLinkDeps(deps), id)));
  // S5: product lines the account no longer has put the assets of those lines under review.
  handlers.push({
    name: "account-product-line-review",
    table: account.logicalName,
    messages: ["Update"],
    async handle(change) {
      const column = account.columns.productLines.logicalName;
      if (!changedColumns(change).has(column)) return { skipped: "the product lines did not change" };
      const before = numbers(change.preImage?.[column]);
      const after = numbers(change.postImage?.[column] ?? change.target[column]);
      return reviewProductLines(deps, account.logicalName, "account", change.id, before.filter((value) => !after.includes(value)), after.filter((value) => !before.includes(value)));
    },
  });
  // S6: an account that became (or stopped being) a partner, or changed its contact group.
  handlers.push(onAccountColumns("account-partner-galleries", PARTNER_COLUMNS, "partner", (id) => syncPartner(partnerDeps(deps), id)));

  // S1: a won opportunity links the matching assets to its account.
  handlers.push({
    name: "opportunity-won-auto-link",
    table: opportunity.logicalName,
    messages: ["Update"],
    async handle(change) {
      const state = opportunity.columns.stateCode.logicalName;
      if ((change.postImage?.[state] ?? change.target[state]) !== WON || change.preImage?.[state] === WON) return { skipped: "the opportunity was not won in this change" };
      const row = await deps.dataverse.retrieve(opportunity, guid(change.id), { select: [state, `_${opportunity.columns.parentAccountId.logicalName}_value`] });
      const accountId = row?.[`_${opportunity.columns.parentAccountId.logicalName}_value`];
      if (!row || row[state] !== WON || typeof accountId !== "string") return { skipped: "the opportunity is not won now, or has no account" };
      return { account: accountId, ...(await autoLinkAccount(autoLinkDeps(deps), accountId)) };
    },
  });
  // S5: the product line an opportunity no longer has puts its assets of that line under review.
  handlers.push({
    name: "opportunity-product-line-review",
    table: opportunity.logicalName,
    messages: ["Update"],
    async handle(change) {
      const column = opportunity.columns.productLine.logicalName;
      const before = change.preImage?.[column];
      const after = change.postImage?.[column] ?? change.target[column] ?? null;
      if (before === after) return { skipped: "the product line did not change" };
      return reviewProductLines(deps, opportunity.logicalName, "opportunity", change.id, typeof before === "number" ? [before] : [], typeof after === "number" ? [after] : []);
    },
  });

  // S6: an entitlement created, changed or deleted: its account's galleries follow.
  handlers.push({
    name: "entitlement-partner-galleries",
    table: entitlement.logicalName,
    messages: ["Create", "Update", "Delete"],
    async handle(change) {
      const customer = entitlement.columns.customerId.logicalName;
      let accountId = customerAccount(change.postImage?.[customer] ?? change.preImage?.[customer] ?? change.target[customer]);
      if (!accountId && change.message !== "Delete") {
        const row = await deps.dataverse.retrieve(entitlement, guid(change.id), { select: [`_${customer}_value`], annotations: true });
        const lookupTable = row?.[`_${customer}_value@Microsoft.Dynamics.CRM.lookuplogicalname`];
        accountId = lookupTable === account.logicalName ? String(row?.[`_${customer}_value`]) : null;
      }
      if (!accountId) return { skipped: "the entitlement is not an account's" };
      return { account: accountId, ...(await syncPartner(partnerDeps(deps), accountId)) };
    },
  });
  return handlers;
}

export function scheduledJobs(deps: AutomationDeps): ScheduledJob[] {
  const { schedules } = deps.settings;
  const sweep = { dataverse: deps.dataverse, library: deps.library, recordCollections: deps.recordCollections, keys: deps.keys, sweepDays: deps.settings.eventSweepDays, log: deps.log, now: deps.now };
  return [
    {
      name: "rights-sync",
      schedule: schedules.rightsSync,
      run: async (signal) => ({ ...(await syncRights({ dataverse: deps.dataverse, changes: deps.changes, cursors: deps.cursors, log: deps.log, now: deps.now, pageSize: deps.settings.rightsSyncPageSize }, signal)) }),
    },
    { name: "rights-calendar", schedule: schedules.rightsCalendar, run: async () => ({ ...(await recomputeCalendarStates(deps)) }) },
    { name: "asset-existence", schedule: schedules.assetExistence, run: async () => ({ ...(await checkLinkedAssets(deps)) }) },
    { name: "event-sweep", schedule: schedules.eventSweep, run: async () => ({ ...(await dailyEventSweep(sweep)) }) },
    // Hourly: an event's last sweep comes within an hour of its end plus a day.
    { name: "post-event-sweep", schedule: "20 * * * *", run: async () => ({ ...(await postEventSweep(sweep)) }) },
    { name: "partner-reconcile", schedule: schedules.partnerReconcile, run: async () => ({ ...(await reconcilePartners(partnerDeps(deps))) }) },
  ];
}
