/**
 * Business units, security roles and users of the demo org. Each user has an Entra object id (the
 * `oid` of the tokens the issuer signs for them) and one role that decides what the mock Dataverse
 * lets them do (and what RetrieveUserPrivileges reports to the workbench's hasEntityPrivilege).
 */
import { signInRequest } from "../../../solution/model/signInRequest";
import { demoId } from "./ids";

export const BUSINESS_UNITS = {
  root: { id: demoId("businessunit", 1), name: "Contoso", parent: null },
  salesNorthAmerica: { id: demoId("businessunit", 2), name: "Sales North America", parent: "root" },
  salesEmea: { id: demoId("businessunit", 3), name: "Sales EMEA", parent: "root" },
  salesApac: { id: demoId("businessunit", 4), name: "Sales APAC", parent: "root" },
  customerService: { id: demoId("businessunit", 5), name: "Customer Service", parent: "root" },
  marketing: { id: demoId("businessunit", 6), name: "Marketing", parent: "root" },
  partnerManagement: { id: demoId("businessunit", 7), name: "Partner Management", parent: "root" },
} as const;

export type BusinessUnitKey = keyof typeof BUSINESS_UNITS;

/** Privilege verbs as Dataverse names them (prv<Verb><table>). */
export type PrivilegeVerb = "Create" | "Read" | "Write" | "Delete" | "Append" | "AppendTo";

/**
 * How far a privilege reaches, as in a Dataverse security role: the user's own records (Basic), their
 * business unit's (Local), their unit and the units below it (Deep), or every record (Global).
 * Organization-owned tables know only Global.
 */
export type PrivilegeDepth = "Basic" | "Local" | "Deep" | "Global";
export const DEPTH_ORDER: readonly PrivilegeDepth[] = ["Basic", "Local", "Deep", "Global"];

/** A table's privileges in a role: the depth of each verb it holds. */
export type TablePrivileges = Readonly<Partial<Record<PrivilegeVerb, PrivilegeDepth>>>;

export interface DemoRole {
  id: string;
  name: string;
  /** Privileges by table logical name; `*` is every table not named. */
  privileges: Readonly<Record<string, TablePrivileges>>;
  /** Privileges that belong to no table, e.g. prvActOnBehalfOfAnotherUser (the Delegate role). */
  miscellaneous?: readonly string[];
}

const at = (depth: PrivilegeDepth, ...verbs: PrivilegeVerb[]): TablePrivileges => Object.fromEntries(verbs.map((verb) => [verb, depth]));
const ALL_VERBS: PrivilegeVerb[] = ["Create", "Read", "Write", "Delete", "Append", "AppendTo"];
const NONE: TablePrivileges = {};

/** Reference data everybody reads: users, business units, access rules, other people's tables unless a role says otherwise. */
const READ_EVERYTHING = at("Global", "Read", "AppendTo");
/** PhotoShelter User: reads every link, creates, changes and deletes their own. */
const PHOTOSHELTER_USER = { ...at("Basic", "Create", "Write", "Delete", "Append", "AppendTo"), Read: "Global" } as const;
/** PhotoShelter User's sign-in proof: create, read and delete one's own sign-in requests, nobody else's, and change none. */
const SIGN_IN = { [signInRequest.logicalName]: at("Basic", "Create", "Read", "Delete") };
/** The records of one's work: created as oneself, read and worked on with the whole business unit. */
const OWN_WORK = { Create: "Basic", Read: "Local", Write: "Local", Append: "Local", AppendTo: "Local" } as const;

/**
 * A business role plus PhotoShelter User. Depths follow Dynamics 365's own roles in spirit: a
 * salesperson reads the accounts, contacts and opportunities of their business unit (not every
 * account) and no cases; a service representative reads the cases of their unit and every customer;
 * a marketer works on the unit's campaigns and events and reads every customer.
 */
const businessRole = (n: number, name: string, tables: Record<string, TablePrivileges>): DemoRole => ({
  id: demoId("role", n),
  name,
  privileges: { "*": READ_EVERYTHING, psh_assetlink: PHOTOSHELTER_USER, ...SIGN_IN, ...tables },
});

export const ROLES = {
  systemAdministrator: { id: demoId("role", 1), name: "System Administrator", privileges: { "*": at("Global", ...ALL_VERBS) } },
  salesperson: businessRole(2, "Salesperson + PhotoShelter User", { account: OWN_WORK, contact: OWN_WORK, opportunity: OWN_WORK, incident: at("Local", "Read") }),
  serviceRepresentative: businessRole(3, "Customer Service Representative + PhotoShelter User", { incident: OWN_WORK, contact: { ...OWN_WORK, Read: "Global" }, campaign: NONE, msevtmgt_event: NONE }),
  marketer: businessRole(4, "Marketing Professional + PhotoShelter User", { campaign: OWN_WORK, msevtmgt_event: OWN_WORK, incident: NONE }),
  partnerManager: businessRole(5, "Partner Manager + PhotoShelter User", { account: { ...OWN_WORK, Read: "Global" }, contact: { ...OWN_WORK, Read: "Global" }, entitlement: OWN_WORK, incident: NONE }),
  photoShelterReadOnly: {
    id: demoId("role", 6),
    name: "PhotoShelter Read Only",
    privileges: { "*": at("Global", "Read"), account: at("Local", "Read"), contact: at("Local", "Read"), opportunity: at("Local", "Read"), incident: at("Local", "Read"), ...SIGN_IN },
  },
  integration: { id: demoId("role", 7), name: "PhotoShelter Integration", privileges: { "*": at("Global", ...ALL_VERBS) } },
  /** The solution's admin role: everything on our tables (the proxy's admin API recognizes it by name). */
  photoShelterAdmin: {
    id: demoId("role", 9),
    name: "PhotoShelter Admin",
    privileges: { "*": READ_EVERYTHING, ...Object.fromEntries(["psh_assetlink", "psh_collectionlink", "psh_accessrule", "psh_partnergrant", "psh_assetusage"].map((table) => [table, at("Global", ...ALL_VERBS)])) },
  },
  /** Dataverse's Delegate role: lets an application user act for another user (CallerObjectId impersonation). */
  delegate: { id: demoId("role", 8), name: "Delegate", privileges: {}, miscellaneous: ["prvActOnBehalfOfAnotherUser"] },
} as const satisfies Record<string, DemoRole>;

export type RoleKey = keyof typeof ROLES;

/**
 * Owner teams with security roles (an Entra group team looks the same): a member holds the team's
 * roles as well as their own. Nobody is a member in the demo data; tests make members.
 */
export const TEAMS = {
  brandAdministrators: { id: demoId("team", 1), name: "Brand Administrators", roles: ["photoShelterAdmin"] },
} as const satisfies Record<string, { id: string; name: string; roles: readonly RoleKey[] }>;

export type TeamKey = keyof typeof TEAMS;

export interface DemoUser {
  id: string;
  /** azureactivedirectoryobjectid: the `oid` claim of this user's tokens. */
  oid: string;
  upn: string;
  name: string;
  title: string;
  businessUnit: BusinessUnitKey;
  /** Security roles, the business role first. */
  roles: readonly RoleKey[];
  /** Set for the application user the proxy's client-credentials token maps to. */
  application?: boolean;
}

const user = (n: number, upn: string, name: string, title: string, businessUnit: BusinessUnitKey, ...roles: RoleKey[]): DemoUser => ({
  id: demoId("systemuser", n),
  oid: demoId("aadobject", n),
  upn,
  name,
  title,
  businessUnit,
  roles,
});

export const USERS = {
  admin: user(1, "avery.admin@contoso.example", "Avery Admin", "CRM Administrator", "root", "systemAdministrator"),
  salesNorthAmerica: user(2, "riley.rep@contoso.example", "Riley Rep", "Account Executive, North America", "salesNorthAmerica", "salesperson"),
  salesEmea: user(3, "emma.schmidt@contoso.example", "Emma Schmidt", "Account Executive, EMEA", "salesEmea", "salesperson"),
  salesApac: user(4, "kenji.tanaka@contoso.example", "Kenji Tanaka", "Account Executive, APAC", "salesApac", "salesperson"),
  serviceAgent: user(5, "sam.service@contoso.example", "Sam Service", "Field Service Agent", "customerService", "serviceRepresentative"),
  marketer: user(6, "mia.marketer@contoso.example", "Mia Marketer", "Campaign and Event Marketer", "marketing", "marketer"),
  partnerManager: user(7, "parker.partner@contoso.example", "Parker Partner", "Partner Manager", "partnerManagement", "partnerManager"),
  readOnly: user(8, "rowan.reader@contoso.example", "Rowan Reader", "Sales Analyst (read only)", "salesNorthAmerica", "photoShelterReadOnly"),
  integration: { ...user(9, "photoshelter-integration@contoso.example", "PhotoShelter Integration", "Application user of the proxy", "root", "integration", "delegate"), application: true },
} as const satisfies Record<string, DemoUser>;

export type UserKey = keyof typeof USERS;

/** Finds a seeded user by systemuserid, object id or UPN (case-insensitive). */
export function findDemoUser(reference: string): DemoUser | undefined {
  const wanted = reference.trim().toLowerCase().replace(/[{}]/g, "");
  return Object.values(USERS).find((u) => u.id === wanted || u.oid === wanted || u.upn.toLowerCase() === wanted);
}
