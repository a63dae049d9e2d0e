/**
 * npm start: builds the control if its bundle is missing or older than its sources, then runs the
 * mock-server (PhotoShelter, Dataverse, issuer), the proxy and the workbench in this one process and
 * prints the one URL to open. Ctrl-C (SIGINT) or SIGTERM stops all of them.
 *
 * With real PhotoShelter settings in the environment (PS_API_BASE, PS_API_KEY, …; see
 * proxy/.env.example) the proxy uses them instead of the mock; the forms stay on the mock Dataverse.
 */
import { FORMS } from "../workbench/client/forms";
import { ensureControlBuilt } from "../workbench/server/controlBuild";
import { startStack } from "../workbench/server/stack";

async function main(): Promise<void> {
  await ensureControlBuilt({ log: (line) => console.log(line) });
  const stack = await startStack({ env: { LOG_LEVEL: "warn", ...process.env } });
  if (process.env.DATAVERSE_URL) {
    console.warn("DATAVERSE_URL is set: the proxy reads that Dataverse, but the workbench's forms come from the mock Dataverse.");
  }
  console.log(`Running the mock-server (port ${stack.mock.port}), the proxy (${stack.proxyUrl.split(":").pop()}) and the workbench (${stack.workbench.port}).`);
  console.log(`\nOpen ${stack.workbench.url}/\n(forms: ${FORMS.map((form) => `?form=${form.key}`).join(", ")}; Ctrl-C stops everything)\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the workbench, the proxy and the mock-server…`);
    stack.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
