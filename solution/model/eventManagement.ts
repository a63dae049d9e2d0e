/**
 * Everything that depends on Event Management (msevtmgt_event), kept apart so the core solution
 * imports into orgs without Dynamics 365 Marketing. The Event Management solution adds the Event
 * lookup to our link tables.
 */
import { customLookup, dateTime, memo, platformLookup, text } from "./columns";
import { assetLinkNames, collectionLinkNames } from "./names";
import { event as names } from "./targets";
import { defineChoice, defineTable } from "./types";

export const eventState = defineChoice({
  name: "msevtmgt_event_statecode", displayName: "Status", global: false, origin: "outOfBox",
  options: { active: { value: 0, label: "Active" }, inactive: { value: 1, label: "Inactive" } },
});

/** The Event table as far as we read it (Microsoft entity reference "Event (msevtmgt_Event)"). */
export const event = defineTable({
  ...names,
  displayName: "Event",
  displayCollectionName: "Events",
  description: "Event planned and run with Event Management (Dynamics 365 Marketing / Customer Insights – Journeys).",
  ownershipType: "UserOwned",
  origin: "outOfBox",
  columns: {
    id: { logicalName: "msevtmgt_eventid", schemaName: "msevtmgt_EventId", displayName: "Event", requiredLevel: "systemrequired", type: "primarykey" },
    name: text("msevtmgt_Name", "Event name", 256, { requiredLevel: "required" }),
    description: memo("msevtmgt_Description", "Description", 4000),
    startDate: dateTime("msevtmgt_EventStartDate", "Start date and time", "UserLocal"),
    endDate: dateTime("msevtmgt_EventEndDate", "End date and time", "UserLocal"),
    stateCode: { logicalName: "statecode", schemaName: "statecode", displayName: "Status", requiredLevel: "systemrequired", type: "state", choice: eventState },
    createdOn: dateTime("createdon", "Created On", "UserLocal", { system: true }),
    modifiedOn: dateTime("modifiedon", "Modified On", "UserLocal", { system: true }),
    versionNumber: { logicalName: "versionnumber", schemaName: "VersionNumber", displayName: "Version Number", requiredLevel: "none", type: "bigint", system: true },
    ownerId: platformLookup("ownerid", "Owner", [
      { table: "systemuser", relationshipName: "msevtmgt_event_owning_user", navigationProperty: "ownerid", referencedNavigationProperty: "user_msevtmgt_event", cascadeDelete: "NoCascade" },
    ], { type: "owner", requiredLevel: "systemrequired" }),
  },
  alternateKeys: [],
});

/** The Event lookups the Event Management solution adds to our tables, by table logical name. */
export const eventLookups = {
  [assetLinkNames.logicalName]: { eventId: customLookup(assetLinkNames.logicalName, assetLinkNames.lookups.eventId.schemaName, "Event", assetLinkNames.lookups.eventId.target, { origin: "eventManagement" }) },
  [collectionLinkNames.logicalName]: { eventId: customLookup(collectionLinkNames.logicalName, collectionLinkNames.lookups.eventId.schemaName, "Event", collectionLinkNames.lookups.eventId.target, { origin: "eventManagement" }) },
} as const;
