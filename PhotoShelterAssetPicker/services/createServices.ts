import { AssetLinkStore, webApiAssetLinkStore } from "./assetLinkStore";
import { browserAuthWindow } from "./authWindow";
import { dataverseTokens } from "./dataverseTokenProvider";
import { devIssuerTokens } from "./devIssuerTokenProvider";
import { entraTokens } from "./entraTokenProvider";
import { HostRecord } from "./hostRecord";
import { proxyBaseUrlResolver } from "./proxyBaseUrl";
import { ProxyClient, ProxyError, httpProxyClient, proxyConfigReader } from "./proxyClient";
import { SignInConfig, TokenProvider, configuredTokens } from "./tokenProvider";

/** The control's seams to the outside: one per outside system. Tests pass fakes instead. */
export interface Services {
  proxy: ProxyClient;
  links: AssetLinkStore;
  tokens: TokenProvider;
}

export interface ServiceInputs {
  webAPI: ComponentFramework.WebApi;
  utils: ComponentFramework.Utility;
  userId: string;
  /** The `proxyBaseUrl` property now (it can change while the form is open). */
  proxyBaseUrl: () => string | null;
  record: () => HostRecord;
  fetch?: typeof fetch;
}

/** How this deployment signs users in to the proxy, from its `GET /v1/config`. */
async function loadSignInConfig(config: () => Promise<{ signIn?: SignInConfig }>): Promise<SignInConfig> {
  const body = await config().catch((error: unknown) => Promise.reject(error instanceof ProxyError ? new Error(`The proxy's configuration could not be read (HTTP ${error.status})`) : error));
  if (body.signIn?.kind !== "dataverse" && body.signIn?.kind !== "dev" && body.signIn?.kind !== "entra") throw new Error("The proxy's configuration names no sign-in method");
  return body.signIn;
}

/** The user's UPN for Entra's login hint (Dataverse keeps it as systemuser.domainname). */
async function userPrincipalName(webAPI: ComponentFramework.WebApi, userId: string): Promise<string | undefined> {
  try {
    const user = await webAPI.retrieveRecord("systemuser", userId.replace(/[{}]/g, ""), "?$select=domainname");
    return typeof user.domainname === "string" && user.domainname !== "" ? user.domainname : undefined;
  } catch {
    return undefined;
  }
}

export function createServices(inputs: ServiceInputs): Services {
  const fetchImpl = inputs.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const baseUrl = proxyBaseUrlResolver(inputs.proxyBaseUrl, inputs.webAPI);
  const config = proxyConfigReader(baseUrl, fetchImpl);
  const tokens = configuredTokens(
    () => loadSignInConfig(config),
    (config) =>
      config.kind === "dataverse"
        ? dataverseTokens(baseUrl, inputs.webAPI, fetchImpl)
        : config.kind === "dev"
        ? devIssuerTokens(config.signInUrl, inputs.userId, fetchImpl)
        : entraTokens({
            ...config,
            redirectUri: `${window.location.origin}/`,
            loginHint: () => userPrincipalName(inputs.webAPI, inputs.userId),
            authWindow: browserAuthWindow(),
            fetch: fetchImpl,
          }),
  );
  return {
    proxy: httpProxyClient({ baseUrl, record: inputs.record, tokens, fetch: fetchImpl, config }),
    links: webApiAssetLinkStore(inputs.webAPI, inputs.utils),
    tokens,
  };
}
