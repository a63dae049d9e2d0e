import type { DownloadedFile } from "./proxyClient";

/**
 * Hands a downloaded file to the browser's save flow. The proxy needs the bearer token, so a plain link
 * cannot download; the bytes come through fetch and leave through an object URL.
 */
export function saveFile(file: DownloadedFile, doc: Document = document): void {
  const url = URL.createObjectURL(file.blob);
  const anchor = doc.createElement("a");
  anchor.href = url;
  anchor.download = file.fileName;
  anchor.rel = "noopener";
  anchor.style.display = "none";
  doc.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Revoke later: some browsers read the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
