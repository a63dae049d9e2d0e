/** The publisher and solution identities every generated file and every custom name derives from. */
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

export const solutions = {
  /** Tables, columns, keys and relationships that import into any Dataverse org with Sales and Customer Service. */
  core: { uniqueName: "PhotoShelterIntegration", displayName: "PhotoShelter Integration" },
  /** The Event lookups; needs Dynamics 365 Marketing / Customer Insights – Journeys (msevtmgt_event). */
  eventManagement: { uniqueName: "PhotoShelterIntegrationEvents", displayName: "PhotoShelter Integration – Events" },
} as const;

/** Web API version the mock serves and the clients call. */
export const webApiPath = "/api/data/v9.2";
