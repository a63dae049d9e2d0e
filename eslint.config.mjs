import eslintjs from "@eslint/js";
import powerApps from "@microsoft/eslint-plugin-power-apps";
import reactPlugin from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default [
  { ignores: ["**/generated/**", "out/**", "node_modules/**", "solution/bin/**", "test-results/**", "bench/.tmp/**", "*.config.*"] },
  eslintjs.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // The control runs in the browser inside Dynamics.
  {
    files: ["PhotoShelterAssetPicker/**/*.{ts,tsx}", "workbench/client/**/*.{ts,tsx}"],
    ...reactPlugin.configs.flat.recommended,
    plugins: { ...reactPlugin.configs.flat.recommended.plugins, "react-hooks": reactHooks, "@microsoft/power-apps": powerApps },
    languageOptions: { globals: { ...globals.browser, ComponentFramework: "readonly" } },
    settings: { react: { version: "16.14" } },
    rules: {
      ...reactPlugin.configs.flat.recommended.rules,
      ...reactHooks.configs.recommended.rules,
      "@microsoft/power-apps/avoid-unpub-api": "warn",
      "react/prop-types": "off",
    },
  },
  // Everything else is Node: the proxy, the mocks, the solution packer, tests and benchmarks.
  {
    files: ["proxy/**", "mock-server/**", "solution/**", "scripts/**", "bench/**", "test/**", "workbench/server/**", "contract/**"],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
  },
];
