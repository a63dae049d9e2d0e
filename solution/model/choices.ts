/**
 * Global choices of our solutions, plus the Microsoft choices we read. Option values of ours use the
 * publisher's option value prefix (742100000 + n); Microsoft's keep their platform values.
 */
import { defineChoice } from "./types";

export const rightsStatus = defineChoice({
  name: "psh_rightsstatus",
  displayName: "Rights Status",
  global: true,
  origin: "core",
  options: {
    approved: { value: 742100000, label: "Approved" },
    expiring: { value: 742100001, label: "Expiring" },
    expired: { value: 742100002, label: "Expired" },
    restricted: { value: 742100003, label: "Restricted" },
    retired: { value: 742100004, label: "Retired" },
    unknown: { value: 742100005, label: "Unknown" },
  },
});

export const mediaType = defineChoice({
  name: "psh_mediatype",
  displayName: "Media Type",
  global: true,
  origin: "core",
  options: {
    image: { value: 742100000, label: "Image" },
    video: { value: 742100001, label: "Video" },
    audio: { value: 742100002, label: "Audio" },
    document: { value: 742100003, label: "Document" },
  },
});

export const linkType = defineChoice({
  name: "psh_linktype",
  displayName: "Link Type",
  global: true,
  origin: "core",
  options: {
    brand: { value: 742100000, label: "Brand" },
    evidence: { value: 742100001, label: "Evidence" },
    campaign: { value: 742100002, label: "Campaign" },
    event: { value: 742100003, label: "Event" },
    partner: { value: 742100004, label: "Partner" },
  },
});

export const linkSource = defineChoice({
  name: "psh_linksource",
  displayName: "Link Source",
  global: true,
  origin: "core",
  options: {
    manual: { value: 742100000, label: "Manual" },
    automatic: { value: 742100001, label: "Automatic" },
  },
});

export const containerKind = defineChoice({
  name: "psh_containerkind",
  displayName: "Container Kind",
  global: true,
  origin: "core",
  options: {
    collection: { value: 742100000, label: "Collection" },
    gallery: { value: 742100001, label: "Gallery" },
  },
});

export const syncStatus = defineChoice({
  name: "psh_syncstatus",
  displayName: "Sync Status",
  global: true,
  origin: "core",
  options: {
    pending: { value: 742100000, label: "Pending" },
    synced: { value: 742100001, label: "Synced" },
    failed: { value: 742100002, label: "Failed" },
  },
});

export const grantStatus = defineChoice({
  name: "psh_grantstatus",
  displayName: "Grant Status",
  global: true,
  origin: "core",
  options: {
    pending: { value: 742100000, label: "Pending" },
    granted: { value: 742100001, label: "Granted" },
    revoked: { value: 742100002, label: "Revoked" },
    failed: { value: 742100003, label: "Failed" },
  },
});

/** Industry segments of the PhotoShelter library (collections under Industries). */
export const industrySegment = defineChoice({
  name: "psh_industrysegment",
  displayName: "Industry Segment",
  global: true,
  origin: "core",
  options: {
    manufacturing: { value: 742100000, label: "Manufacturing" },
    healthcare: { value: 742100001, label: "Healthcare" },
    retail: { value: 742100002, label: "Retail" },
    energy: { value: 742100003, label: "Energy" },
    financialServices: { value: 742100004, label: "Financial Services" },
  },
});

export const region = defineChoice({
  name: "psh_region",
  displayName: "Region",
  global: true,
  origin: "core",
  options: {
    na: { value: 742100000, label: "NA" },
    emea: { value: 742100001, label: "EMEA" },
    apac: { value: 742100002, label: "APAC" },
  },
});

export const tier = defineChoice({
  name: "psh_tier",
  displayName: "Tier",
  global: true,
  origin: "core",
  options: {
    strategic: { value: 742100000, label: "Strategic" },
    enterprise: { value: 742100001, label: "Enterprise" },
    smb: { value: 742100002, label: "SMB" },
  },
});

export const productLine = defineChoice({
  name: "psh_productline",
  displayName: "Product Line",
  global: true,
  origin: "core",
  options: {
    aquila: { value: 742100000, label: "Aquila" },
    borealis: { value: 742100001, label: "Borealis" },
    cirrus: { value: 742100002, label: "Cirrus" },
    draco: { value: 742100003, label: "Draco" },
  },
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
