/**
 * Decides, per request, what the user may see for the host record: the granted collections and
 * galleries and everything below them. Record attributes, rules and grants come from Dataverse
 * (never from the browser) and are cached for `policyTtlMs`, so a rule change applies within it.
 */
import { RECORD_PATTERN } from "../../../contract/proxyApi";
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

export class AccessPolicy {
  constructor(
    private readonly directory: Directory,
    private readonly tree: ContainerTree,
    private readonly cache: ReadCache,
    /** The record's own upload gallery (a case's evidence gallery), visible to whoever works on the record. */
    private readonly recordGallery: (record: HostRecord) => Promise<string | null> = async () => null,
  ) {}

  async forRecord(user: DirectoryUser, recordRef: string): Promise<Access> {
    if (!RECORD.test(recordRef)) throw new ProxyError("validation_failed", "record must be <table>:<guid>");
    const [entity, rawId] = recordRef.split(":");
    const id = rawId.toLowerCase();
    const key = `access:${user.businessUnitId ?? "-"}:${entity}:${id}`;
    return this.cache.get(key, () => this.evaluate(user, entity, id));
  }

  /** Throws not_found unless the container is visible (no difference between "hidden" and "absent"). */
  assertVisible(access: Access, containerId: string, what = "Collection or gallery"): void {
    if (!access.visible.has(containerId)) throw notFound(what);
  }

  /** True when one of the galleries an asset is in is visible. */
  canSeeAsset(access: Access, galleryIds: readonly string[]): boolean {
    return galleryIds.some((id) => access.visible.has(id));
  }

  private async evaluate(user: DirectoryUser, entity: string, id: string): Promise<Access> {
    const record = await this.cache.get(`record:${entity}:${id}`, () => this.directory.hostRecord(entity, id));
    if (!record) throw notFound("Record");
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
    return { record, recordRef: `${entity}:${id}`, roots: granted.filter((containerId) => !covered.has(containerId)), visible };
  }
}
