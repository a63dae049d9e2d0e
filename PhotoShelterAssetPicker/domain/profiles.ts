import { linkTypeValues } from "../../solution/model/names";
import { account, campaign, event, incident, opportunity } from "../../solution/model/targets";

export type Profile = "auto" | "account" | "case" | "campaign" | "event";
export type LinkType = keyof typeof linkTypeValues;

const LINK_TYPE: Record<Exclude<Profile, "auto">, LinkType> = { account: "brand", case: "evidence", campaign: "campaign", event: "event" };

const PROFILE_OF_TABLE: Record<string, Exclude<Profile, "auto">> = {
  [account.logicalName]: "account",
  [opportunity.logicalName]: "account",
  [incident.logicalName]: "case",
  [campaign.logicalName]: "campaign",
  [event.logicalName]: "event",
};

/** The profile in effect: the maker's choice, or for "auto" the one that fits the record's table. */
export function effectiveProfile(configured: Profile | null | undefined, entityName: string | null): Exclude<Profile, "auto"> {
  if (configured && configured !== "auto") return configured;
  return (entityName && PROFILE_OF_TABLE[entityName]) || "account";
}

/** Link type written on new asset-link rows (brand assets on accounts, evidence on cases, …). */
export function linkTypeOf(profile: Exclude<Profile, "auto">): LinkType {
  return LINK_TYPE[profile];
}
