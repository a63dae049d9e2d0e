/**
 * One proxy process for the scale-out tests: the real proxy (startProxy) against the mock-server at
 * MOCK_URL, plus an event handler and a scheduled job that report what they do, with this instance's
 * name, to COLLECTOR_URL — so a test can kill the process and still see who did what.
 *
 * Env: MOCK_URL, COLLECTOR_URL, INSTANCE_NAME, and the proxy's own (STATE_URL, WEBHOOK_KEY, JOBS_*…).
 */
import { withMockDefaults } from "../../mock-server/proxyEnv";
import { loadConfig } from "../../proxy/src/config";
import { startProxy } from "../../proxy/src/server";

const collector = process.env.COLLECTOR_URL!;
const instance = process.env.INSTANCE_NAME!;

async function report(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(collector, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ instance, ...body }) });
  if (response.status !== 204) throw new Error(`collector answered ${response.status}`);
}

async function main(): Promise<void> {
  const proxy = await startProxy(loadConfig(withMockDefaults(process.env, process.env.MOCK_URL!)));
  proxy.backbone.registry.addHandlers({
    name: "test-effect",
    table: "account",
    messages: ["Update"],
    async handle(change, { event }) {
      // Long enough that some events are in flight when the process is killed.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await report({ kind: "effect", key: event.dedupeKey, op: change.target.op, event: event.id, attempt: event.attempts });
      return { reported: true };
    },
  });
  proxy.backbone.registry.addJobs({
    name: "tick-probe",
    schedule: process.env.PROBE_SCHEDULE ?? "every 1s",
    async run(_signal, { scheduledFor }) {
      await report({ kind: "tick", scheduledFor });
      return { reported: true };
    },
  });
  await report({ kind: "ready", url: proxy.url });
  const stop = () => void proxy.close().then(() => process.exit(0));
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
