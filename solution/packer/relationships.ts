import type { Relationship } from "../model";
import { descriptions, introducedVersion } from "./labels";
import { el, ordered, txt, type XmlElement } from "./xml";

/** Schema names by logical name, for `ReferencedEntityName`/`ReferencingEntityName`. */
export type SchemaNames = ReadonlyMap<string, string>;

function schemaNameOf(names: SchemaNames, logicalName: string): string {
  const name = names.get(logicalName);
  if (!name) throw new Error(`no table "${logicalName}" in the data model`);
  return name;
}

/** A 1:N relationship from a referenced table to one of our lookups. */
export function entityRelationship(relationship: Relationship, names: SchemaNames): XmlElement {
  return el(
    "EntityRelationship",
    { Name: relationship.relationshipName },
    txt("EntityRelationshipType", "OneToMany"),
    txt("IsCustomizable", 1),
    txt("IntroducedVersion", introducedVersion),
    txt("IsHierarchical", 0),
    txt("ReferencingEntityName", schemaNameOf(names, relationship.referencingTable)),
    txt("ReferencedEntityName", schemaNameOf(names, relationship.table)),
    txt("CascadeAssign", "NoCascade"),
    txt("CascadeDelete", relationship.cascadeDelete),
    txt("CascadeReparent", "NoCascade"),
    txt("CascadeShare", "NoCascade"),
    txt("CascadeUnshare", "NoCascade"),
    txt("CascadeRollupView", "NoCascade"),
    txt("IsValidForAdvancedFind", 1),
    txt("ReferencingAttributeName", relationship.referencingAttributeSchemaName),
    el("RelationshipDescription", undefined, descriptions("")),
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
