import * as React from "../platform/react";
import { Button } from "@fluentui/react-components";
import type { Asset, Container, SegmentField } from "../../contract/proxyApi";
import type { FormatDate } from "../domain/dates";
import type { LinkType, Profile } from "../domain/profiles";
import { EMPTY_QUERY } from "../domain/searchQuery";
import { useAttach } from "../hooks/useAttach";
import { collectionScope, useDismissed, useRecordCollection, useUnlinkedAssets } from "../hooks/useRecordData";
import { useUploads } from "../hooks/useUploads";
import type { Services } from "../services/createServices";
import type { DeviceFiles } from "../services/device";
import { HostRecord, recordKey } from "../services/hostRecord";
import { format, message, messageOf } from "../services/strings";
import { AssetSuggestions } from "./AssetSuggestions";
import { CollectionSection } from "./CollectionSection";
import { UploadPanel } from "./UploadPanel";
import { useStrings } from "./Strings";


/** Suggestions shown at once; the proxy ranks them, so the first are the best. */
const SUGGESTIONS = 8;
/** Assets of the record's collection offered at once. */
const COLLECTION_PREVIEW = 12;

export interface ProfileSectionProps {
  profile: Exclude<Profile, "auto">;
  linkType: LinkType;
  services: Services;
  /** A saved record (the section is not shown otherwise). */
  record: HostRecord;
  linkedIds: ReadonlySet<string>;
  /** May the user link assets here (enabled form, create privilege)? */
  canCreate: boolean;
  /** May the user create the record's collection (write on the campaign or event)? */
  canCreateCollection: boolean;
  formatDate: FormatDate;
  formatNumber: (value: number, digits: number) => string;
  /** The platform's camera and file picker (mobile app), or null. */
  device: DeviceFiles | null;
  refresh: () => void;
  /** Opens "Add from PhotoShelter" inside a collection. */
  onBrowse: (container: Container) => void;
  /** The linked assets' live data has arrived: proposals load after it, never ahead of it (and not while the proxy is failing). */
  ready: boolean;
}

/** Each form's own job next to its linked assets: evidence on cases, the collection on campaigns and events, suggestions on accounts. */
export const ProfileSection = React.memo(function ProfileSection(props: ProfileSectionProps) {
  let content: React.ReactNode = null;
  if (props.profile === "case") content = props.canCreate ? <CaseEvidence {...props} /> : null;
  else if (props.profile === "account") content = <AccountSuggestions {...props} />;
  else content = <RecordCollectionPanel {...props} profile={props.profile} />;
  return content ? <div className="psh-profile">{content}</div> : null;
});

function CaseEvidence(props: ProfileSectionProps) {
  const { services, record, linkType, refresh, device } = props;
  const getString = useStrings();
  const uploads = useUploads(services.proxy, services.links, record, linkType, refresh);
  const [deviceError, setDeviceError] = React.useState<string | null>(null);
  const fromDevice = (take: () => Promise<Array<{ file: Blob; fileName: string }>>) => () => {
    setDeviceError(null);
    take().then(uploads.add, (error: unknown) => setDeviceError(format(getString("Upload_DeviceFailed"), messageOf(error))));
  };
  return (
    <>
      <UploadPanel
        uploads={uploads}
        formatNumber={props.formatNumber}
        onCapture={device?.captureImage ? fromDevice(device.captureImage) : null}
        onPickWithPlatform={device?.pickFiles ? fromDevice(device.pickFiles) : null}
      />
      {deviceError ? <span role="alert">{deviceError}</span> : null}
    </>
  );
}

function AccountSuggestions(props: ProfileSectionProps) {
  const { services, record, linkedIds } = props;
  const getString = useStrings();
  const attach = useAttach(services.links, record, props.linkType, props.refresh);
  const matched = React.useRef(new Map<string, SegmentField[]>());
  const list = useUnlinkedAssets(
    props.ready ? ["suggestions", recordKey(record)] : null,
    async () => {
      const { items } = await services.proxy.getSuggestions(SUGGESTIONS * 2);
      for (const item of items) matched.current.set(item.asset.id, item.matched);
      return items.map((item) => item.asset);
    },
    linkedIds,
  );
  const [dismissed, dismiss] = useDismissed(record);
  const shown = React.useMemo(() => ({ ...list, items: list.items.filter((asset) => !dismissed.has(asset.id)).slice(0, SUGGESTIONS) }), [list, dismissed]);
  const reasonOf = React.useCallback(
    (asset: Asset) => {
      const fields = matched.current.get(asset.id);
      return fields?.length ? format(getString("Suggest_Matches"), fields.map((field) => getString(`Segment_${field}`)).join(", ")) : null;
    },
    [getString],
  );
  return (
    <AssetSuggestions
      title={getString("Suggest_TitleAccount")}
      list={shown}
      emptyText={getString("Suggest_NoneAccount")}
      attach={attach}
      canLink={props.canCreate}
      reasonOf={reasonOf}
      onDismiss={(asset) => dismiss(asset.id)}
    />
  );
}

function RecordCollectionPanel(props: ProfileSectionProps & { profile: "campaign" | "event" }) {
  const { services, record, linkedIds, profile } = props;
  const getString = useStrings();
  const collection = useRecordCollection(services.proxy, record, props.ready);
  const link = collection.value?.link ?? null;
  const attach = useAttach(services.links, record, props.linkType, props.refresh);
  const canLink = props.canCreate && !attach.isRunning;
  const contents = useUnlinkedAssets(
    link ? ["collectionContents", recordKey(record), link.containerId] : null,
    async () => (await services.proxy.search({ ...EMPTY_QUERY, containerId: link!.containerId }, 1, COLLECTION_PREVIEW)).items,
    linkedIds,
  );
  const [since, setSince] = React.useState<string | null>(null);
  const additions = useUnlinkedAssets(
    profile === "event" && link ? ["additions", recordKey(record)] : null,
    async () => {
      const answer = await services.proxy.getAdditions();
      setSince(answer.since);
      return answer.items;
    },
    linkedIds,
  );
  const sinceDate = since ? new Date(since) : null;
  const onBrowse = React.useCallback(
    (target: NonNullable<typeof link>) => props.onBrowse(collectionScope(target, collection.value)),
    [props, collection.value],
  );
  return (
    <>
      <CollectionSection profile={profile} state={collection} formatDate={props.formatDate} canCreate={props.canCreateCollection} onBrowse={onBrowse} />
      {link && profile === "event" ? (
        <>
          <AssetSuggestions
            title={getString("Suggest_TitleNewSinceEvent")}
            subtitle={sinceDate && !Number.isNaN(sinceDate.getTime()) ? format(getString("Suggest_NewSince"), props.formatDate(sinceDate)) : null}
            list={additions} emptyText={getString("Suggest_NoneNewSinceEvent")} attach={attach} canLink={props.canCreate} />
          {canLink && additions.items.length > 1 ? (
            <div>
              <Button onClick={() => void attach.attach(additions.items)}>{message(getString, "Suggest_LinkAll", additions.items.length)}</Button>
            </div>
          ) : null}
        </>
      ) : null}
      {link ? <AssetSuggestions title={getString("Suggest_TitleCollection")} list={contents} emptyText={getString(contents.proposed === 0 ? "Suggest_CollectionEmpty" : "Suggest_NoneCollection")} attach={attach} canLink={props.canCreate} /> : null}
    </>
  );
}
