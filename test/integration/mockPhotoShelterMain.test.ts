/** `npm run mock` as its own process: it prints its base URL and credentials and answers like PhotoShelter. */
import { ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "../..");
let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill("SIGTERM");
});

/** Starts the entry point and resolves with everything it printed once it says where it listens. */
function startMain(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "mock-server/main.ts", ...args], { cwd: root, env: { ...process.env, ...env } });
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (/listening on http:\/\/\S+/.test(out) && out.includes("admin")) resolve(out);
    });
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`exited with ${code}: ${err}`)));
  });
}

it("prints its base URL and credentials, and a request without a key gets PhotoShelter's 403", async () => {
  const printed = await startMain(["--port", "0", "--media", "30", "--seed", "3"], { MOCK_PS_API_KEY: "key-from-env-1" });
  const url = printed.match(/listening on (http:\/\/\S+)/)![1];
  expect(printed).toContain("30 media");
  expect(printed).toContain("key-from-env-1");
  expect(printed).toContain(`${url}/psapi/v4.0`);
  const noKey = await fetch(`${url}/psapi/v4.0/library`);
  expect(noKey.status).toBe(403);
  expect((await noKey.json()).errors[0].id).toBe("ApiKeyInvalidException");
  const library = await fetch(`${url}/__admin/photoshelter/library`);
  expect(await library.json()).toMatchObject({ seed: 3, media: 30 });
}, 60000);

it("refuses a bad option with a clear message", async () => {
  await expect(startMain(["--media", "lots"])).rejects.toThrow(/--media must be an integer/);
}, 60000);
