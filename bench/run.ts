/**
 * Runs the benchmarks in this folder and prints one table each. Usage: npm run bench [-- name ... --flag]
 */
import { bundleSize } from "./bundleSize";
import { claimsBench } from "./claims";
import { controlScale } from "./controlScale";
import { formRequests } from "./formRequests";
import { hooksBench } from "./hooks";
import { mockScaleBench } from "./mockScale";
import { proxyBench } from "./proxy";
import { signInBench } from "./signIn";
import { syncBench } from "./sync";

const benchmarks: Record<string, () => Promise<void>> = {
  bundle: bundleSize,
  control: controlScale,
  proxy: () => proxyBench(),
  "mock-scale": mockScaleBench,
  "form-requests": formRequests,
  "sign-in": signInBench,
  hooks: hooksBench,
  claims: claimsBench,
  sync: syncBench,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
  const names = wanted.length > 0 ? wanted : Object.keys(benchmarks);
  for (const name of names) {
    const run = benchmarks[name];
    if (!run) throw new Error(`Unknown benchmark "${name}". Known: ${Object.keys(benchmarks).join(", ")}`);
    console.log(`\n## ${name}\n`);
    await run();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
