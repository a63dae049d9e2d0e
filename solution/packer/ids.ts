import { createHash } from "node:crypto";

/**
 * A GUID derived from a name (RFC 4122 version 5 layout over SHA-1). Forms, views, roles and
 * webhook steps keep the same id in every build, so importing a newer zip updates them in place
 * instead of creating duplicates.
 */
export function stableGuid(...nameParts: string[]): string {
  const hash = createHash("sha1").update(`photoshelter-dynamics365:${nameParts.join("/")}`).digest();
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The braced form customizations.xml uses for ids: `{xxxxxxxx-…}`. */
export function braced(guid: string): string {
  return `{${guid}}`;
}
