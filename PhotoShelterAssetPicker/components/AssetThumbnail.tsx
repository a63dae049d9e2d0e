import * as React from "react";
import { makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { Document32Regular, Headphones32Regular, Image32Regular, Play24Filled, Video32Regular } from "@fluentui/react-icons";
import type { Asset } from "../../contract/proxyApi";

type MediaType = Asset["mediaType"];

const useStyles = makeStyles({
  frame: {
    position: "relative",
    width: "100%",
    aspectRatio: "4 / 3",
    display: "flex",
    alignItems: "center",
    justifyContent: "center",
    overflow: "hidden",
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground3,
  },
  small: { width: "64px", flexShrink: 0 },
  large: { aspectRatio: "auto", minHeight: "240px", maxHeight: "60vh" },
  // contain keeps the asset's own aspect ratio inside the fixed frame: portrait stays portrait.
  image: { width: "auto", height: "auto", maxWidth: "100%", maxHeight: "100%", objectFit: "contain", display: "block" },
  largeImage: { maxHeight: "60vh" },
  play: {
    position: "absolute",
    borderRadius: tokens.borderRadiusCircular,
    backgroundColor: tokens.colorBackgroundOverlay,
    color: tokens.colorNeutralForegroundStaticInverted,
    padding: tokens.spacingHorizontalS,
    display: "flex",
  },
});

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
  const styles = useStyles();
  const [failed, setFailed] = React.useState(false);
  React.useEffect(() => setFailed(false), [src]);
  const showImage = src !== null && !failed && mediaType !== "audio" && mediaType !== "document";
  return (
    <div className={mergeClasses(styles.frame, size === "small" && styles.small, size === "large" && styles.large)} data-media-type={mediaType ?? "unknown"}>
      {showImage ? (
        <img
          className={mergeClasses(styles.image, size === "large" && styles.largeImage)}
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
        <span className={styles.play} aria-hidden="true">
          <Play24Filled />
        </span>
      ) : null}
    </div>
  );
});
