/** psh_partnergrant — a partner account's access to a PhotoShelter gallery, tied to its contract/entitlement. */
import { grantStatus } from "./choices";
import { choice, customLookup, dateTime, memo, ownerColumn, primaryKey, systemColumns, text } from "./columns";
import { account, entitlement } from "./targets";
import { defineTable } from "./types";

const table = "psh_partnergrant";

export const partnerGrant = defineTable({
  logicalName: table,
  schemaName: "psh_PartnerGrant",
  entitySetName: "psh_partnergrants",
  displayName: "PhotoShelter Partner Grant",
  displayCollectionName: "PhotoShelter Partner Grants",
  description: "A partner account's access to a PhotoShelter gallery, granted while its entitlement is active and revoked when it ends.",
  primaryIdAttribute: "psh_partnergrantid",
  primaryNameAttribute: "psh_name",
  ownershipType: "UserOwned",
  origin: "core",
  columns: {
    id: primaryKey(table, "psh_PartnerGrant", "PhotoShelter Partner Grant"),
    name: text("psh_Name", "Name", 200, { requiredLevel: "required" }),
    galleryId: text("psh_GalleryId", "Gallery ID", 16, { requiredLevel: "required", description: "PhotoShelter gallery id (G…)." }),
    galleryName: text("psh_GalleryName", "Gallery Name", 200),
    accountId: customLookup(table, "psh_AccountId", "Partner Account", account, { requiredLevel: "required", cascadeDelete: "Cascade" }),
    entitlementId: customLookup(table, "psh_EntitlementId", "Entitlement", entitlement),
    contractReference: text("psh_ContractReference", "Contract Reference", 100),
    status: choice("psh_Status", "Grant Status", grantStatus, { requiredLevel: "required" }),
    grantedOn: dateTime("psh_GrantedOn", "Granted On", "TimeZoneIndependent"),
    revokedOn: dateTime("psh_RevokedOn", "Revoked On", "TimeZoneIndependent"),
    lastError: memo("psh_LastError", "Last Error", 4000),
    regardingKey: text("psh_RegardingKey", "Regarding", 100, { requiredLevel: "required", description: "account:<guid> of the partner; part of the alternate key." }),
    ...systemColumns(table),
    ...ownerColumn(table),
  },
  alternateKeys: [{ schemaName: "psh_partnergrant_gallery_regarding", displayName: "Gallery and partner", columns: ["psh_galleryid", "psh_regardingkey"] }],
});
