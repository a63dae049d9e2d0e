/**
 * `npm run proxy`: starts the proxy with configuration from the environment and shuts it down
 * gracefully on SIGTERM/SIGINT (in-flight requests finish, within SHUTDOWN_GRACE_MS; what is still
 * in flight then is cut, and the process exits whatever else would keep it alive).
 */
import { ConfigError, loadConfig } from "./src/config";
import { startProxy } from "./src/server";
import { StateError } from "./src/state";

/** Time past the grace period for cutting connections and upstream calls before the process is ended anyway. */
const SHUTDOWN_OVERRUN_MS = 2000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  try {
    proxy = await startProxy(config);
  } catch (error) {
    // The database named by STATE_URL cannot be used (unreachable, not a database, a newer schema).
    if (error instanceof StateError) {
      console.error(`State store error: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const stop = (signal: string) => {
    proxy.services.log.info({ signal }, "shutting down");
    // The last word: nothing may keep the process past its grace period (and a moment to cut what is open).
    setTimeout(() => {
      proxy.services.log.error({ signal }, "shutdown overran its grace period; exiting");
      process.exit(1);
    }, config.shutdownGraceMs + SHUTDOWN_OVERRUN_MS).unref();
    proxy.close().then(
      () => process.exit(0),
      (error: unknown) => {
        proxy.services.log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
