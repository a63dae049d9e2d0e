import { blobOfBase64 } from "../domain/uploads";

/** Files from the platform's camera and file picker, where the host offers them (the Dynamics mobile app). */
export interface DeviceFiles {
  captureImage?: () => Promise<Array<{ file: Blob; fileName: string }>>;
  pickFiles?: () => Promise<Array<{ file: Blob; fileName: string }>>;
}

/** PCF's client names (`context.client.getClient()`) and form factors that have a camera. */
const MOBILE_CLIENTS = new Set(["Mobile"]);
const PHONE_OR_TABLET = new Set([2, 3]);

const filesOf = (objects: ComponentFramework.FileObject[] | null | undefined) => (objects ?? []).filter((object) => object?.fileContent).map((object) => ({ file: blobOfBase64(object.fileContent, object.mimeType || "application/octet-stream"), fileName: object.fileName || "photo.jpg" }));

/**
 * `context.device` where the platform offers it: the mobile app (client "Mobile", a phone or tablet).
 * In a desktop browser the same calls exist but fail, so the browser's own file picker is used there.
 */
export function deviceFiles(context: Pick<ComponentFramework.Context<unknown>, "client" | "device">, maxBytes = 50 * 1024 * 1024): DeviceFiles | null {
  const device = context.device;
  const client = context.client;
  if (!device || !client) return null;
  const mobile = MOBILE_CLIENTS.has(client.getClient?.() ?? "") || PHONE_OR_TABLET.has(client.getFormFactor?.() ?? 0);
  if (!mobile) return null;
  return {
    captureImage: typeof device.captureImage === "function" ? async () => filesOf([await device.captureImage({ allowEdit: false, height: 2048, width: 2048, preferFrontCamera: false, quality: 90 })]) : undefined,
    pickFiles: typeof device.pickFile === "function" ? async () => filesOf(await device.pickFile({ accept: "image", allowMultipleFiles: true, maximumAllowedFileSize: maxBytes })) : undefined,
  };
}
