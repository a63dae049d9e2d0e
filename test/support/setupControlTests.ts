import "@testing-library/jest-dom";
import { configure } from "@testing-library/react";

// findBy*/waitFor wait on a condition; their default 1 s deadline is too short for a busy machine.
configure({ asyncUtilTimeout: 15_000 });

/**
 * What jsdom lacks and the control needs from a browser. jsdom lays nothing out, so every element
 * reports the size of a typical form section; the virtualized grid then renders what a browser would.
 * Service tests run in the Node environment (real fetch, Response, WebCrypto) and skip all of this.
 */
export const LAYOUT = { width: 840, height: 520 };

function installBrowserGaps(): void {
  for (const [property, value] of [
    ["clientWidth", LAYOUT.width],
    ["clientHeight", LAYOUT.height],
    ["offsetWidth", LAYOUT.width],
    ["offsetHeight", LAYOUT.height],
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, property, { configurable: true, get: () => value });
  }
  // Fluent's focus manager (tabster) treats an element without an offsetParent, or a page whose body
  // has no size, as invisible: it would find nothing focusable in a dialog and hide the dialog itself.
  Object.defineProperty(HTMLElement.prototype, "offsetParent", {
    configurable: true,
    get(this: HTMLElement) {
      return this.parentElement;
    },
  });
  Element.prototype.getBoundingClientRect = function getBoundingClientRect() {
    return { x: 0, y: 0, top: 0, left: 0, width: LAYOUT.width, height: LAYOUT.height, right: LAYOUT.width, bottom: LAYOUT.height, toJSON: () => ({}) } as DOMRect;
  };

  if (typeof globalThis.ResizeObserver === "undefined") {
    globalThis.ResizeObserver = class {
      observe(): void {}
      unobserve(): void {}
      disconnect(): void {}
    };
  }

  if (typeof URL.createObjectURL !== "function") {
    URL.createObjectURL = () => "blob:test";
    URL.revokeObjectURL = () => undefined;
  }
}

if (typeof HTMLElement !== "undefined") {
  installBrowserGaps();
  // Fluent's focus manager hides everything outside an open dialog (aria-hidden) on a timer; a dialog
  // left open by one test must not hide the next test's form.
  beforeEach(() => {
    document.body.innerHTML = "";
  });
}
