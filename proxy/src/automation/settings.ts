/**
 * The automation's settings (config.ts reads them from the environment, `.env.example` documents
 * them): caps, the review flag written to PhotoShelter, partner defaults and the schedules.
 */
export interface AutomationSettings {
  /** Most assets linked to one account automatically per run (AUTO_LINK_MAX). */
  autoLinkMax: number;
  /** The custom metadata field and value that mark an asset "Under review" in PhotoShelter. */
  reviewField: string;
  reviewValue: string;
  /** Galleries an entitlement grants when it names none itself (PARTNER_GALLERY_IDS). */
  partnerGalleryIds: string[];
  /** Media per page of the rights sync's change listing. */
  rightsSyncPageSize: number;
  /** The daily event sweep looks at events that started and ended at most this many days ago. */
  eventSweepDays: number;
  /** Cron expressions (UTC) of the scheduled jobs. */
  schedules: {
    rightsSync: string;
    rightsCalendar: string;
    assetExistence: string;
    eventSweep: string;
    partnerReconcile: string;
  };
}

export const DEFAULT_AUTOMATION: AutomationSettings = {
  autoLinkMax: 20,
  reviewField: "Review Flag",
  reviewValue: "Under review",
  partnerGalleryIds: [],
  rightsSyncPageSize: 100,
  eventSweepDays: 7,
  schedules: {
    rightsSync: "*/15 * * * *",
    rightsCalendar: "10 0 * * *",
    assetExistence: "40 1 * * *",
    eventSweep: "30 1 * * *",
    partnerReconcile: "0 2 * * *",
  },
};
