/**
 * Deterministic GUIDs for demo rows: `<table tag>-0000-4000-8000-<n>`, so tests, the workbench and
 * the issuer's dev users can name rows without looking them up, and every run has the same ids.
 */
const TAGS = {
  account: "a0000000",
  contact: "c0000000",
  incident: "1c000000",
  campaign: "ca000000",
  opportunity: "0b000000",
  event: "e0000000",
  systemuser: "5e000000",
  aadobject: "0d000000",
  businessunit: "b0000000",
  entitlement: "e1000000",
  assetlink: "a1000000",
  collectionlink: "c1000000",
  accessrule: "a2000000",
  partnergrant: "9a000000",
  assetusage: "a3000000",
  role: "20000000",
  team: "7ea00000",
} as const;

export type DemoTag = keyof typeof TAGS;

export function demoId(tag: DemoTag, n: number): string {
  return `${TAGS[tag]}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

/** Fake tenant id every mock token carries. */
export const DEMO_TENANT_ID = "7e000000-0000-4000-8000-00000000d365";
