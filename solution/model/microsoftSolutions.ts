/**
 * Where the Microsoft tables we use come from. Account, contact, users, teams and business units are
 * Dataverse's own and exist in every environment; the others come with a Dynamics 365 app, so a
 * solution that touches them must name that app's solution in `MissingDependencies` (as a real export
 * does, `solution="<unique name> (<version>)"`) and is imported only where the app is installed.
 *
 * Sources for the unique names (no org was available to export from, so the versions are the oldest
 * the sources name and are informational — the import checks the components, not the version):
 * - msdynce_Sales, msdynce_Service: current online unique names of the Sales and Service workloads
 *   (a changelog verified against a live org: "`account`/`salesorder` → Sales (`msdynce_Sales`),
 *   `incident`/`entitlement` → Service (`msdynce_Service`)"; a Customer Service toolkit README naming
 *   `msdynce_Service` for `incident`; real exports name `msdynce_*` solutions the same way, e.g.
 *   `solution="msdynce_ServiceLevelAgreementExtension (9.0.22072.1003)"`). Microsoft's Web API solution
 *   reference (MicrosoftDocs/dynamics-365-customer-engagement `progref/webapireference/solutions/sales.md`,
 *   `service.md`, 9.0.0.194) lists opportunity in the Sales workload and incident and entitlement in
 *   the Service workload, under their 2017 unique names `Sales` and `Service`.
 * - msdynce_Marketing: campaign belongs to the Marketing module of Sales, not to the Dynamics 365
 *   Marketing app (`progref/webapireference/solutions/marketing.md`: unique name `Marketing`, entities
 *   campaign, campaignactivity, list; the online patch `msdynce_MarketingPatch201905` shows the prefixed name).
 * - MicrosoftDynamics_EventManagement: the solution of Event Management (msevtmgt_event), per
 *   `ce/marketing/solution-uninstall-order.md` and `uninstall-marketing.md` of the same repository;
 *   the 2017 reference (`microsoftdynamicseventmanagementsolution.md`) names its predecessor
 *   `MicrosoftDynamicsEventManagementSolution` with msevtmgt_event in it.
 * - AppModuleWebResources: holds the default model-driven app icon (web resource
 *   953b9fac-1e5e-e611-80d6-00155ded156f); real exports of an app using it list it as a missing
 *   dependency (microsoft/coe-starter-kit `ALMAcceleratorForAdvancedMakers/SolutionPackage/Other/Solution.xml`).
 */

export interface MicrosoftSolution {
  readonly uniqueName: string;
  readonly displayName: string;
  /** As a real export writes it after the unique name: `msdynce_Sales (9.0.0.0)`. */
  readonly version: string;
}

export const microsoftSolutions = {
  sales: { uniqueName: "msdynce_Sales", displayName: "Dynamics 365 Sales", version: "9.0.0.0" },
  salesMarketing: { uniqueName: "msdynce_Marketing", displayName: "Dynamics 365 Sales – Marketing (campaigns)", version: "9.0.0.0" },
  service: { uniqueName: "msdynce_Service", displayName: "Dynamics 365 Customer Service", version: "9.0.0.0" },
  eventManagement: { uniqueName: "MicrosoftDynamics_EventManagement", displayName: "Event Management (Dynamics 365 Marketing / Customer Insights – Journeys)", version: "1.0.0.0" },
  appModuleWebResources: { uniqueName: "AppModuleWebResources", displayName: "Model-driven app web resources", version: "2.5" },
} as const satisfies Record<string, MicrosoftSolution>;

/** The Microsoft solution that brings each table of a Dynamics 365 app we use, by logical name. */
export const tableSolutions: Readonly<Record<string, MicrosoftSolution>> = {
  opportunity: microsoftSolutions.sales,
  campaign: microsoftSolutions.salesMarketing,
  incident: microsoftSolutions.service,
  entitlement: microsoftSolutions.service,
  msevtmgt_event: microsoftSolutions.eventManagement,
};

/**
 * Tables every Dataverse environment has (with or without Dynamics 365 apps) that our components may
 * name without a dependency: the ones we extend or read, the owner/team/business unit tables behind
 * the system relationships, and the environment variable tables.
 */
export const dataverseTables: ReadonlySet<string> = new Set([
  "account",
  "contact",
  "systemuser",
  "team",
  "businessunit",
  "organization",
  "owner",
  "environmentvariabledefinition",
  "environmentvariablevalue",
]);

/** The default icon of a model-driven app (type 61 web resource in AppModuleWebResources). */
export const defaultAppIcon = { id: "953b9fac-1e5e-e611-80d6-00155ded156f", name: "msdyn_/Images/AppModule_Default_Icon.png" } as const;
