/**
 * npm run bench -- form-requests: requests when a form opens with 1, 50 and 500 linked assets, on
 * every form (test/e2e/support/formRequests.ts counts them). The budget is a constant number of
 * requests per form, independent of N (one Dataverse query for the first page of rows, one batched
 * proxy call for their live rights, each section's own calls), not one per asset.
 */
import { dataRequests, FORMS, measureFormRequests } from "../test/e2e/support/formRequests";

const SIZES = [1, 50, 500];

export async function formRequests(): Promise<void> {
  const results = await measureFormRequests(SIZES);
  console.log("| form | linked assets | Dataverse row queries | control's Dataverse calls | proxy calls (fetch) | data requests | thumbnails loaded (lazy, visible tiles) | other fetches (manifest, strings, sign-in) | updateView calls |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of results) console.log(`| ${r.form} | ${r.links} | ${r.rowQueries} | ${r.controlDataverse} | ${r.proxy} | ${dataRequests(r)} | ${r.images} | ${r.other} | ${r.renders} |`);
  console.log("");
  for (const form of FORMS.map((f) => f.form)) {
    const rows = results.filter((r) => r.form === form);
    const counts = rows.map(dataRequests);
    console.log(`${form}: data requests per open ${counts.join(", ")} → ${new Set(counts).size === 1 ? "constant" : "NOT constant"} across N = ${rows.map((r) => r.links).join(", ")}; proxy calls: ${rows[rows.length - 1].proxyCalls.join(", ")}`);
  }
}
