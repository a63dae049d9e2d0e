/**
 * Each form's own job, with the control's real code and fakes only at the proxy and Dataverse seams:
 * case evidence uploads (limits, progress, cancel, retry, idempotent keys, camera), a campaign's and
 * an event's collection (create, suggestions, new since the event), account suggestions (attach,
 * dismiss for the session) and "where used" in the preview.
 */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { ProxyError } from "../../../PhotoShelterAssetPicker/services/proxyClient";
import { FakeLinkStore, FakeProxyClient, makeAsset, mediaId } from "./support/fakes";
import { renderPicker } from "./support/renderPicker";

const CASE = { entityTypeName: "incident", entityId: "c0000000-0000-4000-8000-000000000001", entityRecordName: "Damaged scanner" };
const CAMPAIGN = { entityTypeName: "campaign", entityId: "ca000000-0000-4000-8000-000000000004", entityRecordName: "Holiday Promo" };
const EVENT = { entityTypeName: "msevtmgt_event", entityId: "e0000000-0000-4000-8000-000000000002", entityRecordName: "Customer Day" };
const ACCOUNT = { entityTypeName: "account", entityId: "a0000000-0000-4000-8000-000000000004", entityRecordName: "Litware Health" };

const file = (name: string, bytes: number, type = "image/png") => new File([new Uint8Array(bytes)], name, { type });

async function chooseFiles(...files: File[]) {
  const button = await screen.findByRole("button", { name: "Choose files" });
  await waitFor(() => expect(button).toBeEnabled());
  const input = screen.getByLabelText("Choose files", { selector: "input" });
  fireEvent.change(input, { target: { files } });
}

const uploadRow = (name: string) => within(screen.getByRole("list", { name: "Files to upload" })).getByText(name).closest("li")!;

describe("case evidence uploads", () => {
  it("checks type and size first, shows progress, retries a failed file and links each stored file once", async () => {
    const proxy = new FakeProxyClient([]);
    proxy.failUpload.set("crack.png", new ProxyError(502, "upstream_error", "PhotoShelter failed (HTTP 500)"));
    const { store, dataset } = renderPicker({ proxy, context: { host: CASE } });
    expect(await screen.findByText(/Up to 1,000 bytes per file|Up to 1000 bytes per file/)).toBeInTheDocument();

    await chooseFiles(file("dent.png", 400), file("huge.png", 5000), file("crack.png", 300), file("notes.exe", 10, "application/x-msdownload"));
    expect(within(uploadRow("huge.png")).getByText(/Too large/)).toBeInTheDocument();
    expect(within(uploadRow("notes.exe")).getByText("This type of file cannot be uploaded")).toBeInTheDocument();
    await waitFor(() => expect(uploadRow("dent.png")).toHaveAttribute("data-status", "done"));
    await waitFor(() => expect(uploadRow("crack.png")).toHaveAttribute("data-status", "failed"));
    expect(within(uploadRow("crack.png")).getByText(/Upload failed: PhotoShelter failed/)).toBeInTheDocument();
    // Rejected files never left the browser.
    expect(proxy.calls.filter((call) => call.method === "upload").map((call) => call.args[0])).toEqual(["dent.png", "crack.png"]);

    await userEvent.click(screen.getByRole("button", { name: "Try crack.png again" }));
    await waitFor(() => expect(uploadRow("crack.png")).toHaveAttribute("data-status", "done"));
    expect(proxy.stored.size).toBe(2);
    expect(store.created).toHaveLength(2);
    expect([...store.links.values()].every((link) => link.linkType === "evidence")).toBe(true);
    expect(screen.getByText("2 of 2 uploaded and linked · 0 failed · 2 not allowed")).toHaveAttribute("role", "status");
    expect(screen.getByRole("progressbar", { name: "Upload progress" })).toHaveAttribute("aria-valuenow", "1");
    await waitFor(() => expect(dataset.refresh).toHaveBeenCalled());
  });

  it("sends a retried file with the same key, so a file stored but unanswered is not stored twice", async () => {
    const proxy = new FakeProxyClient([]);
    proxy.loseAnswer.add("photo.png");
    const { store } = renderPicker({ proxy, context: { host: CASE } });
    await chooseFiles(file("photo.png", 200));
    await waitFor(() => expect(uploadRow("photo.png")).toHaveAttribute("data-status", "failed"));
    await userEvent.click(screen.getByRole("button", { name: "Try photo.png again" }));
    await waitFor(() => expect(uploadRow("photo.png")).toHaveAttribute("data-status", "done"));
    const keys = proxy.calls.filter((call) => call.method === "upload").map((call) => call.args[1]);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    expect(proxy.stored.size).toBe(1);
    expect(store.created).toHaveLength(1);
  });

  it("only links a file that was stored but not linked", async () => {
    const proxy = new FakeProxyClient([]);
    const store = new FakeLinkStore();
    store.failNext.set(mediaId(9000), "Dataverse is unavailable");
    renderPicker({ proxy, store, context: { host: CASE } });
    await chooseFiles(file("scratch.png", 200));
    await waitFor(() => expect(within(uploadRow("scratch.png")).getByText("Uploaded, but not linked: Dataverse is unavailable")).toBeInTheDocument());
    await userEvent.click(screen.getByRole("button", { name: "Try scratch.png again" }));
    await waitFor(() => expect(uploadRow("scratch.png")).toHaveAttribute("data-status", "done"));
    expect(proxy.count("upload")).toBe(1);
    expect(store.created).toEqual([mediaId(9000)]);
  });

  it("cancels a file in flight and sends it again on retry", async () => {
    const proxy = new FakeProxyClient([]);
    let release: () => void = () => undefined;
    proxy.holdUploads = new Promise((resolve) => (release = resolve));
    renderPicker({ proxy, context: { host: CASE } });
    await chooseFiles(file("slow.png", 600));
    await waitFor(() => expect(uploadRow("slow.png")).toHaveAttribute("data-status", "uploading"));
    expect(within(uploadRow("slow.png")).getByRole("progressbar")).toHaveAttribute("aria-valuenow", "0.5");
    await userEvent.click(screen.getByRole("button", { name: "Cancel slow.png" }));
    await waitFor(() => expect(uploadRow("slow.png")).toHaveAttribute("data-status", "cancelled"));
    expect(proxy.stored.size).toBe(0);
    proxy.holdUploads = null;
    release();
    await userEvent.click(screen.getByRole("button", { name: "Try slow.png again" }));
    await waitFor(() => expect(uploadRow("slow.png")).toHaveAttribute("data-status", "done"));
    expect(proxy.stored.size).toBe(1);
  });

  it("accepts dropped files like chosen ones", async () => {
    const proxy = new FakeProxyClient([]);
    renderPicker({ proxy, context: { host: CASE } });
    await screen.findByText(/per file/);
    fireEvent.drop(screen.getByTestId("upload-drop-zone"), { dataTransfer: { files: [file("dropped.png", 100)] } });
    await waitFor(() => expect(uploadRow("dropped.png")).toHaveAttribute("data-status", "done"));
  });

  it("offers 'Take photo' only where the platform has a camera, and uploads what it returns", async () => {
    renderPicker({ context: { host: CASE } });
    await screen.findByRole("button", { name: "Choose files" });
    expect(screen.queryByRole("button", { name: "Take photo" })).toBeNull();
    document.body.innerHTML = "";

    const captureImage = jest.fn(async () => ({ fileContent: btoa("jpeg bytes"), fileName: "camera-1.jpg", fileSize: 10, mimeType: "image/jpeg" }));
    const proxy = new FakeProxyClient([]);
    renderPicker({ proxy, context: { host: CASE, client: { name: "Mobile", formFactor: 3 }, device: { captureImage } } });
    const take = await screen.findByRole("button", { name: "Take photo" });
    await waitFor(() => expect(take).toBeEnabled());
    await userEvent.click(take);
    await waitFor(() => expect(uploadRow("camera-1.jpg")).toHaveAttribute("data-status", "done"));
    expect(captureImage).toHaveBeenCalledTimes(1);
    expect(proxy.calls.find((call) => call.method === "upload")!.args[0]).toBe("camera-1.jpg");
  });

  it("is not offered to a user who may not link assets", async () => {
    renderPicker({ context: { host: CASE, privileges: [] } });
    await screen.findByRole("heading", { name: "PhotoShelter assets" });
    expect(screen.queryByRole("button", { name: "Choose files" })).toBeNull();
  });
});

describe("a campaign's and an event's collection", () => {
  it("creates the collection through the proxy and then shows its sync status and metadata", async () => {
    const proxy = new FakeProxyClient([]);
    renderPicker({ proxy, context: { host: CAMPAIGN } });
    expect(await screen.findByText("This campaign has no PhotoShelter collection yet.")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Create collection" }));
    expect(await screen.findByText("Synced")).toBeInTheDocument();
    const facts = screen.getByLabelText("About the collection");
    expect(within(facts).getByText("SMB retail")).toBeInTheDocument();
    expect(within(facts).getByText("Mia Marketer")).toBeInTheDocument();
    expect(proxy.count("createRecordCollection")).toBe(1);
  });

  it("offers 'Create collection' only to someone who may change the campaign", async () => {
    renderPicker({ context: { host: CAMPAIGN, privileges: ["create", "delete"] } });
    expect(await screen.findByText("This campaign has no PhotoShelter collection yet.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Create collection" })).toBeNull();
  });

  it("shows a failed sync with its error and retries it", async () => {
    const proxy = new FakeProxyClient([]);
    proxy.recordCollection = { link: { id: "l", containerId: "G000000000000403", kind: "gallery", name: "Sustainability", syncStatus: "failed", lastError: "PhotoShelter answered 503", lastSyncedOn: null }, collection: null };
    renderPicker({ proxy, context: { host: CAMPAIGN } });
    expect(await screen.findByText("The last sync with PhotoShelter failed: PhotoShelter answered 503")).toBeInTheDocument();
    proxy.recordCollection = { ...proxy.recordCollection, link: { ...proxy.recordCollection.link!, syncStatus: "synced", lastError: null } };
    await userEvent.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByText("Synced")).toBeInTheDocument();
  });

  it("offers the collection's assets that are not linked yet, one click each, and browses inside the collection", async () => {
    const inCollection = [makeAsset(1, { fileName: "banner.jpg" }), makeAsset(2, { fileName: "poster.jpg" }), makeAsset(3, { fileName: "linked.jpg" })];
    const proxy = new FakeProxyClient(inCollection);
    proxy.contents.set("C000000000000031", inCollection.map((asset) => asset.id));
    proxy.recordCollection = { link: { id: "l", containerId: "C000000000000031", kind: "collection", name: "Holiday Promo", syncStatus: "synced", lastError: null, lastSyncedOn: "2026-11-27T10:00:00Z" }, collection: null };
    const { store } = renderPicker({ proxy, linked: [inCollection[2]], context: { host: CAMPAIGN } });
    const section = await screen.findByRole("region", { name: "In the collection, not linked yet" });
    await within(section).findByText("banner.jpg");
    expect(within(section).queryByText("linked.jpg")).toBeNull();
    await userEvent.click(within(section).getByRole("button", { name: "Link poster.jpg" }));
    await waitFor(() => expect(store.created).toEqual([inCollection[1].id]));
    expect([...store.links.values()][0].linkType).toBe("campaign");

    await userEvent.click(screen.getByRole("button", { name: "Add from PhotoShelter" }));
    const dialog = await screen.findByRole("dialog", { name: "Add from PhotoShelter" });
    expect(within(dialog).getByRole("button", { name: "Holiday Promo" })).toBeInTheDocument();
    await waitFor(() => expect(proxy.calls.filter((call) => call.method === "search").some((call) => (call.args[0] as { containerId: string | null }).containerId === "C000000000000031")).toBe(true));
  });

  it("lists media added to the event's collection since it started, to link back", async () => {
    const added = [makeAsset(7, { fileName: "headshot-1.jpg" }), makeAsset(8, { fileName: "headshot-2.jpg" })];
    const proxy = new FakeProxyClient(added);
    proxy.recordCollection = { link: { id: "l", containerId: "G000000000000452", kind: "gallery", name: "Customer Day Headshots", syncStatus: "synced", lastError: null, lastSyncedOn: null }, collection: null };
    proxy.additions = { since: "2026-11-18T09:00:00Z", items: added };
    const { store } = renderPicker({ proxy, context: { host: EVENT } });
    const section = await screen.findByRole("region", { name: "New since the event" });
    await within(section).findByText("headshot-1.jpg");
    await userEvent.click(screen.getByRole("button", { name: "Link all 2" }));
    await waitFor(() => expect(store.created.sort()).toEqual(added.map((asset) => asset.id).sort()));
    expect([...store.links.values()].every((link) => link.linkType === "event")).toBe(true);
  });
});

describe("account suggestions", () => {
  it("attach with one click, say why they match, and stay dismissed for the session", async () => {
    const suggested = [makeAsset(11, { fileName: "clinic.jpg" }), makeAsset(12, { fileName: "scanner.jpg" }), makeAsset(13, { fileName: "ward.jpg" })];
    const proxy = new FakeProxyClient(suggested);
    proxy.suggestions = { items: suggested.map((asset) => ({ asset, matched: ["industry", "region"] })) };
    const { store } = renderPicker({ proxy, context: { host: ACCOUNT } });
    const section = await screen.findByRole("region", { name: "Suggested for this account" });
    await within(section).findByText("clinic.jpg");
    expect(within(section).getAllByText("Matches industry, region")).toHaveLength(3);
    await userEvent.click(within(section).getByRole("button", { name: "Link clinic.jpg" }));
    await waitFor(() => expect(store.created).toEqual([suggested[0].id]));
    expect([...store.links.values()][0].linkType).toBe("brand");

    await userEvent.click(within(section).getByRole("button", { name: "Dismiss ward.jpg" }));
    expect(within(section).queryByText("ward.jpg")).toBeNull();
    // Opening the account again in the same session: still dismissed.
    document.body.innerHTML = "";
    renderPicker({ proxy, context: { host: ACCOUNT } });
    const again = await screen.findByRole("region", { name: "Suggested for this account" });
    await within(again).findByText("scanner.jpg");
    expect(within(again).queryByText("ward.jpg")).toBeNull();
  });
});

describe("where used", () => {
  it("lists the other records the asset is linked to that the user may read, and opens them", async () => {
    const asset = makeAsset(21, { fileName: "logo.png" });
    const store = new FakeLinkStore();
    store.usedOn = [
      { entityName: "account", id: ACCOUNT.entityId, name: "Litware Health" },
      { entityName: "opportunity", id: "0a000000-0000-4000-8000-000000000004", name: "Aquila imaging suite" },
      { entityName: "campaign", id: CAMPAIGN.entityId, name: "Holiday Promo" },
    ];
    const { context } = renderPicker({ linked: [asset], store, context: { host: ACCOUNT } });
    await userEvent.click(await screen.findByRole("button", { name: "Preview logo.png" }));
    const dialog = await screen.findByRole("dialog", { name: "logo.png" });
    const list = await within(dialog).findByRole("list", { name: "Also linked to" });
    expect(within(list).getAllByRole("listitem").map((item) => item.textContent)).toEqual(["Opportunity: Aquila imaging suite", "Campaign: Holiday Promo"]);
    expect(store.whereUsedCalls).toEqual([asset.id]);
    await act(async () => {
      await userEvent.click(within(list).getByRole("button", { name: "Holiday Promo" }));
    });
    expect(context.navigation.openForm).toHaveBeenCalledWith({ entityName: "campaign", entityId: CAMPAIGN.entityId });
  });
});
