import yauzl from "yauzl";
import yazl from "yazl";

export interface ZipPart {
  /** Path inside the zip: forward slashes, no leading slash, never a folder. */
  path: string;
  data: Buffer;
}

/** Rejects what makes Dataverse refuse a solution zip: back-slashes, folder entries, absolute or duplicate paths. */
export function checkPartPath(path: string): void {
  if (path.length === 0) throw new Error("zip part with an empty path");
  if (path.includes("\\")) throw new Error(`zip part "${path}" uses a back-slash; Dataverse needs forward slashes`);
  if (path.startsWith("/")) throw new Error(`zip part "${path}" must not start with a slash`);
  if (path.endsWith("/")) throw new Error(`zip part "${path}" is a folder entry; solution zips hold files only`);
  if (path.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) {
    throw new Error(`zip part "${path}" has an empty, "." or ".." segment`);
  }
}

/** Writes the parts, deflated, in the given order, with a fixed timestamp so equal input gives equal bytes. */
export async function writeZip(parts: ZipPart[]): Promise<Buffer> {
  const seen = new Set<string>();
  const zip = new yazl.ZipFile();
  const mtime = new Date(Date.UTC(2020, 0, 1));
  for (const part of parts) {
    checkPartPath(part.path);
    if (seen.has(part.path.toLowerCase())) throw new Error(`zip part "${part.path}" appears twice`);
    seen.add(part.path.toLowerCase());
    zip.addBuffer(part.data, part.path, { mtime, compress: true });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on("data", (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on("error", reject);
    zip.outputStream.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

/** Reads every entry back (folder entries included, so a check can see them). */
export function readZip(buffer: Buffer): Promise<ZipPart[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, decodeStrings: true }, (openError, zip) => {
      if (openError || !zip) return reject(openError ?? new Error("could not open zip"));
      const parts: ZipPart[] = [];
      zip.on("error", reject);
      zip.on("end", () => resolve(parts));
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError ?? new Error(`could not read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("error", reject);
          stream.on("end", () => {
            parts.push({ path: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
