import { descriptions, localizedNames } from "./labels";
import { el, ordered, txt, type XmlElement } from "./xml";

/** Solution component types (Dataverse `solutioncomponent.componenttype`) of the components we ship. */
export const componentType = {
  entity: 1,
  attribute: 2,
  optionSet: 9,
  relationship: 10,
  role: 20,
  savedQuery: 26,
  chart: 59,
  systemForm: 60,
  webResource: 61,
  siteMap: 62,
  customControl: 66,
  appModule: 80,
  sdkMessageProcessingStep: 92,
  serviceEndpoint: 95,
  environmentVariableDefinition: 380,
} as const;

/** 0 include subcomponents, 1 do not include subcomponents, 2 include as shell only. */
export type RootBehavior = 0 | 1 | 2;

export interface RootComponent {
  type: (typeof componentType)[keyof typeof componentType];
  /** Schema name, or `id` for components that have no name (forms, views, roles, steps, endpoints). */
  schemaName?: string;
  id?: string;
  behavior: RootBehavior;
}

/** A component as `<Required>`/`<Dependent>` name it: by schema name or id, with its table when it belongs to one. */
export interface ComponentRef {
  type: number;
  schemaName?: string;
  id?: string;
  displayName: string;
  parentSchemaName?: string;
  parentDisplayName?: string;
}

/**
 * One `<MissingDependency>`: a component this solution needs that it does not carry, with the
 * solution that brings it (`solution="<unique name> (<version>)"`, as exports write it; no version
 * means this release of our own solution), and the component of ours that needs it.
 */
export interface MissingDependency {
  required: ComponentRef & { solution: { uniqueName: string; version?: string } };
  dependent: ComponentRef;
}

export interface PublisherInfo {
  uniqueName: string;
  displayName: string;
  description: string;
  prefix: string;
  optionValuePrefix: number;
}

export interface SolutionManifestInput {
  uniqueName: string;
  displayName: string;
  description: string;
  /** Four-part Dataverse version, e.g. 0.1.0.0. */
  version: string;
  managed: boolean;
  publisher: PublisherInfo;
  rootComponents: RootComponent[];
  missingDependencies: readonly MissingDependency[];
}

function componentAttributes(component: ComponentRef): XmlElement["attrs"] {
  return {
    type: component.type,
    schemaName: component.schemaName,
    id: component.id,
    displayName: component.displayName,
    parentSchemaName: component.parentSchemaName,
    parentDisplayName: component.parentDisplayName,
  };
}

function missingDependency(dependency: MissingDependency, version: string): XmlElement {
  const { solution, ...required } = dependency.required;
  return ordered(
    "MissingDependency",
    undefined,
    el("Required", { ...componentAttributes(required), solution: `${solution.uniqueName} (${solution.version ?? version})` }),
    el("Dependent", componentAttributes(dependency.dependent)),
  );
}

const nil = { "xsi:nil": "true" };

/** An empty publisher address, as the platform writes two of them. */
function address(number: number): XmlElement {
  return el(
    "Address",
    undefined,
    txt("AddressNumber", number),
    txt("AddressTypeCode", 1),
    ...["City", "County", "Country", "Fax", "FreightTermsCode", "ImportSequenceNumber", "Latitude", "Line1", "Line2", "Line3", "Longitude", "Name", "PostalCode", "PostOfficeBox", "PrimaryContactName"].map((name) => el(name, nil)),
    txt("ShippingMethodCode", 1),
    ...["Telephone1", "Telephone2", "Telephone3", "UPSZone", "UTCOffset"].map((name) => el(name, nil)),
  );
}

/** solution.xml: `ImportExportXml/SolutionManifest`, shaped like the platform's own exports. */
export function solutionManifest(input: SolutionManifestInput): XmlElement {
  const publisher = input.publisher;
  return el(
    "ImportExportXml",
    { version: "9.1.0.643", SolutionPackageVersion: "9.1", languagecode: 1033, generatedBy: "CrmLive", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance" },
    ordered(
      "SolutionManifest",
      undefined,
      txt("UniqueName", input.uniqueName),
      localizedNames(input.displayName),
      descriptions(input.description),
      txt("Version", input.version),
      txt("Managed", input.managed ? 1 : 0),
      ordered(
        "Publisher",
        undefined,
        txt("UniqueName", publisher.uniqueName),
        localizedNames(publisher.displayName),
        descriptions(publisher.description),
        el("EMailAddress", nil),
        el("SupportingWebsiteUrl", nil),
        txt("CustomizationPrefix", publisher.prefix),
        txt("CustomizationOptionValuePrefix", publisher.optionValuePrefix),
        el("Addresses", undefined, address(1), address(2)),
      ),
      el(
        "RootComponents",
        undefined,
        input.rootComponents.map((root) => el("RootComponent", { type: root.type, schemaName: root.schemaName, id: root.id, behavior: root.behavior })),
      ),
      el("MissingDependencies", undefined, input.missingDependencies.map((dependency) => missingDependency(dependency, input.version))),
    ),
  );
}
