/**
 * npm run build:proxy: a deployable proxy in dist/proxy/ that runs with `node server.js` alone,
 * outside the repository — the server bundled by esbuild (every dependency inside it), the one
 * native module it cannot bundle (better-sqlite3, with the two small packages that load it) beside it
 * in node_modules/, a package.json naming only that runtime dependency, and .env.example.
 * The build fails if the bundle would contain the mock-server or test code.
 */
import { build } from "esbuild";
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");
/** `--out <folder>` builds elsewhere (the build test builds into a temporary folder). */
const outFlag = process.argv.indexOf("--out");
const out = outFlag === -1 ? path.join(root, "dist", "proxy") : path.resolve(process.argv[outFlag + 1]);
/** Not bundled: the native SQLite driver (loaded by path at run time) and pg's optional native client. */
const EXTERNAL = ["better-sqlite3", "pg-native"];
/** What is shipped of the native driver and its loader: package.json and these paths. */
const SHIPPED: Record<string, string[]> = {
  "better-sqlite3": ["lib", "build/Release/better_sqlite3.node", "LICENSE"],
  bindings: ["bindings.js", "LICENSE.md"],
  "file-uri-to-path": ["index.js", "LICENSE"],
};

const packageJson = (name: string) => JSON.parse(readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")) as { version: string };

async function main(): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const result = await build({
    entryPoints: [path.join(root, "proxy", "main.ts")],
    outfile: path.join(out, "server.js"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    external: EXTERNAL,
    sourcemap: "linked",
    legalComments: "external",
    metafile: true,
    logLevel: "warning",
  });
  // Production code never depends on a stand-in: the bundle proves it.
  const foreign = Object.keys(result.metafile.inputs).filter((input) => /^(mock-server|test|workbench)\//.test(input));
  if (foreign.length > 0) throw new Error(`The proxy bundle would contain development code: ${foreign.join(", ")}`);

  for (const [name, parts] of Object.entries(SHIPPED)) {
    const from = path.join(root, "node_modules", name);
    const to = path.join(out, "node_modules", name);
    mkdirSync(to, { recursive: true });
    copyFileSync(path.join(from, "package.json"), path.join(to, "package.json"));
    for (const part of parts) cpSync(path.join(from, part), path.join(to, part), { recursive: true });
  }
  const own = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string; engines: Record<string, string> };
  writeFileSync(
    path.join(out, "package.json"),
    `${JSON.stringify(
      {
        name: "photoshelter-dynamics365-proxy",
        version: own.version,
        private: true,
        description: "The PhotoShelter for Dynamics 365 proxy: node server.js (configuration from the environment, see .env.example).",
        main: "server.js",
        engines: own.engines,
        scripts: { start: "node server.js" },
        // Everything else is inside server.js; this one is a native module, shipped in node_modules/ for this platform.
        dependencies: { "better-sqlite3": packageJson("better-sqlite3").version },
      },
      null,
      2,
    )}\n`,
  );
  copyFileSync(path.join(root, "proxy", ".env.example"), path.join(out, ".env.example"));
  const size = (file: string) => `${(statSync(path.join(out, file)).size / 1024 / 1024).toFixed(1)} MB`;
  console.log(`Built ${out}/: server.js ${size("server.js")}, better_sqlite3.node ${size("node_modules/better-sqlite3/build/Release/better_sqlite3.node")}. Run it with: node server.js`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
