/**
 * npm run bench -- mock-scale: the mock at scale. `npm run mock -- --media 100000` started a few
 * times as a developer runs it (wall time from the command to its "listening" line, and the time and
 * CPU the mock's own process reports since it began), then the proxy benchmark over a 100,000-media
 * library: the proxy's cost and its ratio to direct calls must not depend on the library's size.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { freePort, proxyBench } from "./proxy";

const ROOT = path.resolve(__dirname, "..");
const MEDIA = 100_000;
const STARTS = 3;
/** The budget: the mock starts within this on this machine when it is idle. */
const START_BUDGET_MS = 5000;

interface Start {
  wallMs: number;
  processMs: number;
  cpuMs: number;
}

/** One `npm run mock` until it says it is listening, then stopped (the whole process group). */
async function startOnce(): Promise<Start> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn("npm", ["run", "mock", "--", "--media", String(MEDIA), "--port", String(port)], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"], detached: true });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let output = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const listening = output.split("\n").find((text) => text.startsWith("Mock server listening") && text.endsWith(")"));
        if (listening) resolve(listening);
      });
      child.on("exit", (code) => reject(new Error(`npm run mock exited with ${code} before listening:\n${output}`)));
    });
    const wallMs = Date.now() - started;
    const reported = /started in (\d+) ms, (\d+) ms of CPU/.exec(line);
    if (!reported) throw new Error(`unexpected line: ${line}`);
    return { wallMs, processMs: Number(reported[1]), cpuMs: Number(reported[2]) };
  } finally {
    process.kill(-child.pid!, "SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
}

export async function mockScaleBench(): Promise<void> {
  const starts: Start[] = [];
  for (let i = 0; i < STARTS; i++) starts.push(await startOnce());
  console.log(`\`npm run mock -- --media ${MEDIA}\`, ${STARTS} starts one after the other:\n`);
  console.log("| start | command → listening (ms) | mock process: since it began (ms) | mock process: CPU (ms) |");
  console.log("|---:|---:|---:|---:|");
  starts.forEach((s, i) => console.log(`| ${i + 1} | ${s.wallMs} | ${s.processMs} | ${s.cpuMs} |`));
  const best = Math.min(...starts.map((s) => s.wallMs));
  console.log(`\nfastest start ${best} ms (budget ≤ ${START_BUDGET_MS} ms on an idle machine) ${best <= START_BUDGET_MS ? "OK" : "OVER"}\n`);
  console.log(`The proxy over the ${MEDIA.toLocaleString("en-US")}-media library:\n`);
  await proxyBench({ media: MEDIA, rounds: 2 });
}
