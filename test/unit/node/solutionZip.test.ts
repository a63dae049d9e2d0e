import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { packControl, resourcePaths, stampManifestVersion } from "../../../solution/packer/control";
import { schemaOrder } from "../../../solution/packer/schemaOrder";
import { solutionVersion } from "../../../solution/packer/solutionZip";
import { checkPartPath, readZip, writeZip } from "../../../solution/packer/zip";
import { generatedOnce, orderViolations, repoRoot, standInControlDir } from "./solutionFixture";

describe("solution zip writing", () => {
  it("round-trips parts byte for byte, in order, with forward-slash paths", async () => {
    const parts = [
      { path: "[Content_Types].xml", data: Buffer.from("<Types/>") },
      { path: "Controls/psh_X.Y/css/a.css", data: Buffer.from("a{}") },
      { path: "Controls/psh_X.Y/bundle.js", data: Buffer.alloc(70000, 7) },
    ];
    const back = await readZip(await writeZip(parts));
    expect(back.map((part) => part.path)).toEqual(parts.map((part) => part.path));
    back.forEach((part, index) => expect(part.data.equals(parts[index].data)).toBe(true));
  });

  it("writes the same bytes for the same input (fixed timestamps)", async () => {
    const parts = [{ path: "a.xml", data: Buffer.from("<a/>") }];
    expect((await writeZip(parts)).equals(await writeZip(parts))).toBe(true);
  });

  it.each([
    ["Controls\\x\\bundle.js", /back-slash/],
    ["/solution.xml", /must not start/],
    ["Controls/", /folder entry/],
    ["Controls//bundle.js", /empty/],
    ["Controls/../x.js", /empty, "\." or "\.\."/],
    ["", /empty path/],
  ])("refuses the part path %j", (partPath, message) => {
    expect(() => checkPartPath(partPath)).toThrow(message);
  });

  it("refuses the same path twice, whatever the case", async () => {
    await expect(writeZip([{ path: "a.xml", data: Buffer.from("1") }, { path: "A.xml", data: Buffer.from("2") }])).rejects.toThrow(/twice/);
  });
});

describe("the order checker the solution tests rely on", () => {
  it("finds a child out of order and a child the sequence does not name", () => {
    const xml = "<ImportExportXml><Entities/><Languages><Language>1033</Language></Languages><CustomControls/><Bogus/></ImportExportXml>";
    expect(orderViolations(xml, schemaOrder)).toEqual([
      "/ImportExportXml: <CustomControls> comes after <Languages>",
      "/ImportExportXml: <Bogus> is not allowed",
    ]);
  });
});

describe("generated solution zips", () => {
  const generated = generatedOnce();

  it("has a managed and an unmanaged zip of the core and of each add-on, each with solution.xml, customizations.xml and [Content_Types].xml at the root", () => {
    expect(generated().zips.map((zip) => `${zip.key}${zip.managed ? " managed" : ""}`)).toEqual(["core", "core managed", "sales", "sales managed", "service", "service managed", "eventManagement", "eventManagement managed"]);
    for (const zip of generated().zips) {
      const paths = zip.parts.map((part) => part.path);
      expect(paths).toEqual(expect.arrayContaining(["[Content_Types].xml", "solution.xml", "customizations.xml"]));
    }
  });

  it("uses forward slashes only and has no folder entries", () => {
    for (const zip of generated().zips) {
      for (const part of zip.parts) {
        expect(part.path).not.toMatch(/\\/);
        expect(part.path.endsWith("/")).toBe(false);
        expect(part.path.startsWith("/")).toBe(false);
      }
    }
  });

  it("has only well-formed XML parts", () => {
    for (const zip of generated().zips) {
      for (const part of zip.parts.filter((candidate) => /\.(xml|resx)$/.test(candidate.path))) {
        expect({ part: `${zip.uniqueName}/${part.path}`, valid: XMLValidator.validate(part.data.toString("utf8")) }).toEqual({ part: `${zip.uniqueName}/${part.path}`, valid: true });
      }
    }
  });

  it("writes every sequence in the order of the published schemas (customizations.xml, solution.xml, environment variables)", () => {
    // solution.xml's root is also called ImportExportXml, but it is not customizations.xml's.
    const { ImportExportXml: _customizationsRoot, ...solutionOrders } = schemaOrder;
    for (const zip of generated().zips) {
      for (const part of zip.parts.filter((candidate) => candidate.path.endsWith(".xml") && !candidate.path.startsWith("Controls/"))) {
        const orders = part.path === "solution.xml" ? solutionOrders : schemaOrder;
        expect({ part: `${zip.uniqueName}/${part.path}`, problems: orderViolations(part.data.toString("utf8"), orders) }).toEqual({ part: `${zip.uniqueName}/${part.path}`, problems: [] });
      }
    }
  });

  it("leaves out the root attributes the 9.0 schema rejects", () => {
    for (const zip of generated().zips) {
      expect(zip.text("customizations.xml")).not.toMatch(/OrganizationVersion|OrganizationSchemaType|CRMServerServiceabilityVersion/);
    }
  });
});

describe("versions", () => {
  const source = readFileSync(path.join(repoRoot, "PhotoShelterAssetPicker", "ControlManifest.Input.xml"), "utf8");

  it("stamps any x.y.z into the control manifest and x.y.z.0 into solution.xml", () => {
    const stamped = stampManifestVersion(source, "2.3.4");
    expect(stamped.xml).toMatch(/<control [^>]*version="2\.3\.4"/);
    expect(stamped.control).toEqual({ namespace: "PhotoShelter", constructor: "PhotoShelterAssetPicker" });
    expect(solutionVersion("2.3.4")).toBe("2.3.4.0");
  });

  it.each(["1.2", "1.2.3.4", "v1.2.3", "1.2.3-beta"])("refuses the version %j", (version) => {
    expect(() => stampManifestVersion(source, version)).toThrow(/major\.minor\.patch/);
    expect(() => solutionVersion(version)).toThrow(/major\.minor\.patch/);
  });
});

describe("the built control", () => {
  it("lists the code, css and resx files of the manifest, not the platform libraries", () => {
    const manifest = readFileSync(path.join(repoRoot, "PhotoShelterAssetPicker", "ControlManifest.Input.xml"), "utf8");
    const paths = resourcePaths(manifest);
    expect(paths).toEqual(expect.arrayContaining(["index.ts", "css/PhotoShelterAssetPicker.css", "strings/PhotoShelterAssetPicker.1033.resx"]));
    expect(paths.some((resource) => /React|Fluent/.test(resource))).toBe(false);
  });

  it("refuses to pack a build that lacks a file its manifest loads", () => {
    const stand = standInControlDir();
    try {
      rmSync(path.join(stand.dir, "strings", "PhotoShelterAssetPicker.1033.resx"));
      expect(() => packControl(stand.dir, "psh", "1.0.0")).toThrow(/lacks resources its manifest lists: strings\/PhotoShelterAssetPicker\.1033\.resx/);
    } finally {
      stand.remove();
    }
  });

  it("refuses a folder without a build", () => {
    const stand = standInControlDir();
    try {
      rmSync(path.join(stand.dir, "bundle.js"));
      expect(() => packControl(stand.dir, "psh", "1.0.0")).toThrow(/missing bundle\.js.*npm run build/);
    } finally {
      stand.remove();
    }
  });
});
