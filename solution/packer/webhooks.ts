import { automationEndpoint, pluginRegistration, type TableDefinition } from "../model";
import { braced, stableGuid } from "./ids";
import { introducedVersion } from "./labels";
import { el, ordered, txt, type XmlElement } from "./xml";

const { sdkMessageIds, stepMode: modes, stepStage: stages } = pluginRegistration;

export type SdkMessage = pluginRegistration.SdkMessageName;

/** Object type code of serviceendpoint: a step's EventHandlerTypeCode when a webhook handles it. */
const serviceEndpointTypeCode = 4618;
/**
 * The platform's service-bus plug-in type, which runs every step whose handler is a service endpoint
 * (webhook or Azure): the Plugin Registration Tool registers a webhook step on it
 * (Innofactor/PluginRegistration `PluginRegistrationTool/Wrappers/CrmPluginStep.cs`: EventHandler =
 * the service endpoint; the tool's CrmServiceEndpoint: ServiceBusPlugin EF521E63-CD2B-4170-99F6-447466A7161E,
 * "Microsoft.Crm.ServiceBus.ServiceBusPlugin" in assembly "Microsoft.Crm.ServiceBus"). The assembly
 * version and key token in the qualified name are the CRM 9 assemblies' [unconfirmed without an export].
 */
const serviceBusPlugin = {
  typeName: "Microsoft.Crm.ServiceBus.ServiceBusPlugin, Microsoft.Crm.ServiceBus, Version=9.0.0.0, Culture=neutral, PublicKeyToken=31bf3856ad364e35",
  typeId: "ef521e63-cd2b-4170-99f6-447466a7161e",
} as const;
/** Post-operation, asynchronous: the webhook runs after the row is saved, outside the user's transaction. */
const stepStage = stages.options.postOperation.value;
const stepMode = modes.options.asynchronous.value;

/** The endpoint as the model defines it (`automationEndpoint`): contract, auth type and format included. */
export type WebhookEndpoint = typeof automationEndpoint;

export interface WebhookStep {
  table: TableDefinition;
  message: SdkMessage;
  /** Update only: the columns whose change triggers the webhook (logical names); none = every change. */
  filteringAttributes?: readonly string[];
  /** Send the row as it was before (Update, Delete) and/or after (Create, Update) the change, all columns. */
  preImage?: boolean;
  postImage?: boolean;
}

export function endpointId(endpoint: WebhookEndpoint): string {
  return endpoint.id;
}

export function stepId(endpoint: WebhookEndpoint, step: WebhookStep): string {
  return stableGuid("step", endpoint.key, step.table.logicalName, step.message);
}

function stepName(endpoint: WebhookEndpoint, step: WebhookStep): string {
  return `${endpoint.name}: ${step.message} of ${step.table.logicalName}`;
}

export function serviceEndpoint(endpoint: WebhookEndpoint): XmlElement {
  return ordered(
    "ServiceEndpoint",
    { ServiceEndpointId: braced(endpointId(endpoint)), Name: endpoint.name, Description: endpoint.description },
    txt("ConnectionMode", endpoint.connectionMode),
    txt("Contract", endpoint.contract),
    txt("Description", endpoint.description),
    txt("UserClaim", endpoint.userClaim),
    txt("IsCustomizable", 1),
    // The header's value (AuthValue) is the deployment's secret: never shipped; the proxy sets it after import.
    txt("AuthType", endpoint.authType),
    txt("MessageFormat", endpoint.messageFormat),
    txt("Url", endpoint.placeholderUrl),
  );
}

function stepImage(endpoint: WebhookEndpoint, step: WebhookStep, kind: "pre" | "post"): XmlElement {
  const alias = kind === "pre" ? "PreImage" : "PostImage";
  return ordered(
    "SdkMessageProcessingStepImage",
    { Name: alias },
    txt("SdkMessageProcessingStepImageId", braced(stableGuid("stepimage", stepId(endpoint, step), kind))),
    txt("EntityAlias", alias),
    txt("ImageType", kind === "pre" ? 0 : 1),
    // A Create has no Target row before the operation; its image is keyed by the new row's Id.
    txt("MessagePropertyName", step.message === "Create" ? "Id" : "Target"),
    txt("IsCustomizable", 1),
    txt("IntroducedVersion", introducedVersion),
  );
}

export function sdkStep(endpoint: WebhookEndpoint, step: WebhookStep): XmlElement {
  if (step.preImage && step.message === "Create") throw new Error(`${stepName(endpoint, step)}: a Create has no pre image`);
  if (step.postImage && step.message === "Delete") throw new Error(`${stepName(endpoint, step)}: a Delete has no post image`);
  if (step.filteringAttributes && step.message !== "Update") throw new Error(`${stepName(endpoint, step)}: only an Update filters on columns`);
  return ordered(
    "SdkMessageProcessingStep",
    { SdkMessageProcessingStepId: braced(stepId(endpoint, step)), Name: stepName(endpoint, step) },
    txt("PluginTypeName", serviceBusPlugin.typeName),
    txt("PluginTypeId", braced(serviceBusPlugin.typeId)),
    txt("PrimaryEntity", step.table.logicalName),
    txt("AsyncAutoDelete", 1),
    txt("Description", `Sends ${step.message} of ${step.table.displayName} to the PhotoShelter proxy.`),
    step.filteringAttributes && txt("FilteringAttributes", step.filteringAttributes.join(",")),
    txt("InvocationSource", 0),
    txt("Mode", stepMode),
    txt("Rank", 1),
    txt("SdkMessageId", braced(sdkMessageIds[step.message])),
    txt("EventHandler", braced(endpointId(endpoint))),
    txt("EventHandlerTypeCode", serviceEndpointTypeCode),
    txt("Stage", stepStage),
    txt("IsCustomizable", 1),
    txt("IsHidden", 0),
    txt("SupportedDeployment", 0),
    txt("IntroducedVersion", introducedVersion),
    el("SdkMessageProcessingStepImages", undefined, step.preImage && stepImage(endpoint, step, "pre"), step.postImage && stepImage(endpoint, step, "post")),
  );
}
