/**
 * Business units, security roles and users of the demo org. Each user has an Entra object id (the
 * `oid` of the tokens the issuer signs for them) and one role that decides what the mock Dataverse
 * lets them do (and what RetrieveUserPrivileges reports to the workbench's hasEntityPrivilege).
 */
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

export interface DemoRole {
  id: string;
  name: string;
  /** Privileges by table logical name; `*` means every table. */
  privileges: Readonly<Record<string, readonly PrivilegeVerb[]>>;
}

const ALL: readonly PrivilegeVerb[] = ["Create", "Read", "Write", "Delete", "Append", "AppendTo"];
const READ_APPEND_TO: readonly PrivilegeVerb[] = ["Read", "AppendTo"];

const WRITE: readonly PrivilegeVerb[] = ["Create", "Read", "Write", "Append", "AppendTo"];

/** A business role: reads everything, links assets, and maintains its own tables (never deletes them). */
const businessRole = (n: number, name: string, tables: string[]): DemoRole => ({
  id: demoId("role", n),
  name,
  privileges: {
    "*": READ_APPEND_TO,
    psh_assetlink: ALL,
    ...Object.fromEntries(tables.map((table) => [table, WRITE])),
  },
});

export const ROLES = {
  systemAdministrator: { id: demoId("role", 1), name: "System Administrator", privileges: { "*": ALL } },
  salesperson: businessRole(2, "Salesperson + PhotoShelter User", ["account", "contact", "opportunity"]),
  serviceRepresentative: businessRole(3, "Customer Service Representative + PhotoShelter User", ["incident", "contact"]),
  marketer: businessRole(4, "Marketing Professional + PhotoShelter User", ["campaign", "msevtmgt_event"]),
  partnerManager: businessRole(5, "Partner Manager + PhotoShelter User", ["account", "contact", "entitlement"]),
  photoShelterReadOnly: { id: demoId("role", 6), name: "PhotoShelter Read Only", privileges: { "*": ["Read"] } },
  integration: { id: demoId("role", 7), name: "PhotoShelter Integration", privileges: { "*": ALL } },
} as const satisfies Record<string, DemoRole>;

export type RoleKey = keyof typeof ROLES;

export interface DemoUser {
  id: string;
  /** azureactivedirectoryobjectid: the `oid` claim of this user's tokens. */
  oid: string;
  upn: string;
  name: string;
  title: string;
  businessUnit: BusinessUnitKey;
  role: RoleKey;
  /** Set for the application user the proxy's client-credentials token maps to. */
  application?: boolean;
}

const user = (n: number, upn: string, name: string, title: string, businessUnit: BusinessUnitKey, role: RoleKey): DemoUser => ({
  id: demoId("systemuser", n),
  oid: demoId("aadobject", n),
  upn,
  name,
  title,
  businessUnit,
  role,
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
  integration: { ...user(9, "photoshelter-integration@contoso.example", "PhotoShelter Integration", "Application user of the proxy", "root", "integration"), application: true },
} as const satisfies Record<string, DemoUser>;

export type UserKey = keyof typeof USERS;

/** Finds a seeded user by systemuserid, object id or UPN (case-insensitive). */
export function findDemoUser(reference: string): DemoUser | undefined {
  const wanted = reference.trim().toLowerCase().replace(/[{}]/g, "");
  return Object.values(USERS).find((u) => u.id === wanted || u.oid === wanted || u.upn.toLowerCase() === wanted);
}
