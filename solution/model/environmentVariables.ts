/** Environment variable definitions the core solution ships; admins set their values per environment. */
import { environmentVariableNames } from "./names";
import type { EnvironmentVariableDefinition } from "./types";

export const proxyBaseUrl: EnvironmentVariableDefinition = {
  schemaName: environmentVariableNames.proxyBaseUrl,
  displayName: "PhotoShelter proxy base URL",
  description: "Base URL of the PhotoShelter proxy the asset picker calls, e.g. https://photoshelter-proxy.contoso.com.",
  type: 100000000,
  defaultValue: "http://localhost:4000",
};

export const proxyTokenAudience: EnvironmentVariableDefinition = {
  schemaName: environmentVariableNames.proxyTokenAudience,
  displayName: "PhotoShelter proxy token audience",
  description: "Audience (application ID URI) of the tokens the asset picker requests for the proxy.",
  type: 100000000,
  defaultValue: "api://photoshelter-proxy",
};

export const environmentVariables = [proxyBaseUrl, proxyTokenAudience] as const;
