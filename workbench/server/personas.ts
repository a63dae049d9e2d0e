/**
 * Who opens each form when the address names no user: the person who works with it, on a record of
 * theirs when it names none either — a sales rep on an account (the rep of the account's region), the
 * service agent on a case, the marketer on a campaign or an event. The pickers still switch to anyone.
 */
import { ACCOUNTS, CAMPAIGNS, CASES, EVENTS } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { regionValues } from "../../solution/model/names";

export type FormKey = "account" | "case" | "campaign" | "event";

/** Each form's person and the record of theirs it opens on by default (one that shows the form's own job). */
export const PERSONAS: Record<FormKey, { user: string; record: string }> = {
  account: { user: USERS.salesNorthAmerica.id, record: ACCOUNTS.litware },
  case: { user: USERS.serviceAgent.id, record: CASES.damagedDelivery },
  campaign: { user: USERS.marketer.id, record: CAMPAIGNS.springLaunch },
  event: { user: USERS.marketer.id, record: EVENTS.customerDay },
};

const REP_OF_REGION: Record<number, string> = {
  [regionValues.na]: USERS.salesNorthAmerica.id,
  [regionValues.emea]: USERS.salesEmea.id,
  [regionValues.apac]: USERS.salesApac.id,
};

const isForm = (form: string | undefined): form is FormKey => form !== undefined && Object.prototype.hasOwnProperty.call(PERSONAS, form);

/**
 * The user (and record, when none is given) a form opens with. An account named by id opens as the
 * sales rep of its region, read through `regionOf`; an account without a region as the default rep.
 */
export async function personaFor(form: string | undefined, id: string | null, regionOf: (accountId: string) => Promise<number | null>): Promise<{ user: string; id: string | null }> {
  const key: FormKey = isForm(form) ? form : "account";
  const persona = PERSONAS[key];
  if (id === "new") return { user: persona.user, id };
  if (!id) return { user: persona.user, id: persona.record };
  if (key !== "account") return { user: persona.user, id };
  const region = await regionOf(id).catch(() => null);
  return { user: (region !== null && REP_OF_REGION[region]) || persona.user, id };
}
