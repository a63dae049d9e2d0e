import { el, type XmlElement } from "./xml";
import type { ZipPart } from "./zip";

/**
 * `[Content_Types].xml` as msbuild writes it for a PCF solution: one Default per file extension in
 * the zip and an Override for each control manifest.
 */
export function contentTypes(parts: ZipPart[]): XmlElement {
  const extensions = [...new Set(parts.map((part) => {
    const name = part.path.slice(part.path.lastIndexOf("/") + 1);
    const dot = name.lastIndexOf(".");
    if (dot <= 0) throw new Error(`zip part "${part.path}" has no file extension, so it cannot get a content type`);
    return name.slice(dot + 1).toLowerCase();
  }))].sort();
  const manifests = parts.filter((part) => /^Controls\/[^/]+\/ControlManifest\.xml$/.test(part.path));
  return el(
    "Types",
    { xmlns: "http://schemas.openxmlformats.org/package/2006/content-types" },
    extensions.map((extension) => el("Default", { Extension: extension, ContentType: extension === "xml" ? "text/xml" : "application/octet-stream" })),
    manifests.map((part) => el("Override", { PartName: `/${part.path}`, ContentType: "application/octet-stream" })),
  );
}
