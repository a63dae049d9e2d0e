/**
 * The demo org: accounts across industries, regions and tiers (partners with active, expiring and
 * ended entitlements), contacts, cases with and without evidence, campaigns active and ended,
 * opportunities open and won, events past and upcoming, users in several business units, access
 * rules pointing at the mock PhotoShelter library's well-known collections, partner grants,
 * collection links, asset links (some with rights that have since changed) and usage.
 * Dates are relative to the day the mock starts, so "expiring in 10 days" stays true.
 */
import {
  accessRule,
  assetLink,
  assetUsage,
  choices,
  collectionLink,
  event,
  eventLookups,
  outOfBox,
  partnerGrant,
  regardingKey,
  type TableDefinition,
} from "../../../solution/model";
import { rightsStatus, toStoredRightsStatus, type ApprovalStatus } from "../../../contract/rights";
import { COLLECTIONS, GALLERIES, GALLERY_LIST } from "../../photoshelter/wellKnown";
import type { Metadata } from "../metadata";
import type { Reference, Row, Store, Value } from "../store";
import { demoId } from "./ids";
import { BUSINESS_UNITS, USERS } from "./users";

const { account, contact, incident, campaign, opportunity, systemUser, userAccessMode, businessUnit, entitlement } = outOfBox;
const ref = (table: TableDefinition, id: string): Reference => ({ id, table: table.logicalName });
const galleryNamed = (id: string) => GALLERY_LIST.find((g) => g.id === id)?.name ?? id;

/** Placeholder media id (PhotoShelter's image id form) when no library is at hand. */
export const demoMediaId = (n: number) => `I0000${String(n).padStart(11, "0")}`;

export const ACCOUNTS = {
  northwind: demoId("account", 1),
  fabrikam: demoId("account", 2),
  adventureWorks: demoId("account", 3),
  litware: demoId("account", 4),
  tailspin: demoId("account", 5),
  woodgrove: demoId("account", 6),
  alpine: demoId("account", 7),
  coho: demoId("account", 8),
  proseware: demoId("account", 9),
  trey: demoId("account", 10),
  wideWorld: demoId("account", 11),
  blueYonder: demoId("account", 12),
} as const;
export const CASES = { damagedDelivery: demoId("incident", 1), warrantyClaim: demoId("incident", 2), fieldValidation: demoId("incident", 3), logoQuestion: demoId("incident", 4), installQuestion: demoId("incident", 5) } as const;
export const CAMPAIGNS = { springLaunch: demoId("campaign", 1), borealisGoToMarket: demoId("campaign", 2), sustainability: demoId("campaign", 3), holidayPromo: demoId("campaign", 4) } as const;
export const OPPORTUNITIES = { northwindRenewal: demoId("opportunity", 1), woodgroveDraco: demoId("opportunity", 2), tailspinTurbines: demoId("opportunity", 3), litwareImaging: demoId("opportunity", 4) } as const;
export const EVENTS = { industrySummit: demoId("event", 1), customerDay: demoId("event", 2), partnerKickoff: demoId("event", 3) } as const;
export const ENTITLEMENTS = { northwindActive: demoId("entitlement", 1), fabrikamExpiring: demoId("entitlement", 2), adventureWorksEnded: demoId("entitlement", 3) } as const;

const DAY = 86_400_000;

class Seeder {
  private readonly start: number;

  constructor(
    private readonly store: Store,
    private readonly metadata: Metadata,
    today: Date,
  ) {
    this.start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  }

  date(days: number): string {
    return new Date(this.start + days * DAY).toISOString().slice(0, 10);
  }

  dateTime(days: number, hour = 9): string {
    return new Date(this.start + days * DAY + hour * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** Writes a row with every column present, platform columns filled as the service would. */
  put(table: TableDefinition, id: string, values: Record<string, Value>, owner: string = USERS.admin.id): void {
    const entry = this.metadata.byLogicalName(table.logicalName);
    if (!entry) return; // the table is not part of this org (Event Management absent)
    const row: Row = {};
    for (const column of entry.columns.values()) row[column.logicalName] = null;
    for (const [name, value] of Object.entries(values)) {
      if (!entry.columns.has(name)) throw new Error(`demo data: ${table.logicalName} has no column ${name}`);
      row[name] = value;
    }
    row[table.primaryIdAttribute] = id;
    const created = this.dateTime(-120);
    const set = (name: string, value: Value) => {
      if (entry.columns.has(name) && row[name] === null) row[name] = value;
    };
    set("createdon", created);
    set("modifiedon", created);
    set("createdby", { id: owner, table: "systemuser" });
    set("modifiedby", { id: owner, table: "systemuser" });
    set("ownerid", { id: owner, table: "systemuser" });
    for (const name of ["statecode", "statuscode"]) {
      const column = entry.columns.get(name);
      if (column && "choice" in column) set(name, Object.values(column.choice.options)[0].value);
    }
    row.versionnumber = this.store.nextVersion();
    this.store.put(table.logicalName, id, row);
  }
}

/** What the demo data needs to know about a PhotoShelter asset. */
export interface DemoMedia {
  id: string;
  type: "image" | "video" | "audio" | "document";
  fileName: string;
  caption: string;
  approvalStatus: ApprovalStatus | null;
  expiresOn: string | null;
  usageRights: string | null;
  version: string | null;
  galleryIds: readonly string[];
}

/** The library's media in its order, read one at a time: a library of 100,000 is never copied whole. */
export interface DemoLibrary {
  readonly size: number;
  media(index: number): DemoMedia;
}

/**
 * Picks distinct media for link rows: from the wanted gallery first (for stale links, ones whose
 * rights are no longer plainly approved), then from anywhere; without a library, placeholder ids.
 * Each pick reads the library from its start only as far as it must.
 */
class MediaPicker {
  private readonly used = new Set<string>();
  private placeholder = 0;

  constructor(private readonly library: DemoLibrary) {}

  pick(gallery: string, preferChanged: boolean): DemoMedia {
    let firstFree: DemoMedia | undefined;
    let firstInGallery: DemoMedia | undefined;
    let chosen: DemoMedia | undefined;
    for (let i = 0; i < this.library.size && chosen === undefined; i++) {
      const m = this.library.media(i);
      if (this.used.has(m.id)) continue;
      firstFree ??= m;
      if (!m.galleryIds.includes(gallery)) continue;
      firstInGallery ??= m;
      if (!preferChanged || m.approvalStatus !== "approved" || m.expiresOn !== null) chosen = m;
    }
    const media = chosen ?? firstInGallery ?? firstFree ?? this.placeholderMedia();
    this.used.add(media.id);
    return media;
  }

  private placeholderMedia(): DemoMedia {
    const n = ++this.placeholder;
    return { id: demoMediaId(n), type: "image", fileName: `asset-${String(n).padStart(6, "0")}.png`, caption: `Asset ${n}`, approvalStatus: "approved", expiresOn: null, usageRights: null, version: "1.0", galleryIds: [] };
  }
}

export function seedDemoData(store: Store, metadata: Metadata, today: Date = new Date(), library: DemoLibrary | readonly DemoMedia[] = []): void {
  const s = new Seeder(store, metadata, today);

  // Business units and users (the issuer signs tokens for the same users).
  const BU = businessUnit.columns;
  for (const unit of Object.values(BUSINESS_UNITS)) {
    s.put(businessUnit, unit.id, { [BU.name.logicalName]: unit.name, [BU.parentBusinessUnitId.logicalName]: unit.parent ? ref(businessUnit, BUSINESS_UNITS[unit.parent].id) : null });
  }
  const U = systemUser.columns;
  for (const user of Object.values(USERS)) {
    s.put(systemUser, user.id, {
      [U.fullName.logicalName]: user.name,
      [U.domainName.logicalName]: user.upn,
      [U.email.logicalName]: user.upn,
      [U.title.logicalName]: user.title,
      [U.aadObjectId.logicalName]: user.oid,
      [U.applicationId.logicalName]: "application" in user ? "0a000000-0000-4000-8000-0000000000a1" : null,
      [U.isDisabled.logicalName]: false,
      [U.accessMode.logicalName]: ("application" in user ? userAccessMode.options.nonInteractive : userAccessMode.options.readWrite).value,
      [U.businessUnitId.logicalName]: ref(businessUnit, BUSINESS_UNITS[user.businessUnit].id),
    });
  }

  // Accounts: industry (Microsoft's industrycode), region/tier/product lines (our columns), partners.
  const A = account.columns;
  const accountRow = (name: string, number: string, industry: number | null, region: number | null, tier: number | null, productLines: string | null, type: number, city: string, country: string) => ({
    [A.name.logicalName]: name,
    [A.accountNumber.logicalName]: number,
    [A.industryCode.logicalName]: industry,
    [A.region.logicalName]: region,
    [A.tier.logicalName]: tier,
    [A.productLines.logicalName]: productLines,
    [A.customerTypeCode.logicalName]: type,
    [A.city.logicalName]: city,
    [A.country.logicalName]: country,
  });
  const ind = outOfBox.industryCode.options;
  const reg = choices.region.options;
  const tier = choices.tier.options;
  const pl = choices.productLine.options;
  const rel = outOfBox.customerTypeCode.options;
  const lines = (...keys: Array<keyof typeof pl>) => keys.map((k) => pl[k].value).join(",");
  const accounts: Array<[string, ReturnType<typeof accountRow>, string]> = [
    [ACCOUNTS.northwind, accountRow("Northwind Traders", "ACC-1001", ind.nonDurableRetail.value, reg.na.value, tier.strategic.value, lines("aquila", "borealis"), rel.partner.value, "Seattle", "United States"), USERS.salesNorthAmerica.id],
    [ACCOUNTS.fabrikam, accountRow("Fabrikam, Inc.", "ACC-1002", ind.durableManufacturing.value, reg.na.value, tier.enterprise.value, lines("borealis"), rel.reseller.value, "Chicago", "United States"), USERS.salesNorthAmerica.id],
    [ACCOUNTS.adventureWorks, accountRow("Adventure Works Cycles", "ACC-1003", ind.nonDurableRetail.value, reg.emea.value, tier.smb.value, lines("cirrus"), rel.partner.value, "Lyon", "France"), USERS.salesEmea.id],
    [ACCOUNTS.litware, accountRow("Litware Health", "ACC-1004", ind.doctorsOffices.value, reg.na.value, tier.strategic.value, lines("aquila"), rel.customer.value, "Boston", "United States"), USERS.salesNorthAmerica.id],
    [ACCOUNTS.tailspin, accountRow("Tailspin Energy", "ACC-1005", ind.utility.value, reg.emea.value, tier.enterprise.value, lines("draco"), rel.customer.value, "Hamburg", "Germany"), USERS.salesEmea.id],
    [ACCOUNTS.woodgrove, accountRow("Woodgrove Bank", "ACC-1006", ind.financial.value, reg.na.value, tier.strategic.value, lines("cirrus", "draco"), rel.customer.value, "New York", "United States"), USERS.salesNorthAmerica.id],
    [ACCOUNTS.alpine, accountRow("Alpine Ski House", "ACC-1007", ind.buildingSupplyRetail.value, reg.emea.value, tier.smb.value, null, rel.prospect.value, "Innsbruck", "Austria"), USERS.salesEmea.id],
    [ACCOUNTS.coho, accountRow("Coho Winery", "ACC-1008", ind.foodProcessing.value, reg.apac.value, tier.smb.value, lines("borealis"), rel.customer.value, "Adelaide", "Australia"), USERS.salesApac.id],
    [ACCOUNTS.proseware, accountRow("Proseware Medical", "ACC-1009", ind.doctorsOffices.value, reg.apac.value, tier.enterprise.value, lines("aquila"), rel.customer.value, "Singapore", "Singapore"), USERS.salesApac.id],
    [ACCOUNTS.trey, accountRow("Trey Research", "ACC-1010", ind.petrochemical.value, reg.apac.value, tier.strategic.value, lines("draco"), rel.customer.value, "Perth", "Australia"), USERS.salesApac.id],
    [ACCOUNTS.wideWorld, accountRow("Wide World Importers", "ACC-1011", ind.insurance.value, reg.emea.value, tier.enterprise.value, lines("cirrus"), rel.customer.value, "London", "United Kingdom"), USERS.salesEmea.id],
    [ACCOUNTS.blueYonder, accountRow("Blue Yonder Airlines", "ACC-1012", null, null, null, null, rel.prospect.value, "Denver", "United States"), USERS.salesNorthAmerica.id],
  ];
  // Each account belongs to the account executive of its region (North America, EMEA, APAC), so a
  // salesperson, who reads the accounts of their business unit, opens their region's accounts only.
  for (const [id, values, owner] of accounts) s.put(account, id, values, owner);
  const ownerOfAccount = (accountId: string) => (store.get(account.logicalName, accountId)!.ownerid as Reference).id;

  const C = contact.columns;
  const contacts: Array<[string, string, string, string, string]> = [
    ["Nancy", "Davolio", "Partner Marketing Lead", ACCOUNTS.northwind, "nancy.davolio@northwind.example"],
    ["Andrew", "Fuller", "Purchasing Manager", ACCOUNTS.fabrikam, "andrew.fuller@fabrikam.example"],
    ["Janet", "Leverling", "Store Operations", ACCOUNTS.adventureWorks, "janet.leverling@adventure-works.example"],
    ["Margaret", "Peacock", "Chief Medical Officer", ACCOUNTS.litware, "margaret.peacock@litware.example"],
    ["Steven", "Buchanan", "Plant Manager", ACCOUNTS.tailspin, "steven.buchanan@tailspin.example"],
    ["Laura", "Callahan", "Brand Manager", ACCOUNTS.woodgrove, "laura.callahan@woodgrove.example"],
    ["Robert", "King", "Owner", ACCOUNTS.coho, "robert.king@coho.example"],
    ["Anne", "Dodsworth", "Procurement", ACCOUNTS.proseware, "anne.dodsworth@proseware.example"],
  ];
  contacts.forEach(([first, last, title, company, email], i) =>
    s.put(contact, demoId("contact", i + 1), {
      [C.firstName.logicalName]: first,
      [C.lastName.logicalName]: last,
      [C.fullName.logicalName]: `${first} ${last}`,
      [C.jobTitle.logicalName]: title,
      [C.email.logicalName]: email,
      [C.parentCustomerId.logicalName]: ref(account, company),
    }, ownerOfAccount(company)),
  );
  const primaryContact = (accountId: string, contactN: number) => {
    const row = store.get(account.logicalName, accountId)!;
    row[A.primaryContactId.logicalName] = ref(contact, demoId("contact", contactN));
  };
  primaryContact(ACCOUNTS.northwind, 1);
  primaryContact(ACCOUNTS.litware, 4);

  // Partner contracts (entitlements): active, expiring in 10 days, ended 30 days ago.
  const E = entitlement.columns;
  const es = outOfBox.entitlementState.options;
  // Each names the galleries it entitles the partner to (granted in PhotoShelter while it is active).
  s.put(entitlement, ENTITLEMENTS.northwindActive, { [E.name.logicalName]: "Northwind Partner Content Access 2026", [E.customerId.logicalName]: ref(account, ACCOUNTS.northwind), [E.startDate.logicalName]: s.date(-200), [E.endDate.logicalName]: s.date(300), [E.galleryIds.logicalName]: "G000000000000501", [E.stateCode.logicalName]: es.active.value }, USERS.partnerManager.id);
  s.put(entitlement, ENTITLEMENTS.fabrikamExpiring, { [E.name.logicalName]: "Fabrikam Reseller Content Access", [E.customerId.logicalName]: ref(account, ACCOUNTS.fabrikam), [E.startDate.logicalName]: s.date(-355), [E.endDate.logicalName]: s.date(10), [E.galleryIds.logicalName]: "G000000000000502", [E.stateCode.logicalName]: es.active.value }, USERS.partnerManager.id);
  s.put(entitlement, ENTITLEMENTS.adventureWorksEnded, { [E.name.logicalName]: "Adventure Works Partner Content Access 2025", [E.customerId.logicalName]: ref(account, ACCOUNTS.adventureWorks), [E.startDate.logicalName]: s.date(-395), [E.endDate.logicalName]: s.date(-30), [E.galleryIds.logicalName]: "G000000000000502", [E.stateCode.logicalName]: es.expired.value }, USERS.partnerManager.id);

  // Cases: with evidence (links below) and without; one whose customer is a contact.
  const I = incident.columns;
  const ct = outOfBox.caseType.options;
  const cs = outOfBox.caseState.options;
  const cases: Array<[string, string, string, number, Reference, number]> = [
    [CASES.damagedDelivery, "Damaged Aquila scanner on delivery", "CAS-01001", ct.problem.value, ref(account, ACCOUNTS.litware), cs.active.value],
    [CASES.warrantyClaim, "Warranty claim: Borealis drive unit", "CAS-01002", ct.problem.value, ref(account, ACCOUNTS.fabrikam), cs.active.value],
    [CASES.fieldValidation, "Field validation photos for Draco turbine install", "CAS-01003", ct.request.value, ref(account, ACCOUNTS.tailspin), cs.active.value],
    [CASES.logoQuestion, "May we use the Cirrus logo in our annual report?", "CAS-01004", ct.question.value, ref(account, ACCOUNTS.woodgrove), cs.resolved.value],
    [CASES.installQuestion, "Installation question for Borealis bottling line", "CAS-01005", ct.question.value, ref(contact, demoId("contact", 7)), cs.active.value],
  ];
  for (const [id, title, number, type, customer, state] of cases) {
    s.put(incident, id, { [I.title.logicalName]: title, [I.ticketNumber.logicalName]: number, [I.caseTypeCode.logicalName]: type, [I.customerId.logicalName]: customer, [I.stateCode.logicalName]: state, [I.description.logicalName]: `${title}.` }, USERS.serviceAgent.id);
  }

  // Campaigns: launched, completed (ended), proposed (no collection yet).
  const K = campaign.columns;
  const kst = outOfBox.campaignStatus.options;
  const kt = outOfBox.campaignType.options;
  const campaigns: Array<[string, string, number, string, string | null, string | null, string]> = [
    [CAMPAIGNS.springLaunch, "Spring Launch 2026", kst.launched.value, "Retail buyers in North America", s.date(-20), s.date(40), "Launch of the Aquila and Borealis spring line."],
    [CAMPAIGNS.borealisGoToMarket, "Borealis Go-To-Market", kst.launched.value, "Manufacturing decision makers worldwide", s.date(-45), s.date(75), "Go-to-market for Borealis drive units."],
    [CAMPAIGNS.sustainability, "Sustainability Story 2025", kst.completed.value, "Energy and utilities press", s.date(-180), s.date(-60), "Ended: assets linked to it need review."],
    [CAMPAIGNS.holidayPromo, "Holiday Promo 2026", kst.proposed.value, "SMB retail", null, null, "Proposed: its PhotoShelter collection is created when it is saved."],
  ];
  for (const [id, name, status, audience, launch, end, description] of campaigns) {
    s.put(campaign, id, { [K.name.logicalName]: name, [K.statusCode.logicalName]: status, [K.typeCode.logicalName]: kt.advertisement.value, [K.audience.logicalName]: audience, [K.launchDate.logicalName]: launch, [K.endDate.logicalName]: end, [K.proposedStart.logicalName]: launch ?? s.date(60), [K.proposedEnd.logicalName]: end ?? s.date(95), [K.description.logicalName]: description }, USERS.marketer.id);
  }

  // Opportunities: open and won (won ones drive automatic links).
  const O = opportunity.columns;
  const os = outOfBox.opportunityState.options;
  const opportunities: Array<[string, string, string, number, number, string | null, string | null]> = [
    [OPPORTUNITIES.northwindRenewal, "Aquila fleet renewal", ACCOUNTS.northwind, os.open.value, pl.aquila.value, null, CAMPAIGNS.springLaunch],
    [OPPORTUNITIES.woodgroveDraco, "Draco analytics rollout", ACCOUNTS.woodgrove, os.won.value, pl.draco.value, s.date(-5), null],
    [OPPORTUNITIES.tailspinTurbines, "Draco turbine monitoring", ACCOUNTS.tailspin, os.open.value, pl.draco.value, null, CAMPAIGNS.borealisGoToMarket],
    [OPPORTUNITIES.litwareImaging, "Aquila imaging suite", ACCOUNTS.litware, os.won.value, pl.aquila.value, s.date(-40), null],
  ];
  for (const [id, name, accountId, state, productLine, closed, sourceCampaign] of opportunities) {
    s.put(opportunity, id, { [O.name.logicalName]: name, [O.parentAccountId.logicalName]: ref(account, accountId), [O.stateCode.logicalName]: state, [O.productLine.logicalName]: productLine, [O.actualCloseDate.logicalName]: closed, [O.estimatedValue.logicalName]: 250000, [O.campaignId.logicalName]: sourceCampaign ? ref(campaign, sourceCampaign) : null }, ownerOfAccount(accountId));
  }

  // Events (Event Management): upcoming and past.
  const V = event.columns;
  s.put(event, EVENTS.industrySummit, { [V.name.logicalName]: "Industry Summit 2026", [V.startDate.logicalName]: s.dateTime(25), [V.endDate.logicalName]: s.dateTime(27, 17), [V.description.logicalName]: "Booth, keynote and partner lounge." }, USERS.marketer.id);
  s.put(event, EVENTS.customerDay, { [V.name.logicalName]: "Customer Day 2026", [V.startDate.logicalName]: s.dateTime(-10), [V.endDate.logicalName]: s.dateTime(-10, 18), [V.description.logicalName]: "Headshots and session photos to associate back to the event." }, USERS.marketer.id);
  s.put(event, EVENTS.partnerKickoff, { [V.name.logicalName]: "Partner Kickoff 2027", [V.startDate.logicalName]: s.dateTime(120), [V.endDate.logicalName]: s.dateTime(121, 17), [V.description.logicalName]: "No collection yet." }, USERS.marketer.id);

  // Access rules: segments → the mock library's well-known collections.
  const R = accessRule.columns;
  const seg = choices.industrySegment.options;
  const rules: Array<[string, Partial<Record<"industry" | "region" | "tier" | "productLine", number>>, string | null, string, boolean]> = [
    ["Everyone: brand assets", {}, null, COLLECTIONS.brand, true],
    ["North America accounts", { region: reg.na.value }, null, COLLECTIONS.regionNorthAmerica, true],
    ["EMEA accounts", { region: reg.emea.value }, null, COLLECTIONS.regionEmea, true],
    ["APAC accounts", { region: reg.apac.value }, null, COLLECTIONS.regionApac, true],
    ["Manufacturing accounts", { industry: seg.manufacturing.value }, null, COLLECTIONS.industryManufacturing, true],
    ["Healthcare accounts", { industry: seg.healthcare.value }, null, COLLECTIONS.industryHealthcare, true],
    ["Retail accounts", { industry: seg.retail.value }, null, COLLECTIONS.industryRetail, true],
    ["Energy accounts", { industry: seg.energy.value }, null, COLLECTIONS.industryEnergy, true],
    ["Financial Services accounts", { industry: seg.financialServices.value }, null, COLLECTIONS.industryFinancialServices, true],
    ["Strategic accounts: campaign assets", { tier: tier.strategic.value }, null, COLLECTIONS.campaigns, true],
    ["Draco owners: Draco product imagery", { productLine: pl.draco.value }, null, "G000000000000114", true],
    ["Marketing: event collections", {}, BUSINESS_UNITS.marketing.id, `${COLLECTIONS.events}, ${COLLECTIONS.campaigns}`, true],
    ["Customer Service: case evidence", {}, BUSINESS_UNITS.customerService.id, COLLECTIONS.caseEvidence, true],
    ["Retired: legacy APAC collateral (inactive)", { region: reg.apac.value }, null, COLLECTIONS.campaigns, false],
  ];
  rules.forEach(([name, conditions, unit, containers, active], i) =>
    s.put(accessRule, demoId("accessrule", i + 1), {
      [R.name.logicalName]: name,
      [R.industry.logicalName]: conditions.industry ?? null,
      [R.region.logicalName]: conditions.region ?? null,
      [R.tier.logicalName]: conditions.tier ?? null,
      [R.productLine.logicalName]: conditions.productLine ?? null,
      [R.businessUnitId.logicalName]: unit ? ref(businessUnit, unit) : null,
      [R.containerIds.logicalName]: containers,
      [R.priority.logicalName]: (i + 1) * 10,
      [R.stateCode.logicalName]: active ? 0 : 1,
      [R.statusCode.logicalName]: active ? 1 : 2,
    }),
  );

  // Partner grants: granted (active and expiring entitlements) and revoked (ended).
  const P = partnerGrant.columns;
  const gs = choices.grantStatus.options;
  const grants: Array<[string, string, string, number, string | null]> = [
    [ACCOUNTS.northwind, "G000000000000501", ENTITLEMENTS.northwindActive, gs.granted.value, null],
    [ACCOUNTS.fabrikam, "G000000000000502", ENTITLEMENTS.fabrikamExpiring, gs.granted.value, null],
    [ACCOUNTS.adventureWorks, "G000000000000502", ENTITLEMENTS.adventureWorksEnded, gs.revoked.value, s.dateTime(-29, 2)],
  ];
  grants.forEach(([accountId, gallery, entitlementId, status, revokedOn], i) => {
    const accountName = store.get(account.logicalName, accountId)![A.name.logicalName] as string;
    s.put(partnerGrant, demoId("partnergrant", i + 1), {
      [P.name.logicalName]: `${accountName} → ${galleryNamed(gallery)}`,
      [P.galleryId.logicalName]: gallery,
      [P.galleryName.logicalName]: galleryNamed(gallery),
      [P.accountId.logicalName]: ref(account, accountId),
      [P.entitlementId.logicalName]: ref(entitlement, entitlementId),
      [P.contractReference.logicalName]: `CTR-${2100 + i}`,
      [P.status.logicalName]: status,
      [P.grantedOn.logicalName]: s.dateTime(-200 + i * 10, 2),
      [P.revokedOn.logicalName]: revokedOn,
      [P.regardingKey.logicalName]: regardingKey(account.logicalName, accountId),
    }, USERS.partnerManager.id);
  });

  // Collection links: campaigns, events, a partner, case evidence; one failed sync.
  const L = collectionLink.columns;
  const eventLink = eventLookups.psh_collectionlink.eventId.logicalName;
  const ck = choices.containerKind.options;
  const lt = choices.linkType.options;
  const ss = choices.syncStatus.options;
  const collectionLinks: Array<[string, string, TableDefinition, string, number, number, string | null]> = [
    ["Spring Launch 2026", "G000000000000401", campaign, CAMPAIGNS.springLaunch, lt.campaign.value, ss.synced.value, null],
    ["Borealis Go-To-Market", "G000000000000402", campaign, CAMPAIGNS.borealisGoToMarket, lt.campaign.value, ss.synced.value, null],
    ["Sustainability Story", "G000000000000403", campaign, CAMPAIGNS.sustainability, lt.campaign.value, ss.failed.value, "PhotoShelter answered 503 Service Unavailable while updating the collection description; will retry."],
    ["Industry Summit 2026 Booth", "G000000000000451", event, EVENTS.industrySummit, lt.event.value, ss.synced.value, null],
    ["Customer Day Headshots", "G000000000000452", event, EVENTS.customerDay, lt.event.value, ss.synced.value, null],
    ["Northwind Traders Partner Kit", "G000000000000501", account, ACCOUNTS.northwind, lt.partner.value, ss.synced.value, null],
    ["Case Evidence Inbox", GALLERIES.caseEvidenceInbox, incident, CASES.damagedDelivery, lt.evidence.value, ss.synced.value, null],
  ];
  const lookupOf: Record<string, string> = { account: L.accountId.logicalName, incident: L.incidentId.logicalName, campaign: L.campaignId.logicalName, msevtmgt_event: eventLink };
  collectionLinks.forEach(([name, container, table, recordId, purpose, sync, error], i) =>
    s.put(collectionLink, demoId("collectionlink", i + 1), {
      [L.name.logicalName]: name,
      [L.containerId.logicalName]: container,
      [L.containerKind.logicalName]: container.startsWith("G") ? ck.gallery.value : ck.collection.value,
      [L.purpose.logicalName]: purpose,
      [L.syncStatus.logicalName]: sync,
      [L.lastSyncedOn.logicalName]: s.dateTime(-2),
      [L.lastError.logicalName]: error,
      [L.regardingKey.logicalName]: regardingKey(table.logicalName, recordId),
      ...(metadata.byLogicalName(collectionLink.logicalName)!.columns.has(lookupOf[table.logicalName]) ? { [lookupOf[table.logicalName]]: ref(table, recordId) } : {}),
    }, USERS.marketer.id),
  );

  // Asset links, on media of the mock PhotoShelter library where it has them. Rights are as last
  // synced; the stale links (synced 45+ days ago) no longer match what PhotoShelter says now, so the
  // rights sync (S5) has work to do on a fresh start.
  const AL = assetLink.columns;
  const src = choices.linkSource.options;
  const linkLookup: Record<string, string> = {
    account: AL.accountId.logicalName,
    incident: AL.incidentId.logicalName,
    campaign: AL.campaignId.logicalName,
    opportunity: AL.opportunityId.logicalName,
    msevtmgt_event: eventLookups.psh_assetlink.eventId.logicalName,
  };
  const picker = new MediaPicker("size" in library ? library : { size: library.length, media: (i) => library[i] });
  const industryGallery = (industry: string) => GALLERY_LIST.find((g) => g.purpose.kind === "industry" && g.purpose.industry === industry)!.id;
  type LinkSeed = { media: DemoMedia; table: TableDefinition; record: string; type: number; stale: boolean; source: number; owner: string };
  const seeds: LinkSeed[] = [];
  const add = (gallery: string, count: number, table: TableDefinition, record: string, type: number, stale: boolean[], source = src.manual.value, owner = USERS.salesNorthAmerica.id) => {
    for (let i = 0; i < count; i++) seeds.push({ media: picker.pick(gallery, stale[i] ?? false), table, record, type, stale: stale[i] ?? false, source, owner });
  };
  add(GALLERIES.corporateLogos, 1, account, ACCOUNTS.litware, lt.brand.value, [false]);
  add(industryGallery("Healthcare"), 2, account, ACCOUNTS.litware, lt.brand.value, [true, false]);
  add("G000000000000114", 2, account, ACCOUNTS.woodgrove, lt.brand.value, [false, true], src.automatic.value);
  add(GALLERIES.caseEvidenceInbox, 2, incident, CASES.damagedDelivery, lt.evidence.value, [false, false], src.manual.value, USERS.serviceAgent.id);
  add(GALLERIES.caseEvidenceInbox, 1, incident, CASES.fieldValidation, lt.evidence.value, [false], src.manual.value, USERS.serviceAgent.id);
  add("G000000000000401", 2, campaign, CAMPAIGNS.springLaunch, lt.campaign.value, [false, true], src.manual.value, USERS.marketer.id);
  add("G000000000000403", 2, campaign, CAMPAIGNS.sustainability, lt.campaign.value, [false, false], src.manual.value, USERS.marketer.id);
  add("G000000000000451", 1, event, EVENTS.industrySummit, lt.event.value, [false], src.manual.value, USERS.marketer.id);
  add("G000000000000452", 2, event, EVENTS.customerDay, lt.event.value, [false, true], src.manual.value, USERS.marketer.id);
  // The same asset linked from a second record (the won opportunity of the same account).
  seeds.push({ ...seeds[2], table: opportunity, record: OPPORTUNITIES.litwareImaging, source: src.automatic.value });

  const rs = choices.rightsStatus.options;
  seeds.forEach(({ media, table, record, type, stale, source, owner }, i) => {
    const lookup = linkLookup[table.logicalName];
    if (!metadata.byLogicalName(assetLink.logicalName)!.columns.has(lookup)) return; // Event links need Event Management
    const current = toStoredRightsStatus(rightsStatus({ approvalStatus: media.approvalStatus, expiresOn: media.expiresOn, usageRights: media.usageRights }, today).status);
    // A stale row still says what was true before the asset was retired, expired or re-approved.
    const stored: keyof typeof rs = stale ? (current === "approved" ? "expired" : "approved") : current;
    s.put(assetLink, demoId("assetlink", i + 1), {
      [AL.name.logicalName]: media.caption.slice(0, AL.name.maxLength),
      [AL.mediaId.logicalName]: media.id,
      [AL.mediaType.logicalName]: choices.mediaType.options[media.type].value,
      [AL.fileName.logicalName]: media.fileName,
      [AL.thumbnailUrl.logicalName]: `/v1/media/${media.id}/thumb`,
      [AL.linkType.logicalName]: type,
      [AL.rightsStatus.logicalName]: rs[stored].value,
      [AL.usageRights.logicalName]: media.usageRights,
      [AL.expiresOn.logicalName]: stale ? null : media.expiresOn,
      [AL.version.logicalName]: stale ? "1.0" : media.version,
      [AL.lastSyncedOn.logicalName]: s.dateTime(stale ? -45 - i : -1, 3),
      [AL.source.logicalName]: source,
      [AL.needsReview.logicalName]: false,
      [AL.regardingKey.logicalName]: regardingKey(table.logicalName, record),
      [lookup]: ref(table, record),
    }, owner);
  });

  // Usage per day (as the proxy's roll-up writes it): recent days, tied to account, campaign and opportunity.
  const G = assetUsage.columns;
  const day = (offset: number) => {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + offset));
    return { period: d.toISOString().slice(0, 10), start: d.toISOString().slice(0, 10) };
  };
  const usage: Array<[DemoMedia, TableDefinition, string, string, number, number, number]> = [
    [seeds[0].media, account, ACCOUNTS.litware, G.accountId.logicalName, -1, 4, 31],
    [seeds[0].media, account, ACCOUNTS.litware, G.accountId.logicalName, -2, 7, 52],
    [seeds[8].media, campaign, CAMPAIGNS.springLaunch, G.campaignId.logicalName, -1, 18, 240],
    [seeds[9].media, campaign, CAMPAIGNS.springLaunch, G.campaignId.logicalName, -1, 9, 130],
    [seeds[2].media, opportunity, OPPORTUNITIES.litwareImaging, G.opportunityId.logicalName, -2, 3, 12],
  ];
  usage.forEach(([media, table, recordId, lookup, offset, downloads, views], i) => {
    const { period, start } = day(offset);
    s.put(assetUsage, demoId("assetusage", i + 1), {
      [G.name.logicalName]: `${media.id} ${period}`,
      [G.mediaId.logicalName]: media.id,
      [G.mediaType.logicalName]: choices.mediaType.options[media.type].value,
      [G.period.logicalName]: period,
      [G.periodStart.logicalName]: start,
      [G.downloads.logicalName]: downloads,
      [G.views.logicalName]: views,
      [G.regardingKey.logicalName]: regardingKey(table.logicalName, recordId),
      [lookup]: ref(table, recordId),
    }, USERS.integration.id);
  });
}
