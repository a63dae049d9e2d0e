import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ProxyError } from "../../../PhotoShelterAssetPicker/services/proxyClient";
import { FakeProxyClient, makeAsset } from "./support/fakes";
import { renderPicker } from "./support/renderPicker";

const photo = makeAsset(1, { caption: "Blue logo on white", keywords: ["logo", "blue"], expiresInDays: 40, version: "3" });
const clip = makeAsset(2, { mediaType: "video", fileName: "launch.mp4" });
const brochure = makeAsset(3, { mediaType: "document", fileName: "brochure.pdf" });

async function openPreview(fileName: string) {
  await userEvent.click(screen.getByRole("button", { name: `Preview ${fileName}` }));
  return screen.findByRole("dialog", { name: fileName });
}

describe("preview", () => {
  it("shows a large image and all metadata", async () => {
    renderPicker({ linked: [photo, clip, brochure] });
    await waitFor(() => expect(screen.getByRole("listitem", { name: "asset-1.jpg" }).querySelector("img")).not.toBeNull());
    const dialog = await openPreview("asset-1.jpg");
    expect(dialog.querySelector("img")).toHaveAttribute("src", photo.previewUrl);
    const details = within(dialog).getByLabelText("Asset details");
    for (const text of ["Blue logo on white", "Contoso Studio", "© Contoso", "logo, blue", "Internal and partner use", "Model release: Yes · Property release: No", "1600 × 1200 px", "3", photo.id]) {
      expect(within(details).getByText(text)).toBeInTheDocument();
    }
    expect(within(dialog).getByText("Approved")).toBeInTheDocument();
    expect(within(dialog).getByText("1 of 3")).toBeInTheDocument();
  });

  it("moves through the linked assets with the arrow keys and the buttons", async () => {
    renderPicker({ linked: [photo, clip, brochure] });
    await waitFor(() => expect(screen.getByRole("listitem", { name: "launch.mp4" }).querySelector("img")).not.toBeNull());
    await openPreview("asset-1.jpg");
    await userEvent.keyboard("{ArrowRight}");
    const video = await screen.findByRole("dialog", { name: "launch.mp4" });
    // A video shows its poster with a play mark.
    expect(video.querySelector('[data-media-type="video"] img')).toHaveAttribute("src", clip.previewUrl);
    await userEvent.keyboard("{ArrowRight}");
    const doc = await screen.findByRole("dialog", { name: "brochure.pdf" });
    // A document shows a card: icon, name and kind.
    expect(within(doc).getByText("Document")).toBeInTheDocument();
    expect(within(doc).getByRole("button", { name: "Next asset" })).toBeDisabled();
    await userEvent.keyboard("{ArrowRight}");
    expect(screen.getByRole("dialog", { name: "brochure.pdf" })).toBeInTheDocument();
    await userEvent.click(within(doc).getByRole("button", { name: "Previous asset" }));
    expect(await screen.findByRole("dialog", { name: "launch.mp4" })).toBeInTheDocument();
    await userEvent.keyboard("{ArrowLeft}");
    expect(await screen.findByRole("dialog", { name: "asset-1.jpg" })).toBeInTheDocument();
  });

  it("opens the asset in PhotoShelter, copies its link and downloads a chosen size", async () => {
    const writeText = jest.fn(async () => undefined);
    Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText } });
    const click = jest.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => undefined);
    const { context, proxy } = renderPicker({ linked: [photo] });
    await waitFor(() => expect(proxy.count("getAssets")).toBe(1));
    await waitFor(() => expect(screen.getByRole("listitem", { name: "asset-1.jpg" }).querySelector("img")).not.toBeNull());
    const dialog = await openPreview("asset-1.jpg");

    await userEvent.click(within(dialog).getByRole("button", { name: "Open in PhotoShelter" }));
    expect(context.navigation.openUrl).toHaveBeenCalledWith(photo.photoShelterUrl);

    await userEvent.click(within(dialog).getByRole("button", { name: "Copy link" }));
    expect(writeText).toHaveBeenCalledWith(photo.photoShelterUrl);
    expect(await within(dialog).findByRole("button", { name: "Link copied" })).toBeInTheDocument();

    await userEvent.click(within(dialog).getByRole("button", { name: "Download" }));
    await userEvent.click(await screen.findByRole("menuitem", { name: "Large" }));
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect(proxy.calls.find((call) => call.method === "download")?.args).toEqual([photo.id, "large", expect.any(AbortSignal)]);
    click.mockRestore();
  });

  it("explains an asset outside the user's segment and still shows what the row stored", async () => {
    const proxy = new FakeProxyClient([photo]);
    proxy.hidden.add(photo.id);
    renderPicker({ proxy, linked: [photo] });
    await screen.findByText("Not available");
    const dialog = await openPreview("asset-1.jpg");
    expect(within(dialog).getByText(/outside the collections your segment may use/)).toBeInTheDocument();
    expect(within(dialog).getByText(photo.id)).toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: "Open in PhotoShelter" })).toBeNull();
  });
});

describe("detach and ZIP download", () => {
  it("detaches only after confirmation, then refreshes the rows", async () => {
    const { store, dataset } = renderPicker({ linked: [photo, clip] });
    await userEvent.click(screen.getByRole("button", { name: "Detach asset-1.jpg" }));
    const confirm = await screen.findByRole("alertdialog", { name: "Detach this asset?" });
    await userEvent.click(within(confirm).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(store.deleted).toEqual([]);

    await userEvent.click(screen.getByRole("button", { name: "Detach asset-1.jpg" }));
    const again = await screen.findByRole("alertdialog", { name: "Detach this asset?" });
    expect(again).toHaveTextContent("“asset-1.jpg” will no longer be linked to this record");
    await userEvent.click(within(again).getByRole("button", { name: "Detach" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(store.deleted).toEqual([`link-${photo.id}`]);
    expect(dataset.refresh).toHaveBeenCalledTimes(1);
  });

  it("shows why a detach failed and keeps the dialog open", async () => {
    const { store } = renderPicker({ linked: [photo] });
    store.deleteLink = async () => {
      throw new Error("Access denied");
    };
    await userEvent.click(screen.getByRole("button", { name: "Detach asset-1.jpg" }));
    const confirm = await screen.findByRole("alertdialog");
    await userEvent.click(within(confirm).getByRole("button", { name: "Detach" }));
    expect(await within(confirm).findByText("The asset could not be detached: Access denied")).toBeInTheDocument();
  });

  it("downloads the selected linked assets as one ZIP through the proxy", async () => {
    const click = jest.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(() => undefined);
    const { proxy } = renderPicker({ linked: [photo, clip, brochure] });
    expect(screen.getByRole("button", { name: "Download selected (0)" })).toBeDisabled();
    await userEvent.click(screen.getByRole("checkbox", { name: "Select asset-1.jpg" }));
    await userEvent.click(screen.getByRole("checkbox", { name: "Select brochure.pdf" }));
    await userEvent.click(screen.getByRole("button", { name: "Download selected (2)" }));
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    expect(proxy.calls.find((call) => call.method === "downloadZip")?.args[0]).toEqual([photo.id, brochure.id]);
    click.mockRestore();
  });

  it("explains a failed download and lets the person dismiss it", async () => {
    const { proxy } = renderPicker({ linked: [photo, clip] });
    const zip = jest.spyOn(proxy, "downloadZip").mockRejectedValue(new ProxyError(503, "upstream_unavailable", "PhotoShelter is not answering"));
    await userEvent.click(screen.getByRole("checkbox", { name: "Select launch.mp4" }));
    await userEvent.click(screen.getByRole("button", { name: "Download selected (1)" }));
    expect(await screen.findByText("The download failed: PhotoShelter is not answering")).toBeInTheDocument();
    expect(zip.mock.calls[0][1]).toBeInstanceOf(AbortSignal);
    await userEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByText(/The download failed/)).toBeNull();
  });
});
