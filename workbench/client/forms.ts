/**
 * The simulated main forms: for each host table, the fields a model-driven main form would show in
 * its header and General section, and the sub-grid the control replaces. Like FormXml, it names
 * columns; labels and values come from Dataverse (metadata and formatted values). Columns the mock
 * does not have are left out, as a form leaves out fields of a missing solution.
 */
import { assetLink } from "../../solution/model/assetLink";
import { account, campaign, event, incident } from "../../solution/model/targets";

export interface FormDefinition {
  table: string;
  /** Used in URLs and pickers. */
  key: "account" | "case" | "campaign" | "event";
  headerFields: string[];
  fields: string[];
}

export const FORMS: FormDefinition[] = [
  { key: "account", table: account.logicalName, headerFields: ["psh_tier", "ownerid"], fields: ["name", "accountnumber", "industrycode", "psh_region", "psh_tier", "psh_productlines", "address1_city", "address1_country", "primarycontactid"] },
  { key: "case", table: incident.logicalName, headerFields: ["ticketnumber", "ownerid"], fields: ["title", "ticketnumber", "casetypecode", "customerid", "statecode"] },
  { key: "campaign", table: campaign.logicalName, headerFields: ["statuscode", "ownerid"], fields: ["name", "typecode", "statuscode", "actualstart", "actualend", "psh_audience"] },
  { key: "event", table: event.logicalName, headerFields: ["msevtmgt_eventstartdate", "ownerid"], fields: ["msevtmgt_name", "msevtmgt_eventstartdate", "msevtmgt_eventenddate", "statecode"] },
];

/** The sub-grid's table: PhotoShelter asset links related to the form's record. */
export const SUBGRID_TABLE = assetLink.logicalName;

export function formFor(key: string | null): FormDefinition {
  return FORMS.find((form) => form.key === key || form.table === key) ?? FORMS[0];
}
