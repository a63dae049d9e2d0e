/**
 * AccessPolicy acts for the caller: the host record is read as the user (a record they may not open is
 * "not found"), and the Dataverse privileges each action needs are checked before PhotoShelter is
 * asked anything (the container tree stands for PhotoShelter here).
 */
import type { PrivilegeDepth } from "../../../proxy/src/dataverse";
import { AccessPolicy, requiredPrivileges } from "../../../proxy/src/policy/accessPolicy";
import type { Directory, DirectoryUser, HostRecord } from "../../../proxy/src/policy/directory";
import { ReadCache } from "../../../proxy/src/upstream/readCache";

const CASE_ID = "1c000000-0000-4000-8000-000000000001";
const user: DirectoryUser = { systemUserId: "5e000000-0000-4000-8000-000000000005", objectId: "0d000000-0000-4000-8000-000000000005", fullName: "Sam", businessUnitId: null, interactive: true };

function setup(privileges: string[], readable = true) {
  const treeCalls: string[] = [];
  const readsAs: string[] = [];
  const directory: Directory = {
    userByObjectId: async () => user,
    hostRecord: async (entity, id, asUser) => {
      readsAs.push(asUser.objectId);
      return readable ? ({ entity, id, accountId: null } satisfies HostRecord) : null;
    },
    privileges: async () => new Map(privileges.map((name) => [name, "Basic" as PrivilegeDepth])),
    roles: async () => [],
    segment: async () => null,
    accessRules: async () => [{ id: "r", name: "everyone", industry: null, region: null, tier: null, productLine: null, businessUnitId: null, containerIds: ["C000000000000001"] }],
    partnerGrants: async () => [],
    ready: async () => undefined,
  };
  const tree = { descendants: async (id: string) => (treeCalls.push(id), []) };
  const policy = new AccessPolicy(directory, tree, new ReadCache({ maxEntries: 0, ttlMs: 0, staleMs: 0 }));
  return { policy, treeCalls, readsAs };
}

const refusal = (promise: Promise<unknown>) => promise.then(() => { throw new Error("expected a refusal"); }, (error: { status: number; message: string }) => error);

describe("AccessPolicy", () => {
  it("reads the record as the caller and grants what the rules say when the privileges are there", async () => {
    const { policy, treeCalls, readsAs } = setup(requiredPrivileges("upload", "incident"));
    const access = await policy.forRecord(user, `incident:${CASE_ID}`, "upload");
    expect(readsAs).toEqual([user.objectId]);
    expect([...access.visible]).toEqual(["C000000000000001"]);
    expect(treeCalls).toEqual(["C000000000000001"]);
  });

  it("answers a record the caller may not open as not found, before looking at privileges or PhotoShelter", async () => {
    const { policy, treeCalls } = setup([], false);
    expect(await refusal(policy.forRecord(user, `incident:${CASE_ID}`))).toMatchObject({ status: 404, message: "Record not found" });
    expect(treeCalls).toEqual([]);
  });

  it("needs read on asset links to look at a record's assets (browse, search, download, ZIP)", async () => {
    const { policy, treeCalls } = setup([]);
    expect(await refusal(policy.forRecord(user, `incident:${CASE_ID}`))).toMatchObject({ status: 403, message: expect.stringContaining("prvreadpsh_assetlink") });
    expect(treeCalls).toEqual([]);
  });

  it("needs create and append on asset links and append-to on the host table to upload", async () => {
    expect(requiredPrivileges("upload", "incident")).toEqual(["prvcreatepsh_assetlink", "prvappendpsh_assetlink", "prvappendtoincident"]);
    const { policy, treeCalls } = setup(["prvreadpsh_assetlink", "prvcreatepsh_assetlink", "prvappendpsh_assetlink"]);
    expect((await policy.forRecord(user, `incident:${CASE_ID}`)).record.entity).toBe("incident");
    expect(await refusal(policy.forRecord(user, `incident:${CASE_ID}`, "upload"))).toMatchObject({ status: 403, message: expect.stringContaining("prvappendtoincident") });
    expect(treeCalls).toHaveLength(1);
  });
});
