/**
 * Opening a form costs a fixed number of requests, whatever the number of links: on every form
 * (account, case, campaign, event) with its own sections, with 1 link more and with 30 more (past the
 * first page of 25 rows) — the same Dataverse row query, the control's one Dataverse call (its
 * sign-in row) and the same proxy calls. Request counts, not time (npm run bench -- form-requests
 * measures 1, 50 and 500).
 */
import type { Page } from "playwright-core";
import { dataRequests, FormUnderTest, measureFormRequests } from "./support/formRequests";

jest.setTimeout(600_000);

/** Each form's proxy calls on opening, whatever the number of links (in no particular order). */
const PROXY_CALLS: Record<FormUnderTest["form"], string[]> = {
  // The linked assets' rights in one batch; the account's suggestions.
  account: ["GET /v1/config", "POST /v1/session", "POST /v1/assets/batch", "GET /v1/suggestions"],
  // The upload panel's limits come from the same /v1/config read as the sign-in method.
  case: ["GET /v1/config", "POST /v1/session", "POST /v1/assets/batch"],
  // The record's collection and its assets not linked yet.
  campaign: ["GET /v1/config", "POST /v1/session", "POST /v1/assets/batch", "GET /v1/collection", "GET /v1/search"],
  // … and the media added since the event started.
  event: ["GET /v1/config", "POST /v1/session", "POST /v1/assets/batch", "GET /v1/collection", "GET /v1/search", "GET /v1/collection/additions"],
};

/** Settled: every call the form makes has been made and answered, and the network is quiet. */
async function settled(page: Page, form: FormUnderTest): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      const made = window.__workbench.requests().filter((r) => r.kind === "proxy").map((r) => `${r.method} ${new URL(r.url).pathname}`);
      return expected.every((call) => made.filter((m) => m === call).length >= expected.filter((e) => e === call).length);
    },
    PROXY_CALLS[form.form],
    { timeout: 60_000 },
  );
  await page.waitForLoadState("networkidle");
}

it("every form opens with the same requests for 1 and for 30 more linked assets", async () => {
  const counts = await measureFormRequests([1, 30], { settled });
  for (const form of Object.keys(PROXY_CALLS) as Array<FormUnderTest["form"]>) {
    const opens = counts.filter((count) => count.form === form);
    expect(opens).toHaveLength(2);
    const expected = { form, rowQueries: 1, controlDataverse: 1, proxyCalls: [...PROXY_CALLS[form]].sort(), dataRequests: 2 + PROXY_CALLS[form].length };
    expect(opens.map((open) => ({ form: open.form, rowQueries: open.rowQueries, controlDataverse: open.controlDataverse, proxyCalls: [...open.proxyCalls].sort(), dataRequests: dataRequests(open) }))).toEqual([expected, expected]);
    expect(opens[1].links - opens[0].links).toBe(29);
  }
});
