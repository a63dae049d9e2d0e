/**
 * Reads and writes the mock Dataverse directly (not through the workbench), so the tests compare
 * what the control shows with what Dataverse holds.
 */
import { request } from "undici";
import { demoMediaId } from "../../../mock-server/dataverse/demoData";
import { assetLink, choices, regardingKey } from "../../../solution/model";
import { assetLinkNames, logicalNameOf } from "../../../solution/model/names";

/** The records an asset link can point at: the lookup of psh_assetlink and the link type a form's attach writes. */
const LINKED = {
  account: { lookup: assetLinkNames.lookups.accountId, linkType: choices.linkType.options.brand.value },
  incident: { lookup: assetLinkNames.lookups.incidentId, linkType: choices.linkType.options.evidence.value },
  campaign: { lookup: assetLinkNames.lookups.campaignId, linkType: choices.linkType.options.campaign.value },
  msevtmgt_event: { lookup: assetLinkNames.lookups.eventId, linkType: choices.linkType.options.event.value },
} as const;
export type LinkedTable = keyof typeof LINKED;

/** The lookup column (logical name) of psh_assetlink that points at a table, e.g. psh_incidentid. */
export const linkLookupOf = (table: LinkedTable) => logicalNameOf(LINKED[table].lookup.schemaName);

export class DataverseAsUser {
  private token: string | null = null;

  constructor(
    private readonly mockUrl: string,
    private readonly user: string,
  ) {}

  private async bearer(): Promise<string> {
    if (this.token) return this.token;
    const response = await request(`${this.mockUrl}/issuer/dev/sign-in`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: this.user, audience: this.mockUrl }),
    });
    const body = (await response.body.json()) as { access_token: string };
    if (response.statusCode !== 200) throw new Error(`dev sign-in answered ${response.statusCode}`);
    this.token = body.access_token;
    return this.token;
  }

  async send<T = Record<string, unknown>>(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown, prefer?: string): Promise<{ status: number; body: T; headers: Record<string, unknown> }> {
    const response = await request(`${this.mockUrl}/api/data/v9.2/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.bearer()}`,
        accept: "application/json",
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...(prefer ? { prefer } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: (text === "" ? null : JSON.parse(text)) as T, headers: response.headers };
  }

  async get<T = Record<string, unknown>>(path: string): Promise<T> {
    const response = await this.send<T>("GET", path);
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** Number of asset links whose lookup `lookup` points at `id`. */
  async linkCount(lookup: string, id: string): Promise<number> {
    const body = await this.get<{ "@odata.count": number }>(`psh_assetlinks?$select=psh_name&$filter=_${lookup}_value eq ${id}&$count=true`);
    return body["@odata.count"];
  }

  /**
   * Links assets number `first` … `first + count - 1` of the mock library to a record (an account
   * when only its id is given), one row per asset, as the control does when it attaches.
   */
  async linkAssets(record: string | { table: LinkedTable; id: string }, first: number, count: number): Promise<void> {
    const { table, id } = typeof record === "string" ? { table: "account" as const, id: record } : record;
    const { lookup, linkType } = LINKED[table];
    const columns = assetLink.columns;
    for (let n = first; n < first + count; n += 1) {
      const response = await this.send("POST", assetLink.entitySetName, {
        [columns.name.logicalName]: `Linked asset ${n}`,
        [columns.mediaId.logicalName]: demoMediaId(n),
        [columns.mediaType.logicalName]: choices.mediaType.options.image.value,
        [columns.linkType.logicalName]: linkType,
        [columns.rightsStatus.logicalName]: choices.rightsStatus.options.approved.value,
        [columns.source.logicalName]: choices.linkSource.options.manual.value,
        [columns.regardingKey.logicalName]: regardingKey(table, id),
        [`${lookup.schemaName}@odata.bind`]: `/${lookup.target.entitySetName}(${id})`,
      });
      if (response.status !== 204 && response.status !== 201) throw new Error(`Linking asset ${n} failed: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    }
  }
}
