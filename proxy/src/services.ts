/**
 * The parts a running proxy is made of, wired once at start and handed to the routes. Tests reach
 * them through RunningProxy.services to read counters (cache, upstream attempts, usage events).
 */
import type { Logger } from "pino";
import type { Asset, MediaSize } from "../../contract/proxyApi";
import type { BearerVerifier } from "./auth/sessionTokens";
import type { RecordCollections } from "./automation/recordCollection";
import type { WebhookEndpointCheck } from "./automation/webhookEndpoint";
import type { DataverseClient } from "./dataverse";
import type { ProxyConfig } from "./config";
import type { MediaSigner } from "./media/signing";
import type { AccessPolicy } from "./policy/accessPolicy";
import type { Directory, DirectoryUser } from "./policy/directory";
import type { AssetAnswers } from "./http/assetAnswers";
import type { LoadedAsset, PhotoShelterLibrary } from "./photoshelter/library";
import type { PhotoShelterSession } from "./photoshelter/session";
import type { UpstreamHttp } from "./upstream/http";
import type { ReadCache } from "./upstream/readCache";
import type { UploadKeys } from "./uploadKeys";
import type { StateStore } from "./state";
import type { UsageRecorder } from "./usage";

export interface ProxyServices {
  config: ProxyConfig;
  log: Logger;
  /** Bearer tokens: the proxy's own session tokens and Entra ID (or the mock issuer's) tokens. */
  tokens: BearerVerifier;
  directory: Directory;
  /** Dataverse as the proxy's application user (the automation's identity). */
  dataverse: DataverseClient;
  /** S3/S7: a campaign's or event's own collection, for a click and for the automation alike. */
  recordCollections: RecordCollections;
  policy: AccessPolicy;
  /** Caches Dataverse look-ups (users, records, rules) for config.cache.policyTtlMs. */
  policyCache: ReadCache;
  library: PhotoShelterLibrary;
  session: PhotoShelterSession;
  photoShelterHttp: UpstreamHttp;
  dataverseHttp: UpstreamHttp;
  signer: MediaSigner;
  /** Assets as answers: normalized and serialized once per asset, links signed once per user and asset. */
  assets: AssetAnswers;
  usage: UsageRecorder;
  /** The state store (STATE_URL): inbox, job state, cursors, idempotency keys, usage events. */
  state: StateStore;
  /** Idempotency keys of uploads (one per file). */
  uploadKeys: UploadKeys;
  /** The webhook's service endpoint in Dataverse: checked (and set up) for /readyz. */
  webhookEndpoint: WebhookEndpointCheck;
  /** Absolute base URL of this proxy as browsers reach it. */
  publicUrl(): string;
}

/** Signed absolute URL of a rendition for this user. */
export function mediaUrl(services: ProxyServices, user: DirectoryUser, id: string, size: MediaSize): string {
  const userKey = services.signer.userKey(user.systemUserId);
  return `${services.publicUrl()}/v1/media/${id}/${size}?${services.signer.sign(id, size, userKey)}`;
}

/** The contract's Asset for a loaded PhotoShelter media item, with links signed for this user. */
export function assetFor(services: ProxyServices, user: DirectoryUser, loaded: LoadedAsset): Asset {
  return services.assets.forUser(user).asset(loaded);
}
