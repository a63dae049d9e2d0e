import { choices } from "../../../solution/model";
import { AccessRule, grantedContainers, parseContainerIds, Segment } from "../../../proxy/src/policy/rules";

const v = {
  healthcare: choices.industrySegment.options.healthcare.value,
  retail: choices.industrySegment.options.retail.value,
  emea: choices.region.options.emea.value,
  na: choices.region.options.na.value,
  strategic: choices.tier.options.strategic.value,
};
const line = Object.values(choices.productLine.options).map((o) => o.value);

const rule = (id: string, containers: string, conditions: Partial<AccessRule> = {}): AccessRule => ({
  id, name: id, industry: null, region: null, tier: null, productLine: null, businessUnitId: null, containerIds: parseContainerIds(containers), ...conditions,
});

const rules: AccessRule[] = [
  rule("everyone", "C000000000000001"),
  rule("healthcare", "C000000000000022", { industry: v.healthcare }),
  rule("emea strategic", "C000000000000012, G000000000000211", { region: v.emea, tier: v.strategic }),
  rule("second line owners", "G000000000000112", { productLine: line[1] }),
  rule("sales unit only", "C000000000000030", { businessUnitId: "bu-sales" }),
];

const segment = (s: Partial<Segment>): Segment => ({ industry: null, region: null, tier: null, productLines: [], ...s });

describe("grantedContainers", () => {
  it("grants what every matching rule lists, and only that", () => {
    const granted = grantedContainers(rules, segment({ industry: v.healthcare, region: v.emea, tier: v.strategic, productLines: [line[1]] }), null);
    expect([...granted].sort()).toEqual(["C000000000000001", "C000000000000012", "C000000000000022", "G000000000000112", "G000000000000211"]);
  });

  it("needs every set condition to match", () => {
    const granted = grantedContainers(rules, segment({ industry: v.retail, region: v.emea, tier: null }), null);
    expect([...granted]).toEqual(["C000000000000001"]);
  });

  it("limits rules with a business unit to its users", () => {
    expect(grantedContainers(rules, segment({}), "bu-sales").has("C000000000000030")).toBe(true);
    expect(grantedContainers(rules, segment({}), "bu-service").has("C000000000000030")).toBe(false);
  });

  it("applies only unconditional rules to a record without an account", () => {
    expect([...grantedContainers(rules, null, null)]).toEqual(["C000000000000001"]);
  });

  it("adds galleries of active partner grants only", () => {
    const granted = grantedContainers([], segment({}), null, [
      { galleryId: "G000000000000501", granted: true },
      { galleryId: "G000000000000502", granted: false },
      { galleryId: "not-an-id", granted: true },
    ]);
    expect([...granted]).toEqual(["G000000000000501"]);
  });
});

describe("parseContainerIds", () => {
  it("accepts commas, semicolons, spaces and new lines and drops anything that is not an id", () => {
    expect(parseContainerIds("C000000000000001,G000000000000101;\nC000000000000012  bogus I0000000000000001")).toEqual([
      "C000000000000001",
      "G000000000000101",
      "C000000000000012",
    ]);
    expect(parseContainerIds(null)).toEqual([]);
  });
});
