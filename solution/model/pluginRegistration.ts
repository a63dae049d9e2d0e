/**
 * Microsoft's plug-in registration tables, as far as the webhook needs them: the service endpoint
 * the core solution ships (a webhook with an HTTP header), the steps that send changes to it, their
 * images, and the SDK messages and message filters the steps name. The proxy reads them to report
 * the webhook in /readyz (and sets the endpoint's header value); the mock Dataverse serves them and
 * delivers from them; the packer writes the same values into the solution.
 *
 * Names, option values and the write-only `authvalue` follow Microsoft's table reference
 * (learn.microsoft.com … /reference/entities/serviceendpoint, sdkmessageprocessingstep,
 * sdkmessageprocessingstepimage, sdkmessage, sdkmessagefilter).
 */
import { choice, memo, platformLookup, text, wholeNumber, yesNo } from "./columns";
import { defineChoice, defineTable } from "./types";
import type { ChoiceColumn, ChoiceDefinition, LookupTarget, PrimaryKeyColumn, StringColumn } from "./types";

const key = (logicalName: string, displayName: string): PrimaryKeyColumn => ({
  logicalName, schemaName: logicalName, displayName, requiredLevel: "systemrequired", type: "primarykey",
});
const target = (table: string, relationshipName: string, navigationProperty: string, cascadeDelete: LookupTarget["cascadeDelete"] = "Cascade"): LookupTarget => ({
  table, relationshipName, navigationProperty, referencedNavigationProperty: relationshipName, cascadeDelete,
});
const platformChoice = <O extends string>(name: string, displayName: string, options: ChoiceDefinition<O>["options"]) =>
  defineChoice({ name, displayName, global: false, origin: "outOfBox", options });

/** Platform message ids: the same in every Dataverse org, which is why a solution can name a step's message by id. */
export const sdkMessageIds = {
  Create: "9ebdbb1b-ea3e-db11-86a7-000a3a5473e8",
  Update: "20bebb1b-ea3e-db11-86a7-000a3a5473e8",
  Delete: "a1bdbb1b-ea3e-db11-86a7-000a3a5473e8",
} as const;
export type SdkMessageName = keyof typeof sdkMessageIds;

export const serviceEndpointContract = platformChoice("serviceendpoint_contract", "Contract", {
  oneWay: { value: 1, label: "OneWay" },
  queue: { value: 2, label: "Queue" },
  rest: { value: 3, label: "Rest" },
  twoWay: { value: 4, label: "TwoWay" },
  topic: { value: 5, label: "Topic" },
  persistentQueue: { value: 6, label: "Queue (Persistent)" },
  eventHub: { value: 7, label: "Event Hub" },
  webhook: { value: 8, label: "Webhook" },
  eventGrid: { value: 9, label: "Event Grid" },
});
export const serviceEndpointAuthType = platformChoice("serviceendpoint_authtype", "Specifies mode of authentication with SB", {
  acs: { value: 1, label: "ACS" },
  sasKey: { value: 2, label: "SAS Key" },
  sasToken: { value: 3, label: "SAS Token" },
  webhookKey: { value: 4, label: "Webhook Key" },
  httpHeader: { value: 5, label: "Http Header" },
  httpQueryString: { value: 6, label: "Http Query String" },
  connectionString: { value: 7, label: "Connection String" },
  accessKey: { value: 8, label: "Access Key" },
});
export const serviceEndpointMessageFormat = platformChoice("serviceendpoint_messageformat", "Message Format", {
  binaryXml: { value: 1, label: "Binary XML" },
  json: { value: 2, label: "Json" },
  textXml: { value: 3, label: "Text XML" },
});
export const serviceEndpointConnectionMode = platformChoice("serviceendpoint_connectionmode", "Connection Mode", {
  normal: { value: 1, label: "Normal" },
  federated: { value: 2, label: "Federated" },
});
export const serviceEndpointUserClaim = platformChoice("serviceendpoint_userclaim", "User Information Sent", {
  none: { value: 1, label: "None" },
  userId: { value: 2, label: "UserId" },
  userInfo: { value: 3, label: "UserInfo" },
});

/**
 * `authvalue` is IsValidForRead false: it can be written (create, update) but the platform never
 * returns it — which is why nobody can read back whether the header value is set.
 */
const authValue: StringColumn = {
  ...text("authvalue", "Authentication Value", 2048, { description: "HttpHeader / HttpQueryString: <settings><setting name=\"…\" value=\"…\"/></settings>; WebhookKey: the key." }),
  writeOnly: true,
};

export const serviceEndpoint = defineTable({
  logicalName: "serviceendpoint",
  schemaName: "ServiceEndpoint",
  entitySetName: "serviceendpoints",
  displayName: "Service Endpoint",
  displayCollectionName: "Service Endpoints",
  description: "Service endpoint that can be contacted.",
  primaryIdAttribute: "serviceendpointid",
  primaryNameAttribute: "name",
  ownershipType: "OrganizationOwned",
  origin: "outOfBox",
  columns: {
    id: key("serviceendpointid", "ServiceEndpoint"),
    name: text("name", "Name", 256, { requiredLevel: "systemrequired" }),
    description: memo("description", "Description", 2000),
    url: text("url", "Url", 2000, { format: "url" }),
    contract: choice("contract", "Contract", serviceEndpointContract, { requiredLevel: "systemrequired" }),
    authType: choice("authtype", "Specifies mode of authentication with SB", serviceEndpointAuthType),
    authValue,
    messageFormat: choice("messageformat", "Message Format", serviceEndpointMessageFormat),
    connectionMode: choice("connectionmode", "Connection Mode", serviceEndpointConnectionMode, { requiredLevel: "systemrequired" }),
    userClaim: choice("userclaim", "User Information Sent", serviceEndpointUserClaim),
    namespaceAddress: text("namespaceaddress", "Namespace Address", 255),
    path: text("path", "Path", 160),
  },
  alternateKeys: [],
});

export const sdkMessage = defineTable({
  logicalName: "sdkmessage",
  schemaName: "SdkMessage",
  entitySetName: "sdkmessages",
  displayName: "Sdk Message",
  displayCollectionName: "Sdk Messages",
  description: "Message that is supported by the SDK.",
  primaryIdAttribute: "sdkmessageid",
  primaryNameAttribute: "name",
  ownershipType: "OrganizationOwned",
  origin: "outOfBox",
  columns: {
    id: key("sdkmessageid", "Sdk Message"),
    name: text("name", "Name", 256),
  },
  alternateKeys: [],
});

export const sdkMessageFilter = defineTable({
  logicalName: "sdkmessagefilter",
  schemaName: "SdkMessageFilter",
  entitySetName: "sdkmessagefilters",
  displayName: "Sdk Message Filter",
  displayCollectionName: "Sdk Message Filters",
  description: "Filter that defines which SDK messages are valid for each type of entity.",
  primaryIdAttribute: "sdkmessagefilterid",
  primaryNameAttribute: "name",
  ownershipType: "OrganizationOwned",
  origin: "outOfBox",
  columns: {
    id: key("sdkmessagefilterid", "Sdk Message Filter"),
    name: text("name", "Name", 256),
    primaryObjectTypeCode: text("primaryobjecttypecode", "Primary Object Type Code", 64, { description: "Logical name of the table the message applies to." }),
    sdkMessageId: platformLookup("sdkmessageid", "SDK Message ID", [target("sdkmessage", "sdkmessageid_sdkmessagefilter", "sdkmessageid")]),
  },
  alternateKeys: [],
});

/** Step state: Dataverse runs only enabled steps. */
export const stepState = platformChoice("sdkmessageprocessingstep_statecode", "Status", { enabled: { value: 0, label: "Enabled" }, disabled: { value: 1, label: "Disabled" } });
export const stepStatus = platformChoice("sdkmessageprocessingstep_statuscode", "Status Reason", { enabled: { value: 1, label: "Enabled" }, disabled: { value: 2, label: "Disabled" } });
export const stepStage = platformChoice("sdkmessageprocessingstep_stage", "Execution Stage", {
  preValidation: { value: 10, label: "Initial Pre-operation (For internal use only)" },
  preOperation: { value: 20, label: "Pre-operation" },
  mainOperation: { value: 30, label: "Main Operation (For internal use only)" },
  postOperation: { value: 40, label: "Post-operation" },
});
export const stepMode = platformChoice("sdkmessageprocessingstep_mode", "Execution Mode", { synchronous: { value: 0, label: "Synchronous" }, asynchronous: { value: 1, label: "Asynchronous" } });
export const stepDeployment = platformChoice("sdkmessageprocessingstep_supporteddeployment", "Deployment", { serverOnly: { value: 0, label: "Server Only" }, clientOnly: { value: 1, label: "Microsoft Dynamics 365 Client for Outlook Only" }, both: { value: 2, label: "Both" } });

const stateColumn = (definition: ChoiceDefinition): ChoiceColumn => ({ logicalName: "statecode", schemaName: "StateCode", displayName: "Status", requiredLevel: "systemrequired", type: "state", choice: definition });
const statusColumn = (definition: ChoiceDefinition): ChoiceColumn => ({ logicalName: "statuscode", schemaName: "StatusCode", displayName: "Status Reason", requiredLevel: "none", type: "status", choice: definition });

export const sdkMessageProcessingStep = defineTable({
  logicalName: "sdkmessageprocessingstep",
  schemaName: "SdkMessageProcessingStep",
  entitySetName: "sdkmessageprocessingsteps",
  displayName: "Sdk Message Processing Step",
  displayCollectionName: "Sdk Message Processing Steps",
  description: "Stage in the execution pipeline that a plug-in or a service endpoint is to execute.",
  primaryIdAttribute: "sdkmessageprocessingstepid",
  primaryNameAttribute: "name",
  ownershipType: "OrganizationOwned",
  origin: "outOfBox",
  columns: {
    id: key("sdkmessageprocessingstepid", "Sdk Message Processing Step"),
    name: text("name", "Name", 256),
    description: text("description", "Description", 256),
    stage: choice("stage", "Execution Stage", stepStage, { requiredLevel: "systemrequired" }),
    mode: choice("mode", "Execution Mode", stepMode, { requiredLevel: "systemrequired" }),
    rank: wholeNumber("rank", "Execution Order", { requiredLevel: "systemrequired" }),
    filteringAttributes: text("filteringattributes", "Filtering Attributes", 100_000, { description: "Comma-separated logical names; an Update runs the step only when one of them is set." }),
    asyncAutoDelete: yesNo("asyncautodelete", "Asynchronous Automatic Delete", false),
    supportedDeployment: choice("supporteddeployment", "Deployment", stepDeployment, { requiredLevel: "systemrequired" }),
    // The handler is a plug-in type or a service endpoint; only service endpoints are modelled here.
    eventHandler: platformLookup("eventhandler", "Event Handler", [target("serviceendpoint", "serviceendpoint_sdkmessageprocessingstep", "eventhandler_serviceendpoint", "Restrict")]),
    sdkMessageId: platformLookup("sdkmessageid", "SDK Message", [target("sdkmessage", "sdkmessageid_sdkmessageprocessingstep", "sdkmessageid")], { requiredLevel: "systemrequired" }),
    sdkMessageFilterId: platformLookup("sdkmessagefilterid", "SdkMessage Filter", [target("sdkmessagefilter", "sdkmessagefilterid_sdkmessageprocessingstep", "sdkmessagefilterid")]),
    stateCode: stateColumn(stepState),
    statusCode: statusColumn(stepStatus),
  },
  alternateKeys: [],
});

export const stepImageType = platformChoice("sdkmessageprocessingstepimage_imagetype", "Image Type", { preImage: { value: 0, label: "PreImage" }, postImage: { value: 1, label: "PostImage" }, both: { value: 2, label: "Both" } });

export const sdkMessageProcessingStepImage = defineTable({
  logicalName: "sdkmessageprocessingstepimage",
  schemaName: "SdkMessageProcessingStepImage",
  entitySetName: "sdkmessageprocessingstepimages",
  displayName: "Sdk Message Processing Step Image",
  displayCollectionName: "Sdk Message Processing Step Images",
  description: "Copy of an entity's attributes before or after the core system operation.",
  primaryIdAttribute: "sdkmessageprocessingstepimageid",
  primaryNameAttribute: "name",
  ownershipType: "OrganizationOwned",
  origin: "outOfBox",
  columns: {
    id: key("sdkmessageprocessingstepimageid", "Sdk Message Processing Step Image"),
    name: text("name", "Name", 256),
    entityAlias: text("entityalias", "Entity Alias", 256),
    imageType: choice("imagetype", "Image Type", stepImageType),
    messagePropertyName: text("messagepropertyname", "Message Property Name", 256),
    attributes: text("attributes", "Attributes", 100_000, { description: "Comma-separated logical names; empty: every column." }),
    stepId: platformLookup("sdkmessageprocessingstepid", "SDK Message Processing Step", [target("sdkmessageprocessingstep", "sdkmessageprocessingstepid_sdkmessageprocessingstepimage", "sdkmessageprocessingstepid")]),
  },
  alternateKeys: [],
});

/** The plug-in registration tables, in the order a step depends on them. */
export const pluginRegistrationTables = [sdkMessage, sdkMessageFilter, serviceEndpoint, sdkMessageProcessingStep, sdkMessageProcessingStepImage] as const;
