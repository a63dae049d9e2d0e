/**
 * `context.device` as the Dynamics mobile app offers it, simulated: `captureImage` "takes" a photo
 * (a JPEG drawn on a canvas, numbered camera-1.jpg, camera-2.jpg…) and `pickFile` opens the browser's
 * file chooser; both answer FileObjects with base64 content as the platform does. In a web browser
 * (the default client) both reject, as they do in Dynamics on the web.
 */
let photos = 0;

const base64Of = (bytes: ArrayBuffer) => {
  let binary = "";
  const view = new Uint8Array(bytes);
  for (let i = 0; i < view.length; i += 0x8000) binary += String.fromCharCode(...view.subarray(i, i + 0x8000));
  return btoa(binary);
};

/** A photo from the simulated camera: a gradient with its number and time, as a JPEG. */
async function takePhoto(options?: ComponentFramework.DeviceApi.CaptureImageOptions): Promise<ComponentFramework.FileObject> {
  photos += 1;
  const canvas = document.createElement("canvas");
  canvas.width = Math.min(options?.width ?? 640, 640);
  canvas.height = Math.min(options?.height ?? 480, 480);
  const g = canvas.getContext("2d")!;
  const gradient = g.createLinearGradient(0, 0, canvas.width, canvas.height);
  gradient.addColorStop(0, "#0f6cbd");
  gradient.addColorStop(1, "#e3008c");
  g.fillStyle = gradient;
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.fillStyle = "#ffffff";
  g.font = "32px sans-serif";
  g.fillText(`Camera photo ${photos} · ${new Date().toISOString().slice(0, 19)}`, 24, canvas.height / 2);
  const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((result) => (result ? resolve(result) : reject(new Error("The camera produced no image"))), "image/jpeg", 0.9));
  return { fileContent: base64Of(await blob.arrayBuffer()), fileName: `camera-${photos}.jpg`, fileSize: blob.size, mimeType: "image/jpeg" };
}

/** The browser's file chooser standing in for the app's picker. Must run from a click (a user gesture). */
function pickFiles(options?: ComponentFramework.DeviceApi.PickFileOptions): Promise<ComponentFramework.FileObject[]> {
  return new Promise((resolve) => {
    const input = document.createElement("input");
    input.type = "file";
    input.multiple = options?.allowMultipleFiles ?? false;
    if (options?.accept) input.accept = `${options.accept}/*`;
    input.onchange = async () => {
      const files = Array.from(input.files ?? []);
      resolve(await Promise.all(files.map(async (file) => ({ fileContent: base64Of(await file.arrayBuffer()), fileName: file.name, fileSize: file.size, mimeType: file.type }))));
    };
    input.click();
  });
}

const notInBrowser = () => Promise.reject(new Error("Not available in a web browser"));

export function simulatedDevice(mobile: boolean, note: (event: string, detail: unknown) => void): ComponentFramework.Device {
  return {
    captureAudio: notInBrowser,
    captureVideo: notInBrowser,
    getBarcodeValue: notInBrowser,
    getCurrentPosition: notInBrowser,
    captureImage: mobile
      ? (options) => {
          note("device.captureImage", options ?? null);
          return takePhoto(options);
        }
      : notInBrowser,
    pickFile: mobile
      ? (options) => {
          note("device.pickFile", options ?? null);
          return pickFiles(options);
        }
      : notInBrowser,
  } as ComponentFramework.Device;
}
