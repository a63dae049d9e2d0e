/**
 * Child order of the elements we write whose content model is an xs:sequence, copied once from
 * Microsoft's CustomizationsSolution.xsd / FormXml.xsd (9.0.0.2090). The generators build through
 * `ordered()` with these lists, and the tests check the written XML against the same lists.
 * Elements whose content is xs:all (Entity, entity, attribute, EntityRelationship, systemform, form,
 * tab, section, cell, savedquery) accept any order and are not listed.
 *
 * solution.xml and environmentvariabledefinition.xml have no published schema; their lists follow
 * the order of real exports (see the solution folder README).
 */
export const schemaOrder = {
  /** customizations.xml root, `ImportExportXml` (CustomizationsSolution.xsd). */
  ImportExportXml: [
    "Entities", "Roles", "Workflows", "FieldSecurityProfiles", "Templates", "RibbonDiffXml", "IsvConfig",
    "RelationshipRoles", "ConnectionRoles", "SiteMap", "EntityMaps", "EntityRelationships", "OrganizationSettings",
    "optionsets", "Reports", "RoutingRules", "ChannelPropertyGroups", "ConvertRules", "MobileOfflineProfiles", "Slas",
    "ChannelAccessProfiles", "ChannelAccessProfileRules", "Dashboards", "InteractionCentricDashboards", "Dialogs",
    "WebResources", "CustomControls", "SolutionPluginAssemblies", "SdkMessageProcessingSteps", "ServiceEndpoints",
    "AppModuleSiteMaps", "AppModules", "EntityDataProviders", "EntityDataSources", "Languages",
    "GlobalSearchConfigurations", "StoredProcedures",
  ],
  /** `optionset` (optionsettype), both global and local. */
  optionset: ["OptionSetType", "IsGlobal", "IntroducedVersion", "IsCustomizable", "ExternalTypeName", "displaynames", "Descriptions", "options", "statuses", "states"],
  EntityRelationshipRole: ["NavPaneDisplayOption", "NavPaneArea", "NavPaneOrder", "NavigationPropertyName", "CustomLabels", "RelationshipRoleType", "AssociationRoleOrdinal"],
  CustomControl: ["Name", "FileName"],
  Role: ["IsCustomizable", "IntroducedVersion", "RolePrivileges"],
  SdkMessageProcessingStep: [
    "PluginTypeName", "PluginTypeId", "PrimaryEntity", "SecondaryEntity", "AsyncAutoDelete", "Configuration", "Description",
    "FilteringAttributes", "ImpersonatingUserIdName", "InvocationSource", "Mode", "Rank", "SdkMessageId", "EventHandler",
    "EventHandlerTypeCode", "Stage", "IsCustomizable", "IsHidden", "SupportedDeployment", "IntroducedVersion",
    "SdkMessageProcessingStepImages",
  ],
  SdkMessageProcessingStepImage: [
    "Description", "SdkMessageProcessingStepImageId", "Attributes", "EntityAlias", "ImageType", "MessagePropertyName",
    "RelatedAttributeName", "IsCustomizable", "IntroducedVersion",
  ],
  ServiceEndpoint: [
    "ConnectionMode", "Contract", "Description", "Path", "SolutionNamespace", "UserClaim", "IsCustomizable", "AuthType",
    "MessageFormat", "NamespaceAddress", "NamespaceFormat", "SASKeyName", "Url",
  ],
  /** Model-driven app (AppModuleType) and its site map (AppModuleSiteMapType, SiteMapType.xsd). */
  AppModule: [
    "UniqueName", "IntroducedVersion", "WebResourceId", "WelcomePageId", "FormFactor", "ClientType", "URL", "AppModuleComponents",
    "AppModuleRoleMaps", "AppConfig", "LocalizedNames", "Descriptions",
  ],
  AppModuleSiteMap: ["SiteMapUniqueName", "SiteMapName", "SiteMap", "LocalizedNames"],
  Area: ["Titles", "Descriptions", "Group"],
  Group: ["Titles", "Descriptions", "SubArea"],
  SubArea: ["Titles", "Descriptions", "Privilege"],
  /** A form `control` (FormXmlControlType). */
  control: ["labels", "parameters"],
  /** solution.xml `SolutionManifest` (no XSD: order of msbuild output and platform exports). */
  SolutionManifest: ["UniqueName", "LocalizedNames", "Descriptions", "Version", "Managed", "Publisher", "RootComponents", "MissingDependencies"],
  MissingDependency: ["Required", "Dependent"],
  Publisher: ["UniqueName", "LocalizedNames", "Descriptions", "EMailAddress", "SupportingWebsiteUrl", "CustomizationPrefix", "CustomizationOptionValuePrefix", "Addresses"],
  /** environmentvariabledefinition.xml (no XSD: platform exports write the children alphabetically). */
  environmentvariabledefinition: ["defaultvalue", "description", "displayname", "introducedversion", "iscustomizable", "isrequired", "secretstore", "type"],
} as const satisfies Record<string, readonly string[]>;

export type OrderedElement = keyof typeof schemaOrder;
