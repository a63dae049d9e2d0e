import * as React from "../platform/react";

/**
 * Width of an element, following resizes (the form section, the dialog), with a fallback until it is
 * measured. A callback ref, because dialogs mount their content later than the component that owns it.
 */
export function useElementWidth<T extends HTMLElement>(fallback: number): [(element: T | null) => void, number] {
  const [width, setWidth] = React.useState(fallback);
  const observer = React.useRef<ResizeObserver | null>(null);
  const ref = React.useCallback(
    (element: T | null) => {
      observer.current?.disconnect();
      observer.current = null;
      if (!element) return;
      const measure = () => setWidth(element.clientWidth > 0 ? element.clientWidth : fallback);
      measure();
      if (typeof ResizeObserver !== "undefined") {
        observer.current = new ResizeObserver(measure);
        observer.current.observe(element);
      }
    },
    [fallback],
  );
  return [ref, width];
}
