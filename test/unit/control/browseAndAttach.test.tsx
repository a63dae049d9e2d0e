import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { SearchQuery } from "../../../PhotoShelterAssetPicker/domain/searchQuery";
import { ProxyError } from "../../../PhotoShelterAssetPicker/services/proxyClient";
import { FakeLinkStore, FakeProxyClient, makeAsset, makeContainer, mediaId } from "./support/fakes";
import { renderPicker } from "./support/renderPicker";
import { DEFAULT_HOST } from "../../support/pcfContext";

const library = [
  makeAsset(1, { fileName: "logo-blue.png" }),
  makeAsset(2, { fileName: "logo-red.png", orientation: "portrait" }),
  makeAsset(3, { fileName: "booth.jpg" }),
  makeAsset(4, { fileName: "old-logo.png", expiresInDays: -5 }),
  makeAsset(5, { fileName: "teaser.mp4", mediaType: "video" }),
];

async function openBrowse() {
  await userEvent.click(screen.getByRole("button", { name: "Add from PhotoShelter" }));
  const dialog = await screen.findByRole("dialog", { name: "Add from PhotoShelter" });
  await within(dialog).findByRole("option", { name: /logo-blue\.png/ });
  return dialog;
}

function lastSearch(proxy: FakeProxyClient): SearchQuery {
  const searches = proxy.calls.filter((call) => call.method === "search");
  return searches[searches.length - 1].args[0] as SearchQuery;
}

const option = (name: RegExp) => within(screen.getByRole("listbox", { name: "Search results" })).getByRole("option", { name });
/** The result tiles (the filters' <select> options are options too). */
const results = () => within(screen.getByRole("listbox", { name: "Search results" })).queryAllByRole("option");

describe("browse and search", () => {
  it("lists usable assets, hides expired ones until 'show expired and restricted' is on, and then badges them", async () => {
    const { proxy } = renderPicker({ library });
    await openBrowse();
    expect(results()).toHaveLength(4);
    expect(results().filter((el) => /old-logo/.test(el.textContent ?? ""))).toHaveLength(0);
    expect(screen.getByRole("status", { name: "" })).toHaveTextContent("4 assets");

    await userEvent.click(screen.getByRole("switch", { name: "Show expired and restricted" }));
    const expired = await screen.findByRole("option", { name: /old-logo\.png/ });
    expect(within(expired).getByText("Expired")).toBeInTheDocument();
    expect(lastSearch(proxy).includeRestricted).toBe(true);
  });

  it("debounces typing into one search and applies filters and sort", async () => {
    const { proxy } = renderPicker({ library });
    await openBrowse();
    const before = proxy.count("search");
    await userEvent.type(screen.getByRole("searchbox", { name: "Search assets" }), "logo");
    await waitFor(() => expect(results()).toHaveLength(2));
    // One search for "logo", none for "l", "lo", "log".
    const typed = proxy.calls.filter((call) => call.method === "search").slice(before).map((call) => (call.args[0] as SearchQuery).text);
    expect(typed).toEqual(["logo"]);

    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Orientation" }), "portrait");
    await waitFor(() => expect(results()).toHaveLength(1));
    expect(option(/logo-red/)).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Media type" }), "image");
    await userEvent.selectOptions(screen.getByRole("combobox", { name: "Sort by" }), "newest");
    fireEvent.change(screen.getByLabelText("Created from"), { target: { value: "2026-01-01" } });
    await waitFor(() => expect(lastSearch(proxy)).toMatchObject({ text: "logo", orientation: "portrait", mediaType: "image", sort: "newest", from: "2026-01-01" }));
  });

  it("navigates collections with a breadcrumb and searches inside the open one", async () => {
    const proxy = new FakeProxyClient(library, [makeContainer("C000000000000001", "Brand", null), makeContainer("C000000000000002", "Logos", "C000000000000001", "gallery")]);
    proxy.contents.set("C000000000000002", [library[0].id, library[1].id]);
    renderPicker({ proxy });
    await openBrowse();
    await userEvent.click(await screen.findByRole("button", { name: "Brand" }));
    await userEvent.click(await screen.findByRole("button", { name: "Logos (3)" }));
    await waitFor(() => expect(results()).toHaveLength(2));
    expect(lastSearch(proxy).containerId).toBe("C000000000000002");
    const breadcrumb = screen.getByRole("navigation", { name: "Location in PhotoShelter" });
    expect(within(breadcrumb).getByRole("button", { name: "Logos" })).toHaveAttribute("aria-current", "page");

    await userEvent.click(within(breadcrumb).getByRole("button", { name: "All collections" }));
    // Back at the top: the whole library again (served from the cache, so no new request).
    await waitFor(() => expect(results()).toHaveLength(4));
    expect(option(/booth/)).toBeInTheDocument();
  });

  it("explains a collection outside the user's segment", async () => {
    const proxy = new FakeProxyClient(library);
    renderPicker({ proxy });
    proxy.failure = new ProxyError(403, "forbidden", "outside segment");
    await userEvent.click(screen.getByRole("button", { name: "Add from PhotoShelter" }));
    expect(await screen.findByText("Not available to you")).toBeInTheDocument();
    expect(screen.getByText(/outside the collections your segment may use/)).toBeInTheDocument();
  });

  it("marks assets already linked to the record and does not let them be picked again", async () => {
    renderPicker({ library, linked: [library[2]] });
    await openBrowse();
    const linked = option(/booth\.jpg/);
    expect(within(linked).getByText("Linked")).toBeInTheDocument();
    expect(linked).toHaveAttribute("aria-disabled", "true");
    await userEvent.click(linked);
    expect(linked).toHaveAttribute("aria-selected", "false");
    expect(screen.getByRole("button", { name: "Attach (0)" })).toBeDisabled();
  });

  it("multi-selects with the mouse (click toggles, Shift+click extends) and the keyboard (arrows, Space, Ctrl+A)", async () => {
    renderPicker({ library });
    await openBrowse();
    await userEvent.click(option(/logo-blue/));
    await userEvent.click(option(/logo-blue/));
    expect(option(/logo-blue/)).toHaveAttribute("aria-selected", "false");

    await userEvent.click(option(/logo-blue/));
    fireEvent.click(option(/booth/), { shiftKey: true });
    expect(results().filter((el) => el.getAttribute("aria-selected") === "true")).toHaveLength(3);
    expect(screen.getByRole("button", { name: "Attach (3)" })).toBeEnabled();

    const listbox = screen.getByRole("listbox", { name: "Search results" });
    listbox.focus();
    await userEvent.keyboard("{ArrowRight}");
    expect(listbox).toHaveAttribute("aria-activedescendant", option(/teaser/).id);
    await userEvent.keyboard(" ");
    expect(option(/teaser/)).toHaveAttribute("aria-selected", "true");
    await userEvent.keyboard("{Home} ");
    expect(option(/logo-blue/)).toHaveAttribute("aria-selected", "false");
    await userEvent.keyboard("{Control>}a{/Control}");
    expect(screen.getByRole("button", { name: "Attach (4)" })).toBeEnabled();
  });
});

describe("attach", () => {
  it("links the selected assets, shows them as attached, refreshes the rows and closes", async () => {
    const { store, dataset } = renderPicker({ library });
    await openBrowse();
    for (const name of [/logo-blue/, /logo-red/, /teaser/]) await userEvent.click(option(name));
    await userEvent.click(screen.getByRole("button", { name: "Attach (3)" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Add from PhotoShelter" })).toBeNull());
    expect(store.created.sort()).toEqual([library[0].id, library[1].id, library[4].id].sort());
    expect([...store.links.values()].every((link) => link.record.startsWith("account:") && link.linkType === "brand")).toBe(true);
    expect(dataset.refresh).toHaveBeenCalledTimes(1);
  });

  it("is idempotent: a double click attaches once, and assets linked meanwhile (another tab) are not linked again", async () => {
    const store = new FakeLinkStore();
    renderPicker({ library, store });
    const record = { entityName: "account", id: DEFAULT_HOST.entityId, name: null };
    await openBrowse();
    await userEvent.click(option(/logo-blue/));
    await userEvent.click(option(/logo-red/));
    // Another tab linked logo-red after this one loaded.
    await store.createLink(record, library[1], "brand");
    store.created.length = 0;
    const attach = screen.getByRole("button", { name: "Attach (2)" });
    await act(async () => {
      fireEvent.click(attach);
      fireEvent.click(attach);
    });
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Add from PhotoShelter" })).toBeNull());
    expect(store.created).toEqual([library[0].id]);
    expect(store.links.size).toBe(2);
  });

  it("counts a duplicate-key answer (a race with another tab) as linked", async () => {
    const store = new FakeLinkStore();
    renderPicker({ library, store });
    store.beforeCreate = (id) => {
      store.beforeCreate = null;
      void store.createLink({ entityName: "account", id: DEFAULT_HOST.entityId, name: null }, library.find((asset) => asset.id === id)!, "brand");
    };
    await openBrowse();
    await userEvent.click(option(/logo-blue/));
    await userEvent.click(screen.getByRole("button", { name: "Attach (1)" }));
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Add from PhotoShelter" })).toBeNull());
    expect(store.links.size).toBe(1);
  });

  it("shows per-item failure and retries just that item", async () => {
    const store = new FakeLinkStore();
    store.failNext.set(library[1].id, "Server busy");
    const { dataset } = renderPicker({ library, store });
    await openBrowse();
    await userEvent.click(option(/logo-blue/));
    await userEvent.click(option(/logo-red/));
    await userEvent.click(screen.getByRole("button", { name: "Attach (2)" }));
    const progress = await screen.findByRole("list", { name: "Attach progress" });
    expect(await within(progress).findByText("Not attached: Server busy")).toBeInTheDocument();
    expect(within(progress).getByText("Attached")).toBeInTheDocument();
    expect(dataset.refresh).toHaveBeenCalledTimes(1);

    await userEvent.click(within(progress).getByRole("button", { name: "Retry attaching logo-red.png" }));
    await waitFor(() => expect(within(progress).getAllByText("Attached")).toHaveLength(2));
    expect(store.created).toEqual([library[0].id, library[1].id]);
    expect(dataset.refresh).toHaveBeenCalledTimes(2);
  });

  it("uses the link type of the profile (evidence on a case)", async () => {
    const { store } = renderPicker({ library, context: { host: { entityTypeName: "incident", entityId: "6f9a1c2e-0000-4000-8000-0000000000cc" } } });
    await openBrowse();
    await userEvent.click(option(/booth/));
    await userEvent.click(screen.getByRole("button", { name: "Attach (1)" }));
    await waitFor(() => expect(store.links.size).toBe(1));
    expect([...store.links.values()][0]).toEqual({ record: "incident:6f9a1c2e-0000-4000-8000-0000000000cc", mediaId: mediaId(3), linkType: "evidence" });
  });
});
