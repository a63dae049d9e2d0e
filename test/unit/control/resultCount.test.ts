/** The search count is exact once every page is in, and an upper bound less what the rights filter hid before that. */
import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { SEARCH_PAGE_SIZE, resultCount } from "../../../PhotoShelterAssetPicker/hooks/useSearchResults";
import { FakeProxyClient, makeAsset } from "./support/fakes";
import { renderPicker } from "./support/renderPicker";

const page = (items: number, total: number, hidden: number, hasMore: boolean) => ({ items: Array.from({ length: items }, () => null as never), total, hidden, hasMore });

describe("resultCount", () => {
  it("is exact when the last page is in: the items shown, whatever total said", () => {
    expect(resultCount([page(40, 50, 10, false)])).toEqual({ exact: true, count: 40, hidden: 10 });
    expect(resultCount([page(0, 12, 12, false)])).toEqual({ exact: true, count: 0, hidden: 12 });
    expect(resultCount([])).toEqual({ exact: true, count: 0, hidden: 0 });
  });

  it("is an upper bound before that: total less what the loaded pages hid", () => {
    const first = page(95, 1000, 5, true);
    expect(resultCount([first])).toEqual({ exact: false, count: 995, hidden: 5 });
    expect(resultCount([first, page(90, 1000, 10, true)])).toEqual({ exact: false, count: 985, hidden: 15 });
    expect(resultCount([first, page(90, 1000, 10, true), page(780, 1000, 20, false)])).toEqual({ exact: true, count: 965, hidden: 35 });
  });
});

describe("search pages emptied by the rights filter", () => {
  it("reads on by itself until something can be shown, and then the count is exact", async () => {
    // Two pages of expired assets (hidden unless asked for), then usable ones.
    const library = [...Array.from({ length: SEARCH_PAGE_SIZE * 2 }, (_, n) => makeAsset(n, { expiresInDays: -5 })), ...Array.from({ length: 30 }, (_, n) => makeAsset(1_000 + n))];
    const proxy = new FakeProxyClient(library);
    renderPicker({ proxy });
    await userEvent.click(screen.getByRole("button", { name: "Add from PhotoShelter" }));
    const listbox = await screen.findByRole("listbox", { name: "Search results" });
    await within(listbox).findAllByRole("option");
    expect(proxy.calls.filter((call) => call.method === "search").map((call) => call.args[1])).toEqual([1, 2, 3]);
    expect(await screen.findByText("30 assets")).toBeInTheDocument();
  });
});
