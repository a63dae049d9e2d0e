/**
 * The signed-in user's privileges, read once per page from Dataverse's RetrieveUserPrivileges
 * function, so that `utils.hasEntityPrivilege` can answer synchronously as the platform's does.
 */
import { DataverseHttp } from "./dataverse";

const VERBS = ["", "Create", "Read", "Write", "Delete", "Assign", "Share", "Append", "AppendTo"];
const DEPTHS: Record<string, number> = { basic: 0, local: 1, deep: 2, global: 3 };

interface RolePrivilege {
  PrivilegeName?: string;
  Depth?: string | number;
}

export class UserPrivileges {
  /** "prvcreatepsh_assetlink" → deepest depth held (0 basic … 3 global). */
  private readonly held = new Map<string, number>();

  static async load(http: DataverseHttp, userId: string): Promise<UserPrivileges> {
    const response = await http.send("GET", `systemusers(${userId})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`);
    const privileges = ((response.body as { RolePrivileges?: RolePrivilege[] }).RolePrivileges ?? []);
    const result = new UserPrivileges();
    for (const privilege of privileges) {
      if (typeof privilege.PrivilegeName !== "string") continue;
      const depth = typeof privilege.Depth === "number" ? privilege.Depth : (DEPTHS[String(privilege.Depth).toLowerCase()] ?? 0);
      const name = privilege.PrivilegeName.toLowerCase();
      result.held.set(name, Math.max(depth, result.held.get(name) ?? -1));
    }
    return result;
  }

  /** PCF semantics: privilegeType 1 Create … 8 AppendTo; privilegeDepth -1 none, 0 basic … 3 global. */
  has(entityTypeName: string, privilegeType: number, privilegeDepth: number): boolean {
    const verb = VERBS[privilegeType];
    if (!verb) return false;
    const depth = this.held.get(`prv${verb}${entityTypeName}`.toLowerCase());
    return depth !== undefined && depth >= Math.max(privilegeDepth, 0);
  }
}
