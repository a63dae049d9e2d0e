import type { EnvironmentVariableDefinition } from "../model";
import { introducedVersion, languageCode } from "./labels";
import { el, ordered, txt, type XmlElement } from "./xml";

/** Path of a definition inside the zip: environmentvariabledefinitions/<schemaname>/environmentvariabledefinition.xml. */
export function environmentVariablePath(definition: EnvironmentVariableDefinition): string {
  return `environmentvariabledefinitions/${definition.schemaName}/environmentvariabledefinition.xml`;
}

export function environmentVariableDefinition(definition: EnvironmentVariableDefinition): XmlElement {
  const label = (text: string) => el("label", { description: text, languagecode: languageCode });
  return ordered(
    "environmentvariabledefinition",
    { schemaname: definition.schemaName },
    txt("defaultvalue", definition.defaultValue),
    el("description", { default: definition.description }, label(definition.description)),
    el("displayname", { default: definition.displayName }, label(definition.displayName)),
    txt("introducedversion", introducedVersion),
    txt("iscustomizable", 1),
    txt("isrequired", 0),
    txt("secretstore", 0),
    txt("type", definition.type),
  );
}
