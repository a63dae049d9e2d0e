/**
 * Sign-in cost: the time from a cold control (the workbench calls its init) to its first proxy answer
 * (the batch look-up of the linked assets' rights), in Chromium on the Account form, with the control
 * signing in through Dataverse (a psh_signinrequest row, then POST /v1/session) and with the mock
 * issuer's development sign-in (one POST), side by side in one run, rounds alternating between the
 * two stacks so both see the same machine. Times come from the page's Resource Timing entries.
 */
import type { Page } from "playwright-core";
import { ACCOUNTS } from "../mock-server/dataverse/demoData";
import { USERS } from "../mock-server/dataverse/demoData/users";
import { launchChromium } from "../test/e2e/support/browser";
import { startTestStack } from "../test/e2e/support/stack";
import { openForm } from "../test/e2e/support/workbenchPage";
import type { RunningStack } from "../workbench/server/stack";

const ROUNDS = 30;
const WARM_UP = 2;

interface Round {
  /** control init → first proxy answer (ms). */
  firstAnswer: number;
  /** control init → the proxy's /v1/config answered (ms): where every sign-in starts. */
  configured: number;
  /** control init → the sign-in finished (its last request answered) (ms). */
  signedIn: number;
  /** The sign-in's requests: name → duration (ms). */
  steps: Record<string, number>;
}

type Mode = "dataverse" | "dev";

const STEPS: Record<Mode, Record<string, RegExp>> = {
  dataverse: {
    // context.webAPI resolves the table's entity set from its metadata once per page, as Dynamics does (cached there across forms).
    "table metadata (webAPI, once per page)": /EntityDefinitions\(LogicalName=(?:'|%27)psh_signinrequest(?:'|%27)\)$/,
    "Dataverse write (psh_signinrequests)": /\/api\/data\/v9\.2\/psh_signinrequests$/,
    "POST /v1/session": /\/v1\/session$/,
  },
  dev: { "POST /issuer/dev/sign-in": /\/issuer\/dev\/sign-in$/ },
};

async function measure(page: Page, stack: RunningStack, mode: Mode): Promise<Round> {
  const answered = page.waitForResponse((response) => response.url().startsWith(`${stack.proxyUrl}/v1/assets/batch`), { timeout: 60_000 });
  await openForm(page, stack.workbench.url, { form: "account", id: ACCOUNTS.litware, user: USERS.salesNorthAmerica.id });
  await answered;
  // The entry of the answer is written once its body has been read.
  await page.waitForFunction((proxy) => performance.getEntriesByType("resource").some((entry) => entry.name.startsWith(`${proxy}/v1/assets/batch`) && (entry as PerformanceResourceTiming).responseEnd > 0), stack.proxyUrl);
  const entries = await page.evaluate(() => ({
    init: performance.getEntriesByName("workbench:control-init")[0]?.startTime ?? NaN,
    resources: performance.getEntriesByType("resource").map((entry) => ({ name: entry.name, start: entry.startTime, end: (entry as PerformanceResourceTiming).responseEnd })),
  }));
  const first = entries.resources.find((entry) => entry.name.startsWith(`${stack.proxyUrl}/v1/assets/batch`))!;
  const steps: Record<string, number> = {};
  let signedIn = 0;
  for (const [label, pattern] of Object.entries(STEPS[mode])) {
    const entry = entries.resources.find((resource) => pattern.test(resource.name.split("?")[0]));
    if (!entry) throw new Error(`No ${label} request in ${mode} mode`);
    steps[label] = entry.end - entry.start;
    signedIn = Math.max(signedIn, entry.end - entries.init);
  }
  const config = entries.resources.find((entry) => entry.name.startsWith(`${stack.proxyUrl}/v1/config`))!;
  return { firstAnswer: first.end - entries.init, configured: config.end - entries.init, signedIn, steps };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (value: number) => value.toFixed(1);

export async function signInBench(): Promise<void> {
  const stacks: Record<Mode, RunningStack> = {
    dataverse: await startTestStack(),
    dev: await startTestStack({ env: { SIGN_IN_MODE: "dev" } }),
  };
  const browser = await launchChromium();
  const rounds: Record<Mode, Round[]> = { dataverse: [], dev: [] };
  try {
    for (let round = 0; round < WARM_UP + ROUNDS; round++) {
      for (const mode of round % 2 === 0 ? (["dataverse", "dev"] as const) : (["dev", "dataverse"] as const)) {
        const page = await browser.context.newPage();
        const result = await measure(page, stacks[mode], mode);
        await page.close();
        if (round >= WARM_UP) rounds[mode].push(result);
      }
    }
  } finally {
    await browser.close();
    await Promise.all(Object.values(stacks).map((stack) => stack.close()));
  }
  console.log(`${ROUNDS} cold controls per mode (after ${WARM_UP} warm-up rounds), alternating; milliseconds from the control's init.\n`);
  console.log("| sign-in | first proxy answer p50 | p90 | /v1/config answered p50 | signed in p50 | p90 | config → signed in p50 | the sign-in's requests (p50 each) |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---|");
  for (const mode of ["dataverse", "dev"] as const) {
    const list = rounds[mode];
    const steps = Object.keys(STEPS[mode]).map((label) => `${label} ${ms(percentile(list.map((r) => r.steps[label]), 50))}`).join("; ");
    const p50 = (pick: (r: Round) => number) => ms(percentile(list.map(pick), 50));
    const p90 = (pick: (r: Round) => number) => ms(percentile(list.map(pick), 90));
    console.log(`| ${mode} | ${p50((r) => r.firstAnswer)} | ${p90((r) => r.firstAnswer)} | ${p50((r) => r.configured)} | ${p50((r) => r.signedIn)} | ${p90((r) => r.signedIn)} | ${p50((r) => r.signedIn - r.configured)} | ${steps} |`);
  }
  const difference = percentile(rounds.dataverse.map((r) => r.firstAnswer), 50) - percentile(rounds.dev.map((r) => r.firstAnswer), 50);
  console.log(`\nThe Dataverse handshake costs ${ms(difference)} ms more (p50) than the development sign-in until the first proxy answer.`);
}
