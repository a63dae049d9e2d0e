/** @jest-environment node */
import { ProxyError, httpProxyClient } from "../../../PhotoShelterAssetPicker/services/proxyClient";
import { EMPTY_QUERY } from "../../../PhotoShelterAssetPicker/domain/searchQuery";
import { makeAsset, mediaId } from "./support/fakes";

const record = { entityName: "account", id: "6f9a1c2e-0000-4000-8000-000000000001", name: null };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

function client(responses: (Response | Error)[]) {
  const requests: { url: URL; init: RequestInit }[] = [];
  let issued = 0;
  const tokens = { getToken: jest.fn(async () => `token-${++issued}`), invalidate: jest.fn() };
  const fetchImpl = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: new URL(String(input)), init: init ?? {} });
    const next = responses.shift();
    if (!next) throw new Error("unexpected request");
    if (next instanceof Error) throw next;
    return next;
  });
  const proxy = httpProxyClient({ baseUrl: async () => "http://proxy.test/", record: () => record, tokens, fetch: fetchImpl as typeof fetch });
  return { proxy, requests, tokens };
}

describe("httpProxyClient", () => {
  it("sends the bearer token and names the host record on every call", async () => {
    const { proxy, requests } = client([json(200, { items: [], page: 2, perPage: 100, total: 0, hasMore: false })]);
    await proxy.search({ ...EMPTY_QUERY, text: " logo ", mediaType: "image", containerId: "C000000000000002" }, 2, 100);
    const { url, init } = requests[0];
    expect(url.pathname).toBe("/v1/search");
    expect(Object.fromEntries(url.searchParams)).toEqual({ record: `account:${record.id}`, q: "logo", mediaType: "image", containerId: "C000000000000002", sort: "relevance", includeRestricted: "false", page: "2", perPage: "100" });
    expect(new Headers(init.headers).get("authorization")).toBe("Bearer token-1");
  });

  it("asks for live data of all links in one batch of up to 500 ids", async () => {
    const ids = Array.from({ length: 501 }, (_, n) => mediaId(n));
    const { proxy, requests } = client([json(200, { items: [makeAsset(0)], missing: [] }), json(200, { items: [], missing: [ids[500]] })]);
    const result = await proxy.getAssets(ids);
    expect(requests).toHaveLength(2);
    expect(JSON.parse(String(requests[0].init.body)).ids).toHaveLength(500);
    expect(requests[0].init.method).toBe("POST");
    expect(result).toEqual({ items: [makeAsset(0)], missing: [ids[500]] });
  });

  it("renews the token once after a 401", async () => {
    const { proxy, requests, tokens } = client([json(401, { error: { code: "unauthorized", message: "expired" } }), json(200, makeAsset(1))]);
    await expect(proxy.getAsset(mediaId(1))).resolves.toMatchObject({ id: mediaId(1) });
    expect(tokens.invalidate).toHaveBeenCalledTimes(1);
    expect(new Headers(requests[1].init.headers).get("authorization")).toBe("Bearer token-2");
  });

  it("maps failures: outside the segment, transient with Retry-After, unreachable", async () => {
    const { proxy } = client([
      json(404, { error: { code: "not_found", message: "Asset not found" } }),
      json(429, { error: { code: "rate_limited", message: "slow down" } }, { "retry-after": "7" }),
      new TypeError("Failed to fetch"),
      new Response("<html>bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    ]);
    const notFound = await proxy.getAsset(mediaId(1)).catch((error: ProxyError) => error);
    expect(notFound).toMatchObject({ status: 404, code: "not_found", isOutsideSegment: true, isTransient: false });
    const limited = await proxy.getAsset(mediaId(1)).catch((error: ProxyError) => error);
    expect(limited).toMatchObject({ status: 429, isTransient: true, retryAfterMs: 7000 });
    const down = await proxy.getAsset(mediaId(1)).catch((error: ProxyError) => error);
    expect(down).toMatchObject({ status: 0, code: "unreachable", isTransient: true });
    const gateway = await proxy.getAsset(mediaId(1)).catch((error: ProxyError) => error);
    expect(gateway).toMatchObject({ status: 502, code: "http_502", message: "Bad Gateway", isTransient: true });
  });

  it("reports a missing proxy URL and a failed sign-in as proxy errors the UI can explain", async () => {
    const tokens = { getToken: jest.fn(async () => "t"), invalidate: jest.fn() };
    const unconfigured = httpProxyClient({ baseUrl: async () => Promise.reject(new Error("no URL")), record: () => record, tokens, fetch: jest.fn() });
    await expect(unconfigured.getAsset(mediaId(1))).rejects.toMatchObject({ code: "not_configured" });
    const { SignInRequiredError } = await import("../../../PhotoShelterAssetPicker/services/tokenProvider");
    const signIn = httpProxyClient({ baseUrl: async () => "http://proxy.test", record: () => record, tokens: { getToken: async () => Promise.reject(new SignInRequiredError()), invalidate: jest.fn() }, fetch: jest.fn() });
    await expect(signIn.getAsset(mediaId(1))).rejects.toMatchObject({ status: 401, code: "sign_in_required" });
  });

  it("downloads with the file name from Content-Disposition and passes the abort signal", async () => {
    const { proxy, requests } = client([new Response("zipbytes", { status: 200, headers: { "content-disposition": "attachment; filename*=UTF-8''Brand%20assets.zip" } })]);
    const controller = new AbortController();
    const file = await proxy.downloadZip([mediaId(1), mediaId(2)], controller.signal);
    expect(file.fileName).toBe("Brand assets.zip");
    expect(await file.blob.text()).toBe("zipbytes");
    expect(requests[0].init.signal).toBe(controller.signal);
    expect(requests[0].url.pathname).toBe("/v1/downloads/zip");
  });
});
