/**
 * Additions to pcf-scripts' webpack configuration for the control (enabled by featureconfig.json).
 * - Fluent's icon package imports `react/jsx-runtime` without a file extension from ES modules, which
 *   webpack rejects unless fully specified imports are relaxed.
 * - The icons' styling engine (Griffel) comes from the Fluent platform library instead of the bundle.
 * - Each icon is built by platform/fluentIcon.ts instead of the package's createFluentIcon, so an icon
 *   costs its SVG paths and not the package's icon runtime; in production builds without its display
 *   name (scripts/iconNameLoader.js).
 * - PSH_BUNDLE_SOURCE_MAP=1 adds a source map (bench/bundleSize.ts attributes every byte to a file);
 *   the bundle is otherwise byte-identical.
 */
const path = require("node:path");
const { NormalModuleReplacementPlugin } = require("webpack");

module.exports = {
  ...(process.env.PSH_BUNDLE_SOURCE_MAP === "1" ? { devtool: "source-map" } : {}),
  resolve: {
    alias: {
      "@griffel/react$": path.resolve(__dirname, "PhotoShelterAssetPicker", "platform", "griffel.ts"),
      "react/jsx-runtime$": path.resolve(__dirname, "PhotoShelterAssetPicker", "platform", "jsxRuntime.ts"),
    },
  },
  module: {
    rules: [
      { test: /\.m?js$/, resolve: { fullySpecified: false } },
      { test: /[\\/]@fluentui[\\/]react-icons[\\/]lib[\\/]sizedIcons[\\/][^\\/]+\.js$/, use: [path.resolve(__dirname, "scripts", "iconNameLoader.js")] },
    ],
  },
  plugins: [
    new NormalModuleReplacementPlugin(/[\\/]utils[\\/]createFluentIcon\.js$/, (resource) => {
      if (/[\\/]@fluentui[\\/]react-icons[\\/]/.test(resource.context)) resource.request = path.resolve(__dirname, "PhotoShelterAssetPicker", "platform", "fluentIcon.ts");
    }),
  ],
};
