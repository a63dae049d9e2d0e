/**
 * The control at scale, measured in jsdom with the control's real code and fakes only at its seams:
 * DOM size of the virtualized results grid (100 vs 10,000 results) and the requests a form with N
 * linked assets makes (N = 1, 50, 500). The numbers come from test/unit/control/scale.test.tsx, which
 * also asserts them; this runs it once more and prints what it measured.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";

interface DomCount {
  nodes: number;
  options: number;
}

interface Measured {
  dom: { small: { top: DomCount; scrolled: DomCount }; large: { top: DomCount; scrolled: DomCount; halfway: DomCount } };
  requests: Record<string, { http: number; webApi: number; calls: string[] }>;
}

export async function controlScale(): Promise<void> {
  const root = path.resolve(__dirname, "..");
  const out = path.join(root, "bench", ".tmp", "control-scale.json");
  mkdirSync(path.dirname(out), { recursive: true });
  const run = spawnSync(process.execPath, [path.join(root, "node_modules", "jest", "bin", "jest.js"), "--selectProjects", "control", "--runTestsByPath", "test/unit/control/scale.test.tsx"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, BENCH_OUT: out },
  });
  if (run.status !== 0) throw new Error(`The scale test failed:\n${run.stdout}${run.stderr}`);
  const measured = JSON.parse(readFileSync(out, "utf8")) as Measured;
  const { small, large } = measured.dom;
  const ratio = (a: DomCount, b: DomCount) => `${((a.nodes / b.nodes - 1) * 100).toFixed(1)} %`;
  console.log("| results grid | DOM nodes | result tiles in DOM | vs 100 results |");
  console.log("|---|---:|---:|---:|");
  console.log(`| 100 results, top | ${small.top.nodes} | ${small.top.options} | — |`);
  console.log(`| 10,000 results, top | ${large.top.nodes} | ${large.top.options} | ${ratio(large.top, small.top)} |`);
  console.log(`| 100 results, scrolled 2,000 px | ${small.scrolled.nodes} | ${small.scrolled.options} | — |`);
  console.log(`| 10,000 results, scrolled 2,000 px | ${large.scrolled.nodes} | ${large.scrolled.options} | ${ratio(large.scrolled, small.scrolled)} |`);
  console.log(`| 10,000 results, scrolled halfway | ${large.halfway.nodes} | ${large.halfway.options} | ${ratio(large.halfway, small.scrolled)} |`);
  console.log("\n| linked assets on the form | HTTP requests | Web API calls | requests |");
  console.log("|---:|---:|---:|---|");
  for (const [count, value] of Object.entries(measured.requests)) console.log(`| ${count} | ${value.http} | ${value.webApi} | ${value.calls.join(", ")} |`);
}
