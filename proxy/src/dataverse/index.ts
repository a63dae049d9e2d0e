/** The Dataverse client seam: import from here. */
export { createDataverseClient, DataverseApiError, type DataverseClient, type DataverseClientOptions, type PrivilegeDepth, type QueryOptions, type Row, type TableRef, type UpsertRow } from "./client";
export { anyOf, guid, keySegment, literal, odataFilter, propertyName, type LiteralValue, type RecordKey } from "./odata";
export { ClientCredentialsTokens, type ClientCredentials, type TokenSource } from "./tokens";
export { readChange, RemoteExecutionContext, type AttributeValue, type DataverseChange } from "./remoteExecutionContext";
