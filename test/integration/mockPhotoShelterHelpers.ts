/** Starts the mock server in-process on a free port and talks to its PhotoShelter API over real HTTP. */
import { decode as decodeJpeg } from "jpeg-js";
import { PNG } from "pngjs";
import { RunningMockServer, startMockServer } from "../../mock-server/server";
import { ORGANIZATION } from "../../mock-server/photoshelter/wellKnown";

export interface CallOptions {
  token?: string;
  /** Leave out the api key (or send this one instead). */
  apiKey?: string | null;
  form?: Record<string, string>;
  json?: unknown;
  body?: FormData;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON. */
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  bytes: Buffer;
}

export class PhotoShelterTestClient {
  constructor(readonly server: RunningMockServer) {}

  get url(): string {
    return this.server.url;
  }

  get apiKey(): string {
    return this.server.context.settings.psApiKey;
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    const key = options.apiKey === undefined ? this.apiKey : options.apiKey;
    if (key !== null) headers["x-ps-api-key"] = key;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | FormData | undefined;
    if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    } else if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] = "application/json";
    } else if (options.body) body = options.body;
    const response = await fetch(this.url + path, { method, headers, body, redirect: "manual" });
    const bytes = Buffer.from(await response.arrayBuffer());
    const isJson = (response.headers.get("content-type") ?? "").includes("json");
    return { status: response.status, headers: response.headers, json: isJson ? JSON.parse(bytes.toString("utf8")) : undefined, bytes };
  }

  get(path: string, options: CallOptions = {}): Promise<Reply> {
    return this.call("GET", path, options);
  }

  /** Signs in with the development credentials (token mode) and, by default, switches into the organization. */
  async signIn(intoOrganization = true): Promise<string> {
    const { psEmail, psPassword } = this.server.context.settings;
    const login = await this.call("POST", "/psapi/v4.0/authenticate", { form: { email: psEmail, password: psPassword, mode: "token" } });
    if (login.status !== 200) throw new Error(`sign-in failed: ${login.status}`);
    const token = login.json.token as string;
    if (intoOrganization) {
      const org = await this.call("POST", "/psapi/v4.0/organization/authenticate", { token, form: { org_id: ORGANIZATION.id } });
      if (org.status !== 200) throw new Error(`organization sign-in failed: ${org.status}`);
    }
    return token;
  }
}

export async function startPhotoShelter(media = 200, seed = 4242): Promise<PhotoShelterTestClient> {
  return new PhotoShelterTestClient(await startMockServer({ port: 0, media, seed }));
}

/** Pixels (RGBA) of a PNG or JPEG response body. */
export function decodeImage(bytes: Buffer): { width: number; height: number; data: Buffer } {
  if (bytes[0] === 0x89) return PNG.sync.read(bytes);
  const jpeg = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true });
  return { width: jpeg.width, height: jpeg.height, data: Buffer.from(jpeg.data) };
}
