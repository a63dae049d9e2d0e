/**
 * Segment rules (S2) and partner grants (S6), evaluated on the server: which PhotoShelter
 * collections and galleries a user may see for a host record. Pure, so it is tested on its own.
 */
import { CONTAINER_ID_PATTERN } from "../../../contract/proxyApi";

/** The account attributes rules look at, as Dataverse choice values. */
export interface Segment {
  industry: number | null;
  region: number | null;
  tier: number | null;
  productLines: number[];
}

/** One psh_accessrule row; a null condition matches anything. */
export interface AccessRule {
  id: string;
  name: string;
  industry: number | null;
  region: number | null;
  tier: number | null;
  productLine: number | null;
  businessUnitId: string | null;
  containerIds: string[];
}

export interface PartnerGrant {
  galleryId: string;
  granted: boolean;
}

const CONTAINER_ID = new RegExp(CONTAINER_ID_PATTERN);

/** psh_containerids holds ids separated by commas, semicolons, spaces or new lines; anything else is ignored. */
export function parseContainerIds(text: string | null | undefined): string[] {
  return (text ?? "").split(/[\s,;]+/).filter((id) => CONTAINER_ID.test(id));
}

function ruleMatches(rule: AccessRule, segment: Segment | null, businessUnitId: string | null): boolean {
  if (rule.businessUnitId !== null && rule.businessUnitId !== businessUnitId) return false;
  const conditions = [rule.industry, rule.region, rule.tier, rule.productLine];
  // A record without an account (a campaign, an event) has no segment: only unconditional rules apply.
  if (segment === null) return conditions.every((condition) => condition === null);
  if (rule.industry !== null && rule.industry !== segment.industry) return false;
  if (rule.region !== null && rule.region !== segment.region) return false;
  if (rule.tier !== null && rule.tier !== segment.tier) return false;
  if (rule.productLine !== null && !segment.productLines.includes(rule.productLine)) return false;
  return true;
}

/** Every container granted by a matching rule or an active partner grant of the record's account. */
export function grantedContainers(rules: AccessRule[], segment: Segment | null, businessUnitId: string | null, grants: PartnerGrant[] = []): Set<string> {
  const granted = new Set<string>();
  for (const rule of rules) if (ruleMatches(rule, segment, businessUnitId)) for (const id of rule.containerIds) granted.add(id);
  for (const grant of grants) if (grant.granted && CONTAINER_ID.test(grant.galleryId)) granted.add(grant.galleryId);
  return granted;
}
