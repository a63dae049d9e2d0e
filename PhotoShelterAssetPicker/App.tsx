import * as React from "./platform/react";
import { AriaLiveAnnouncer, FluentProvider, IdPrefixProvider, MessageBar, MessageBarActions, MessageBarBody, Button, Theme, webLightTheme } from "@fluentui/react-components";
import { SWRConfig, SWRConfiguration } from "swr";
import { BrowseDialog } from "./components/BrowseDialog";
import { DetachDialog } from "./components/DetachDialog";
import { LinkedAssetsHeader } from "./components/LinkedAssetsHeader";
import { LinkedAssetsView } from "./components/LinkedAssetsView";
import { PreviewDialog } from "./components/PreviewDialog";
import { ProfileSection } from "./components/ProfileSection";
import { WhereUsed } from "./components/WhereUsed";
import { ProxyStatusBar } from "./components/ProxyStatusBar";
import { StringsProvider } from "./components/Strings";
import type { LinkedAsset } from "./domain/assetLinks";
import type { FormatDate } from "./domain/dates";
import { LinkedAssetView, linkedAssetViews } from "./domain/linkedView";
import type { LinkType, Profile } from "./domain/profiles";
import type { UsedOn } from "./domain/whereUsed";
import { useAttach } from "./hooks/useAttach";
import { useLiveAssets } from "./hooks/useLiveAssets";
import { collectionScope, useRecordCollection } from "./hooks/useRecordData";
import type { Container } from "../contract/proxyApi";
import type { Services } from "./services/createServices";
import type { DeviceFiles } from "./services/device";
import { HostRecord } from "./services/hostRecord";
import { DownloadSize, DownloadedFile, ProxyError } from "./services/proxyClient";
import { saveFile } from "./services/saveFile";
import { GetString, format, messageOf } from "./services/strings";

export interface AppProps {
  /** Host theme from `context.fluentDesignLanguage`; undefined outside the modern look. */
  theme: Theme | undefined;
  /** Unique per control instance so two pickers on one form never share element ids. */
  idPrefix: string;
  getString: GetString;
  hostRecord: HostRecord | null;
  /** The asset-link rows of the sub-grid. */
  links: LinkedAsset[];
  linkedAssetCount: number;
  isLoading: boolean;
  /** More link rows than the platform's first page: "Show more" asks for the next page. */
  hasMoreLinks: boolean;
  showMoreLinks: () => void;
  services: Services;
  /** May this user create / delete links here (control enabled, privileges)? Viewing always works. */
  canCreate: boolean;
  canDelete: boolean;
  /** May this user give the record its own collection (write on a campaign or event)? */
  canCreateCollection: boolean;
  linkType: LinkType;
  /** The form's job: evidence on cases, the collection on campaigns and events, suggestions on accounts. */
  profile: Exclude<Profile, "auto">;
  /** The platform's camera and file picker where it has them (mobile app). */
  device: DeviceFiles | null;
  /** Numbers in the user's format (`context.formatting.formatDecimal`). */
  formatNumber: (value: number, digits: number) => string;
  /** Opens another record's form (where an asset is used). */
  openRecord: (record: UsedOn) => void;
  isRTL: boolean;
  formatDate: FormatDate;
  /** `dataset.refresh()`: the platform re-reads the link rows after a write. */
  refresh: () => void;
  openUrl: (url: string) => void;
}


/** Proxy reads: shared and de-duplicated, no refetch when the person comes back to the tab, bounded retries with backoff. */
export function swrDefaults(): SWRConfiguration {
  return {
    provider: () => new Map(),
    dedupingInterval: 10_000,
    revalidateOnFocus: false,
    errorRetryCount: 3,
    errorRetryInterval: 2_000,
    shouldRetryOnError: (error: unknown) => !(error instanceof ProxyError) || error.isTransient,
    onErrorRetry: (error: unknown, _key, config, revalidate, { retryCount }) => {
      if (retryCount > (config.errorRetryCount ?? 3)) return;
      const retryAfter = error instanceof ProxyError ? error.retryAfterMs : null;
      // Exponential backoff with jitter, or exactly what the proxy asked for with Retry-After.
      const delay = retryAfter ?? Math.round((Math.random() + 0.5) * 2 ** Math.min(retryCount, 6) * config.errorRetryInterval);
      setTimeout(() => void revalidate({ retryCount }), delay);
    },
  };
}

function Picker(props: AppProps) {
  const { getString, profile, hostRecord, links, services, canCreate, canDelete, linkType, formatDate, refresh, idPrefix } = props;
  const [browseOpen, setBrowseOpen] = React.useState(false);
  const [browseScope, setBrowseScope] = React.useState<Container | null>(null);

  const [previewIndex, setPreviewIndex] = React.useState<number | null>(null);
  const [detaching, setDetaching] = React.useState<LinkedAssetView | null>(null);
  const [selected, setSelected] = React.useState<ReadonlySet<string>>(new Set());
  const [downloading, setDownloading] = React.useState(false);
  const [actionError, setActionError] = React.useState<string | null>(null);

  const mediaIds = React.useMemo(() => links.map((link) => link.mediaId).filter((id) => id !== ""), [links]);
  const live = useLiveAssets(services.proxy, hostRecord, mediaIds);
  // Each form's own proposals load once the linked assets are in, never ahead of them (and not while the proxy fails).
  const proposalsReady = !props.isLoading && !live.isLoading && !live.error;
  const ownCollection = useRecordCollection(services.proxy, hostRecord, (profile === "campaign" || profile === "event") && proposalsReady);
  const items = React.useMemo(() => linkedAssetViews(links, live.byId, live.missing, new Date()), [links, live.byId, live.missing]);
  const linkedIds = React.useMemo(() => new Set(mediaIds), [mediaIds]);
  const attach = useAttach(services.links, hostRecord, linkType, refresh);

  // Selections of links that were detached elsewhere drop out.
  React.useEffect(() => setSelected((previous) => new Set([...previous].filter((id) => linkedIds.has(id)))), [linkedIds]);

  const saved = hostRecord?.id != null;
  const attachBlockedReason = hostRecord === null ? getString("Record_None") : saved ? null : getString("Record_Unsaved");

  const onSelect = React.useCallback((mediaId: string, on: boolean) => {
    setSelected((previous) => {
      const next = new Set(previous);
      if (on) next.add(mediaId);
      else next.delete(mediaId);
      return next;
    });
  }, []);

  // One download at a time; leaving the form cancels it.
  const download = React.useRef<AbortController | null>(null);
  React.useEffect(() => () => download.current?.abort(), []);
  const runDownload = React.useCallback(
    async (fetchFile: (signal: AbortSignal) => Promise<DownloadedFile>) => {
      download.current?.abort();
      const controller = new AbortController();
      download.current = controller;
      setDownloading(true);
      setActionError(null);
      try {
        saveFile(await fetchFile(controller.signal));
      } catch (error) {
        if (!controller.signal.aborted) setActionError(format(getString("Error_DownloadFailed"), messageOf(error)));
      } finally {
        if (download.current === controller) setDownloading(false);
      }
    },
    [getString],
  );

  const onDownloadSelected = React.useCallback(() => void runDownload((signal) => services.proxy.downloadZip([...selected], signal)), [runDownload, services.proxy, selected]);
  const onDownload = React.useCallback((mediaId: string, size: DownloadSize) => void runDownload((signal) => services.proxy.download(mediaId, size, signal)), [runDownload, services.proxy]);
  const ownLink = ownCollection.value?.link ?? null;
  // On a campaign or an event, browsing starts in the record's own collection.
  const onAdd = React.useCallback(() => {
    setBrowseScope(ownLink ? collectionScope(ownLink, ownCollection.value) : null);
    setBrowseOpen(true);
  }, [ownLink, ownCollection.value]);
  const onBrowseIn = React.useCallback((container: Container) => {
    setBrowseScope(container);
    setBrowseOpen(true);
  }, []);
  const onSignIn = React.useCallback(() => {
    void services.tokens.signInInteractively?.().then(live.retry, (error: unknown) => setActionError(messageOf(error)));
  }, [services.tokens, live.retry]);

  return (
    <div className="psh-stack">
      <LinkedAssetsHeader count={props.linkedAssetCount} isLoading={props.isLoading} isUnsavedRecord={hostRecord !== null && !saved} />
      <ProxyStatusBar error={live.error} fallbackKey="Error_ShowingSaved" onRetry={live.retry} onSignIn={onSignIn} />
      {actionError ? (
        <MessageBar intent="error">
          <MessageBarBody>{actionError}</MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => setActionError(null)}>{getString("Action_Dismiss")}</Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      <LinkedAssetsView
        items={items}
        isLoading={props.isLoading}
        total={props.linkedAssetCount}
        hasMore={props.hasMoreLinks}
        onShowMore={props.showMoreLinks}
        formatDate={formatDate}
        canAttach={canCreate && saved}
        canDetach={canDelete}
        attachBlockedReason={attachBlockedReason}
        selectedIds={selected}
        isDownloading={downloading}
        onAdd={onAdd}
        onPreview={setPreviewIndex}
        onSelect={onSelect}
        onDetach={setDetaching}
        onDownloadSelected={onDownloadSelected}
      />
      {hostRecord && saved ? (
        <ProfileSection
          profile={profile}
          linkType={linkType}
          services={services}
          record={hostRecord}
          linkedIds={linkedIds}
          canCreate={canCreate}
          canCreateCollection={props.canCreateCollection}
          formatDate={formatDate}
          formatNumber={props.formatNumber}
          device={props.device}
          refresh={refresh}
          onBrowse={onBrowseIn}
          ready={proposalsReady}
        />
      ) : null}
      {browseOpen && hostRecord && saved ? (
        <BrowseDialog scope={browseScope} onClose={() => setBrowseOpen(false)} client={services.proxy} record={hostRecord} linkedIds={linkedIds} attach={attach} idPrefix={idPrefix} />
      ) : null}
      {previewIndex !== null ? (
        <PreviewDialog
          items={items}
          index={Math.min(previewIndex, items.length - 1)}
          onIndexChange={setPreviewIndex}
          onClose={() => setPreviewIndex(null)}
          formatDate={formatDate}
          onOpenInPhotoShelter={props.openUrl}
          onDownload={onDownload}
          details={(mediaId) => <WhereUsed mediaId={mediaId} store={services.links} host={hostRecord} onOpen={props.openRecord} />}
        />
      ) : null}
      {detaching ? (
        <DetachDialog
          fileName={detaching.live?.fileName ?? detaching.link.fileName}
          onCancel={() => setDetaching(null)}
          onConfirm={async () => {
            await services.links.deleteLink(detaching.link.linkId);
            setDetaching(null);
            refresh();
          }}
        />
      ) : null}
    </div>
  );
}

export const App = React.memo(function App(props: AppProps) {
  const { theme, idPrefix } = props;
  // One cache per control instance: two pickers, or two tests, never share proxy data by accident.
  const [swrConfig] = React.useState(swrDefaults);
  return (
    <IdPrefixProvider value={idPrefix}>
      <FluentProvider theme={theme ?? webLightTheme} className="psh-asset-picker" dir={props.isRTL ? "rtl" : "ltr"}>
        {/* Message bars (errors, sign-in) are announced to screen readers through this live region. */}
        <AriaLiveAnnouncer>
          <SWRConfig value={swrConfig}>
            <StringsProvider value={props.getString}>
              <Picker {...props} />
            </StringsProvider>
          </SWRConfig>
        </AriaLiveAnnouncer>
      </FluentProvider>
    </IdPrefixProvider>
  );
});
