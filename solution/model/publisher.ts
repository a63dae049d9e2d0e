/** The publisher and solution identities every generated file and every custom name derives from. */
import { microsoftSolutions, type MicrosoftSolution } from "./microsoftSolutions";

export const publisher = {
  uniqueName: "PhotoShelter",
  displayName: "PhotoShelter",
  description: "PhotoShelter for Dynamics 365",
  /** Customization prefix: every table, column, relationship and choice we add starts with `psh_`. */
  prefix: "psh",
  /**
   * Choice option values of our choices are `optionValuePrefix * 10000 + n` (742100000, 742100001, …),
   * so they never collide with Microsoft's or another publisher's options.
   */
  optionValuePrefix: 74210,
} as const;

/**
 * Our solutions: a core that needs only Dataverse, and one add-on per Dynamics 365 app whose tables we
 * touch. The packer places every component by the tables it needs (`requires`, see microsoftSolutions.ts).
 */
export const solutions = {
  /** Our tables, Account's columns, the control, settings, roles, the admin app, the webhook: any Dataverse environment. */
  core: { uniqueName: "PhotoShelterIntegration", displayName: "PhotoShelter Integration", requires: [] },
  /** Opportunity and Campaign: lookups, columns, the Campaign form, their webhook steps; needs Dynamics 365 Sales. */
  sales: { uniqueName: "PhotoShelterIntegrationSales", displayName: "PhotoShelter Integration – Sales", requires: [microsoftSolutions.sales, microsoftSolutions.salesMarketing] },
  /** Case and Entitlement: lookups, the Case form, the entitlement webhook steps; needs Dynamics 365 Customer Service. */
  service: { uniqueName: "PhotoShelterIntegrationService", displayName: "PhotoShelter Integration – Service", requires: [microsoftSolutions.service] },
  /** The Event lookups, the Event form and steps; needs Dynamics 365 Marketing / Customer Insights – Journeys (msevtmgt_event). */
  eventManagement: { uniqueName: "PhotoShelterIntegrationEvents", displayName: "PhotoShelter Integration – Events", requires: [microsoftSolutions.eventManagement] },
} as const satisfies Record<string, { uniqueName: string; displayName: string; requires: readonly MicrosoftSolution[] }>;

export type SolutionKey = keyof typeof solutions;

/** Web API version the mock serves and the clients call. */
export const webApiPath = "/api/data/v9.2";
