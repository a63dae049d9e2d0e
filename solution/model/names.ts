/**
 * The names and option values of the data model, without display names, descriptions or builders:
 * all the control's bundle carries of the model. The full definitions (assetLink.ts, choices.ts, …)
 * are built on these, so every name and value is still written once. A table the control reads or
 * writes gets its names here (the bundle budget test allows only this file and targets.ts).
 */
import { account, campaign, event, incident, opportunity } from "./targets";

/** The platform's rule: a logical name is the schema name in lower case. */
export function logicalNameOf<S extends string>(schemaName: S): Lowercase<S> {
  return schemaName.toLowerCase() as Lowercase<S>;
}

/** The logical names of a set of columns given by schema name. */
export function logicalNames<T extends Record<string, string>>(schemaNames: T): { readonly [K in keyof T]: Lowercase<T[K]> } {
  return Object.fromEntries(Object.entries(schemaNames).map(([key, schemaName]) => [key, logicalNameOf(schemaName)])) as { [K in keyof T]: Lowercase<T[K]> };
}

// Option values of our global choices: the publisher's option value prefix 74210, then n (742100000 + n).
export const rightsStatusValues = { approved: 742100000, expiring: 742100001, expired: 742100002, restricted: 742100003, retired: 742100004, unknown: 742100005 } as const;
export const mediaTypeValues = { image: 742100000, video: 742100001, audio: 742100002, document: 742100003 } as const;
export const linkTypeValues = { brand: 742100000, evidence: 742100001, campaign: 742100002, event: 742100003, partner: 742100004 } as const;
export const linkSourceValues = { manual: 742100000, automatic: 742100001 } as const;
export const containerKindValues = { collection: 742100000, gallery: 742100001 } as const;
export const syncStatusValues = { pending: 742100000, synced: 742100001, failed: 742100002 } as const;
export const grantStatusValues = { pending: 742100000, granted: 742100001, revoked: 742100002, failed: 742100003 } as const;
export const industrySegmentValues = { manufacturing: 742100000, healthcare: 742100001, retail: 742100002, energy: 742100003, financialServices: 742100004 } as const;
export const regionValues = { na: 742100000, emea: 742100001, apac: 742100002 } as const;
export const tierValues = { strategic: 742100000, enterprise: 742100001, smb: 742100002 } as const;
export const productLineValues = { aquila: 742100000, borealis: 742100001, cirrus: 742100002, draco: 742100003 } as const;

/** Schema names of the platform columns every table of ours has (logical names are the lower case). */
export const systemColumnNames = { createdOn: "CreatedOn", modifiedOn: "ModifiedOn", createdBy: "createdby", modifiedBy: "modifiedby" } as const;

/** psh_assetlink (assetLink.ts has the full definition). */
export const assetLinkNames = {
  logicalName: "psh_assetlink",
  schemaName: "psh_AssetLink",
  entitySetName: "psh_assetlinks",
  primaryIdAttribute: "psh_assetlinkid",
  primaryNameAttribute: "psh_name",
  /** Schema names of its own columns. */
  columns: {
    name: "psh_Name",
    mediaId: "psh_MediaId",
    mediaType: "psh_MediaType",
    fileName: "psh_FileName",
    thumbnailUrl: "psh_ThumbnailUrl",
    linkType: "psh_LinkType",
    rightsStatus: "psh_RightsStatus",
    usageRights: "psh_UsageRights",
    expiresOn: "psh_ExpiresOn",
    version: "psh_Version",
    lastSyncedOn: "psh_LastSyncedOn",
    source: "psh_Source",
    needsReview: "psh_NeedsReview",
    regardingKey: "psh_RegardingKey",
  },
  /** Lookups to the records an asset is linked to: schema name (= single-valued navigation property) and target. Event's comes with the Event Management solution (eventManagement.ts). */
  lookups: {
    accountId: { schemaName: "psh_AccountId", target: account },
    incidentId: { schemaName: "psh_IncidentId", target: incident },
    campaignId: { schemaName: "psh_CampaignId", target: campaign },
    opportunityId: { schemaName: "psh_OpportunityId", target: opportunity },
    eventId: { schemaName: "psh_EventId", target: event },
  },
} as const;

/** psh_collectionlink (collectionLink.ts has the full definition). */
export const collectionLinkNames = {
  logicalName: "psh_collectionlink",
  schemaName: "psh_CollectionLink",
  entitySetName: "psh_collectionlinks",
  primaryIdAttribute: "psh_collectionlinkid",
  primaryNameAttribute: "psh_name",
  columns: {
    name: "psh_Name",
    containerId: "psh_ContainerId",
    containerKind: "psh_ContainerKind",
    purpose: "psh_Purpose",
    syncStatus: "psh_SyncStatus",
    lastSyncedOn: "psh_LastSyncedOn",
    lastError: "psh_LastError",
    regardingKey: "psh_RegardingKey",
  },
  lookups: {
    accountId: { schemaName: "psh_AccountId", target: account },
    incidentId: { schemaName: "psh_IncidentId", target: incident },
    campaignId: { schemaName: "psh_CampaignId", target: campaign },
    eventId: { schemaName: "psh_EventId", target: event },
  },
} as const;

/** psh_signinrequest (signInRequest.ts has the full definition). */
export const signInRequestNames = {
  logicalName: "psh_signinrequest",
  schemaName: "psh_SignInRequest",
  entitySetName: "psh_signinrequests",
  primaryIdAttribute: "psh_signinrequestid",
  primaryNameAttribute: "psh_challenge",
  columns: { challenge: "psh_Challenge" },
} as const;

/** Schema names of the environment variables (environmentVariables.ts has the definitions). */
export const environmentVariableNames = { proxyBaseUrl: "psh_ProxyBaseUrl", proxyTokenAudience: "psh_ProxyTokenAudience" } as const;
