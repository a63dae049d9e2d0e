/**
 * psh_signinrequest — the control's proof of who the user is, written through Dataverse itself. The
 * control creates a row carrying the hash of a random verifier (as the signed-in user, through
 * `context.webAPI`); the proxy reads it with its own identity, checks creator, age and verifier,
 * deletes it and issues its own short-lived token. The platform stamps `createdby` and `createdon`,
 * so neither can be claimed by the client; `overriddencreatedon` (which a client may set on create to
 * backdate a row) is listed so the proxy can refuse rows that carry it.
 */
import { dateTime, platformLookup, primaryKey, systemColumns, text, ownerColumn } from "./columns";
import { defineTable } from "./types";

const table = "psh_signinrequest";

export const signInRequest = defineTable({
  logicalName: table,
  schemaName: "psh_SignInRequest",
  entitySetName: "psh_signinrequests",
  displayName: "PhotoShelter Sign-in Request",
  displayCollectionName: "PhotoShelter Sign-in Requests",
  description: "Single-use proof of the signed-in user for the PhotoShelter proxy; deleted when the proxy consumes it or by the scheduled clean-up.",
  primaryIdAttribute: "psh_signinrequestid",
  primaryNameAttribute: "psh_challenge",
  ownershipType: "UserOwned",
  origin: "core",
  columns: {
    id: primaryKey(table, "psh_SignInRequest", "PhotoShelter Sign-in Request"),
    challenge: text("psh_Challenge", "Challenge", 100, { requiredLevel: "required", description: "base64url SHA-256 of the verifier the control keeps and posts to the proxy." }),
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
