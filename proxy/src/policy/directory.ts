/**
 * What the access policy needs from Dataverse, as an interface so the policy does not depend on how
 * Dataverse is reached (the Web API in production, the mock in development and tests).
 */
import type { PrivilegeDepth } from "../dataverse";
import type { AccessRule, PartnerGrant, Segment } from "./rules";

export interface DirectoryUser {
  systemUserId: string;
  /** Entra object id: the proxy reads Dataverse as this user by it (CallerObjectId). */
  objectId: string;
  fullName: string | null;
  businessUnitId: string | null;
  /** False for a non-interactive user (access mode Non-interactive: application users, service accounts). */
  interactive: boolean;
}

export interface HostRecord {
  entity: string;
  id: string;
  /** The account whose segment applies: the record itself, a case's or opportunity's customer, a contact's company; null for campaigns and events. */
  accountId: string | null;
}

export interface Directory {
  /** The Dataverse user of an Entra object id, or null when there is none (or it is disabled). */
  userByObjectId(oid: string): Promise<DirectoryUser | null>;
  /**
   * The host record read as the user (Dataverse impersonation), or null when it does not exist or the
   * user may not read it — the two are never told apart. Throws a validation error for tables the
   * product does not serve.
   */
  hostRecord(entity: string, id: string, asUser: DirectoryUser): Promise<HostRecord | null>;
  /** The privileges the user holds, by lower-case name (`prvcreatepsh_assetlink`), with their depth. */
  privileges(user: DirectoryUser): Promise<Map<string, PrivilegeDepth>>;
  /** The names of the user's security roles (the admin API needs PhotoShelter Admin or System Administrator). */
  roles(user: DirectoryUser): Promise<string[]>;
  /** An account's segment attributes, or null when the account does not exist. */
  segment(accountId: string): Promise<Segment | null>;
  accessRules(): Promise<AccessRule[]>;
  partnerGrants(accountId: string): Promise<PartnerGrant[]>;
  /** Throws when Dataverse cannot be reached (for /readyz). */
  ready(): Promise<void>;
}
