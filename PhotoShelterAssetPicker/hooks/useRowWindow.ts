import * as React from "../platform/react";

export interface RowWindow {
  /** First and last row to render (inclusive); last < first when there is nothing to render. */
  first: number;
  last: number;
  /** Height of all rows together: the scrolling content's height. */
  totalHeight: number;
  /** Scrolls the least needed to bring a row fully into view. */
  scrollToRow: (row: number) => void;
}

/** The rows in view, plus `overscan` rows on each side, for a viewport scrolled to `scrollTop`. */
export function rowRange(scrollTop: number, viewportHeight: number, rowHeight: number, rowCount: number, overscan: number): { first: number; last: number } {
  if (rowCount === 0) return { first: 0, last: -1 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(rowCount - 1, Math.ceil((scrollTop + viewportHeight) / rowHeight) - 1 + overscan);
  return { first: Math.min(first, last), last };
}

/**
 * Windowing for rows of one fixed height inside a scrolling element: which rows to render, the total
 * height and scroll-into-view. Because every row is equally tall, the window is plain arithmetic on
 * the scroll position — nothing is measured, so nothing is cached or corrected while scrolling.
 */
export function useRowWindow(scrollRef: React.RefObject<HTMLElement>, rowCount: number, rowHeight: number, overscan: number): RowWindow {
  const [view, setView] = React.useState({ scrollTop: 0, height: 0 });

  const read = React.useCallback(() => {
    const element = scrollRef.current;
    if (!element) return;
    const next = { scrollTop: element.scrollTop, height: element.clientHeight };
    setView((previous) => (previous.scrollTop === next.scrollTop && previous.height === next.height ? previous : next));
  }, [scrollRef]);

  React.useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    read();
    element.addEventListener("scroll", read, { passive: true });
    const resize = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(read);
    resize?.observe(element);
    return () => {
      element.removeEventListener("scroll", read);
      resize?.disconnect();
    };
  }, [scrollRef, read]);

  const scrollToRow = React.useCallback(
    (row: number) => {
      const element = scrollRef.current;
      if (!element) return;
      const top = row * rowHeight;
      const bottom = top + rowHeight;
      if (top < element.scrollTop) element.scrollTop = top;
      else if (bottom > element.scrollTop + element.clientHeight) element.scrollTop = bottom - element.clientHeight;
      // The scroll event comes later (or, in a test DOM, never); render the new window now.
      read();
    },
    [scrollRef, rowHeight, read],
  );

  const { first, last } = rowRange(view.scrollTop, view.height, rowHeight, rowCount, overscan);
  return { first, last, totalHeight: rowCount * rowHeight, scrollToRow };
}
