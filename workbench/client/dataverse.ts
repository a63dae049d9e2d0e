/**
 * The Dataverse Web API as the page sees it in Dynamics: same origin, /api/data/v9.2. The workbench
 * server forwards it to the mock Dataverse as the signed-in user (named in a header here; a session
 * cookie in Dynamics). Failures become the `{ errorCode, message }` objects PCF's webAPI rejects with.
 */
export const API_ROOT = "/api/data/v9.2/";
const USER_HEADER = "X-Workbench-User";
/** Who made a request, so counts can tell the control's and the platform's calls from the workbench's own. */
export const CALLER_HEADER = "X-Workbench-Caller";
/** "platform": what Dynamics itself requests for the control (the sub-grid's rows); "control": the control's webAPI calls; "workbench": the simulated form around it. */
export type Caller = "platform" | "control" | "workbench";

export interface WebApiError {
  errorCode: number;
  message: string;
  code: string;
}

export interface DataverseResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Dataverse error codes are hex strings ("0x80040333"); PCF reports them as positive decimals. */
export function toWebApiError(status: number, body: unknown): WebApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const code = typeof error?.code === "string" ? error.code : "";
  const parsed = /^0x[0-9a-f]+$/i.test(code) ? parseInt(code, 16) : NaN;
  return {
    errorCode: Number.isFinite(parsed) ? parsed : status,
    message: typeof error?.message === "string" ? error.message : `Dataverse answered HTTP ${status}`,
    code,
  };
}

export class DataverseHttp {
  constructor(
    private readonly userId: string,
    private readonly caller: Caller,
  ) {}

  /** The same session, counted as another caller. */
  as(caller: Caller): DataverseHttp {
    return new DataverseHttp(this.userId, caller);
  }

  async send(method: string, path: string, options: { body?: unknown; prefer?: string[]; headers?: Record<string, string> } = {}): Promise<DataverseResponse> {
    const headers: Record<string, string> = {
      Accept: "application/json",
      "OData-Version": "4.0",
      "OData-MaxVersion": "4.0",
      [USER_HEADER]: this.userId,
      [CALLER_HEADER]: this.caller,
      ...options.headers,
    };
    const prefer = ['odata.include-annotations="*"', ...(options.prefer ?? [])];
    headers.Prefer = prefer.join(",");
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json; charset=utf-8";
      body = JSON.stringify(options.body);
    }
    const url = path.startsWith("http") || path.startsWith("/") ? path : API_ROOT + path;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body });
    } catch (error) {
      throw { errorCode: 0, message: `Dataverse is unreachable: ${error instanceof Error ? error.message : String(error)}`, code: "network" } satisfies WebApiError;
    }
    const text = await response.text();
    let parsed: unknown = null;
    if (text !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!response.ok) throw toWebApiError(response.status, parsed);
    return { status: response.status, headers: response.headers, body: parsed };
  }
}
