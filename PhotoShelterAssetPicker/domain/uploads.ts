/**
 * Evidence uploads as pure rules: which files may be sent (type and size, checked before anything
 * leaves the browser), the state of each file, and the progress over all of them. A file that
 * reached PhotoShelter keeps its asset, so a retry only links it; its key never changes, so the proxy
 * never stores it twice.
 */
import type { Asset } from "../../contract/proxyApi";

export interface UploadLimits {
  maxBytes: number;
  /** MIME types the proxy accepts. */
  allowedTypes: readonly string[];
}

/**
 * queued → uploading → linking → done; rejected before sending (type, size); failed or cancelled
 * (then retried). `asset` is set once the file is stored: from then on only the link is left to do.
 */
export type UploadStatus = "queued" | "uploading" | "linking" | "done" | "rejected" | "failed" | "cancelled";

export type Rejection = "type" | "size" | "empty";

export interface UploadItem {
  /** Also the upload's Idempotency-Key: the same for every try of this file. */
  key: string;
  file: Blob;
  fileName: string;
  size: number;
  status: UploadStatus;
  /** Bytes sent so far. */
  loaded: number;
  rejection?: Rejection;
  error?: string;
  asset?: Asset;
}

/** Types a browser may leave blank or name differently, by file extension. */
const TYPE_OF_EXTENSION: Record<string, string> = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", gif: "image/gif", tif: "image/tiff", tiff: "image/tiff", heic: "image/heic", mp4: "video/mp4", pdf: "application/pdf" };

/** The file's MIME type, from the browser or else from its extension. */
export function typeOf(file: Blob, fileName: string): string {
  if (file.type) return file.type;
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? "";
  return TYPE_OF_EXTENSION[extension] ?? "";
}

/** Why a file may not be sent, or null when it may. */
export function rejectionOf(file: Blob, fileName: string, limits: UploadLimits): Rejection | null {
  if (file.size === 0) return "empty";
  if (!limits.allowedTypes.includes(typeOf(file, fileName))) return "type";
  if (file.size > limits.maxBytes) return "size";
  return null;
}

let sequence = 0;

/** A key unique to this file and this browser: random where the browser can, else time and a counter. */
export function newUploadKey(): string {
  const random = globalThis.crypto?.randomUUID?.();
  sequence += 1;
  return random ? `u-${random}` : `u-${Date.now().toString(36)}-${sequence.toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** New items for picked or dropped files, checked against the limits (limits unknown yet: checked when they arrive). */
export function newUploads(files: ReadonlyArray<{ file: Blob; fileName: string }>, limits: UploadLimits | null): UploadItem[] {
  return files.map(({ file, fileName }) => {
    const rejection = limits ? rejectionOf(file, fileName, limits) : null;
    return { key: newUploadKey(), file, fileName, size: file.size, status: rejection ? "rejected" : "queued", loaded: 0, ...(rejection ? { rejection } : {}) };
  });
}

/** Items that a retry sends again (or only links): failed and cancelled ones. */
export function isRetryable(item: UploadItem): boolean {
  return item.status === "failed" || item.status === "cancelled";
}

export interface UploadSummary {
  /** Files that are sent (not rejected). */
  total: number;
  done: number;
  failed: number;
  rejected: number;
  active: number;
  /** 0..1 over the bytes of the files that are sent; a linked file counts whole. */
  fraction: number;
}

export function summarize(items: readonly UploadItem[]): UploadSummary {
  const summary: UploadSummary = { total: 0, done: 0, failed: 0, rejected: 0, active: 0, fraction: 0 };
  let bytes = 0;
  let loaded = 0;
  for (const item of items) {
    if (item.status === "rejected") {
      summary.rejected += 1;
      continue;
    }
    const size = Math.max(item.size, 1);
    summary.total += 1;
    bytes += size;
    loaded += item.status === "done" || item.asset ? size : Math.min(item.loaded, item.size);
    if (item.status === "done") summary.done += 1;
    else if (item.status === "failed" || item.status === "cancelled") summary.failed += 1;
    else summary.active += 1; // queued, uploading or linking
  }
  summary.fraction = bytes === 0 ? 0 : loaded / bytes;
  return summary;
}

/** A size for people: 1.2 MB, 340 KB, 12 bytes (the number formatted for the user's language). */
export function sizeText(bytes: number, formatNumber: (value: number, digits: number) => string): { value: string; unit: "MB" | "KB" | "B" } {
  const mb = bytes / (1024 * 1024);
  if (bytes >= 1024 * 1024) return { value: formatNumber(mb, mb >= 10 || Number.isInteger(mb) ? 0 : 1), unit: "MB" };
  if (bytes >= 1024) return { value: formatNumber(bytes / 1024, 0), unit: "KB" };
  return { value: formatNumber(bytes, 0), unit: "B" };
}

/** A file the device API returned (base64 content) as a Blob. */
export function blobOfBase64(base64: string, mimeType: string): Blob {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: mimeType });
}
