/**
 * The Directory over the Dataverse Web API (server-to-server OAuth, client credentials). Table and
 * column names come from the solution's data model, never spelled out here.
 */
import type { Logger } from "pino";
import { accessRule, lookupValueName, outOfBox, partnerGrant, choices } from "../../../solution/model";
import { industrySegmentOfIndustryCode } from "../../../solution/model/outOfBox";
import { ProxyError } from "../errors";
import { UpstreamHttp } from "../upstream/http";
import type { Directory, DirectoryUser, HostRecord } from "./directory";
import { AccessRule, parseContainerIds, PartnerGrant, Segment } from "./rules";

export interface DataverseSettings {
  url: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const API_PATH = "/api/data/v9.2";

type Row = Record<string, unknown>;
const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const num = (value: unknown): number | null => (typeof value === "number" ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : null);

const { account, contact, incident, opportunity, campaign, systemUser } = outOfBox;
const A = account.columns;
const R = accessRule.columns;
const P = partnerGrant.columns;
const U = systemUser.columns;

/** The host tables the control is placed on, and how each leads to the account whose segment applies. */
const HOST_TABLES: Record<string, { entitySetName: string; primaryIdAttribute: string; accountLookup: string | null; customerLookup: boolean }> = {
  [account.logicalName]: { entitySetName: account.entitySetName, primaryIdAttribute: account.primaryIdAttribute, accountLookup: null, customerLookup: false },
  [incident.logicalName]: { entitySetName: incident.entitySetName, primaryIdAttribute: incident.primaryIdAttribute, accountLookup: lookupValueName(incident.columns.customerId), customerLookup: true },
  [opportunity.logicalName]: { entitySetName: opportunity.entitySetName, primaryIdAttribute: opportunity.primaryIdAttribute, accountLookup: lookupValueName(opportunity.columns.parentAccountId), customerLookup: false },
  [contact.logicalName]: { entitySetName: contact.entitySetName, primaryIdAttribute: contact.primaryIdAttribute, accountLookup: lookupValueName(contact.columns.parentCustomerId), customerLookup: true },
  [campaign.logicalName]: { entitySetName: campaign.entitySetName, primaryIdAttribute: campaign.primaryIdAttribute, accountLookup: null, customerLookup: false },
  msevtmgt_event: { entitySetName: "msevtmgt_events", primaryIdAttribute: "msevtmgt_eventid", accountLookup: null, customerLookup: false },
};

export class DataverseDirectory implements Directory {
  private token: { value: string; expiresAt: number } | null = null;
  private tokenRequest: Promise<string> | null = null;

  constructor(
    private readonly settings: DataverseSettings,
    private readonly http: UpstreamHttp,
    private readonly log: Logger,
  ) {}

  async userByObjectId(oid: string): Promise<DirectoryUser | null> {
    if (!GUID.test(oid)) return null;
    const select = [U.id.logicalName, U.fullName.logicalName, lookupValueName(U.businessUnitId), U.isDisabled.logicalName].join(",");
    const rows = await this.list(`${systemUser.entitySetName}?$select=${select}&$filter=${U.aadObjectId.logicalName} eq ${oid}`);
    const row = rows.find((r) => r[U.isDisabled.logicalName] !== true);
    if (!row) return null;
    return { systemUserId: String(row[U.id.logicalName]), fullName: str(row[U.fullName.logicalName]), businessUnitId: str(row[lookupValueName(U.businessUnitId)]) };
  }

  async hostRecord(entity: string, id: string): Promise<HostRecord | null> {
    const table = HOST_TABLES[entity];
    if (!table) throw new ProxyError("validation_failed", `record: the table "${entity}" is not one the control serves (${Object.keys(HOST_TABLES).join(", ")})`);
    const select = table.accountLookup ?? table.primaryIdAttribute;
    const row = await this.get(`${table.entitySetName}(${id})?$select=${select}`);
    if (!row) return null;
    if (entity === account.logicalName) return { entity, id, accountId: id };
    const linked = table.accountLookup ? str(row[table.accountLookup]) : null;
    return { entity, id, accountId: linked && table.customerLookup ? await this.accountOfCustomer(linked) : linked };
  }

  async segment(accountId: string): Promise<Segment | null> {
    const select = [A.industryCode, A.region, A.tier, A.productLines].map((c) => c.logicalName).join(",");
    const row = await this.get(`${account.entitySetName}(${accountId})?$select=${select}`);
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
    const select = [R.id, R.name, R.industry, R.region, R.tier, R.productLine, R.containerIds].map((c) => c.logicalName).concat(businessUnit).join(",");
    const rows = await this.list(`${accessRule.entitySetName}?$select=${select}&$filter=${R.stateCode.logicalName} eq 0`);
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
    const select = [P.galleryId.logicalName, P.status.logicalName].join(",");
    const rows = await this.list(`${partnerGrant.entitySetName}?$select=${select}&$filter=${lookupValueName(P.accountId)} eq ${accountId}`);
    const granted = choices.grantStatus.options.granted.value;
    return rows.map((row) => ({ galleryId: String(row[P.galleryId.logicalName] ?? ""), granted: num(row[P.status.logicalName]) === granted }));
  }

  async ready(): Promise<void> {
    await this.list(`${accessRule.entitySetName}?$select=${R.id.logicalName}&$top=1`);
  }

  /** A case's or contact's customer may be an account or a contact; a contact leads to its company. */
  private async accountOfCustomer(customerId: string): Promise<string | null> {
    if (await this.get(`${account.entitySetName}(${customerId})?$select=${account.primaryIdAttribute}`)) return customerId;
    const lookup = lookupValueName(contact.columns.parentCustomerId);
    const person = await this.get(`${contact.entitySetName}(${customerId})?$select=${lookup}`);
    const company = person ? str(person[lookup]) : null;
    return company && (await this.get(`${account.entitySetName}(${company})?$select=${account.primaryIdAttribute}`)) ? company : null;
  }

  private async list(path: string): Promise<Row[]> {
    const rows: Row[] = [];
    let next: string | null = `${this.settings.url}${API_PATH}/${path}`;
    while (next) {
      const page = (await this.read(next)) as { value?: Row[]; "@odata.nextLink"?: string } | null;
      if (!page || !Array.isArray(page.value)) throw new ProxyError("upstream_error", "Dataverse sent a response the proxy could not read");
      rows.push(...page.value);
      next = page["@odata.nextLink"] ?? null;
    }
    return rows;
  }

  private get(path: string): Promise<Row | null> {
    return this.read(`${this.settings.url}${API_PATH}/${path}`) as Promise<Row | null>;
  }

  /** One GET; null for 404; a fresh token once when Dataverse says the current one is no longer valid. */
  private async read(url: string, retried = false): Promise<unknown> {
    const token = await this.accessToken();
    const { status, data } = await this.http.json<unknown>({
      method: "GET",
      url,
      headers: { authorization: `Bearer ${token}`, accept: "application/json", "odata-version": "4.0", "odata-maxversion": "4.0" },
    });
    if (status === 404) return null;
    if (status === 401 && !retried) {
      if (this.token?.value === token) this.token = null;
      return this.read(url, true);
    }
    if (status >= 400) {
      this.log.warn({ upstream: "Dataverse", status, path: new URL(url).pathname }, "Dataverse refused a query");
      throw new ProxyError("upstream_error", `Dataverse answered HTTP ${status}`);
    }
    return data;
  }

  /** Client-credentials token, fetched once for all concurrent callers and reused until shortly before it expires. */
  private accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now()) return Promise.resolve(this.token.value);
    this.tokenRequest ??= this.fetchToken().finally(() => (this.tokenRequest = null));
    return this.tokenRequest;
  }

  private async fetchToken(): Promise<string> {
    const body = new URLSearchParams({ grant_type: "client_credentials", client_id: this.settings.clientId, client_secret: this.settings.clientSecret, scope: this.settings.scope });
    const { status, data } = await this.http.json<{ access_token?: string; expires_in?: number }>({
      method: "POST",
      url: this.settings.tokenUrl,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      idempotent: true,
    });
    if (status !== 200 || typeof data.access_token !== "string") {
      this.log.error({ upstream: "Dataverse", status }, "Dataverse token request refused");
      throw new ProxyError("upstream_error", "The proxy could not sign in to Dataverse");
    }
    const lifetime = typeof data.expires_in === "number" ? data.expires_in : 3600;
    this.token = { value: data.access_token, expiresAt: Date.now() + Math.max(10, lifetime - 60) * 1000 };
    return data.access_token;
  }
}
