/**
 * Reads the built ControlManifest.xml the way the platform does: where the code is, which
 * languages the control ships (resx per LCID), its data-set and input properties.
 */
export interface ControlManifest {
  /** "<namespace>.<constructor>", the name the bundle registers itself under. */
  controlName: string;
  codePath: string;
  cssPaths: string[];
  /** resx path per language id, e.g. 1033 → strings/PhotoShelterAssetPicker.1033.resx */
  resx: Map<number, string>;
  dataSetName: string | null;
  /** Input properties with their default values. */
  properties: { name: string; ofType: string; defaultValue: string | null }[];
}

export async function loadManifest(controlBase: string): Promise<ControlManifest> {
  const response = await fetch(`${controlBase}/ControlManifest.xml`);
  if (!response.ok) throw new Error(`Cannot read ControlManifest.xml (HTTP ${response.status}). Is the control built?`);
  const xml = new DOMParser().parseFromString(await response.text(), "application/xml");
  const control = xml.querySelector("manifest > control");
  if (!control) throw new Error("ControlManifest.xml has no <control> element.");
  const resx = new Map<number, string>();
  for (const element of Array.from(xml.querySelectorAll("resources > resx"))) {
    const resxPath = element.getAttribute("path") ?? "";
    const match = /\.(\d+)\.resx$/.exec(resxPath);
    if (match) resx.set(Number(match[1]), resxPath);
  }
  return {
    controlName: `${control.getAttribute("namespace")}.${control.getAttribute("constructor")}`,
    codePath: xml.querySelector("resources > code")?.getAttribute("path") ?? "bundle.js",
    cssPaths: Array.from(xml.querySelectorAll("resources > css")).map((element) => element.getAttribute("path") ?? ""),
    resx,
    dataSetName: xml.querySelector("control > data-set")?.getAttribute("name") ?? null,
    properties: Array.from(xml.querySelectorAll("control > property")).map((element) => ({
      name: element.getAttribute("name") ?? "",
      ofType: element.getAttribute("of-type") ?? "",
      defaultValue: element.getAttribute("default-value"),
    })),
  };
}

/** The strings of one resx file. */
export async function loadResx(url: string): Promise<Map<string, string>> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Cannot read ${url} (HTTP ${response.status}).`);
  const xml = new DOMParser().parseFromString(await response.text(), "application/xml");
  const strings = new Map<string, string>();
  for (const data of Array.from(xml.querySelectorAll("root > data"))) {
    strings.set(data.getAttribute("name") ?? "", data.querySelector("value")?.textContent ?? "");
  }
  return strings;
}

/**
 * The strings for a language: that language's resx over the base language's (1033), as the
 * platform falls back when a key or a whole language is missing.
 */
export async function loadStrings(controlBase: string, manifest: ControlManifest, languageId: number): Promise<Map<string, string>> {
  const base = manifest.resx.get(1033) ?? manifest.resx.values().next().value;
  const strings = base ? await loadResx(`${controlBase}/${base}`) : new Map<string, string>();
  const own = manifest.resx.get(languageId);
  if (own && own !== base) for (const [key, value] of await loadResx(`${controlBase}/${own}`)) strings.set(key, value);
  return strings;
}
