/**
 * The control's production bundle stays within its budget: built fresh (under the build lock), its
 * bytes and gzip bytes are checked against the ceiling the budget allows today, and its source map
 * says that nothing comes back that was taken out — the virtualizer package, the data model's full
 * definitions and builders, a bundled copy of Griffel or ReactDOM.
 */
import path from "node:path";
import { BUNDLE_BUDGET, BUNDLE_CEILING, BundleMeasure, MODEL_FILES_ALLOWED, budgetViolations, buildAndMeasureBundle, measureBundle } from "../../bench/bundleMeasure";

const root = path.resolve(__dirname, "..", "..");

describe("bundle budget", () => {
  it("names what is over budget, in bytes and gzip bytes, and nothing when it fits", () => {
    expect(budgetViolations({ bytes: 79_999, gzip: 27_999 }, BUNDLE_BUDGET)).toEqual([]);
    expect(budgetViolations({ bytes: 80_001, gzip: 27_000 }, BUNDLE_BUDGET)).toEqual(["bundle.js is 80001 bytes, over its budget of 80000"]);
    expect(budgetViolations({ bytes: 70_000, gzip: 28_001 }, BUNDLE_BUDGET)).toEqual(["bundle.js is 28001 bytes gzipped, over its budget of 28000"]);
    expect(BUNDLE_CEILING.bytes).toBeGreaterThanOrEqual(BUNDLE_BUDGET.bytes);
  });

  it("attributes every byte of a bundle to its source by the source map", () => {
    // Two mapped segments on line 1 (a.ts from column 0, b.ts from column 3), then an unmapped line.
    const measure = measureBundle("abcdef\nxyz\n//# sourceMappingURL=bundle.js.map\n", { sources: ["webpack://lib/./PhotoShelterAssetPicker/a.ts", "webpack://lib/./node_modules/swr/dist/x.mjs"], mappings: "AAAA,GCAA" });
    expect(measure.bytes).toBe(11);
    expect(Object.fromEntries(measure.files)).toEqual({ "PhotoShelterAssetPicker/a.ts": 3, "node_modules/swr/dist/x.mjs": 4, "(unmapped)": 4 });
    expect(Object.fromEntries(measure.parts)).toEqual({ "control: index.ts, App.tsx": 3, "swr (+ use-sync-external-store shim, dequal)": 4, unmapped: 4 });
  });

  describe("the production build", () => {
    let measure: BundleMeasure;
    beforeAll(async () => {
      measure = await buildAndMeasureBundle(root);
    }, 600_000);

    it("is within the ceiling", () => {
      expect(budgetViolations(measure, BUNDLE_CEILING)).toEqual([]);
    });

    it("bundles of the model only names and option values, and no package that was taken out", () => {
      const files = measure.files.map(([file]) => file);
      expect(files.filter((file) => file.startsWith("solution/")).sort()).toEqual([...MODEL_FILES_ALLOWED].sort());
      expect(files.filter((file) => /node_modules\/(@tanstack|@griffel|react-dom|intl-messageformat)\//.test(file) || file.startsWith("../"))).toEqual([]);
      // Icons bring their paths; their runtime is ours (platform/fluentIcon.ts), not the package's.
      expect(files.filter((file) => file.includes("@fluentui/react-icons/") && !file.includes("/sizedIcons/"))).toEqual([]);
    });
  });
});
