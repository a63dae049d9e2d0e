import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ProxyError } from "../../../PhotoShelterAssetPicker/services/proxyClient";
import { FakeProxyClient, TODAY, linkRow, makeAsset } from "./support/fakes";
import { renderPicker } from "./support/renderPicker";

const approved = makeAsset(1, { caption: "Logo" });
const expiring = makeAsset(2, { expiresInDays: 10 });
const video = makeAsset(3, { mediaType: "video" });
const audio = makeAsset(4, { mediaType: "audio" });
const document = makeAsset(5, { mediaType: "document" });

function item(fileName: string): HTMLElement {
  return screen.getByRole("listitem", { name: fileName });
}

describe("linked assets", () => {
  it("shows each linked asset with live rights from ONE batch call, expiry in the user's format, version and who linked it", async () => {
    const { proxy, context } = renderPicker({ linked: [approved, expiring, video, audio, document] });
    expect(await within(await waitFor(() => item("asset-2.jpg"))).findByText("Expires in 10 days")).toBeInTheDocument();
    expect(proxy.count("getAssets")).toBe(1);
    expect(proxy.calls[0].args[0]).toEqual(expect.arrayContaining([approved.id, expiring.id, video.id, audio.id, document.id]));

    const first = item("asset-1.jpg");
    expect(within(first).getByText("Approved")).toBeInTheDocument();
    expect(within(first).getByText("Version 1")).toBeInTheDocument();
    expect(within(first).getByText("Linked by Avery Rep on 11/20/2026")).toBeInTheDocument();
    const expiryDate = new Date(Date.UTC(2026, 11, 8)).toISOString().slice(0, 10);
    expect(within(item("asset-2.jpg")).getByText(`Expires ${new Date(`${expiryDate}T00:00:00`).toLocaleDateString("en-US")}`)).toBeInTheDocument();
    expect(context.formatting.formatDateShort).toHaveBeenCalled();
    expect(screen.getByRole("status")).toHaveTextContent("5 linked assets");
  });

  it("renders images lazily and gives video, audio and documents their own picture", async () => {
    const { container } = renderPicker({ linked: [approved, video, audio, document] });
    await waitFor(() => expect(container.querySelectorAll("img")).toHaveLength(2));
    const images = Array.from(container.querySelectorAll("img"));
    expect(images.map((img) => img.getAttribute("src"))).toEqual([approved.thumbnailUrl, video.thumbnailUrl]);
    expect(images.every((img) => img.getAttribute("loading") === "lazy")).toBe(true);
    expect(images[0]).toHaveAttribute("width", "1600");
    expect(images[0]).toHaveAttribute("height", "1200");
    const kinds = Array.from(container.querySelectorAll("[data-media-type]")).map((frame) => frame.getAttribute("data-media-type"));
    expect(kinds).toEqual(["image", "video", "audio", "document"]);
    // Audio and documents have no picture: an icon (svg) stands in.
    expect(container.querySelector('[data-media-type="audio"] svg')).not.toBeNull();
    expect(container.querySelector('[data-media-type="document"] svg')).not.toBeNull();
  });

  it("shows the live rights and marks the row stale when PhotoShelter changed since the row was saved", async () => {
    const nowExpired = makeAsset(7, { expiresInDays: -3, version: "2" });
    renderPicker({ linked: [nowExpired], rows: [linkRow(nowExpired, { rights: "approved", expiresOn: null, version: "1" })] });
    const row = await waitFor(() => item("asset-7.jpg"));
    expect(await within(row).findByText("Expired")).toBeInTheDocument();
    expect(within(row).getByText("Changed in PhotoShelter")).toBeInTheDocument();
    expect(within(row).getByText("Version 2")).toBeInTheDocument();
  });

  it("does not mark rows stale that match PhotoShelter", async () => {
    renderPicker({ linked: [approved] });
    const row = item("asset-1.jpg");
    await within(row).findByText("Approved");
    await waitFor(() => expect(row.querySelector("img")).not.toBeNull());
    expect(within(row).queryByText("Changed in PhotoShelter")).toBeNull();
  });

  it("explains an asset the proxy will not return: outside the user's segment", async () => {
    const proxy = new FakeProxyClient([approved, expiring]);
    proxy.hidden.add(expiring.id);
    renderPicker({ proxy, linked: [approved, expiring] });
    expect(await within(item("asset-2.jpg")).findByText("Not available")).toBeInTheDocument();
    expect(within(item("asset-1.jpg")).queryByText("Not available")).toBeNull();
  });

  it("keeps showing the saved rows with a message and Retry when the proxy is down; Retry loads live data", async () => {
    const proxy = new FakeProxyClient([approved]);
    proxy.failure = new ProxyError(503, "upstream_unavailable", "down");
    renderPicker({ proxy, linked: [approved] });
    expect(await screen.findByText("PhotoShelter can't be reached")).toBeInTheDocument();
    expect(screen.getByText(/Linked assets show what was last saved/)).toBeInTheDocument();
    // The row from Dataverse is still there, badged from what it stored.
    expect(within(item("asset-1.jpg")).getByText("Approved")).toBeInTheDocument();
    expect(item("asset-1.jpg").querySelector("img")).toBeNull();

    proxy.failure = null;
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(screen.queryByText("PhotoShelter can't be reached")).toBeNull());
    await waitFor(() => expect(item("asset-1.jpg").querySelector("img")).not.toBeNull());
  });

  it("asks for an interactive sign-in when silent sign-in is not possible", async () => {
    const proxy = new FakeProxyClient([approved]);
    proxy.failure = new ProxyError(401, "sign_in_required", "interaction_required");
    const { tokens } = renderPicker({ proxy, linked: [approved] });
    await userEvent.click(await screen.findByRole("button", { name: "Sign in" }));
    expect(tokens.signInInteractively).toHaveBeenCalledTimes(1);
  });

  it("switches between grid and list and remembers the choice while the app is open (not in storage)", async () => {
    const setItem = jest.spyOn(Storage.prototype, "setItem");
    const first = renderPicker({ linked: [approved] });
    const gridClass = screen.getByRole("list", { name: "Linked assets" }).className;
    expect(screen.getByRole("button", { name: "Grid view" })).toHaveAttribute("aria-pressed", "true");
    await userEvent.click(screen.getByRole("button", { name: "List view" }));
    expect(screen.getByRole("button", { name: "List view" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("list", { name: "Linked assets" }).className).not.toEqual(gridClass);
    first.unmount();

    renderPicker({ linked: [approved] });
    expect(screen.getByRole("button", { name: "List view" })).toHaveAttribute("aria-pressed", "true");
    await userEvent.click(screen.getByRole("button", { name: "Grid view" }));
    expect(setItem).not.toHaveBeenCalled();
    setItem.mockRestore();
  });

  it("uses the fixed test day for rights (sanity of the fixtures)", () => {
    expect(expiring.rights).toEqual({ status: "expiring14", daysToExpiry: 10 });
    expect(TODAY.toISOString().slice(0, 10)).toBe("2026-11-28");
  });
});

describe("linked assets: more rows than one page", () => {
  it("offers to show more and asks the platform for the next page", async () => {
    const { dataset } = renderPicker({ linked: [approved, expiring], datasetPaging: { totalResultCount: 120, hasNextPage: true } });
    expect(screen.getByRole("status")).toHaveTextContent("120 linked assets");
    await userEvent.click(screen.getByRole("button", { name: "Show more (2 of 120 shown)" }));
    expect(dataset.paging.loadNextPage).toHaveBeenCalledTimes(1);
  });

  it("has no 'show more' when every row is shown", () => {
    renderPicker({ linked: [approved] });
    expect(screen.queryByRole("button", { name: /Show more/ })).toBeNull();
  });
});

describe("linked assets: states", () => {
  it("shows skeletons while the platform loads the rows", () => {
    renderPicker({ datasetLoading: true });
    expect(screen.getByLabelText("Loading linked assets")).toBeInTheDocument();
    expect(screen.queryByRole("list", { name: "Linked assets" })).toBeNull();
  });

  it("says what to do when nothing is linked yet", () => {
    renderPicker();
    expect(screen.getByText(/No assets are linked to this record yet/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Add from PhotoShelter" })).toBeEnabled();
  });

  it("asks to save an unsaved record first and offers no attach", () => {
    const { proxy } = renderPicker({ context: { host: { entityTypeName: "account", entityId: "" } } });
    expect(screen.getAllByText("Save the record to attach assets.").length).toBeGreaterThan(0);
    expect(screen.queryByRole("button", { name: "Add from PhotoShelter" })).toBeNull();
    expect(proxy.calls).toHaveLength(0);
  });

  it.each([
    ["the control is disabled (read-only form)", { disabled: true }],
    ["the user may not create or delete links", { privileges: [] as ("create" | "delete")[] }],
  ])("hides all actions but still shows the assets when %s", async (_name, context) => {
    renderPicker({ linked: [approved], context });
    expect(await within(item("asset-1.jpg")).findByText("Approved")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Add from PhotoShelter" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Detach asset-1.jpg" })).toBeNull();
    // Viewing still works.
    await userEvent.click(screen.getByRole("button", { name: "Preview asset-1.jpg" }));
    expect(await screen.findByRole("dialog", { name: "asset-1.jpg" })).toBeInTheDocument();
  });

  it("offers attach without detach to a user who may create but not delete", () => {
    renderPicker({ linked: [approved], context: { privileges: ["create"] } });
    expect(screen.getByRole("button", { name: "Add from PhotoShelter" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Detach asset-1.jpg" })).toBeNull();
  });
});
