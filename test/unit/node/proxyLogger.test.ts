/**
 * The proxy's logger redacts by allow-list at every level: only named fields carry text, each
 * scrubbed of credentials; everything else is left out and named in `unlogged`.
 */
import { Writable } from "node:stream";
import { allowListed, createLogger } from "../../../proxy/src/logger";

const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiIwZDAwIn0.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLXRva2Vu";
const API_KEY = "ps-api-key-9f8e7d6c5b4a";
const PASSWORD = "correct-horse-battery";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
  return { lines, log: createLogger("trace", stream, [API_KEY, PASSWORD]) };
}

describe("createLogger", () => {
  it("lets no token or secret through at any level, wherever it is put", () => {
    const { lines, log } = capture();
    const child = log.child({ reqId: "r-1", token: JWT, headers: { authorization: `Bearer ${JWT}` } });
    for (const level of ["trace", "debug", "info", "warn", "error", "fatal"] as const) {
      child[level](
        {
          busboyOptions: { headers: { authorization: `Bearer ${JWT}`, "x-ps-api-key": API_KEY } },
          authorization: `Bearer ${JWT}`,
          apiKey: API_KEY,
          password: PASSWORD,
          error: `PhotoShelter refused ${API_KEY} for ${PASSWORD} with Bearer ${JWT}`,
          path: `/v1/media/I000/thumb?exp=1&u=abc&sig=SIGNATURE-VALUE-1234567890&api_key=${API_KEY}`,
          err: Object.assign(new Error(`request failed: Authorization: Bearer ${JWT}`), { config: { headers: { authorization: JWT } } }),
          attempt: 2,
        },
        `calling with ${JWT} and Basic dXNlcjpwYXNz`,
      );
    }
    expect(lines).toHaveLength(6);
    const text = lines.join("");
    for (const secret of [JWT, JWT.split(".")[2], API_KEY, PASSWORD, "SIGNATURE-VALUE-1234567890", "dXNlcjpwYXNz"]) expect(text).not.toContain(secret);
    const first = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 10, reqId: "r-1", attempt: 2, msg: "calling with [Redacted] and Basic [Redacted]" });
    expect(first.path).toBe("/v1/media/I000/thumb?exp=1&u=abc&sig=[Redacted]&api_key=[Redacted]");
    expect(first.unlogged).toEqual(expect.arrayContaining(["token", "headers", "busboyOptions", "authorization", "apiKey", "password"]));
    expect((first.err as { message: string }).message).toBe("request failed: Authorization: Bearer [Redacted]");
    expect(lines.map((line) => (JSON.parse(line) as { level: number }).level)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it("keeps numbers, booleans and counters whole, and objects of its own field by field", () => {
    expect(allowListed({ level: 30, msg: "done", linked: 3, flagged: false, result: { created: 2, skipped: 0 }, req: { id: "1", method: "GET", url: "/v1/search?record=account:x", headers: { authorization: "Bearer x" } }, note: "free text" })).toEqual({
      level: 30,
      msg: "done",
      linked: 3,
      flagged: false,
      result: { created: 2, skipped: 0 },
      req: { id: "1", method: "GET", url: "/v1/search?record=account:x" },
      unlogged: ["note"],
    });
  });
});
