/**
 * Who is calling and what they may do, as Dataverse decides it: the caller's security roles (a
 * depth per privilege), record-level read, write, delete, append and append-to by that depth (own
 * records, business unit, unit and the units below, organization), and impersonation — an application user holding
 * prvActOnBehalfOfAnotherUser (the Delegate role) acts as the user named by the `CallerObjectId`
 * (Entra object id) or `MSCRMCallerID` (systemuserid) header.
 */
import { outOfBox } from "../../solution/model";
import { ROLES, TEAMS, USERS, type PrivilegeDepth, type PrivilegeVerb, type RoleKey, type TablePrivileges, type TeamKey } from "./demoData/users";
import { CODES, DataverseError } from "./errors";
import type { Metadata, TableMetadata } from "./metadata";
import type { Reference, Row, Store } from "./store";

export const VERBS: readonly PrivilegeVerb[] = ["Create", "Read", "Write", "Delete", "Append", "AppendTo"];
const DEPTH_RANK: Record<PrivilegeDepth, number> = { Basic: 0, Local: 1, Deep: 2, Global: 3 };
export const ACT_ON_BEHALF = "prvActOnBehalfOfAnotherUser";

export interface Principal {
  userId: string;
  businessUnitId: string | null;
  /** The deepest depth of a privilege among the caller's roles, or null when no role grants it. */
  depth(table: string, verb: PrivilegeVerb): PrivilegeDepth | null;
  can(table: string, verb: PrivilegeVerb): boolean;
  /** Holds a privilege that belongs to no table (prvActOnBehalfOfAnotherUser). */
  holds(privilege: string): boolean;
  /** All privileges, for RetrieveUserPrivileges. */
  privileges(): Array<{ table: string; verb: PrivilegeVerb; depth: PrivilegeDepth }>;
  /** The security roles assigned to the user, for systemusers(id)/systemuserroles_association. */
  roles(): Array<{ id: string; name: string }>;
  /** The owner teams the user is a member of, with their roles, for systemusers(id)/teammembership_association. */
  teams(): Array<{ id: string; name: string; roles: Array<{ id: string; name: string }> }>;
  /** The application user who acts for this principal (impersonation), if any. */
  actingUserId?: string;
}

/** Security roles and team memberships per user, seeded from the demo users; tests take a role away or give one. */
export class RoleAssignments {
  private readonly assigned = new Map<string, RoleKey[]>();
  private readonly memberships = new Map<string, TeamKey[]>();

  constructor() {
    this.reset();
  }

  reset(): void {
    this.assigned.clear();
    this.memberships.clear();
    for (const user of Object.values(USERS)) this.assigned.set(user.id, [...user.roles]);
  }

  /** The roles assigned to the user directly. */
  of(userId: string): readonly RoleKey[] {
    return this.assigned.get(userId.toLowerCase()) ?? [];
  }

  assign(userId: string, roles: readonly RoleKey[]): void {
    this.assigned.set(userId.toLowerCase(), [...roles]);
  }

  teamsOf(userId: string): readonly TeamKey[] {
    return this.memberships.get(userId.toLowerCase()) ?? [];
  }

  /** Makes the user a member of exactly these teams. */
  joinTeams(userId: string, teams: readonly TeamKey[]): void {
    this.memberships.set(userId.toLowerCase(), [...teams]);
  }
}

const deeper = (a: PrivilegeDepth | null, b: PrivilegeDepth | undefined): PrivilegeDepth | null => (b === undefined ? a : a === null || DEPTH_RANK[b] > DEPTH_RANK[a] ? b : a);

/**
 * The principal of a systemuser row with these roles and teams. A team's roles add their privileges
 * to the member's (Dataverse's "team privileges" inheritance, simplified: whatever the depth).
 */
export function principalFor(user: Row, roles: readonly RoleKey[], metadata: Metadata, teams: readonly TeamKey[]): Principal {
  const definitions = [...new Set([...roles, ...teams.flatMap((team) => TEAMS[team].roles)])].map((key) => ROLES[key]);
  // A table a role names is governed by that entry alone; `*` covers the tables it does not name.
  const tablePrivileges = (table: string): TablePrivileges[] =>
    definitions.map((role) => {
      const privileges = role.privileges as Readonly<Record<string, TablePrivileges>>;
      return Object.hasOwn(privileges, table) ? privileges[table] : (privileges["*"] ?? {});
    });
  const depth = (table: string, verb: PrivilegeVerb) => tablePrivileges(table).reduce<PrivilegeDepth | null>((best, privileges) => deeper(best, privileges[verb]), null);
  const miscellaneous = new Set(definitions.flatMap((role) => ("miscellaneous" in role ? role.miscellaneous : [])));
  return {
    userId: String(user[outOfBox.systemUser.primaryIdAttribute]),
    businessUnitId: (user[outOfBox.systemUser.columns.businessUnitId.logicalName] as Reference | null)?.id ?? null,
    depth,
    can: (table, verb) => depth(table, verb) !== null,
    holds: (privilege) => miscellaneous.has(privilege),
    roles: () => roles.map((key) => ({ id: ROLES[key].id, name: ROLES[key].name })),
    teams: () => teams.map((key) => ({ id: TEAMS[key].id, name: TEAMS[key].name, roles: TEAMS[key].roles.map((role) => ({ id: ROLES[role].id, name: ROLES[role].name })) })),
    privileges: () =>
      [...metadata.tables.keys()].flatMap((table) =>
        VERBS.flatMap((verb) => {
          const held = depth(table, verb);
          return held === null ? [] : [{ table, verb, depth: held }];
        }),
      ),
  };
}

/**
 * The user an application user acts for. Dataverse refuses impersonation unless the calling user
 * holds prvActOnBehalfOfAnotherUser, and the impersonated user must be an enabled user of the org.
 */
export function impersonated(caller: Principal, headers: Record<string, string | string[] | undefined>, store: Store, roles: RoleAssignments, metadata: Metadata): Principal {
  const objectId = single(headers.callerobjectid);
  const systemUserId = single(headers.mscrmcallerid);
  if (objectId === undefined && systemUserId === undefined) return caller;
  if (!caller.holds(ACT_ON_BEHALF)) {
    throw new DataverseError(403, CODES.missingPrivilege, `Principal user (Id=${caller.userId}, type=8) is missing ${ACT_ON_BEHALF} privilege.`);
  }
  const wanted = (objectId ?? systemUserId ?? "").trim().replace(/[{}]/g, "").toLowerCase();
  const U = outOfBox.systemUser;
  const user = store
    .rows(U.logicalName)
    .find((row) => String((objectId !== undefined ? row[U.columns.aadObjectId.logicalName] : row[U.primaryIdAttribute]) ?? "").toLowerCase() === wanted);
  if (!user || user[U.columns.isDisabled.logicalName] === true) {
    throw new DataverseError(403, CODES.notAuthenticated, `The user to act for (${objectId !== undefined ? "CallerObjectId" : "MSCRMCallerID"} ${wanted}) is not an enabled user of the organization.`);
  }
  const userId = String(user[U.primaryIdAttribute]);
  return { ...principalFor(user, roles.of(userId), metadata, roles.teamsOf(userId)), actingUserId: caller.userId };
}

const single = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/**
 * Record-level access, by the depth of the caller's privilege for the verb on the row's table: read,
 * write, delete, append (the row gets a lookup) and append-to (another row's lookup points at it).
 */
export class RecordAccess {
  constructor(private readonly store: Store) {}

  canRead(principal: Principal, entry: TableMetadata, row: Row): boolean {
    return this.can(principal, entry, row, "Read");
  }

  can(principal: Principal, entry: TableMetadata, row: Row, verb: PrivilegeVerb): boolean {
    const depth = principal.depth(entry.table.logicalName, verb);
    if (depth === null) return false;
    if (depth === "Global") return true;
    const unit = this.businessUnitOf(entry, row);
    if (unit === undefined) return true; // organization-owned: read privilege is organization-wide
    if (entry.table.ownershipType === "UserOwned" && this.ownerOf(row) === principal.userId) return true;
    if (depth === "Basic") return false;
    if (unit === null || principal.businessUnitId === null) return false;
    if (depth === "Local") return unit === principal.businessUnitId;
    return this.isWithin(unit, principal.businessUnitId);
  }

  /** Dataverse's answer to a verb on a row the caller's depth does not reach. */
  denied(principal: Principal, entry: TableMetadata, row: Row, verb: PrivilegeVerb = "Read"): DataverseError {
    const id = String(row[entry.table.primaryIdAttribute]);
    return new DataverseError(
      403,
      CODES.missingPrivilege,
      `SecLib::AccessCheckEx failed. Returned hr = -2147187962, ObjectID: ${id}, OwnerId: ${this.ownerOf(row) ?? "none"}, OwnerIdType: 8 and CallingUser: ${principal.userId}. ObjectTypeCode: ${entry.table.logicalName}, objectBusinessUnitId: ${this.businessUnitOf(entry, row) ?? "none"}, AccessRights: ${verb}Access`,
    );
  }

  /** Throws Dataverse's 403 unless the caller's depth for `verb` reaches the row. */
  demand(principal: Principal, entry: TableMetadata, row: Row, verb: PrivilegeVerb): void {
    if (!this.can(principal, entry, row, verb)) throw this.denied(principal, entry, row, verb);
  }

  private ownerOf(row: Row): string | null {
    return (row.ownerid as Reference | null | undefined)?.id ?? null;
  }

  /** The business unit a row belongs to; undefined for tables whose rows belong to the organization. */
  private businessUnitOf(entry: TableMetadata, row: Row): string | null | undefined {
    const { table } = entry;
    if (table.logicalName === outOfBox.businessUnit.logicalName) return String(row[table.primaryIdAttribute]);
    if (table.ownershipType === "BusinessOwned") return (row[outOfBox.systemUser.columns.businessUnitId.logicalName] as Reference | null)?.id ?? null;
    if (table.ownershipType !== "UserOwned") return undefined;
    const owner = this.ownerOf(row);
    const user = owner ? this.store.get(outOfBox.systemUser.logicalName, owner) : undefined;
    return (user?.[outOfBox.systemUser.columns.businessUnitId.logicalName] as Reference | null | undefined)?.id ?? null;
  }

  /** Is `unit` the business unit `ancestor` or one below it? */
  private isWithin(unit: string, ancestor: string): boolean {
    const parentColumn = outOfBox.businessUnit.columns.parentBusinessUnitId.logicalName;
    const seen = new Set<string>();
    for (let current: string | null = unit; current && !seen.has(current); ) {
      if (current === ancestor) return true;
      seen.add(current);
      current = (this.store.get(outOfBox.businessUnit.logicalName, current)?.[parentColumn] as Reference | null | undefined)?.id ?? null;
    }
    return false;
  }
}
