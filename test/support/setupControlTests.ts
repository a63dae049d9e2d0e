import "@testing-library/jest-dom";

/**
 * What jsdom lacks and the control needs from a browser. jsdom lays nothing out, so every element
 * reports the size of a typical form section; the virtualized grid then renders what a browser would.
 */
export const LAYOUT = { width: 840, height: 520 };

Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => LAYOUT.width });
Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => LAYOUT.height });
Object.defineProperty(HTMLElement.prototype, "offsetWidth", { configurable: true, get: () => LAYOUT.width });
Object.defineProperty(HTMLElement.prototype, "offsetHeight", { configurable: true, get: () => LAYOUT.height });
// Fluent's focus manager (tabster) treats an element without an offsetParent, or a page whose body has
// no size, as invisible: it would find nothing focusable in a dialog and hide the dialog from
// assistive technology.
Element.prototype.getBoundingClientRect = function getBoundingClientRect() {
  return { x: 0, y: 0, top: 0, left: 0, width: LAYOUT.width, height: LAYOUT.height, right: LAYOUT.width, bottom: LAYOUT.height, toJSON: () => ({}) } as DOMRect;
};
Object.defineProperty(HTMLElement.prototype, "offsetParent", {
  configurable: true,
  get(this: HTMLElement) {
    return this.parentElement;
  },
});

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
