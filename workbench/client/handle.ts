/**
 * What the page exposes to the end-to-end tests and the benchmark as window.__workbench.
 */
import type { LoggedRequest } from "./requestLog";

export interface WorkbenchHandle {
  /** The form is up and the control rendered at least once. */
  ready: boolean;
  /** Why the form could not open, if it could not. */
  error: string | null;
  requests(): LoggedRequest[];
  clearRequests(): void;
  /** How many times the control's updateView ran. */
  renderCount(): number;
  /**
   * The PCF context the control received last (tests use its webAPI, utils and dataset as the
   * control would). Typed loosely so Node-side code can read this file without the PCF types.
   */
  context(): unknown;
  /** What the control asked the host to do that has no screen of its own (openUrl, openForm elsewhere, setFullScreen…). */
  notes: { event: string; detail: unknown }[];
}

declare global {
  interface Window {
    __workbench: WorkbenchHandle;
  }
}
