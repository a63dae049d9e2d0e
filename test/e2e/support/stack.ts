/**
 * The stack for end-to-end tests and the form-requests benchmark: the control's production build,
 * copied to a folder of its own (so a developer's rebuild, which empties out/controls, cannot pull
 * it away mid-run), then mock-server, workbench and proxy (API only, no jobs) in-process on free
 * ports, quiet.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { USERS } from "../../../mock-server/dataverse/demoData/users";
import { ensureControlBuilt } from "../../../workbench/server/controlBuild";
import { RunningStack, startStack } from "../../../workbench/server/stack";
import { Browser, launchChromium } from "./browser";
import { DataverseAsUser } from "./dataverse";

const SNAPSHOT_ROOT = path.resolve(__dirname, "..", "..", "..", "out", "e2e");

export async function startTestStack(options: { media?: number; env?: Record<string, string> } = {}): Promise<RunningStack> {
  // A copy of its own per stack: test files run in parallel workers, and a rebuild elsewhere empties out/controls.
  mkdirSync(SNAPSHOT_ROOT, { recursive: true });
  const snapshot = mkdtempSync(path.join(SNAPSHOT_ROOT, "control-"));
  const controlDir = await ensureControlBuilt({ copyTo: path.join(snapshot, "PhotoShelterAssetPicker") });
  // PROXY_ROLE=api: the proxy serves the control but runs no jobs. The tests assert on the demo data, which
  // the automation changes by the clock (rights-sync ticks at every quarter-hour and clears the demo's
  // "Changed in PhotoShelter" links; sweeps run hourly and daily); it has its own integration tests.
  const stack = await startStack({ mockPort: 0, proxyPort: 0, workbenchPort: 0, media: options.media ?? 300, controlDir, stateUrl: "sqlite::memory:", env: { ...process.env, LOG_LEVEL: "silent", PROXY_ROLE: "api", ...options.env } });
  const close = stack.close.bind(stack);
  return Object.assign(stack, {
    close: async () => {
      await close();
      rmSync(snapshot, { recursive: true, force: true });
    },
  });
}

export interface E2eSession {
  browser: Browser;
  stack: RunningStack;
  /** The mock Dataverse as the administrator, to compare the forms with. */
  dataverse: DataverseAsUser;
}

/** Starts Chromium and the stack before a test file's tests and stops both after them. */
export function useE2eSession(): E2eSession {
  const session = {} as E2eSession;
  beforeAll(async () => {
    session.browser = await launchChromium();
    session.stack = await startTestStack();
    session.dataverse = new DataverseAsUser(session.stack.mock.url, USERS.admin.id);
  });
  afterAll(async () => {
    await session.browser?.close();
    await session.stack?.close();
  });
  return session;
}
