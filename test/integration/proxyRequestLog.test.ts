/** The request log: one line per answered request, with what Fastify split over two (and errors as before). */
import { ACCOUNTS } from "../../mock-server/dataverse/demoData";
import { USERS } from "../../mock-server/dataverse/demoData/users";
import { Stack, startStack } from "./proxyHarness";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.close());

interface Line {
  msg?: string;
  reqId?: string;
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

const linesOf = (reqId: string) => stack.logs.map((line) => JSON.parse(line) as Line).filter((line) => line.reqId === reqId);

it("writes one line per request when it is answered: method, URL, status and time", async () => {
  const token = await stack.token(USERS.salesNorthAmerica.upn);
  for (const [path, status] of [[`/v1/search?record=account:${ACCOUNTS.litware}&q=logo`, 200], [`/v1/assets/I000000000099999?record=account:${ACCOUNTS.litware}`, 404]] as const) {
    const response = await stack.call(path, { token, headers: { "x-request-id": `request-log-${status}` } });
    expect(response.status).toBe(status);
    await response.arrayBuffer();
    const lines = linesOf(`request-log-${status}`);
    expect(lines.filter((line) => line.msg === "incoming request")).toEqual([]);
    const completed = lines.filter((line) => line.msg === "request completed");
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ req: { method: "GET", url: path }, res: { statusCode: status } });
    expect(completed[0].responseTime).toBeGreaterThan(0);
  }
});
