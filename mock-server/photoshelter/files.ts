/**
 * The bytes behind a media item: uploaded originals as stored, generated ones rendered on request
 * (render.ts) and kept in a size-bounded cache so a grid of thumbnails is served quickly.
 */
import { decode as decodeJpeg } from "jpeg-js";
import { LRUCache } from "lru-cache";
import { PNG } from "pngjs";
import { Media, imageSize } from "./library";
import { ImageFormat, encodeRgba, renderImage, renderMp4, renderPdf, renderWav } from "./render";

export interface FileBytes {
  bytes: Buffer;
  contentType: string;
  fileName: string;
}

/** Largest edge the CDN and downloads render, so a bad size cannot exhaust memory. */
export const MAX_EDGE = 4000;
/** Uploaded pictures larger than this are served as stored rather than decoded. */
const MAX_DECODE_PIXELS = 40_000_000;

/** RGBA pixels of an uploaded PNG or JPEG, or null when it is neither or too large to decode. */
function decodeUpload(media: Media): { width: number; height: number; data: Buffer } | null {
  const bytes = media.bytes;
  const size = bytes ? imageSize(bytes) : null;
  if (!bytes || !size || size.width * size.height > MAX_DECODE_PIXELS) return null;
  try {
    if (bytes[0] === 0x89) return PNG.sync.read(bytes);
    const jpeg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_DECODE_PIXELS / 1e6, maxMemoryUsageInMB: 512 });
    return { width: jpeg.width, height: jpeg.height, data: Buffer.from(jpeg.data.buffer, jpeg.data.byteOffset, jpeg.data.byteLength) };
  } catch {
    return null;
  }
}

/** Nearest-neighbour scale that covers width × height and crops the overflow evenly (CDN `fill`). */
function coverCrop(source: { width: number; height: number; data: Buffer }, width: number, height: number): Buffer {
  const scale = Math.max(width / source.width, height / source.height);
  const offsetX = (source.width * scale - width) / 2;
  const offsetY = (source.height * scale - height) / 2;
  const out = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(source.height - 1, Math.floor((y + offsetY) / scale));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(source.width - 1, Math.floor((x + offsetX) / scale));
      source.data.copy(out, (y * width + x) * 4, (sy * source.width + sx) * 4, (sy * source.width + sx) * 4 + 4);
    }
  }
  return out;
}

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
   * A JPEG of exactly width × height, as PhotoShelter's CDN serves: the generated tile for generated
   * media (a poster naming the type for video, audio and documents), uploaded pictures scaled and
   * cropped. An upload the mock cannot decode is returned as stored.
   */
  picture(media: Media, width: number, height: number, format: ImageFormat = "jpeg"): FileBytes {
    const w = Math.min(MAX_EDGE, Math.max(1, width));
    const h = Math.min(MAX_EDGE, Math.max(1, height));
    const fileName = replaceExtension(media.fileName, format === "jpeg" ? "jpg" : "png");
    const contentType = format === "jpeg" ? "image/jpeg" : "image/png";
    if (media.bytes && media.type === "image") {
      const bytes = this.cached(`${media.id}:${w}x${h}:${format}`, () => {
        const source = decodeUpload(media);
        return source ? encodeRgba(coverCrop(source, w, h), w, h, format) : Buffer.alloc(0);
      });
      return bytes.length ? { bytes, contentType, fileName } : this.original(media);
    }
    const bytes = this.cached(`${media.id}:${w}x${h}:${format}`, () => renderImage(w, h, { assetNumber: media.number, caption: label(media) }, format));
    return { bytes, contentType, fileName };
  }

  /** Scales native dimensions so the long edge is at most `longEdge` (never up). */
  static fitInBox(width: number, height: number, boxWidth: number, boxHeight: number): [number, number] {
    const scale = Math.min(1, boxWidth / width, boxHeight / height);
    return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
  }

  /**
   * What /media/{id}/download returns: the original, or for images with `download_filetype=jpeg` a
   * JPEG whose long edge is `download_quality` pixels (the native size when none is given).
   */
  download(media: Media, filetype: string, quality: number | null): FileBytes {
    if (media.type !== "image" || filetype !== "jpeg") return this.original(media);
    const native = media.width !== null && media.height !== null ? [media.width, media.height] : null;
    if (!native || (media.format === "image/jpeg" && quality === null)) return this.original(media);
    const [w, h] = quality === null ? native : MediaFiles.fitInBox(native[0], native[1], quality, quality);
    return this.picture(media, w, h, "jpeg");
  }
}
