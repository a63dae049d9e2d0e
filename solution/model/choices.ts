/**
 * Global choices of our solutions, plus the Microsoft choices we read. Option values of ours use the
 * publisher's option value prefix (742100000 + n) and are written once, in names.ts (what the control
 * bundles); here they get their labels. Microsoft's keep their platform values.
 */
import * as values from "./names";
import { type ChoiceOption, defineChoice } from "./types";

/** Options from their values (names.ts) and labels: a label for every value, and no other. */
function labelled<O extends string>(optionValues: Readonly<Record<O, number>>, labels: Readonly<Record<O, string>>): { readonly [K in O]: ChoiceOption } {
  return Object.fromEntries((Object.keys(optionValues) as O[]).map((name) => [name, { value: optionValues[name], label: labels[name] }])) as { [K in O]: ChoiceOption };
}

export const rightsStatus = defineChoice({
  name: "psh_rightsstatus",
  displayName: "Rights Status",
  global: true,
  origin: "core",
  options: labelled(values.rightsStatusValues, { approved: "Approved", expiring: "Expiring", expired: "Expired", restricted: "Restricted", retired: "Retired", unknown: "Unknown" }),
});

export const mediaType = defineChoice({
  name: "psh_mediatype",
  displayName: "Media Type",
  global: true,
  origin: "core",
  options: labelled(values.mediaTypeValues, { image: "Image", video: "Video", audio: "Audio", document: "Document" }),
});

export const linkType = defineChoice({
  name: "psh_linktype",
  displayName: "Link Type",
  global: true,
  origin: "core",
  options: labelled(values.linkTypeValues, { brand: "Brand", evidence: "Evidence", campaign: "Campaign", event: "Event", partner: "Partner" }),
});

export const linkSource = defineChoice({
  name: "psh_linksource",
  displayName: "Link Source",
  global: true,
  origin: "core",
  options: labelled(values.linkSourceValues, { manual: "Manual", automatic: "Automatic" }),
});

export const containerKind = defineChoice({
  name: "psh_containerkind",
  displayName: "Container Kind",
  global: true,
  origin: "core",
  options: labelled(values.containerKindValues, { collection: "Collection", gallery: "Gallery" }),
});

export const syncStatus = defineChoice({
  name: "psh_syncstatus",
  displayName: "Sync Status",
  global: true,
  origin: "core",
  options: labelled(values.syncStatusValues, { pending: "Pending", synced: "Synced", failed: "Failed" }),
});

export const grantStatus = defineChoice({
  name: "psh_grantstatus",
  displayName: "Grant Status",
  global: true,
  origin: "core",
  options: labelled(values.grantStatusValues, { pending: "Pending", granted: "Granted", revoked: "Revoked", failed: "Failed" }),
});

/** Industry segments of the PhotoShelter library (collections under Industries). */
export const industrySegment = defineChoice({
  name: "psh_industrysegment",
  displayName: "Industry Segment",
  global: true,
  origin: "core",
  options: labelled(values.industrySegmentValues, { manufacturing: "Manufacturing", healthcare: "Healthcare", retail: "Retail", energy: "Energy", financialServices: "Financial Services" }),
});

export const region = defineChoice({
  name: "psh_region",
  displayName: "Region",
  global: true,
  origin: "core",
  options: labelled(values.regionValues, { na: "NA", emea: "EMEA", apac: "APAC" }),
});

export const tier = defineChoice({
  name: "psh_tier",
  displayName: "Tier",
  global: true,
  origin: "core",
  options: labelled(values.tierValues, { strategic: "Strategic", enterprise: "Enterprise", smb: "SMB" }),
});

export const productLine = defineChoice({
  name: "psh_productline",
  displayName: "Product Line",
  global: true,
  origin: "core",
  options: labelled(values.productLineValues, { aquila: "Aquila", borealis: "Borealis", cirrus: "Cirrus", draco: "Draco" }),
});

/** statecode/statuscode of our tables (the platform's standard pair for custom tables). */
export const customState = defineChoice({
  name: "statecode",
  displayName: "Status",
  global: false,
  origin: "core",
  options: { active: { value: 0, label: "Active" }, inactive: { value: 1, label: "Inactive" } },
});
export const customStatus = defineChoice({
  name: "statuscode",
  displayName: "Status Reason",
  global: false,
  origin: "core",
  options: { active: { value: 1, label: "Active" }, inactive: { value: 2, label: "Inactive" } },
});

/** The global choices our core solution ships (the packer emits these under `<optionsets>`). */
export const globalChoices = [
  rightsStatus,
  mediaType,
  linkType,
  linkSource,
  containerKind,
  syncStatus,
  grantStatus,
  industrySegment,
  region,
  tier,
  productLine,
] as const;
