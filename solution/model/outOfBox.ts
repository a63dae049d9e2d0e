/**
 * Microsoft's tables as far as we read or write them, with the platform's names and option values.
 * Columns marked `origin: "core"` are the few we add to them (Dataverse has no standard column for
 * region, tier, product ownership or a campaign's audience); the packer puts each into the solution
 * its table needs (Account's into the core, Campaign's and Opportunity's into the Sales add-on).
 */
import { industrySegment, productLine, region, tier } from "./choices";
import { choice, dateTime, memo, platformLookup, text, yesNo } from "./columns";
import * as names from "./targets";
import { defineChoice, defineTable } from "./types";
import type { BigIntColumn, ChoiceColumn, ChoiceDefinition, LookupTarget, MoneyColumn, PrimaryKeyColumn, UniqueIdentifierColumn } from "./types";

const key = (logicalName: string, displayName: string): PrimaryKeyColumn => ({
  logicalName, schemaName: logicalName, displayName, requiredLevel: "systemrequired", type: "primarykey",
});
const state = (choiceDefinition: ChoiceDefinition): ChoiceColumn => ({
  logicalName: "statecode", schemaName: "StateCode", displayName: "Status", requiredLevel: "systemrequired", type: "state", choice: choiceDefinition,
});
const versionNumber: BigIntColumn = { logicalName: "versionnumber", schemaName: "VersionNumber", displayName: "Version Number", requiredLevel: "none", type: "bigint", system: true };
const common = () => ({
  createdOn: dateTime("createdon", "Created On", "UserLocal", { system: true }),
  modifiedOn: dateTime("modifiedon", "Modified On", "UserLocal", { system: true }),
  versionNumber,
});
const owner = (table: string) => ({
  ownerId: platformLookup("ownerid", "Owner", [
    { table: "systemuser", relationshipName: `${table}_owning_user`, navigationProperty: "ownerid", referencedNavigationProperty: `user_${table}`, cascadeDelete: "NoCascade" },
  ], { type: "owner", requiredLevel: "systemrequired" }),
});
const target = (table: string, relationshipName: string, navigationProperty: string): LookupTarget => ({
  table, relationshipName, navigationProperty, referencedNavigationProperty: relationshipName, cascadeDelete: "NoCascade",
});

/** Account `industrycode` options we map to segments (platform values; the org may have more). */
export const industryCode = defineChoice({
  name: "account_industrycode",
  displayName: "Industry",
  global: false,
  origin: "outOfBox",
  options: {
    brokers: { value: 4, label: "Brokers" },
    buildingSupplyRetail: { value: 5, label: "Building Supply Retail" },
    doctorsOffices: { value: 11, label: "Doctor's Offices and Clinics" },
    durableManufacturing: { value: 12, label: "Durable Manufacturing" },
    financial: { value: 16, label: "Financial" },
    foodProcessing: { value: 17, label: "Food and Tobacco Processing" },
    insurance: { value: 20, label: "Insurance" },
    nonDurableRetail: { value: 22, label: "Non-Durable Merchandise Retail" },
    petrochemical: { value: 24, label: "Petrochemical Extraction and Distribution" },
    socialServices: { value: 27, label: "Social Services" },
    utility: { value: 31, label: "Utility Creation and Distribution" },
  },
});

/** Which industry segment (PhotoShelter Industries collection) an account `industrycode` belongs to. */
export const industrySegmentOfIndustryCode: Readonly<Record<number, keyof typeof industrySegment.options>> = {
  4: "financialServices",
  5: "retail",
  11: "healthcare",
  12: "manufacturing",
  16: "financialServices",
  17: "manufacturing",
  20: "financialServices",
  22: "retail",
  24: "energy",
  27: "healthcare",
  31: "energy",
};

export const customerTypeCode = defineChoice({
  name: "account_customertypecode",
  displayName: "Relationship Type",
  global: false,
  origin: "outOfBox",
  options: {
    competitor: { value: 1, label: "Competitor" },
    customer: { value: 3, label: "Customer" },
    partner: { value: 5, label: "Partner" },
    prospect: { value: 8, label: "Prospect" },
    reseller: { value: 9, label: "Reseller" },
  },
});

const activeInactive = (table: string) => defineChoice({
  name: `${table}_statecode`, displayName: "Status", global: false, origin: "outOfBox",
  options: { active: { value: 0, label: "Active" }, inactive: { value: 1, label: "Inactive" } },
});

export const account = defineTable({
  ...names.account,
  displayName: "Account",
  displayCollectionName: "Accounts",
  description: "Business that represents a customer or potential customer.",
  ownershipType: "UserOwned",
  origin: "outOfBox",
  columns: {
    id: key("accountid", "Account"),
    name: text("name", "Account Name", 160, { requiredLevel: "required" }),
    accountNumber: text("accountnumber", "Account Number", 20),
    industryCode: choice("industrycode", "Industry", industryCode),
    customerTypeCode: choice("customertypecode", "Relationship Type", customerTypeCode),
    city: text("address1_city", "Address 1: City", 80),
    country: text("address1_country", "Address 1: Country/Region", 80),
    primaryContactId: platformLookup("primarycontactid", "Primary Contact", [target("contact", "account_primary_contact", "primarycontactid")]),
    region: choice("psh_Region", "Region", region, { origin: "core" }),
    tier: choice("psh_Tier", "Tier", tier, { origin: "core" }),
    productLines: choice("psh_ProductLines", "Product Lines", productLine, { origin: "core", multiple: true, description: "Product lines the account owns." }),
    partnerGroupId: text("psh_PartnerGroupId", "PhotoShelter Contact Group", 16, { origin: "core", description: "A partner's PhotoShelter contact group (CTG00…): entitled galleries are granted to the group instead of to each contact." }),
    stateCode: state(activeInactive("account")),
    ...common(),
    ...owner("account"),
  },
  alternateKeys: [],
});

export const contact = defineTable({
  ...names.contact,
  displayName: "Contact",
  displayCollectionName: "Contacts",
  description: "Person with whom a business unit has a relationship.",
  ownershipType: "UserOwned",
  origin: "outOfBox",
  columns: {
    id: key("contactid", "Contact"),
    fullName: text("fullname", "Full Name", 160, { requiredLevel: "none" }),
    firstName: text("firstname", "First Name", 50),
    lastName: text("lastname", "Last Name", 50, { requiredLevel: "required" }),
    email: text("emailaddress1", "Email", 100, { format: "email" }),
    jobTitle: text("jobtitle", "Job Title", 100),
    parentCustomerId: platformLookup("parentcustomerid", "Company Name", [
      target("account", "contact_customer_accounts", "parentcustomerid_account"),
    ]),
    stateCode: state(activeInactive("contact")),
    ...common(),
    ...owner("contact"),
  },
  alternateKeys: [],
});

export const caseType = defineChoice({
  name: "incident_casetypecode", displayName: "Case Type", global: false, origin: "outOfBox",
  options: { question: { value: 1, label: "Question" }, problem: { value: 2, label: "Problem" }, request: { value: 3, label: "Request" } },
});
export const caseState = defineChoice({
  name: "incident_statecode", displayName: "Status", global: false, origin: "outOfBox",
  options: { active: { value: 0, label: "Active" }, resolved: { value: 1, label: "Resolved" }, canceled: { value: 2, label: "Canceled" } },
});

export const incident = defineTable({
  ...names.incident,
  displayName: "Case",
  displayCollectionName: "Cases",
  description: "Service request case associated with a contract (Dynamics 365 Customer Service).",
  ownershipType: "UserOwned",
  origin: "outOfBox",
  columns: {
    id: key("incidentid", "Case"),
    title: text("title", "Case Title", 200, { requiredLevel: "required" }),
    ticketNumber: text("ticketnumber", "Case Number", 100),
    description: memo("description", "Description", 2000),
    caseTypeCode: choice("casetypecode", "Case Type", caseType),
    customerId: platformLookup("customerid", "Customer", [
      target("account", "incident_customer_accounts", "customerid_account"),
      target("contact", "incident_customer_contacts", "customerid_contact"),
    ], { requiredLevel: "required" }),
    stateCode: state(caseState),
    ...common(),
    ...owner("incident"),
  },
  alternateKeys: [],
});

export const campaignStatus = defineChoice({
  name: "campaign_statuscode", displayName: "Status Reason", global: false, origin: "outOfBox",
  options: {
    proposed: { value: 0, label: "Proposed" },
    readyToLaunch: { value: 1, label: "Ready To Launch" },
    launched: { value: 2, label: "Launched" },
    completed: { value: 3, label: "Completed" },
    canceled: { value: 4, label: "Canceled" },
    suspended: { value: 5, label: "Suspended" },
    inactive: { value: 6, label: "Inactive" },
  },
});
export const campaignType = defineChoice({
  name: "campaign_typecode", displayName: "Campaign Type", global: false, origin: "outOfBox",
  options: {
    advertisement: { value: 1, label: "Advertisement" },
    directMarketing: { value: 2, label: "Direct Marketing" },
    event: { value: 3, label: "Event" },
    coBranding: { value: 4, label: "Co-branding" },
    other: { value: 5, label: "Other" },
  },
});

export const campaign = defineTable({
  ...names.campaign,
  displayName: "Campaign",
  displayCollectionName: "Campaigns",
  description: "Container for campaign activities and responses (Dynamics 365 Sales/Marketing).",
  ownershipType: "UserOwned",
  origin: "outOfBox",
  columns: {
    id: key("campaignid", "Campaign"),
    name: text("name", "Name", 128, { requiredLevel: "required" }),
    description: memo("description", "Description", 2000),
    typeCode: choice("typecode", "Campaign Type", campaignType),
    statusCode: { ...choice("statuscode", "Status Reason", campaignStatus), type: "status" } as ChoiceColumn,
    launchDate: dateTime("actualstart", "Actual Start", "DateOnly", { description: "The launch date." }),
    endDate: dateTime("actualend", "Actual End", "DateOnly"),
    proposedStart: dateTime("proposedstart", "Proposed Start", "DateOnly"),
    proposedEnd: dateTime("proposedend", "Proposed End", "DateOnly"),
    audience: text("psh_Audience", "Audience", 200, { origin: "core", description: "Who the campaign is for; carried onto its PhotoShelter collection." }),
    stateCode: state(activeInactive("campaign")),
    ...common(),
    ...owner("campaign"),
  },
  alternateKeys: [],
});

export const opportunityState = defineChoice({
  name: "opportunity_statecode", displayName: "Status", global: false, origin: "outOfBox",
  options: { open: { value: 0, label: "Open" }, won: { value: 1, label: "Won" }, lost: { value: 2, label: "Lost" } },
});

const money = (logicalName: string, displayName: string): MoneyColumn => ({ logicalName, schemaName: logicalName, displayName, requiredLevel: "none", type: "money" });

export const opportunity = defineTable({
  ...names.opportunity,
  displayName: "Opportunity",
  displayCollectionName: "Opportunities",
  description: "Potential revenue-generating event or sale to an account (Dynamics 365 Sales).",
  ownershipType: "UserOwned",
  origin: "outOfBox",
  columns: {
    id: key("opportunityid", "Opportunity"),
    name: text("name", "Topic", 300, { requiredLevel: "required" }),
    parentAccountId: platformLookup("parentaccountid", "Account", [target("account", "opportunity_parent_account", "parentaccountid")]),
    campaignId: platformLookup("campaignid", "Source Campaign", [target("campaign", "campaign_opportunities", "campaignid")]),
    estimatedValue: money("estimatedvalue", "Est. Revenue"),
    actualCloseDate: dateTime("actualclosedate", "Actual Close Date", "DateOnly"),
    productLine: choice("psh_ProductLine", "Product Line", productLine, { origin: "core", description: "Main product line of the deal; drives automatic asset links when won." }),
    stateCode: state(opportunityState),
    ...common(),
    ...owner("opportunity"),
  },
  alternateKeys: [],
});

export const businessUnit = defineTable({
  ...names.businessUnit,
  displayName: "Business Unit",
  displayCollectionName: "Business Units",
  description: "Business, division, or department in the Microsoft Dynamics 365 database.",
  ownershipType: "BusinessOwned",
  origin: "outOfBox",
  columns: {
    id: key("businessunitid", "Business Unit"),
    name: text("name", "Name", 160, { requiredLevel: "required" }),
    parentBusinessUnitId: platformLookup("parentbusinessunitid", "Parent Business", [target("businessunit", "business_unit_parent_business_unit", "parentbusinessunitid")]),
    ...common(),
  },
  alternateKeys: [],
});

const aadObjectId: UniqueIdentifierColumn = {
  logicalName: "azureactivedirectoryobjectid", schemaName: "AzureActiveDirectoryObjectId", displayName: "Azure AD Object ID", requiredLevel: "none", type: "uniqueidentifier",
};
const applicationId: UniqueIdentifierColumn = {
  logicalName: "applicationid", schemaName: "ApplicationId", displayName: "Application ID", requiredLevel: "none", type: "uniqueidentifier",
};

/** How a user reaches Dynamics 365: people read and write; application users are non-interactive. */
export const userAccessMode = defineChoice({
  name: "systemuser_accessmode", displayName: "Access Mode", global: false, origin: "outOfBox",
  options: {
    readWrite: { value: 0, label: "Read-Write" },
    administrative: { value: 1, label: "Administrative" },
    read: { value: 2, label: "Read" },
    supportUser: { value: 3, label: "Support User" },
    nonInteractive: { value: 4, label: "Non-interactive" },
    delegatedAdmin: { value: 5, label: "Delegated Admin" },
  },
});

export const systemUser = defineTable({
  ...names.systemUser,
  displayName: "User",
  displayCollectionName: "Users",
  description: "Person with access to the Microsoft CRM system and who owns objects in the Microsoft CRM database.",
  ownershipType: "BusinessOwned",
  origin: "outOfBox",
  columns: {
    id: key("systemuserid", "User"),
    fullName: text("fullname", "Full Name", 200),
    domainName: text("domainname", "User Name", 1024, { requiredLevel: "required", description: "The user principal name (UPN)." }),
    email: text("internalemailaddress", "Primary Email", 100, { format: "email" }),
    title: text("title", "Title", 128),
    aadObjectId,
    applicationId,
    isDisabled: yesNo("isdisabled", "Status", false),
    accessMode: choice("accessmode", "Access Mode", userAccessMode),
    businessUnitId: platformLookup("businessunitid", "Business Unit", [target("businessunit", "business_unit_system_users", "businessunitid")], { requiredLevel: "required" }),
    ...common(),
  },
  alternateKeys: [],
});

export const entitlementState = defineChoice({
  name: "entitlement_statecode", displayName: "Status", global: false, origin: "outOfBox",
  options: { active: { value: 0, label: "Active" }, draft: { value: 1, label: "Draft" }, expired: { value: 2, label: "Expired" }, cancelled: { value: 3, label: "Cancelled" } },
});

export const entitlement = defineTable({
  ...names.entitlement,
  displayName: "Entitlement",
  displayCollectionName: "Entitlements",
  description: "Defines the amount and type of support a customer is entitled to (Dynamics 365 Customer Service); for partners, their content access.",
  ownershipType: "UserOwned",
  origin: "outOfBox",
  columns: {
    id: key("entitlementid", "Entitlement"),
    name: text("name", "Name", 100, { requiredLevel: "required" }),
    customerId: platformLookup("customerid", "Customer", [
      target("account", "entitlement_customer_accounts", "customerid_account"),
      target("contact", "entitlement_customer_contacts", "customerid_contact"),
    ], { requiredLevel: "required" }),
    startDate: dateTime("startdate", "Start Date", "DateOnly", { requiredLevel: "required" }),
    endDate: dateTime("enddate", "End Date", "DateOnly", { requiredLevel: "required" }),
    galleryIds: memo("psh_GalleryIds", "PhotoShelter Galleries", 4000, { origin: "core", description: "PhotoShelter galleries (G…) this entitlement gives the partner, separated by commas, spaces or new lines; granted while it is active." }),
    stateCode: state(entitlementState),
    ...common(),
    ...owner("entitlement"),
  },
  alternateKeys: [],
});
