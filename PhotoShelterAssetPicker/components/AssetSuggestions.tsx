import * as React from "../platform/react";
import { Button, Caption1, Spinner, Subtitle2, Text, useId } from "@fluentui/react-components";
import type { Asset } from "../../contract/proxyApi";
import type { Attach } from "../hooks/useAttach";
import type { AssetList } from "../hooks/useRecordData";
import { format } from "../services/strings";
import { AssetThumbnail } from "./AssetThumbnail";
import { ProxyStatusBar } from "./ProxyStatusBar";
import { RightsBadge } from "./RightsBadge";
import { useStrings } from "./Strings";


export interface AssetSuggestionsProps {
  /** Names the list (a heading and the list's accessible name). */
  title: string;
  list: AssetList;
  /** Shown when the list is empty. */
  emptyText: string;
  /** A line under the title (e.g. since when). */
  subtitle?: string | null;
  /** Links an asset; its items say how each one is going. */
  attach: Attach;
  /** May the user link assets here? */
  canLink: boolean;
  /** Why each asset is proposed ("Matches industry, region"), when there is a reason to show. */
  reasonOf?: (asset: Asset) => string | null;
  onDismiss?: (asset: Asset) => void;
}

/** Proposed assets (suggestions, a collection's contents, new media) with one click to link each. */
export const AssetSuggestions = React.memo(function AssetSuggestions(props: AssetSuggestionsProps) {
  const { title, list, attach, onDismiss } = props;
  const canLink = props.canLink && !attach.isRunning;
  const getString = useStrings();
  const items = list.items;
  const headingId = useId("psh-suggestions-");
  let body: React.ReactNode;
  if (list.isLoading) body = <Spinner size="tiny" label={getString("Suggest_Loading")} />;
  else if (list.error) body = <ProxyStatusBar error={list.error} onRetry={list.retry} />;
  else if (items.length === 0) body = <Caption1 className="psh-muted">{props.emptyText}</Caption1>;
  else
    body = (
      <ul className="psh-plain-list psh-suggestions" aria-labelledby={headingId}>
        {items.map((asset) => {
          const state = attach.items.find((item) => item.asset.id === asset.id);
          const reason = props.reasonOf?.(asset);
          return (
            <li key={asset.id} className="psh-stack-tight">
              <AssetThumbnail src={asset.thumbnailUrl} mediaType={asset.mediaType} width={asset.width} height={asset.height} />
              <Text truncate wrap={false} title={asset.fileName}>
                {asset.fileName}
              </Text>
              <RightsBadge rights={asset.rights} />
              {reason ? <Caption1 className="psh-muted">{reason}</Caption1> : null}
              <div className="psh-children">
                {canLink ? (
                  <Button size="small" appearance="primary" disabled={state?.status === "attaching"} aria-label={format(getString("Suggest_LinkAsset"), asset.fileName)} onClick={() => void attach.attach([asset])}>
                    {state?.status === "attaching" ? getString("Attach_attaching") : getString("Suggest_Link")}
                  </Button>
                ) : null}
                {onDismiss ? (
                  <Button size="small" appearance="subtle" aria-label={format(getString("Suggest_DismissAsset"), asset.fileName)} onClick={() => onDismiss(asset)}>
                    {getString("Action_Dismiss")}
                  </Button>
                ) : null}
              </div>
              {state?.status === "failed" ? <Caption1 role="alert">{format(getString("Attach_Failed"), state.error ?? "")}</Caption1> : null}
            </li>
          );
        })}
      </ul>
    );
  return (
    <section className="psh-stack-tight" aria-labelledby={headingId}>
      <Subtitle2 as="h3" id={headingId}>
        {title}
      </Subtitle2>
      {props.subtitle ? <Caption1 className="psh-muted">{props.subtitle}</Caption1> : null}
      {body}
    </section>
  );
});
