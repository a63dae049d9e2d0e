/**
 * The bytes behind a media item: uploaded originals as stored, generated ones rendered on request
 * (render.ts) and kept in a size-bounded cache so a grid of thumbnails is served quickly.
 */
import { LRUCache } from "lru-cache";
import { Media } from "./library";
import { renderImage, renderMp4, renderPdf, renderWav } from "./render";

export interface FileBytes {
  bytes: Buffer;
  contentType: string;
  fileName: string;
}

/** Largest edge the CDN and downloads render, so a bad size cannot exhaust memory. */
export const MAX_EDGE = 4000;

const label = (media: Media) => [media.type === "image" ? "" : media.type, media.custom.productLine ?? "", media.custom.region ?? ""].filter(Boolean).join(" ");

const replaceExtension = (fileName: string, extension: string) => fileName.replace(/\.[^.]*$/, "") + `.${extension}`;

export class MediaFiles {
  private cache = new LRUCache<string, Buffer>({ maxSize: 64 * 1024 * 1024, sizeCalculation: (b) => b.length || 1 });

  private cached(key: string, make: () => Buffer): Buffer {
    const hit = this.cache.get(key);
    if (hit) return hit;
    const made = make();
    this.cache.set(key, made);
    return made;
  }

  /** The original file exactly as PhotoShelter would hand it out. */
  original(media: Media): FileBytes {
    if (media.bytes) return { bytes: media.bytes, contentType: media.format, fileName: media.fileName };
    const bytes = this.cached(`${media.id}:original`, () => {
      switch (media.type) {
        case "image":
          return renderImage(media.width ?? 1200, media.height ?? 800, { assetNumber: media.number, caption: label(media) });
        case "video":
          return renderMp4(media.number, media.durationSeconds ?? 10, media.caption);
        case "audio":
          return renderWav(media.number, media.durationSeconds ?? 2);
        default:
          return renderPdf(media.number, [media.caption, media.fileName, `Usage rights: ${media.custom.usageRights ?? "not stated"}`, media.copyright]);
      }
    });
    return { bytes, contentType: media.format, fileName: media.fileName };
  }

  /**
   * A PNG of exactly width × height (`fill`) for any media type: images show the asset, other types a
   * poster with the type named. Uploaded images are returned as stored (the mock does not resample them).
   */
  picture(media: Media, width: number, height: number): FileBytes {
    if (media.bytes && media.type === "image") return this.original(media);
    const w = Math.min(MAX_EDGE, Math.max(1, width));
    const h = Math.min(MAX_EDGE, Math.max(1, height));
    const bytes = this.cached(`${media.id}:${w}x${h}`, () => renderImage(w, h, { assetNumber: media.number, caption: label(media) }));
    return { bytes, contentType: "image/png", fileName: replaceExtension(media.fileName, "png") };
  }

  /** Scales native dimensions so the long edge is at most `longEdge` (never up). */
  static fit(width: number, height: number, boxWidth: number, boxHeight: number): [number, number] {
    const scale = Math.min(1, boxWidth / width, boxHeight / height);
    return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
  }

  /**
   * What /media/{id}/download returns: the original, or for images a rendition whose long edge is
   * `download_quality` pixels (PNG, since the mock's originals are PNG).
   */
  download(media: Media, filetype: string, quality: number | null): FileBytes {
    if (media.type !== "image" || filetype === "original" || quality === null || media.bytes) return this.original(media);
    const [w, h] = MediaFiles.fit(media.width ?? 1200, media.height ?? 800, quality, quality);
    return this.picture(media, w, h);
  }
}
