/**
 * Everything `npm start` runs, in one process: the mock-server (PhotoShelter, Dataverse, issuer),
 * the proxy and the workbench. Used by scripts/start.ts and by the end-to-end tests (on free ports).
 * The workbench starts before the proxy because the proxy must allow the workbench's origin (CORS).
 * The proxy gets the mock's settings as environment (withMockDefaults), and the mock Dataverse's
 * webhook is registered on the proxy's /hooks/dataverse with the key generated for this run, so
 * changes made in the workbench reach the proxy's automation as they would from Dataverse.
 */
import { adminOf } from "../../mock-server/admin";
import { dataverseOf, defaultWebhook } from "../../mock-server/dataverse";
import { mockEntraSettings } from "../../mock-server/issuer/entra";
import { withMockDefaults } from "../../mock-server/proxyEnv";
import { startMockServer, RunningMockServer } from "../../mock-server/server";
import { loadConfig } from "../../proxy/src/config";
import { startProxy } from "../../proxy/src/server";
import { RunningWorkbench, startWorkbench, workbenchPortFromEnv } from "./workbench";

export interface StackOptions {
  /** Ports; 0 picks free ones. Default: MOCK_PORT, PROXY_PORT, WORKBENCH_PORT or 4010/4000/4020. */
  mockPort?: number;
  proxyPort?: number;
  workbenchPort?: number;
  /** Size and seed of the generated PhotoShelter library. */
  media?: number;
  seed?: number;
  /**
   * Environment the proxy reads its configuration from (real PhotoShelter settings pass through).
   * SIGN_IN_MODE picks how the control signs in: dataverse (default), entra (the mock's Entra ID
   * endpoints unless SIGN_IN_CLIENT_ID names a real registration) or dev.
   */
  env?: NodeJS.ProcessEnv;
  /** Folder of the built control (default out/controls/PhotoShelterAssetPicker). */
  controlDir?: string;
  /** STATE_URL of the proxy (default: the environment's, else a SQLite file in PROXY_DATA_DIR or ./data). */
  stateUrl?: string;
}

export interface RunningStack {
  mock: RunningMockServer;
  proxyUrl: string;
  workbench: RunningWorkbench;
  close(): Promise<void>;
}

/** The mock's Entra ID settings when the environment asks for Entra sign-in and names no real registration. */
function signInSettings(env: NodeJS.ProcessEnv, mockUrl: string): Record<string, string> {
  return env.SIGN_IN_MODE === "entra" && !env.SIGN_IN_CLIENT_ID ? mockEntraSettings(mockUrl) : {};
}

export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const env = options.env ?? process.env;
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const mock = await startMockServer({ port: options.mockPort, media: options.media, seed: options.seed });
    closers.push(() => mock.close());
    const workbench = await startWorkbench({ mockUrl: mock.url, port: options.workbenchPort ?? workbenchPortFromEnv(env), controlDir: options.controlDir });
    closers.push(() => workbench.close());
    const origins = [env.PROXY_ALLOWED_ORIGINS, workbench.url, workbench.url.replace("127.0.0.1", "localhost")].filter(Boolean).join(",");
    const config = loadConfig(
      withMockDefaults(
        {
          ...signInSettings(env, mock.url),
          ...env,
          PROXY_ALLOWED_ORIGINS: origins,
          ...(options.proxyPort !== undefined ? { PROXY_PORT: String(options.proxyPort) } : {}),
          ...(options.stateUrl !== undefined ? { STATE_URL: options.stateUrl } : {}),
        },
        mock.url,
      ),
    );
    const proxy = await startProxy(config);
    closers.push(() => proxy.close());
    if (!env.DATAVERSE_URL && config.webhookKey) {
      // What the solution's service endpoint does in an org: Dataverse changes → the proxy's webhook.
      const key = config.webhookKey;
      const register = () => void dataverseOf(mock.context).webhooks.register(defaultWebhook(`${proxy.url}/hooks/dataverse`, key));
      register();
      adminOf(mock.context).onReset(register);
    }
    workbench.useProxy(proxy.url);
    return { mock, proxyUrl: proxy.url, workbench, close };
  } catch (error) {
    await close();
    throw error;
  }
}
