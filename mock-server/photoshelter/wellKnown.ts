/**
 * Fixed ids and vocabularies of the mock PhotoShelter library. Demo data elsewhere (Dataverse access
 * rules, partner grants, campaign links) points at these ids, so they never depend on the seed.
 * Every id is 16 characters, in PhotoShelter's formats (C0000…, G0000…, O0000…, U0000…).
 */

export const ORGANIZATION = { id: "O0000Mock0Brand1", name: "Contoso Brand Library" } as const;
export const MEMBER_USER = { id: "U0000MockAdmin01", firstName: "Brand", lastName: "Admin" } as const;

export const PRODUCT_LINES = ["Aquila", "Borealis", "Cirrus", "Draco"] as const;
export const TIERS = ["Strategic", "Enterprise", "SMB"] as const;
export const REGIONS = ["NA", "EMEA", "APAC"] as const;
export const INDUSTRIES = ["Manufacturing", "Healthcare", "Retail", "Energy", "Financial Services"] as const;
export const APPROVAL_STATUSES = ["approved", "pending", "rejected", "retired"] as const;

export type ProductLine = (typeof PRODUCT_LINES)[number];
export type Tier = (typeof TIERS)[number];
export type Region = (typeof REGIONS)[number];
export type Industry = (typeof INDUSTRIES)[number];
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const COLLECTIONS = {
  brand: "C000000000000001",
  brandLogos: "C000000000000002",
  brandProductImagery: "C000000000000003",
  regions: "C000000000000010",
  regionNorthAmerica: "C000000000000011",
  regionEmea: "C000000000000012",
  regionApac: "C000000000000013",
  industries: "C000000000000020",
  industryManufacturing: "C000000000000021",
  industryHealthcare: "C000000000000022",
  industryRetail: "C000000000000023",
  industryEnergy: "C000000000000024",
  industryFinancialServices: "C000000000000025",
  campaigns: "C000000000000030",
  events: "C000000000000040",
  partners: "C000000000000050",
  caseEvidence: "C000000000000060",
} as const;

/** The collection that holds a region's or an industry's galleries (segment access rules point here). */
export const REGION_COLLECTION: Record<Region, string> = {
  NA: COLLECTIONS.regionNorthAmerica,
  EMEA: COLLECTIONS.regionEmea,
  APAC: COLLECTIONS.regionApac,
};
export const INDUSTRY_COLLECTION: Record<Industry, string> = {
  Manufacturing: COLLECTIONS.industryManufacturing,
  Healthcare: COLLECTIONS.industryHealthcare,
  Retail: COLLECTIONS.industryRetail,
  Energy: COLLECTIONS.industryEnergy,
  "Financial Services": COLLECTIONS.industryFinancialServices,
};

export interface WellKnownCollection {
  id: string;
  name: string;
  description: string;
  parentId: string | null;
  mode: "private" | "permission" | "everyone";
}

export const COLLECTION_TREE: readonly WellKnownCollection[] = [
  { id: COLLECTIONS.brand, name: "Brand", description: "Approved brand assets: logos and product imagery.", parentId: null, mode: "permission" },
  { id: COLLECTIONS.brandLogos, name: "Logos", description: "Corporate and product-line logos.", parentId: COLLECTIONS.brand, mode: "permission" },
  { id: COLLECTIONS.brandProductImagery, name: "Product Imagery", description: "Product photography per product line.", parentId: COLLECTIONS.brand, mode: "permission" },
  { id: COLLECTIONS.regions, name: "Regions", description: "Regional sales collateral and customer stories.", parentId: null, mode: "permission" },
  { id: COLLECTIONS.regionNorthAmerica, name: "North America", description: "Assets cleared for North America.", parentId: COLLECTIONS.regions, mode: "permission" },
  { id: COLLECTIONS.regionEmea, name: "EMEA", description: "Assets cleared for Europe, the Middle East and Africa.", parentId: COLLECTIONS.regions, mode: "permission" },
  { id: COLLECTIONS.regionApac, name: "APAC", description: "Assets cleared for Asia-Pacific.", parentId: COLLECTIONS.regions, mode: "permission" },
  { id: COLLECTIONS.industries, name: "Industries", description: "Industry-specific imagery and documents.", parentId: null, mode: "permission" },
  { id: COLLECTIONS.industryManufacturing, name: "Manufacturing", description: "Factories, production lines, field service.", parentId: COLLECTIONS.industries, mode: "permission" },
  { id: COLLECTIONS.industryHealthcare, name: "Healthcare", description: "Hospitals, labs and clinical settings.", parentId: COLLECTIONS.industries, mode: "permission" },
  { id: COLLECTIONS.industryRetail, name: "Retail", description: "Stores, shelves and shoppers.", parentId: COLLECTIONS.industries, mode: "permission" },
  { id: COLLECTIONS.industryEnergy, name: "Energy", description: "Wind, solar, grid and oil and gas.", parentId: COLLECTIONS.industries, mode: "permission" },
  { id: COLLECTIONS.industryFinancialServices, name: "Financial Services", description: "Banking, insurance and trading floors.", parentId: COLLECTIONS.industries, mode: "permission" },
  { id: COLLECTIONS.campaigns, name: "Campaigns", description: "One collection or gallery per marketing campaign.", parentId: null, mode: "private" },
  { id: COLLECTIONS.events, name: "Events", description: "Booth graphics, headshots and photos per event.", parentId: null, mode: "private" },
  { id: COLLECTIONS.partners, name: "Partners", description: "Galleries shared with partner accounts.", parentId: null, mode: "permission" },
  { id: COLLECTIONS.caseEvidence, name: "Case Evidence", description: "Photos uploaded by service agents as case evidence.", parentId: null, mode: "private" },
];

/** What a gallery is for; the generator places assets into galleries by this and the asset's metadata. */
export type GalleryPurpose =
  | { kind: "logos" }
  | { kind: "product"; productLine: ProductLine }
  | { kind: "region"; region: Region }
  | { kind: "industry"; industry: Industry }
  | { kind: "campaign" }
  | { kind: "event" }
  | { kind: "partner" }
  | { kind: "caseEvidence" }
  /** Public (`everyone`): filled by rule with the approved logos, not drawn like the others. */
  | { kind: "press" };

export interface WellKnownGallery {
  id: string;
  name: string;
  parentId: string;
  purpose: GalleryPurpose;
}

const gallery = (n: number): string => `G${String(n).padStart(15, "0")}`;

export const GALLERIES = {
  corporateLogos: gallery(101),
  productLineLogos: gallery(102),
  pressLogos: gallery(103),
  caseEvidenceInbox: gallery(601),
} as const;

const REGION_NAMES: Record<Region, string> = { NA: "North America", EMEA: "EMEA", APAC: "APAC" };

export const GALLERY_LIST: readonly WellKnownGallery[] = [
  { id: GALLERIES.corporateLogos, name: "Corporate Logos", parentId: COLLECTIONS.brandLogos, purpose: { kind: "logos" } },
  { id: GALLERIES.productLineLogos, name: "Product Line Logos", parentId: COLLECTIONS.brandLogos, purpose: { kind: "logos" } },
  ...PRODUCT_LINES.map((productLine, i): WellKnownGallery => ({
    id: gallery(111 + i),
    name: `${productLine} Product Imagery`,
    parentId: COLLECTIONS.brandProductImagery,
    purpose: { kind: "product", productLine },
  })),
  ...REGIONS.flatMap((region, r): WellKnownGallery[] => [
    { id: gallery(201 + r * 10), name: `${REGION_NAMES[region]} Sales Collateral`, parentId: REGION_COLLECTION[region], purpose: { kind: "region", region } },
    { id: gallery(202 + r * 10), name: `${REGION_NAMES[region]} Customer Stories`, parentId: REGION_COLLECTION[region], purpose: { kind: "region", region } },
  ]),
  ...INDUSTRIES.flatMap((industry, i): WellKnownGallery[] => [
    { id: gallery(301 + i * 10), name: `${industry} Imagery`, parentId: INDUSTRY_COLLECTION[industry], purpose: { kind: "industry", industry } },
    { id: gallery(302 + i * 10), name: `${industry} Documents and Video`, parentId: INDUSTRY_COLLECTION[industry], purpose: { kind: "industry", industry } },
  ]),
  { id: gallery(401), name: "Spring Launch 2026", parentId: COLLECTIONS.campaigns, purpose: { kind: "campaign" } },
  { id: gallery(402), name: "Borealis Go-To-Market", parentId: COLLECTIONS.campaigns, purpose: { kind: "campaign" } },
  { id: gallery(403), name: "Sustainability Story", parentId: COLLECTIONS.campaigns, purpose: { kind: "campaign" } },
  { id: gallery(451), name: "Industry Summit 2026 Booth", parentId: COLLECTIONS.events, purpose: { kind: "event" } },
  { id: gallery(452), name: "Customer Day Headshots", parentId: COLLECTIONS.events, purpose: { kind: "event" } },
  { id: gallery(501), name: "Northwind Traders Partner Kit", parentId: COLLECTIONS.partners, purpose: { kind: "partner" } },
  { id: gallery(502), name: "Fabrikam Reseller Kit", parentId: COLLECTIONS.partners, purpose: { kind: "partner" } },
  { id: GALLERIES.caseEvidenceInbox, name: "Case Evidence Inbox", parentId: COLLECTIONS.caseEvidence, purpose: { kind: "caseEvidence" } },
  // Last, so the galleries above keep their display order and creation dates.
  { id: GALLERIES.pressLogos, name: "Press Kit Logos", parentId: COLLECTIONS.brandLogos, purpose: { kind: "press" } },
];

/** The organization's custom metadata fields (ids in PhotoShelter's opaque style). */
export const CUSTOM_FIELDS = {
  approvalStatus: { id: "CMF0000Approval1", name: "Approval Status" },
  usageRights: { id: "CMF0000UsageRgt1", name: "Usage Rights" },
  licenseExpirationDate: { id: "CMF0000LicExpDt1", name: "License Expiration Date" },
  assetVersion: { id: "CMF0000AssetVer1", name: "Asset Version" },
  productLine: { id: "CMF0000ProdLine1", name: "Product Line" },
  region: { id: "CMF0000Region001", name: "Region" },
  industry: { id: "CMF0000Industry1", name: "Industry" },
  tier: { id: "CMF0000Tier00001", name: "Tier" },
  /** Set when Dynamics flags an asset for review (retired product line, ended campaign). */
  reviewFlag: { id: "CMF0000ReviewFl1", name: "Review Flag" },
} as const;

export type CustomFieldKey = keyof typeof CUSTOM_FIELDS;
