import type { Relationship } from "../model";
import { descriptions, introducedVersion } from "./labels";
import { el, ordered, txt, type XmlChild, type XmlElement } from "./xml";

/** Schema names by logical name, for `ReferencedEntityName`/`ReferencingEntityName`. */
export type SchemaNames = ReadonlyMap<string, string>;

function schemaNameOf(names: SchemaNames, logicalName: string): string {
  const name = names.get(logicalName);
  if (!name) throw new Error(`no table "${logicalName}" in the data model`);
  return name;
}

/** A 1:N relationship as exports write it (xs:all): names, no cascade but `cascadeDelete`, and any further children. */
export function oneToMany(
  name: string,
  ends: { referencing: string; referenced: string; attribute: string },
  cascadeDelete: string,
  description: string,
  ...extra: XmlChild[]
): XmlElement {
  return el(
    "EntityRelationship",
    { Name: name },
    txt("EntityRelationshipType", "OneToMany"),
    txt("IsCustomizable", 1),
    txt("IntroducedVersion", introducedVersion),
    txt("IsHierarchical", 0),
    txt("ReferencingEntityName", ends.referencing),
    txt("ReferencedEntityName", ends.referenced),
    txt("CascadeAssign", "NoCascade"),
    txt("CascadeDelete", cascadeDelete),
    txt("CascadeReparent", "NoCascade"),
    txt("CascadeShare", "NoCascade"),
    txt("CascadeUnshare", "NoCascade"),
    txt("ReferencingAttributeName", ends.attribute),
    el("RelationshipDescription", undefined, descriptions(description)),
    ...extra,
  );
}

/** A 1:N relationship from a referenced table to one of our lookups. */
export function entityRelationship(relationship: Relationship, names: SchemaNames): XmlElement {
  return oneToMany(
    relationship.relationshipName,
    { referencing: schemaNameOf(names, relationship.referencingTable), referenced: schemaNameOf(names, relationship.table), attribute: relationship.referencingAttributeSchemaName },
    relationship.cascadeDelete,
    "",
    txt("CascadeRollupView", "NoCascade"),
    txt("IsValidForAdvancedFind", 1),
    el(
      "EntityRelationshipRoles",
      undefined,
      ordered(
        "EntityRelationshipRole",
        undefined,
        txt("NavPaneDisplayOption", "UseCollectionName"),
        txt("NavPaneArea", "Details"),
        txt("NavPaneOrder", 10000),
        txt("NavigationPropertyName", relationship.navigationProperty),
        txt("RelationshipRoleType", 1),
      ),
      ordered(
        "EntityRelationshipRole",
        undefined,
        txt("NavigationPropertyName", relationship.referencedNavigationProperty),
        txt("RelationshipRoleType", 0),
      ),
    ),
  );
}
