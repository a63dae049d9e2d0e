/**
 * The proxy benchmark's reference: a process that relays the same exchange and nothing else — for
 * each search the proxy answered, the same PhotoShelter call (undici, keep-alive), its body parsed,
 * and the proxy's own answer sent back (Fastify). Its CPU per request is what any Node process pays
 * on this machine for that traffic, whatever it does besides; the proxy's CPU is measured against it.
 * Started by bench/proxy.ts with PASS_THROUGH_TABLE (a JSON file: request URL → upstream URL and
 * answer), PASS_THROUGH_HEADERS (the PhotoShelter session headers) and PASS_THROUGH_PORT.
 */
import Fastify from "fastify";
import { readFileSync } from "node:fs";
import { Agent, request } from "undici";

const table = JSON.parse(readFileSync(process.env.PASS_THROUGH_TABLE!, "utf8")) as Record<string, { upstream: string; answer: string }>;
const headers = JSON.parse(process.env.PASS_THROUGH_HEADERS!) as Record<string, string>;
const agent = new Agent({ connections: 16, keepAliveTimeout: 30_000 });
const app = Fastify();

app.get("/healthz", async () => ({ status: "ok" }));
app.get("/v1/search", async (req, reply) => {
  const entry = table[req.url];
  if (!entry) return reply.code(404).send({ error: "not in the table" });
  const upstream = await request(entry.upstream, { headers, dispatcher: agent });
  JSON.parse(await upstream.body.text());
  return reply.type("application/json; charset=utf-8").send(entry.answer);
});

app.listen({ port: Number(process.env.PASS_THROUGH_PORT), host: "127.0.0.1" }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
