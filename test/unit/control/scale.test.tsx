/**
 * Scale properties of the control, asserted here and reported by `npm run bench -- control`
 * (which runs this file with BENCH_OUT set and prints the numbers):
 * - the results grid keeps the same DOM size whether 100 or 10,000 results are loaded (virtualized);
 * - opening a form with N linked assets makes the same number of requests for N = 1, 50 and 500.
 */
import { writeFileSync } from "node:fs";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { PhotoShelterAssetPicker } from "../../../PhotoShelterAssetPicker";
import { ROW_HEIGHT, ResultsGrid } from "../../../PhotoShelterAssetPicker/components/ResultsGrid";
import { StringsProvider } from "../../../PhotoShelterAssetPicker/components/Strings";
import { SEARCH_PAGE_SIZE } from "../../../PhotoShelterAssetPicker/hooks/useSearchResults";
import { createContext, createDataset, loadResx } from "../../support/pcfContext";
import { FakeProxyClient, linkRow, makeAsset } from "./support/fakes";
import { renderPicker } from "./support/renderPicker";

const strings = loadResx();
const getString = (key: string) => strings[key] ?? key;
const results: Record<string, unknown> = {};

afterAll(() => {
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, JSON.stringify(results, null, 2));
});

function gridNodes(count: number, scrollTo: number): { nodes: number; options: number } {
  const items = Array.from({ length: count }, (_, n) => makeAsset(n));
  const view = render(
    <StringsProvider value={getString}>
      <ResultsGrid
        items={items}
        total={count}
        hasMore={false}
        isLoadingMore={false}
        loadMore={() => undefined}
        width={840}
        selectedIds={new Set()}
        linkedIds={new Set()}
        idPrefix="bench-"
        onToggle={() => undefined}
        onExtend={() => undefined}
        onSelectAll={() => undefined}
        label="Search results"
      />
    </StringsProvider>,
  );
  const listbox = screen.getByRole("listbox");
  act(() => {
    listbox.scrollTop = scrollTo;
    fireEvent.scroll(listbox);
  });
  const measured = { nodes: view.container.querySelectorAll("*").length, options: within(listbox).queryAllByRole("option").length };
  view.unmount();
  return measured;
}

describe("results grid at scale", () => {
  it("has the same DOM size (within 10%) with 10,000 results as with 100, at the top and scrolled into the list", () => {
    // 2,000 px is inside both lists (100 results are 20 rows); 10,000 results are also measured halfway.
    const small = { top: gridNodes(100, 0), scrolled: gridNodes(100, 2_000) };
    const large = { top: gridNodes(10_000, 0), scrolled: gridNodes(10_000, 2_000), halfway: gridNodes(10_000, 1_000 * ROW_HEIGHT) };
    results.dom = { small, large };
    expect(small.top.options).toBeGreaterThan(0);
    const within10 = (a: { nodes: number }, b: { nodes: number }) => Math.abs(a.nodes - b.nodes) / b.nodes;
    expect(within10(large.top, small.top)).toBeLessThanOrEqual(0.1);
    expect(within10(large.scrolled, small.scrolled)).toBeLessThanOrEqual(0.1);
    expect(within10(large.halfway, small.scrolled)).toBeLessThanOrEqual(0.1);
    expect(large.halfway.options).toBeLessThan(50);
  });

  it("loads the next page from the proxy when the person scrolls to the end (infinite scroll)", async () => {
    const library = Array.from({ length: SEARCH_PAGE_SIZE * 2 + 10 }, (_, n) => makeAsset(n));
    const proxy = new FakeProxyClient(library);
    renderPicker({ proxy });
    await userEvent.click(screen.getByRole("button", { name: "Add from PhotoShelter" }));
    const listbox = await screen.findByRole("listbox", { name: "Search results" });
    await within(listbox).findAllByRole("option");
    // Before the last page the count is an upper bound; once it is in, exact.
    expect(screen.getByText(`Up to ${library.length.toLocaleString("en-US")} assets`)).toBeInTheDocument();
    expect(proxy.calls.filter((call) => call.method === "search").map((call) => call.args[1])).toEqual([1]);
    for (const page of [2, 3]) {
      act(() => {
        listbox.scrollTop = 1_000_000;
        fireEvent.scroll(listbox);
      });
      await waitFor(() => expect(proxy.calls.filter((call) => call.method === "search").map((call) => call.args[1])).toContain(page));
    }
    await waitFor(() => expect(within(listbox).queryAllByRole("option").some((option) => option.getAttribute("aria-posinset") === String(library.length))).toBe(true));
    expect(proxy.count("search")).toBe(3);
    expect(screen.getByText(`${library.length} assets`)).toBeInTheDocument();
  });
});

/** Opens the form as Dynamics would (real proxy client, token provider, Web API seam) and counts what leaves the browser. */
async function requestsForLinked(count: number): Promise<{ http: string[]; webApi: number }> {
  const library = Array.from({ length: count }, (_, n) => makeAsset(n));
  const http: string[] = [];
  const respond = (body: unknown) => ({ ok: true, status: 200, headers: { get: () => null }, json: async () => body });
  const fetchStub = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    http.push(`${init?.method ?? "GET"} ${url.pathname}`);
    if (url.pathname === "/v1/config") return respond({ signIn: { kind: "dev", signInUrl: "http://mock.test/issuer/dev/sign-in" } });
    if (url.pathname === "/issuer/dev/sign-in") return respond({ access_token: "token", token_type: "Bearer", expires_in: 300 });
    if (url.pathname === "/v1/assets/batch") {
      const ids: string[] = JSON.parse(String(init?.body)).ids;
      return respond({ items: library.filter((asset) => ids.includes(asset.id)), missing: [] });
    }
    // An account form's own job, asked once the linked assets are in.
    if (url.pathname === "/v1/suggestions") return respond({ items: [] });
    throw new Error(`unexpected ${url.pathname}`);
  });
  const previous = globalThis.fetch;
  globalThis.fetch = fetchStub as unknown as typeof fetch;
  try {
    const context = createContext({ dataset: createDataset(library.map((asset) => linkRow(asset))), proxyBaseUrl: "http://proxy.test" });
    const control = new PhotoShelterAssetPicker();
    control.init(context, jest.fn(), {});
    const view = render(control.updateView(context));
    await waitFor(() => expect(view.container.querySelectorAll("img").length).toBe(count));
    await waitFor(() => expect(http).toContain("GET /v1/suggestions"));
    const webApi = Object.values(context.webAPI).reduce((sum, mock) => sum + mock.mock.calls.length, 0);
    view.unmount();
    return { http, webApi };
  } finally {
    globalThis.fetch = previous;
  }
}

describe("opening a form with N linked assets", () => {
  it("makes the same requests for 1, 50 and 500 linked assets: config, sign-in, one batch, then the account's suggestions", async () => {
    const measured: Record<number, { http: string[]; webApi: number }> = {};
    for (const count of [1, 50, 500]) measured[count] = await requestsForLinked(count);
    results.requests = Object.fromEntries(Object.entries(measured).map(([count, value]) => [count, { http: value.http.length, webApi: value.webApi, calls: value.http }]));
    expect(measured[1].http).toEqual(["GET /v1/config", "POST /issuer/dev/sign-in", "POST /v1/assets/batch", "GET /v1/suggestions"]);
    expect(measured[50]).toEqual(measured[1]);
    expect(measured[500]).toEqual(measured[1]);
  });
});
