/**
 * Decides, per request, what the user may see for the host record: the granted collections and
 * galleries and everything below them. The proxy acts for the caller, never above them: it checks the
 * Dataverse privileges the action needs and reads the host record as the caller (a record they may
 * not open is "not found"), both before PhotoShelter is touched. Record attributes, rules and grants
 * come from Dataverse (never from the browser) and are cached for `policyTtlMs`, so a rule change
 * applies within it.
 */
import { RECORD_PATTERN } from "../../../contract/proxyApi";
import { assetLink } from "../../../solution/model";
import { notFound, ProxyError } from "../errors";
import type { ReadCache } from "../upstream/readCache";
import type { Directory, DirectoryUser, HostRecord } from "./directory";
import { grantedContainers } from "./rules";

/** What the policy needs from the PhotoShelter library: the containers below a collection. */
export interface ContainerTree {
  /** Every collection and gallery below a collection (not the collection itself); empty for a gallery. */
  descendants(containerId: string): Promise<string[]>;
}

export interface Access {
  record: HostRecord;
  /** `<table>:<guid>` as the control sent it (validated). */
  recordRef: string;
  /** What rules and grants name directly, outermost first (the top level of browsing). */
  roots: string[];
  /** Every visible collection and gallery: the roots and everything below them. */
  visible: Set<string>;
}

const RECORD = new RegExp(RECORD_PATTERN);

/** What the caller does with the record's assets: look (browse, search, download, ZIP), add (upload), or give the record its own collection. */
export type Action = "read" | "upload" | "collection";

/**
 * The Dataverse privileges an action needs (lower-case names, any depth): reading needs read on asset
 * links; uploading needs what linking the new asset to the record will: create and append on asset
 * links, append-to on the host table; creating a record's collection needs write on the record (the
 * person who may change the campaign or event, whose save would create it anyway).
 */
export function requiredPrivileges(action: Action, table: string): string[] {
  const links = assetLink.logicalName;
  if (action === "upload") return [`prvcreate${links}`, `prvappend${links}`, `prvappendto${table}`];
  if (action === "collection") return [`prvread${links}`, `prvwrite${table}`];
  return [`prvread${links}`];
}

export class AccessPolicy {
  constructor(
    private readonly directory: Directory,
    private readonly tree: ContainerTree,
    private readonly cache: ReadCache,
    /** The record's own upload gallery (a case's evidence gallery), visible to whoever works on the record. */
    private readonly recordGallery: (record: HostRecord) => Promise<string | null> = async () => null,
  ) {}

  async forRecord(user: DirectoryUser, recordRef: string, action: Action = "read"): Promise<Access> {
    if (!RECORD.test(recordRef)) throw new ProxyError("validation_failed", "record must be <table>:<guid>");
    const [entity, rawId] = recordRef.split(":");
    const id = rawId.toLowerCase();
    // Per user: whether the record opens at all is the user's own (their roles, down to the record).
    const record = await this.cache.get(`record:${user.systemUserId}:${entity}:${id}`, () => this.directory.hostRecord(entity, id, user));
    if (!record) throw notFound("Record");
    await this.demandPrivileges(user, action, entity);
    return this.cache.get(`access:${user.systemUserId}:${entity}:${id}`, () => this.evaluate(user, record));
  }

  /** 403 naming the first privilege the user lacks for the action. */
  private async demandPrivileges(user: DirectoryUser, action: Action, table: string): Promise<void> {
    const held = await this.cache.get(`privileges:${user.systemUserId}`, () => this.directory.privileges(user));
    const missing = requiredPrivileges(action, table).find((name) => !held.has(name));
    if (missing === undefined) return;
    const what = action === "upload" ? "add assets to this record" : action === "collection" ? "create this record's collection" : "see the assets of records";
    throw new ProxyError("forbidden", `Your Dynamics 365 security roles do not let you ${what} (${missing} is missing)`);
  }

  /** Throws not_found unless the container is visible (no difference between "hidden" and "absent"). */
  assertVisible(access: Access, containerId: string, what = "Collection or gallery"): void {
    if (!access.visible.has(containerId)) throw notFound(what);
  }

  /** True when one of the galleries an asset is in is visible. */
  canSeeAsset(access: Access, galleryIds: readonly string[]): boolean {
    return galleryIds.some((id) => access.visible.has(id));
  }

  private async evaluate(user: DirectoryUser, record: HostRecord): Promise<Access> {
    const [rules, segment, grants] = await Promise.all([
      this.cache.get("rules", () => this.directory.accessRules()),
      record.accountId ? this.cache.get(`segment:${record.accountId}`, () => this.directory.segment(record.accountId!)) : Promise.resolve(null),
      record.accountId ? this.cache.get(`grants:${record.accountId}`, () => this.directory.partnerGrants(record.accountId!)) : Promise.resolve([]),
    ]);
    const own = await this.recordGallery(record);
    const granted = [...new Set([...grantedContainers(rules, segment, user.businessUnitId, grants), ...(own ? [own] : [])])];
    const below = await Promise.all(granted.map(async (containerId) => [containerId, await this.tree.descendants(containerId)] as const));
    const visible = new Set<string>(granted);
    const covered = new Set<string>();
    for (const [, descendants] of below) for (const descendant of descendants) {
      visible.add(descendant);
      covered.add(descendant);
    }
    return { record, recordRef: `${record.entity}:${record.id}`, roots: granted.filter((containerId) => !covered.has(containerId)), visible };
  }
}
