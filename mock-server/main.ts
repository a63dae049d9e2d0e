/**
 * `npm run mock`: starts the mock server as its own process.
 *   --seed N     seed of the generated library (default 20261128)
 *   --media N    number of generated media (default 2000; 100000 works for benchmarks)
 *   --port N     overrides MOCK_PORT (default 4010)
 *   --host H     interface to listen on (default 127.0.0.1)
 * Credentials come from MOCK_PS_API_KEY, MOCK_PS_EMAIL and MOCK_PS_PASSWORD (see config.ts).
 */
import { parseArgs } from "node:util";
import { DEFAULT_MEDIA, DEFAULT_SEED, startMockServer } from "./server";

function integer(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** Time since this process began (module loading included) and the CPU it has used. */
function startedIn(): { wallMs: number; cpuMs: number } {
  const { user, system } = process.cpuUsage();
  return { wallMs: Math.round(performance.now()), cpuMs: Math.round((user + system) / 1000) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { seed: { type: "string" }, media: { type: "string" }, port: { type: "string" }, host: { type: "string" } },
    strict: true,
  });
  const server = await startMockServer({
    seed: integer(values.seed, "seed", DEFAULT_SEED, -2147483648, 2147483647),
    media: integer(values.media, "media", DEFAULT_MEDIA, 0, 1000000),
    port: values.port === undefined ? undefined : integer(values.port, "port", 0, 0, 65535),
    host: values.host,
  });
  const start = startedIn();
  const { settings, seed, media } = server.context;
  const lines = [
    `Mock server listening on ${server.url} (started in ${start.wallMs} ms, ${start.cpuMs} ms of CPU, seed ${seed}, ${media} media)`,
    `  PhotoShelter v4   ${server.url}/psapi/v4.0   (v3: ${server.url}/psapi/v3, images: ${server.url}/img-get2/{id}/fill=400x400)`,
    `  api key           ${settings.psApiKey}   (header X-PS-Api-Key or query api_key)`,
    `  member sign-in    ${settings.psEmail} / ${settings.psPassword}   (POST /psapi/v4.0/authenticate mode=token, then POST /psapi/v4.0/organization/authenticate org_id=O0000Mock0Brand1)`,
    `  admin             ${server.url}/__admin/faults | /requests | /rate-limit | /reset | /photoshelter/usage`,
  ];
  console.log(lines.join("\n"));
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
