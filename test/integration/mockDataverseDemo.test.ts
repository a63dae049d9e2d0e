import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rightsStatus, toStoredRightsStatus } from "../../contract/rights";
import { assetLink, choices, outOfBox, partnerGrant } from "../../solution/model";
import { ACCOUNTS, ENTITLEMENTS } from "../../mock-server/dataverse/demoData";
import { dataverseOf } from "../../mock-server/dataverse";
import { photoShelterOf } from "../../mock-server/photoshelter";
import { COLLECTIONS, GALLERY_LIST } from "../../mock-server/photoshelter/wellKnown";
import { RunningMockServer, startMockServer } from "../../mock-server/server";
import { appToken, Entity, MockDataverseClient, valuesOf } from "./mockDataverseSupport";

let mock: RunningMockServer;
let app: MockDataverseClient;

beforeAll(async () => {
  mock = await startMockServer({ port: 0, media: 100 });
  app = new MockDataverseClient(mock, await appToken(mock));
});
afterAll(() => mock.close());

const rightsLabel = (value: number) => Object.entries(choices.rightsStatus.options).find(([, o]) => o.value === value)![0];

describe("mock Dataverse demo org", () => {
  it("links assets that exist in the mock PhotoShelter library, some with rights that have changed there since", async () => {
    const library = photoShelterOf(mock.context).library;
    const links = valuesOf(await app.get(`${assetLink.entitySetName}?$select=psh_mediaid,psh_rightsstatus,psh_lastsyncedon`));
    expect(links.length).toBeGreaterThanOrEqual(12);
    let changed = 0;
    let current = 0;
    for (const link of links) {
      const media = library.mediaById(String(link.psh_mediaid));
      expect(media).toBeDefined();
      const now = toStoredRightsStatus(rightsStatus({ approvalStatus: media!.custom.approvalStatus, expiresOn: media!.custom.licenseExpirationDate, usageRights: media!.custom.usageRights }, new Date()).status);
      if (now === rightsLabel(link.psh_rightsstatus as number)) current++;
      else changed++;
    }
    expect(changed).toBeGreaterThanOrEqual(3);
    expect(current).toBeGreaterThanOrEqual(8);
  });

  it("covers every segment and lifecycle the scenarios need", async () => {
    const accounts = valuesOf(await app.get("accounts?$select=industrycode,psh_region,psh_tier,customertypecode"));
    for (const key of ["industrycode", "psh_region", "psh_tier"]) expect(new Set(accounts.map((a) => a[key]).filter((v) => v !== null)).size).toBeGreaterThanOrEqual(3);
    const entitlements = valuesOf(await app.get("entitlements?$select=statecode,enddate"));
    const today = new Date().toISOString().slice(0, 10);
    expect(entitlements.some((e) => e.statecode === 0 && String(e.enddate) > today)).toBe(true);
    expect(entitlements.some((e) => e.statecode === 2 && String(e.enddate) < today)).toBe(true);
    expect((await app.get(`entitlements(${ENTITLEMENTS.fabrikamExpiring})?$select=enddate`)).body).toMatchObject({ enddate: expect.any(String) });
    const campaigns = valuesOf(await app.get("campaigns?$select=statuscode"));
    expect(campaigns.map((c) => c.statuscode)).toEqual(expect.arrayContaining([outOfBox.campaignStatus.options.launched.value, outOfBox.campaignStatus.options.completed.value]));
    const opportunities = valuesOf(await app.get("opportunities?$select=statecode"));
    expect(new Set(opportunities.map((o) => o.statecode))).toEqual(new Set([0, 1]));
    const events = valuesOf(await app.get("msevtmgt_events?$select=msevtmgt_eventstartdate"));
    expect(events.some((e) => String(e.msevtmgt_eventstartdate) < today)).toBe(true);
    expect(events.some((e) => String(e.msevtmgt_eventstartdate) > today)).toBe(true);
    const withEvidence = valuesOf(await app.get("incidents?$select=title&$expand=psh_incident_psh_assetlink_IncidentId($select=psh_mediaid)"));
    expect(withEvidence.some((c) => (c.psh_incident_psh_assetlink_IncidentId as Entity[]).length > 0)).toBe(true);
    expect(withEvidence.some((c) => (c.psh_incident_psh_assetlink_IncidentId as Entity[]).length === 0)).toBe(true);
    const grants = valuesOf(await app.get(`${partnerGrant.entitySetName}?$select=psh_status,_psh_accountid_value`));
    expect(grants.find((g) => g._psh_accountid_value === ACCOUNTS.adventureWorks)?.psh_status).toBe(choices.grantStatus.options.revoked.value);
  });

  it("points access rules only at collections and galleries of the mock library", async () => {
    const known = new Set<string>([...Object.values(COLLECTIONS), ...GALLERY_LIST.map((g) => g.id)]);
    const rules = valuesOf(await app.get("psh_accessrules?$select=psh_containerids"));
    const ids = rules.flatMap((r) => String(r.psh_containerids).split(/[\s,]+/).filter(Boolean));
    expect(ids.length).toBeGreaterThanOrEqual(rules.length);
    for (const id of ids) expect(known.has(id)).toBe(true);
  });
});

describe("mock Dataverse state file", () => {
  const dir = mkdtempSync(join(tmpdir(), "mock-dataverse-"));
  const file = join(dir, "state.json");
  afterAll(() => {
    delete process.env.MOCK_DATAVERSE_STATE_FILE;
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps writes across restarts when MOCK_DATAVERSE_STATE_FILE is set", async () => {
    process.env.MOCK_DATAVERSE_STATE_FILE = file;
    const first = await startMockServer({ port: 0, media: 10 });
    const client = new MockDataverseClient(first, await appToken(first));
    expect((await client.call("POST", "accounts", { body: { name: "Persisted Ltd" } })).status).toBe(204);
    await first.close();
    expect(JSON.parse(readFileSync(file, "utf8")).tables.account).toBeDefined();
    const second = await startMockServer({ port: 0, media: 10 });
    const again = new MockDataverseClient(second, await appToken(second));
    expect(valuesOf(await again.get("accounts?$select=name&$filter=name eq 'Persisted Ltd'"))).toHaveLength(1);
    dataverseOf(second.context).reset();
    await second.close();
  });

  it("refuses to start on a file that is not a saved state, and leaves the file alone", async () => {
    process.env.MOCK_DATAVERSE_STATE_FILE = file;
    writeFileSync(file, "{not json");
    await expect(startMockServer({ port: 0, media: 10 })).rejects.toThrow(/MOCK_DATAVERSE_STATE_FILE/);
    expect(readFileSync(file, "utf8")).toBe("{not json");
  });
});
