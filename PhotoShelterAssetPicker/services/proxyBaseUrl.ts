/**
 * Where the proxy lives: the control's `proxyBaseUrl` property when the maker set it, otherwise the
 * solution's environment variable psh_ProxyBaseUrl (its current value, else its default), read through
 * `context.webAPI` like any other Dataverse data.
 */
import { environmentVariableNames } from "../../solution/model/names";
import { sharedUntilFailure } from "./sharedUntilFailure";

export const PROXY_URL_VARIABLE = environmentVariableNames.proxyBaseUrl;

export async function readProxyUrlVariable(webAPI: ComponentFramework.WebApi): Promise<string | null> {
  const result = await webAPI.retrieveMultipleRecords(
    "environmentvariabledefinition",
    `?$select=defaultvalue,schemaname&$filter=schemaname eq '${PROXY_URL_VARIABLE}'&$expand=environmentvariabledefinition_environmentvariablevalue($select=value)`,
  );
  const definition = result.entities[0] as { defaultvalue?: unknown; environmentvariabledefinition_environmentvariablevalue?: { value?: unknown }[] } | undefined;
  if (!definition) return null;
  const current = definition.environmentvariabledefinition_environmentvariablevalue?.[0]?.value;
  const value = typeof current === "string" && current.trim() !== "" ? current : definition.defaultvalue;
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

/** A function that resolves the base URL once and remembers it (a failed look-up is tried again next time). */
export function proxyBaseUrlResolver(configured: () => string | null | undefined, webAPI: ComponentFramework.WebApi): () => Promise<string> {
  const fromVariable = sharedUntilFailure(async () => {
    const value = await readProxyUrlVariable(webAPI);
    if (!value) throw new Error(`No proxy URL: set the control's proxyBaseUrl property or the environment variable ${PROXY_URL_VARIABLE}`);
    return value;
  });
  return () => {
    const direct = configured()?.trim();
    return direct ? Promise.resolve(direct) : fromVariable();
  };
}
