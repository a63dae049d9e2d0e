/**
 * npm run proxy: the proxy for development — against the local mock-server (npm run mock, MOCK_PORT)
 * for every outside system the environment does not name, then proxy/main.ts as in production. The
 * webhook key is the one the mock registers with MOCK_DATAVERSE_WEBHOOK_URL, so the two agree.
 */
import { MOCK_WEBHOOK_KEY, mockSettingsFromEnv } from "../mock-server/config";
import { withMockDefaults } from "../mock-server/proxyEnv";

const settings = mockSettingsFromEnv();
const env = { WEBHOOK_KEY: process.env.MOCK_DATAVERSE_WEBHOOK_KEY || MOCK_WEBHOOK_KEY, ...process.env };
Object.assign(process.env, withMockDefaults(env, `http://127.0.0.1:${settings.port}`, settings));
// eslint-disable-next-line @typescript-eslint/no-require-imports
require("../proxy/main");
