/**
 * Multi-select over an ordered list the way file pickers do it: a click or Space toggles one item,
 * Shift extends from the last toggled item (the anchor), Ctrl/Cmd+A selects everything loaded.
 */
export interface Selection {
  ids: ReadonlySet<string>;
  anchor: number | null;
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), anchor: null };

export function toggle(selection: Selection, index: number, id: string): Selection {
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: index };
}

/** Adds every item between the anchor and `index` (inclusive); without an anchor it toggles. */
export function extendTo(selection: Selection, index: number, idAt: (index: number) => string | undefined): Selection {
  if (selection.anchor === null) {
    const id = idAt(index);
    return id === undefined ? selection : toggle(selection, index, id);
  }
  const ids = new Set(selection.ids);
  const [start, end] = selection.anchor <= index ? [selection.anchor, index] : [index, selection.anchor];
  for (let i = start; i <= end; i += 1) {
    const id = idAt(i);
    if (id !== undefined) ids.add(id);
  }
  return { ids, anchor: selection.anchor };
}

export function selectAll(ids: Iterable<string>): Selection {
  return { ids: new Set(ids), anchor: null };
}

/** The index focus moves to for an arrow/Home/End key in a grid of `columns`, or null for other keys. */
export function moveFocus(key: string, index: number, count: number, columns: number): number | null {
  if (count === 0) return null;
  const clamp = (value: number) => Math.max(0, Math.min(count - 1, value));
  switch (key) {
    case "ArrowRight":
      return clamp(index + 1);
    case "ArrowLeft":
      return clamp(index - 1);
    case "ArrowDown":
      return clamp(index + columns);
    case "ArrowUp":
      return clamp(index - columns);
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return null;
  }
}
