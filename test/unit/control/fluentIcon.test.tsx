/** The build's stand-in for @fluentui/react-icons' createFluentIcon keeps the icons' contract. */
import { render, screen } from "@testing-library/react";
import { createFluentIcon } from "../../../PhotoShelterAssetPicker/platform/fluentIcon";

describe("createFluentIcon (platform/fluentIcon.ts)", () => {
  const Arrow = createFluentIcon("ArrowRight20Regular", "20", ["M1 1h18", "M2 2h16"], { flipInRtl: true });

  it("draws the paths in the text colour and hides a decorative icon from assistive technology", () => {
    const { container } = render(<Arrow className="extra" />);
    const svg = container.querySelector("svg")!;
    expect(svg.getAttribute("aria-hidden")).toBe("true");
    expect(svg.getAttribute("role")).toBeNull();
    expect(svg.getAttribute("viewBox")).toBe("0 0 20 20");
    expect(svg.getAttribute("width")).toBe("20");
    expect(svg.getAttribute("fill")).toBe("currentColor");
    expect(svg.hasAttribute("data-fui-icon")).toBe(true);
    expect(svg.getAttribute("class")).toBe("fui-Icon psh-icon psh-icon-flip extra");
    expect(Array.from(svg.querySelectorAll("path")).map((p) => p.getAttribute("d"))).toEqual(["M1 1h18", "M2 2h16"]);
    expect(Arrow.displayName).toBe("ArrowRight20Regular");
  });

  it("names the icon from title or aria-label, with role img, and takes primaryFill", () => {
    render(<Arrow title="Next" primaryFill="red" />);
    const svg = screen.getByRole("img", { name: "Next" });
    expect(svg.getAttribute("aria-hidden")).toBeNull();
    expect(svg.getAttribute("fill")).toBe("red");
    expect(svg.hasAttribute("title")).toBe(false);
    const Plain = createFluentIcon("Add20Regular", "1em", ["M0 0"]);
    const { container } = render(<Plain aria-label="Add" />);
    expect(screen.getByRole("img", { name: "Add" }).getAttribute("class")).toBe("fui-Icon psh-icon");
    expect(container.querySelector("svg")!.getAttribute("viewBox")).toBe("0 0 20 20");
  });
});
