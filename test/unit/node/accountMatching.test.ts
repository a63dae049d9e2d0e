/** The S1 matching rule on its own: agree on at least one field, disagree on none, empty fields neutral. */
import { matchOf, segmentLabels } from "../../../proxy/src/automation/accountMatching";
import { choices } from "../../../solution/model";

const litware = { industry: "Healthcare", region: "NA", tier: "Strategic", productLines: ["Aquila", "Cirrus"] };
const asset = (fields: Partial<Record<"industry" | "region" | "tier" | "productLine", string>>) => ({ industry: null, region: null, tier: null, productLine: null, ...fields });

describe("matchOf", () => {
  it("lists every field the asset agrees on", () => {
    expect(matchOf(litware, asset({ industry: "healthcare", region: "NA", productLine: "Cirrus" }))).toEqual(["industry", "region", "productLine"]);
  });
  it("excludes an asset meant for another segment, even when other fields agree", () => {
    expect(matchOf(litware, asset({ industry: "Healthcare", region: "EMEA" }))).toBeNull();
    expect(matchOf(litware, asset({ region: "NA", productLine: "Draco" }))).toBeNull();
  });
  it("does not suggest untagged assets, nor anything to an account without a segment", () => {
    expect(matchOf(litware, asset({}))).toBeNull();
    expect(matchOf({ industry: null, region: null, tier: null, productLines: [] }, asset({ region: "NA" }))).toBeNull();
  });
  it("ignores fields the account leaves empty", () => {
    expect(matchOf({ industry: null, region: "APAC", tier: null, productLines: [] }, asset({ region: "APAC", tier: "SMB", productLine: "Draco" }))).toEqual(["region"]);
  });
});

describe("segmentLabels", () => {
  it("turns the account's choice values into the library's words", () => {
    const o = (choice: { options: Record<string, { value: number }> }, key: string) => choice.options[key].value;
    expect(segmentLabels({ industry: o(choices.industrySegment, "healthcare"), region: o(choices.region, "emea"), tier: null, productLines: [o(choices.productLine, "draco"), 1] })).toEqual({
      industry: "Healthcare",
      region: "EMEA",
      tier: null,
      productLines: ["Draco"],
    });
  });
});
