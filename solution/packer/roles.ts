import type { TableDefinition } from "../model";
import { braced, stableGuid } from "./ids";
import { introducedVersion } from "./labels";
import { el, ordered, txt, type XmlElement } from "./xml";

export type Privilege = "Create" | "Read" | "Write" | "Delete" | "Append" | "AppendTo" | "Assign" | "Share";
/** Basic = own rows, Local = business unit, Deep = business unit and below, Global = organization. */
export type Depth = "Basic" | "Local" | "Deep" | "Global";

export interface RoleDefinition {
  key: string;
  name: string;
  /** Privileges per table; a table is named by its schema name (the platform's privilege names use it). */
  grants: readonly { table: Pick<TableDefinition, "schemaName" | "ownershipType">; access: Partial<Record<Privilege, Depth>> }[];
}

const allPrivileges: readonly Privilege[] = ["Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign", "Share"];

export function roleId(role: RoleDefinition): string {
  return stableGuid("role", role.key);
}

/** `prv<Privilege><SchemaName>`, e.g. prvReadpsh_AssetLink. */
function privilegeName(privilege: Privilege, schemaName: string): string {
  return `prv${privilege}${schemaName}`;
}

export function role(definition: RoleDefinition): XmlElement {
  const privileges = definition.grants.flatMap((grant) =>
    allPrivileges
      .filter((privilege) => grant.access[privilege])
      // Organization-owned tables have only the organization depth, and no Assign/Share.
      .filter((privilege) => grant.table.ownershipType !== "OrganizationOwned" || (privilege !== "Assign" && privilege !== "Share"))
      .map((privilege) => {
        const depth = grant.table.ownershipType === "OrganizationOwned" ? "Global" : grant.access[privilege];
        return el("RolePrivilege", { name: privilegeName(privilege, grant.table.schemaName), level: depth });
      }),
  );
  return ordered(
    "Role",
    { id: braced(roleId(definition)), name: definition.name },
    txt("IsCustomizable", 1),
    txt("IntroducedVersion", introducedVersion),
    el("RolePrivileges", undefined, privileges),
  );
}
