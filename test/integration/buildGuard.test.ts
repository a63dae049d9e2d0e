/**
 * pcf-scripts exits 0 when a build fails; our build must not. These tests build deliberately broken
 * copies of the control and expect the guard to report failure, and a clean copy to succeed.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync, appendFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildControl, judgeBuildLog } from "../../scripts/build-control";

const root = path.resolve(__dirname, "..", "..");

function copyOfProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "psh-build-guard-"));
  // Everything pcf-scripts reads at the project root, as far as the project has it.
  for (const file of ["package.json", "tsconfig.json", "pcfconfig.json", "eslint.config.mjs", "featureconfig.json", "webpack.config.js"]) {
    if (existsSync(path.join(root, file))) cpSync(path.join(root, file), path.join(dir, file));
  }
  cpSync(path.join(root, "PhotoShelterAssetPicker"), path.join(dir, "PhotoShelterAssetPicker"), { recursive: true, filter: (src) => !src.includes(`${path.sep}generated`) });
  // Shared code the control imports, and the build's own loader (scripts/iconNameLoader.js, named by webpack.config.js).
  for (const shared of ["solution", "contract", "scripts"]) if (existsSync(path.join(root, shared))) symlinkSync(path.join(root, shared), path.join(dir, shared));
  symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

describe("build guard", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("reads success and failure from the log, not from the exit code", () => {
    expect(judgeBuildLog("[1:00:00 PM] [build] Succeeded\n", 0).ok).toBe(true);
    expect(judgeBuildLog("[1:00:00 PM] [build] Failed:\n[pcf-1033] [Error] An error occurred\n", 0).ok).toBe(false);
    expect(judgeBuildLog("[1:00:00 PM] [build] Running ESLint...\n", 0).ok).toBe(false);
    expect(judgeBuildLog("[1:00:00 PM] [build] Succeeded\n", 1).ok).toBe(false);
  });

  it.each([
    ["a type error", "domain/linkedCount.ts", '\nexport const broken: number = "not a number";\n'],
    ["a lint error", "domain/linkedCount.ts", "\nexport function lintBroken() { debugger; }\n"],
    ["a missing module", "index.ts", '\nimport "./does-not-exist";\n'],
  ])("fails the build on %s", async (_label, file, source) => {
    const dir = copyOfProject();
    dirs.push(dir);
    appendFileSync(path.join(dir, "PhotoShelterAssetPicker", file), source);
    const result = await buildControl({ mode: "production", cwd: dir });
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(/Failed|error|exited|never reported/i);
  }, 300000);

  it("succeeds on the unchanged control and writes bundle.js", async () => {
    const dir = copyOfProject();
    dirs.push(dir);
    const result = await buildControl({ mode: "production", cwd: dir });
    expect(result.reason).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(existsSync(path.join(dir, "out", "controls", "PhotoShelterAssetPicker", "bundle.js"))).toBe(true);
  }, 300000);
});
