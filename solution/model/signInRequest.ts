/**
 * psh_signinrequest — the control's proof of who the user is, written through Dataverse itself. The
 * control creates a row carrying the hash of a random verifier (as the signed-in user, through
 * `context.webAPI`); the proxy reads it with its own identity, checks creator, age and verifier,
 * deletes it and issues its own short-lived token. The platform stamps `createdby` and `createdon`,
 * so neither can be claimed by the client; `overriddencreatedon` (which a client may set on create to
 * backdate a row) is listed so the proxy can refuse rows that carry it.
 */
import { dateTime, platformLookup, primaryKey, systemColumns, text, ownerColumn } from "./columns";
import { signInRequestNames as names } from "./names";
import { defineTable } from "./types";

const table = names.logicalName;

export const signInRequest = defineTable({
  logicalName: table,
  schemaName: names.schemaName,
  entitySetName: names.entitySetName,
  displayName: "PhotoShelter Sign-in Request",
  displayCollectionName: "PhotoShelter Sign-in Requests",
  description: "Single-use proof of the signed-in user for the PhotoShelter proxy; deleted when the proxy consumes it or by the scheduled clean-up.",
  primaryIdAttribute: names.primaryIdAttribute,
  primaryNameAttribute: names.primaryNameAttribute,
  ownershipType: "UserOwned",
  origin: "core",
  columns: {
    id: primaryKey(table, names.schemaName, "PhotoShelter Sign-in Request"),
    challenge: text(names.columns.challenge, "Challenge", 100, { requiredLevel: "required", description: "base64url SHA-256 of the verifier the control keeps and posts to the proxy." }),
    // A platform column that, unlike the others, a client may set on create (data migration): createdon then takes its value.
    overriddenCreatedOn: dateTime("OverriddenCreatedOn", "Record Created On", "UserLocal", { system: true, description: "Set only when a row was created with a backdated creation time; the proxy refuses such rows." }),
    createdOnBehalfBy: platformLookup(
      "createdonbehalfby",
      "Created By (Delegate)",
      [{ table: "systemuser", relationshipName: `lk_${table}_createdonbehalfby`, navigationProperty: "createdonbehalfby", referencedNavigationProperty: `lk_${table}_createdonbehalfby`, cascadeDelete: "NoCascade" }],
      { system: true },
    ),
    ...systemColumns(table),
    ...ownerColumn(table),
  },
  alternateKeys: [],
});
