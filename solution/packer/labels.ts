import { el, type XmlElement } from "./xml";

/** Every label we write is English (1033), the base language of the solution. */
export const languageCode = 1033;

/** Version recorded as IntroducedVersion on the components we create (1.0.0.0, as the maker portal writes). */
export const introducedVersion = "1.0.0.0";

export function displaynames(description: string): XmlElement {
  return el("displaynames", undefined, el("displayname", { description, languagecode: languageCode }));
}

export function descriptions(description: string): XmlElement {
  return el("Descriptions", undefined, el("Description", { description, languagecode: languageCode }));
}

export function localizedNames(description: string): XmlElement {
  return el("LocalizedNames", undefined, el("LocalizedName", { description, languagecode: languageCode }));
}

export function labels(description: string): XmlElement {
  return el("labels", undefined, el("label", { description, languagecode: languageCode }));
}
