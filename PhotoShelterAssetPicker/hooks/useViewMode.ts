import * as React from "../platform/react";

export type ViewMode = "grid" | "list";

/**
 * Grid or list, remembered for as long as the app is open. PCF controls may not use local storage, and
 * the bundle stays loaded while the person moves between forms, so a module variable is the memory.
 */
let remembered: ViewMode = "grid";

export function useViewMode(): [ViewMode, (mode: ViewMode) => void] {
  const [mode, setMode] = React.useState<ViewMode>(remembered);
  const choose = React.useCallback((next: ViewMode) => {
    remembered = next;
    setMode(next);
  }, []);
  return [mode, choose];
}
