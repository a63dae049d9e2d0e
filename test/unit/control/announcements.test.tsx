/**
 * What changes without the person moving focus is announced: a failed proxy call's message bar goes
 * to a live region, and the counts and progress are live status text.
 */
import { screen, waitFor } from "@testing-library/react";
import { ProxyError } from "../../../PhotoShelterAssetPicker/services/proxyClient";
import { FakeProxyClient, makeAsset } from "./support/fakes";
import { renderPicker } from "./support/renderPicker";

describe("announcements", () => {
  it("announces a failed proxy call through an assertive live region", async () => {
    const linked = [makeAsset(1)];
    const proxy = new FakeProxyClient(linked);
    proxy.failure = new ProxyError(503, "upstream_unavailable", "PhotoShelter is down");
    renderPicker({ linked, proxy });
    await screen.findByText("PhotoShelter can't be reached");
    await waitFor(() => {
      // Fluent's announcer writes innerText (which jsdom keeps as a plain property) into a span of its live region.
      const live = Array.from(document.querySelectorAll("[aria-live=assertive] span")).map((element) => (element as HTMLElement).innerText ?? "");
      expect(live.some((text) => text.includes("PhotoShelter can't be reached"))).toBe(true);
    });
  });

  it("keeps the linked count in a polite status", async () => {
    const linked = [makeAsset(1), makeAsset(2)];
    renderPicker({ linked });
    const status = await screen.findByText("2 linked assets");
    expect(status.getAttribute("role")).toBe("status");
    expect(status.getAttribute("aria-live")).toBe("polite");
  });
});
