import * as React from "../platform/react";
import { Document32Regular, Headphones32Regular, Image32Regular, Play24Filled, Video32Regular } from "@fluentui/react-icons";
import type { Asset } from "../../contract/proxyApi";

type MediaType = Asset["mediaType"];


export function MediaIcon(props: { mediaType: MediaType | null }) {
  if (props.mediaType === "video") return <Video32Regular />;
  if (props.mediaType === "audio") return <Headphones32Regular />;
  if (props.mediaType === "document") return <Document32Regular />;
  return <Image32Regular />;
}

export interface AssetThumbnailProps {
  /** Signed image URL from the proxy; null while live data is missing (proxy down, outside the segment). */
  src: string | null;
  mediaType: MediaType | null;
  width?: number | null;
  height?: number | null;
  size?: "small" | "medium" | "large";
}

/**
 * An image loads lazily (only once it scrolls near the viewport) at its own aspect ratio. Videos show
 * their poster with a play mark; audio and documents, which have no picture, show what they are.
 */
export const AssetThumbnail = React.memo(function AssetThumbnail(props: AssetThumbnailProps) {
  const { src, mediaType, width, height, size = "medium" } = props;
  const [failed, setFailed] = React.useState(false);
  React.useEffect(() => setFailed(false), [src]);
  const showImage = src !== null && !failed && mediaType !== "audio" && mediaType !== "document";
  return (
    <div className={size === "medium" ? "psh-thumb" : `psh-thumb psh-thumb-${size}`} data-media-type={mediaType ?? "unknown"}>
      {showImage ? (
        <img
          src={src}
          alt=""
          loading={size === "large" ? "eager" : "lazy"}
          decoding="async"
          width={width ?? undefined}
          height={height ?? undefined}
          onError={() => setFailed(true)}
        />
      ) : (
        <MediaIcon mediaType={mediaType} />
      )}
      {showImage && mediaType === "video" ? (
        <span className="psh-thumb-play" aria-hidden="true">
          <Play24Filled />
        </span>
      ) : null}
    </div>
  );
});
