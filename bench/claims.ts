/**
 * npm run bench -- claims: what one claim of the inbox costs as the backlog grows, SQLite (a file)
 * and PostgreSQL (a throwaway cluster) side by side in one run. Each backlog is events spread over
 * 400 records, as a burst of webhooks leaves them; a claim takes 8 (the runner's batch) and those
 * are completed before the next, so the backlog stays as it was. No planner statistics are gathered:
 * a store right after a burst has none yet.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openStore, parseStateUrl } from "../proxy/src/state";
import { startPostgres } from "../test/support/postgres";

const BACKLOGS = [1_000, 10_000];
const RECORDS = 400;
const CLAIMS = 60;
const BATCH = 8;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(url: string, backlog: number): Promise<{ p50: number; p90: number; claimed: number }> {
  const store = await openStore(parseStateUrl(url));
  try {
    await store.transaction(async ({ inbox }) => {
      for (let n = 0; n < backlog; n++) {
        await inbox.enqueue({ dedupeKey: `op-${n}`, message: "Update", table: "account", recordId: `r-${n % RECORDS}`, correlationId: `c-${n}`, operationAt: 1_000 + n, body: "{}" }, 1_000);
      }
    });
    const times: number[] = [];
    let claimed = 0;
    for (let i = 0; i < CLAIMS; i++) {
      const start = performance.now();
      const events = await store.inbox.claim("bench", BATCH, 60_000, 5_000);
      times.push(performance.now() - start);
      claimed += events.length;
      for (const event of events) await store.inbox.complete(event.id, "bench", 5_000);
    }
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p90: percentile(times, 90), claimed };
  } finally {
    await store.close();
  }
}

export async function claimsBench(): Promise<void> {
  const cluster = await startPostgres();
  const dir = mkdtempSync(path.join(os.tmpdir(), "psh-bench-claims-"));
  try {
    console.log(`${CLAIMS} claims of ${BATCH} per backlog (events over ${RECORDS} records), each batch completed before the next\n`);
    console.log("| engine | waiting events | claim p50 ms | claim p90 ms | events claimed |");
    console.log("|---|---:|---:|---:|---:|");
    for (const backlog of BACKLOGS) {
      for (const engine of ["sqlite", "postgres"] as const) {
        const url = engine === "sqlite" ? `sqlite:${path.join(dir, `claims-${backlog}.db`)}` : await cluster.createDatabase();
        const { p50, p90, claimed } = await measure(url, backlog);
        console.log(`| ${engine === "sqlite" ? "SQLite (file, WAL)" : "PostgreSQL"} | ${backlog.toLocaleString("en-US")} | ${p50.toFixed(2)} | ${p90.toFixed(2)} | ${claimed} |`);
      }
    }
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
