/**
 * Bundles the workbench client (TypeScript in workbench/client) for the browser with esbuild, the
 * bundler that already ships with tsx. React, ReactDOM and Fluent 9 are not bundled: like the
 * control, the client uses the platform's copies (globals Reactv16, ReactDOMv16, FluentUIReactv940),
 * so the host page and the control share one React.
 */
import { createRequire } from "node:module";
import path from "node:path";
// Type-only: esbuild is not hoisted, it lives inside tsx.
import type * as Esbuild from "tsx/node_modules/esbuild";

const esbuild = createRequire(require.resolve("tsx/package.json"))("esbuild") as typeof Esbuild;

/** Bare imports that resolve to the platform's globals, as the control's manifest maps them. */
export const PLATFORM_GLOBALS: Record<string, string> = {
  react: "Reactv16",
  "react-dom": "ReactDOMv16",
  "@fluentui/react-components": "FluentUIReactv940",
};

const platformGlobals: Esbuild.Plugin = {
  name: "platform-globals",
  setup(build) {
    const filter = new RegExp(`^(${Object.keys(PLATFORM_GLOBALS).map((name) => name.replace(/[/\\^$*+?.()|[\]{}-]/g, "\\$&")).join("|")})$`);
    build.onResolve({ filter }, (args) => ({ path: args.path, namespace: "platform-global" }));
    build.onLoad({ filter: /.*/, namespace: "platform-global" }, (args) => ({
      contents: `module.exports = window[${JSON.stringify(PLATFORM_GLOBALS[args.path])}];`,
      loader: "js",
    }));
  },
};

export async function buildClient(): Promise<{ js: string }> {
  const result = await esbuild.build({
    entryPoints: [path.join(__dirname, "..", "client", "main.tsx")],
    bundle: true,
    write: false,
    format: "iife",
    target: "es2020",
    platform: "browser",
    sourcemap: "inline",
    jsx: "transform",
    logLevel: "silent",
    plugins: [platformGlobals],
  });
  return { js: result.outputFiles[0].text };
}
