/**
 * The Directory over the Dataverse client (server-to-server, client credentials). Table and column
 * names come from the solution's data model, never spelled out here; values become escaped literals.
 */
import type { Logger } from "pino";
import { accessRule, choices, event as eventTable, lookupValueName, outOfBox, partnerGrant } from "../../../solution/model";
import { industrySegmentOfIndustryCode } from "../../../solution/model/outOfBox";
import { DataverseApiError, DataverseClient, guid, literal, LiteralValue, PrivilegeDepth, propertyName, Row, TableRef } from "../dataverse";
import { ProxyError } from "../errors";
import type { Directory, DirectoryUser, HostRecord } from "./directory";
import { AccessRule, parseContainerIds, PartnerGrant, Segment } from "./rules";

/** `<column> eq <value>`: the column name is checked, the value becomes an escaped literal. */
const equals = (column: string, value: LiteralValue) => `${propertyName(column)} eq ${literal(value)}`;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : null);

const { account, contact, incident, opportunity, campaign, systemUser, userAccessMode } = outOfBox;
const A = account.columns;
const R = accessRule.columns;
const P = partnerGrant.columns;
const U = systemUser.columns;

/**
 * The host tables the control is placed on, and the lookup that leads to the account whose segment
 * applies. A Map, so a table name from the request can never reach an object's prototype ("constructor").
 */
const HOST_TABLES = new Map<string, { table: TableRef; accountLookup: string | null; customerLookup: boolean }>([
  [account.logicalName, { table: account, accountLookup: null, customerLookup: false }],
  [incident.logicalName, { table: incident, accountLookup: lookupValueName(incident.columns.customerId), customerLookup: true }],
  [opportunity.logicalName, { table: opportunity, accountLookup: lookupValueName(opportunity.columns.parentAccountId), customerLookup: false }],
  [contact.logicalName, { table: contact, accountLookup: lookupValueName(contact.columns.parentCustomerId), customerLookup: true }],
  [campaign.logicalName, { table: campaign, accountLookup: null, customerLookup: false }],
  [eventTable.logicalName, { table: eventTable, accountLookup: null, customerLookup: false }],
]);

/** Dataverse's "missing privilege / access check failed" code: for a read as the user, "you may not read it". */
const ACCESS_DENIED = "0x80040220";

export class DataverseDirectory implements Directory {
  constructor(
    private readonly client: DataverseClient,
    private readonly log: Logger,
  ) {}

  async userByObjectId(oid: string): Promise<DirectoryUser | null> {
    if (!GUID.test(oid)) return null;
    const businessUnit = lookupValueName(U.businessUnitId);
    const rows = await this.read(() =>
      this.client.query(systemUser, { select: [U.id.logicalName, U.fullName.logicalName, businessUnit, U.isDisabled.logicalName, U.accessMode.logicalName], filter: equals(U.aadObjectId.logicalName, guid(oid)) }),
    );
    const row = rows.find((r) => r[U.isDisabled.logicalName] !== true);
    if (!row) return null;
    return {
      systemUserId: String(row[U.id.logicalName]),
      objectId: oid,
      fullName: str(row[U.fullName.logicalName]),
      businessUnitId: str(row[businessUnit]),
      interactive: row[U.accessMode.logicalName] !== userAccessMode.options.nonInteractive.value,
    };
  }

  async hostRecord(entity: string, id: string, asUser: DirectoryUser): Promise<HostRecord | null> {
    const host = HOST_TABLES.get(entity);
    if (!host) throw new ProxyError("validation_failed", `record: the table "${entity}" is not one the control serves (${[...HOST_TABLES.keys()].join(", ")})`);
    // Read as the caller: Dataverse decides whether they may open this record (their roles, down to the record).
    const row = await this.readAsUser(asUser, () => this.client.as(asUser.objectId).retrieve(host.table, guid(id), { select: [host.accountLookup ?? host.table.primaryIdAttribute] }));
    if (!row) return null;
    if (entity === account.logicalName) return { entity, id, accountId: id };
    const linked = host.accountLookup ? str(row[host.accountLookup]) : null;
    return { entity, id, accountId: linked && host.customerLookup ? await this.accountOfCustomer(linked) : linked };
  }

  async segment(accountId: string): Promise<Segment | null> {
    const row = await this.retrieve(account, accountId, [A.industryCode, A.region, A.tier, A.productLines].map((c) => c.logicalName));
    if (!row) return null;
    const industryCode = num(row[A.industryCode.logicalName]);
    const segmentKey = industryCode === null ? undefined : industrySegmentOfIndustryCode[industryCode];
    const productLines = String(row[A.productLines.logicalName] ?? "")
      .split(",")
      .map((value) => num(value.trim()))
      .filter((value): value is number => value !== null);
    return {
      industry: segmentKey ? choices.industrySegment.options[segmentKey].value : null,
      region: num(row[A.region.logicalName]),
      tier: num(row[A.tier.logicalName]),
      productLines,
    };
  }

  async accessRules(): Promise<AccessRule[]> {
    const businessUnit = lookupValueName(R.businessUnitId);
    const select = [R.id, R.name, R.industry, R.region, R.tier, R.productLine, R.containerIds].map((c) => c.logicalName).concat(businessUnit);
    const rows = await this.read(() => this.client.query(accessRule, { select, filter: equals(R.stateCode.logicalName, 0) }));
    return rows.map((row) => ({
      id: String(row[R.id.logicalName]),
      name: str(row[R.name.logicalName]) ?? "",
      industry: num(row[R.industry.logicalName]),
      region: num(row[R.region.logicalName]),
      tier: num(row[R.tier.logicalName]),
      productLine: num(row[R.productLine.logicalName]),
      businessUnitId: str(row[businessUnit]),
      containerIds: parseContainerIds(str(row[R.containerIds.logicalName])),
    }));
  }

  async partnerGrants(accountId: string): Promise<PartnerGrant[]> {
    const rows = await this.read(() =>
      this.client.query(partnerGrant, { select: [P.galleryId.logicalName, P.status.logicalName], filter: equals(lookupValueName(P.accountId), guid(accountId)) }),
    );
    const granted = choices.grantStatus.options.granted.value;
    return rows.map((row) => ({ galleryId: String(row[P.galleryId.logicalName] ?? ""), granted: num(row[P.status.logicalName]) === granted }));
  }

  async privileges(user: DirectoryUser): Promise<Map<string, PrivilegeDepth>> {
    return this.read(() => this.client.as(user.objectId).userPrivileges(user.systemUserId));
  }

  async roles(user: DirectoryUser): Promise<string[]> {
    return this.read(() => this.client.as(user.objectId).userRoles(user.systemUserId));
  }

  async ready(): Promise<void> {
    await this.read(() => this.client.query(accessRule, { select: [R.id.logicalName], top: 1 }));
  }

  /** A case's or contact's customer may be an account or a contact; a contact leads to its company. */
  private async accountOfCustomer(customerId: string): Promise<string | null> {
    if (await this.retrieve(account, customerId, [account.primaryIdAttribute])) return customerId;
    const lookup = lookupValueName(contact.columns.parentCustomerId);
    const person = await this.retrieve(contact, customerId, [lookup]);
    const company = person ? str(person[lookup]) : null;
    return company && (await this.retrieve(account, company, [account.primaryIdAttribute])) ? company : null;
  }

  private retrieve(table: TableRef, id: string, select: string[]): Promise<Row | null> {
    return this.read(() => this.client.retrieve(table, guid(id), { select }));
  }

  /**
   * A read as the user: Dataverse's access-denied answer means "not for this user" (null, as for a
   * record that does not exist) — unless it is the application user that may not act for users.
   */
  private async readAsUser(user: DirectoryUser, call: () => Promise<Row | null>): Promise<Row | null> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof DataverseApiError) || error.status !== 403 || error.code !== ACCESS_DENIED) throw this.failure(error);
      if (/prvActOnBehalfOfAnotherUser/i.test(error.message)) {
        this.log.error({ upstream: "Dataverse", status: error.status, error: error.message }, "the proxy's application user may not act for users: give it the Delegate role (prvActOnBehalfOfAnotherUser)");
        throw new ProxyError("upstream_error", "Dataverse does not let the proxy check what the signed-in user may read");
      }
      this.log.debug({ upstream: "Dataverse", user: user.systemUserId }, "the user may not read the host record");
      return null;
    }
  }

  /** Dataverse failures as errors the control can show; the details go to the log only. */
  private async read<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw this.failure(error);
    }
  }

  private failure(error: unknown): ProxyError {
    if (error instanceof ProxyError) return error;
    const status = error instanceof DataverseApiError ? error.status : null;
    this.log.warn({ upstream: "Dataverse", status, error: (error as Error).message }, "Dataverse query failed");
    if (status === 429) return new ProxyError("upstream_unavailable", "Dataverse is limiting requests; try again shortly", Math.ceil(((error as DataverseApiError).retryAfterMs ?? 5000) / 1000));
    return new ProxyError("upstream_error", "Dataverse could not answer the access check");
  }
}
