import { readChange } from "../../proxy/src/dataverse";
import { CAMPAIGNS, ENTITLEMENTS } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { dataverseOf } from "../../mock-server/dataverse";
import { outOfBox } from "../../solution/model";
import type { RunningMockServer } from "../../mock-server/server";
import { MockDataverseClient, startMock, startWebhookReceiver, userToken } from "./mockDataverseSupport";

let mock: RunningMockServer;
let app: MockDataverseClient;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;

beforeAll(async () => {
  ({ mock, app } = await startMock());
  hook = await startWebhookReceiver();
  dataverseOf(mock.context).webhooks.register({
    name: "proxy",
    url: hook.url,
    authType: "HttpHeader",
    authValue: { "x-psh-webhook-key": "k" },
    steps: [
      { message: "Create", table: "campaign", postImage: true },
      { message: "Update", table: "campaign", preImage: true, postImage: true },
      { message: "Delete", table: "entitlement", preImage: true },
    ],
  });
});
afterAll(async () => {
  await mock.close();
  await hook.close();
});
beforeEach(() => (hook.received.length = 0));
const bodies = () => hook.received.map((r) => r.body);

const K = outOfBox.campaign.columns;

describe("reading Dataverse webhook bodies", () => {
  it("reads a campaign update into plain values, with the images before and after", async () => {
    const marketer = new MockDataverseClient(mock, await userToken(mock, USERS.marketer.upn));
    const status = outOfBox.campaignStatus.options;
    expect((await marketer.call("PATCH", `campaigns(${CAMPAIGNS.springLaunch})`, { body: { [K.statusCode.logicalName]: status.completed.value, [K.endDate.logicalName]: "2026-12-01" } })).status).toBe(204);
    await dataverseOf(mock.context).webhooks.whenIdle();
    const change = readChange(bodies()[0]);
    expect(change).toMatchObject({ message: "Update", table: "campaign", id: CAMPAIGNS.springLaunch, depth: 1, userId: USERS.marketer.id, initiatingUserId: USERS.marketer.id });
    expect(change.target).toEqual({ campaignid: CAMPAIGNS.springLaunch, statuscode: status.completed.value, actualend: "2026-12-01T00:00:00.000Z" });
    expect(change.preImage?.statuscode).toBe(status.launched.value);
    expect(change.postImage).toMatchObject({ statuscode: status.completed.value, name: "Spring Launch 2026", ownerid: { id: USERS.marketer.id, logicalName: "systemuser" } });
    expect(Date.parse(change.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("reads a delete, whose target is a reference and whose pre-image holds the row", async () => {
    expect((await app.call("DELETE", `entitlements(${ENTITLEMENTS.fabrikamExpiring})`)).status).toBe(204);
    await dataverseOf(mock.context).webhooks.whenIdle();
    const change = readChange(bodies()[0]);
    expect(change).toMatchObject({ message: "Delete", table: "entitlement", id: ENTITLEMENTS.fabrikamExpiring, target: {} });
    expect(change.preImage).toMatchObject({ customerid: { logicalName: "account" }, statecode: 0 });
  });

  it("refuses bodies that are not a RemoteExecutionContext, saying what is wrong", () => {
    expect(() => readChange({})).toThrow(/Not a RemoteExecutionContext/);
    expect(() => readChange("Create")).toThrow(TypeError);
    const bodyWithoutDepth = { MessageName: "Create", PrimaryEntityName: "campaign", PrimaryEntityId: "x", CorrelationId: "c", UserId: "u", InitiatingUserId: "u", OperationCreatedOn: "/Date(0)/", InputParameters: [], PreEntityImages: [], PostEntityImages: [] };
    expect(() => readChange(bodyWithoutDepth)).toThrow(/Depth/);
  });
});
