/**
 * Coalescing under a burst, counted in the mock's request log over HTTP: identical concurrent
 * searches by users of one segment are one PhotoShelter search; by users of two segments, two —
 * and no answer crosses a segment or a user (each answer holds only what its segment may see, with
 * links signed for its own user). The upstream search is held by the mock until every request has
 * joined the proxy's load of it, so the test waits on conditions, never on time.
 */
import { ACCOUNTS } from "../../mock-server/dataverse/demoData";
import { BUSINESS_UNITS, USERS } from "../../mock-server/dataverse/demoData/users";
import type { Asset, AssetPage } from "../../contract/proxyApi";
import { startStack, type Stack } from "./proxyHarness";

const SEARCH = "/psapi/v4.0/search";
const BURST = 100;
const LITWARE = `account:${ACCOUNTS.litware}`;
const ADVENTURE_WORKS = `account:${ACCOUNTS.adventureWorks}`;
/** Users who read Litware Health (healthcare, North America, strategic) with the same rules: no business-unit rule adds to theirs. */
const LITWARE_USERS = [USERS.salesNorthAmerica, USERS.readOnly, USERS.admin, USERS.partnerManager];
/** Users who read Adventure Works Cycles (retail, EMEA, SMB) alike. */
const ADVENTURE_WORKS_USERS = [USERS.salesEmea, USERS.admin, USERS.partnerManager];

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

const admin = async <T>(path: string, init?: RequestInit): Promise<T> => {
  const response = await fetch(`${stack.mock.url}/__admin${path}`, { ...init, headers: init?.body ? { "content-type": "application/json" } : {} });
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} /__admin${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

/** The PhotoShelter searches the mock has seen (held ones included: they are logged when they arrive). */
const searches = async () => (await admin<{ total: number; items: Array<{ path: string; query: string }> }>(`/requests?path=${SEARCH}&method=GET`)).items;

async function until(what: string, condition: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

interface Answer {
  user: (typeof USERS)[keyof typeof USERS];
  record: string;
  status: number;
  page: AssetPage;
}

/**
 * Sends `count` identical searches at once, round-robin over the (record, users) groups; PhotoShelter
 * holds its search until all of them wait on the proxy's `expected` upstream calls, then answers.
 */
async function burst(q: string, groups: Array<{ record: string; users: ReadonlyArray<(typeof USERS)[keyof typeof USERS]> }>, count: number): Promise<{ answers: Answer[]; upstream: Array<{ path: string; query: string }> }> {
  await admin("/requests", { method: "DELETE" });
  const hold = await admin<{ id: string }>("/faults", { method: "POST", body: JSON.stringify({ kind: "hold", method: "GET", path: SEARCH }) });
  const tokens = new Map<string, string>();
  for (const group of groups) for (const user of group.users) tokens.set(user.upn, await stack.token(user.upn));
  const sent = Array.from({ length: count }, (_, i) => {
    const group = groups[i % groups.length];
    const user = group.users[Math.floor(i / groups.length) % group.users.length];
    return stack.call(`/v1/search?record=${group.record}&q=${q}&perPage=20`, { token: tokens.get(user.upn) }).then(async (response) => ({ user, record: group.record, status: response.status, page: (await response.json()) as AssetPage }));
  });
  try {
    // Every request has reached PhotoShelter through the proxy's single load of its search: one held call per group.
    await until(`${groups.length} held searches`, async () => (await searches()).length >= groups.length);
    const held = await searches();
    const cache = stack.proxy.services.library.client.cache;
    const keys = held.map((request) => `${stack.mock.url}${request.path}?${request.query}`);
    await until(`${count} requests joined`, () => keys.reduce((sum, key) => sum + cache.waiting(key), 0) === count);
    expect((await admin<{ faults: Array<{ id: string; held?: number }> }>("/faults")).faults.find((rule) => rule.id === hold.id)?.held).toBe(groups.length);
  } finally {
    await admin(`/faults/${hold.id}`, { method: "DELETE" });
  }
  const answers = await Promise.all(sent);
  return { answers, upstream: await searches() };
}

/** An asset without its signed links (they are the user's own). */
const unsigned = ({ thumbnailUrl: _t, previewUrl: _p, ...rest }: Asset) => rest;

/** Every asset of an answer is in a gallery the upstream search named for its segment, and its links are signed for its user. */
function expectOwn(answer: Answer, galleries: Set<string>): void {
  const userKey = stack.proxy.services.signer.userKey(answer.user.id);
  for (const asset of answer.page.items) {
    const media = stack.photoShelter.library.mediaById(asset.id);
    expect(media?.galleryIds.some((id) => galleries.has(id))).toBe(true);
    for (const url of [asset.thumbnailUrl, asset.previewUrl]) expect(new URL(url).searchParams.get("u")).toBe(userKey);
  }
}

const galleriesOf = (request: { query: string }) => new Set((new URLSearchParams(request.query).get("galleries") ?? "").split(","));

/** The galleries a record's segment may see, as the proxy's policy decides them for a user. */
async function scopeOf(record: string, user: (typeof USERS)[keyof typeof USERS]): Promise<Set<string>> {
  const directoryUser = { systemUserId: user.id, objectId: user.oid, fullName: user.name, businessUnitId: BUSINESS_UNITS[user.businessUnit].id, interactive: true };
  const access = await stack.proxy.services.policy.forRecord(directoryUser, record);
  return new Set([...access.visible].filter((id) => id.startsWith("G")));
}

describe("coalescing under a burst", () => {
  it(`turns ${BURST} identical concurrent searches by users of one segment into one PhotoShelter search`, async () => {
    const { answers, upstream } = await burst("studio", [{ record: LITWARE, users: LITWARE_USERS }], BURST);
    expect(upstream).toHaveLength(1);
    expect(answers.map((a) => a.status)).toEqual(Array(BURST).fill(200));
    expect(answers[0].page.items.length).toBeGreaterThan(0);
    // The users of the segment share its scope, and the one search asked for exactly that.
    const scope = await scopeOf(LITWARE, LITWARE_USERS[0]);
    for (const user of LITWARE_USERS) expect(await scopeOf(LITWARE, user)).toEqual(scope);
    expect(galleriesOf(upstream[0])).toEqual(scope);
    // One answer for the segment, each user's own links.
    expect(new Set(answers.map((a) => JSON.stringify(a.page.items.map(unsigned)))).size).toBe(1);
    for (const answer of answers) expectOwn(answer, scope);
    expect(new Set(answers.map((a) => a.page.items[0].thumbnailUrl)).size).toBe(LITWARE_USERS.length);
  });

  it(`makes ${BURST} identical concurrent searches by users of two segments two PhotoShelter searches, never one answer for both`, async () => {
    const { answers, upstream } = await burst("photo", [{ record: LITWARE, users: LITWARE_USERS }, { record: ADVENTURE_WORKS, users: ADVENTURE_WORKS_USERS }], BURST);
    expect(upstream).toHaveLength(2);
    expect(answers.map((a) => a.status)).toEqual(Array(BURST).fill(200));
    const [litware, adventureWorks] = [LITWARE, ADVENTURE_WORKS].map((record) => answers.filter((a) => a.record === record));
    expect([litware.length, adventureWorks.length]).toEqual([BURST / 2, BURST / 2]);
    // Each segment's search names its own galleries; the answers differ and stay inside them.
    const scopes = [await scopeOf(LITWARE, LITWARE_USERS[0]), await scopeOf(ADVENTURE_WORKS, ADVENTURE_WORKS_USERS[0])];
    expect(scopes[0]).not.toEqual(scopes[1]);
    expect(upstream.map(galleriesOf).sort((a, b) => a.size - b.size || [...a].join().localeCompare([...b].join()))).toEqual([...scopes].sort((a, b) => a.size - b.size || [...a].join().localeCompare([...b].join())));
    for (const [group, scope] of [[litware, scopes[0]], [adventureWorks, scopes[1]]] as const) {
      expect(group[0].page.items.length).toBeGreaterThan(0);
      expect(new Set(group.map((a) => JSON.stringify(a.page.items.map(unsigned)))).size).toBe(1);
      for (const answer of group) expectOwn(answer, scope);
    }
    expect(JSON.stringify(litware[0].page.items.map(unsigned))).not.toBe(JSON.stringify(adventureWorks[0].page.items.map(unsigned)));
    // What each segment got in the burst is what a lone search for it gets.
    stack.proxy.services.library.client.cache.clear();
    for (const [record, group] of [[LITWARE, litware], [ADVENTURE_WORKS, adventureWorks]] as const) {
      const alone = (await (await stack.call(`/v1/search?record=${record}&q=photo&perPage=20`, { token: await stack.token(group[0].user.upn) })).json()) as AssetPage;
      expect(alone.items.map(unsigned)).toEqual(group[0].page.items.map(unsigned));
    }
  });
});
