/** Three projects: the control in jsdom, Node code (unit + integration over real HTTP), and end-to-end in Chromium. */
const transform = { "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }] };

module.exports = {
  testTimeout: 30000,
  projects: [
    {
      displayName: "control",
      testEnvironment: "jsdom",
      roots: ["<rootDir>/test/unit/control"],
      testMatch: ["**/*.test.ts?(x)"],
      transform,
      setupFilesAfterEnv: ["<rootDir>/test/support/setupControlTests.ts"],
    },
    {
      displayName: "node",
      testEnvironment: "node",
      roots: ["<rootDir>/test/unit/node", "<rootDir>/test/integration"],
      testMatch: ["**/*.test.ts"],
      transform,
    },
    {
      displayName: "e2e",
      testEnvironment: "node",
      roots: ["<rootDir>/test/e2e"],
      testMatch: ["**/*.test.ts"],
      transform,
    },
  ],
};
