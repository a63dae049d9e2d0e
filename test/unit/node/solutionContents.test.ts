import { readFileSync } from "node:fs";
import path from "node:path";
import {
  accessRule,
  assetLink,
  assetUsage,
  choices,
  coreTables,
  dataModel,
  environmentVariables,
  event,
  eventLookups,
  outOfBox,
  partnerGrant,
  publisher,
  relationshipsOf,
  signInRequest,
  solutions,
  type ColumnDefinition,
  type TableDefinition,
} from "../../../solution/model";
import { defaultWebhook } from "../../../mock-server/dataverse";
import { Metadata } from "../../../mock-server/dataverse/metadata";
import { componentType } from "../../../solution/packer/solutionManifest";
import { all, generatedOnce, parsedPart, parseXml, repoRoot, repoVersion, textOf, type GeneratedZip, type Xml } from "./solutionFixture";

const allTables = dataModel({ eventManagement: true });
const byLogicalName = new Map(allTables.map((table) => [table.logicalName, table]));
/** The type each model column type must be written as; stated here independently of the generator. */
const expectedType: Record<ColumnDefinition["type"], string> = {
  primarykey: "primarykey", string: "nvarchar", memo: "ntext", integer: "int", bigint: "bigint", money: "money", boolean: "bit",
  datetime: "datetime", choice: "picklist", multichoice: "multiselectpicklist", state: "state", status: "status", lookup: "lookup",
  owner: "owner", uniqueidentifier: "uniqueidentifier",
};

const generated = generatedOnce();

const customizationsOf = (zip: GeneratedZip) => parsedPart(zip, "customizations.xml").ImportExportXml as Xml;
const manifestOf = (zip: GeneratedZip) => (parsedPart(zip, "solution.xml").ImportExportXml as Xml).SolutionManifest as Xml;
const entities = (zip: GeneratedZip) => all(customizationsOf(zip), "Entities", "Entity");
const entityNamed = (zip: GeneratedZip, table: TableDefinition) => entities(zip).find((entity) => textOf(entity, "Name") === table.schemaName);
const attributesOf = (entity: Xml | undefined) => all(entity, "EntityInfo", "entity", "attributes", "attribute");
const rootComponents = (zip: GeneratedZip) => all(manifestOf(zip), "RootComponents", "RootComponent");
const core = () => generated().zip("core", false);
const events = () => generated().zip("eventManagement", false);
/** The unmanaged zip of every solution. */
const unmanaged = () => generated().zips.filter((zip) => !zip.managed);
/** The unmanaged zip of each add-on, by the Dynamics 365 table that decides it (stated here, not taken from the packer). */
const zipFor = (appTable: string) => generated().zip(({ campaign: "sales", opportunity: "sales", incident: "service", entitlement: "service", msevtmgt_event: "eventManagement" } as const)[appTable as "campaign"], false);
/** The zip whose solution carries a lookup to `target` (the core when the target needs no Dynamics 365 app). */
const zipOfTarget = (target: string) => (["campaign", "opportunity", "incident", "entitlement", "msevtmgt_event"].includes(target) ? zipFor(target) : core());

describe("solution.xml", () => {
  it("carries the identities from the model and follows the platform's rules for them", () => {
    for (const zip of generated().zips) {
      const manifest = manifestOf(zip);
      expect(manifest.UniqueName).toBe(zip.uniqueName);
      expect(manifest.UniqueName).toMatch(/^[A-Za-z0-9_]+$/);
      expect(manifest.Version).toMatch(/^\d+(\.\d+){1,3}$/);
      expect(manifest.Managed).toBe(zip.managed ? "1" : "0");
      const publisherXml = manifest.Publisher as Xml;
      expect(publisherXml.UniqueName).toBe(publisher.uniqueName);
      expect(publisherXml.CustomizationPrefix).toBe(publisher.prefix);
      expect(publisherXml.CustomizationPrefix).toMatch(/^(?!mscrm)[a-z][a-z0-9]{1,7}$/);
      const optionPrefix = Number(publisherXml.CustomizationOptionValuePrefix);
      expect(optionPrefix).toBe(publisher.optionValuePrefix);
      expect(optionPrefix).toBeGreaterThanOrEqual(10000);
      expect(optionPrefix).toBeLessThanOrEqual(99999);
    }
    const names = [solutions.core, solutions.sales, solutions.service, solutions.eventManagement].map((solution) => solution.uniqueName);
    expect(generated().zips.map((zip) => zip.uniqueName)).toEqual(names.flatMap((name) => [name, name]));
  });

  it("stamps the one repository version (package.json) into solution.xml, the packed control manifest, the control source and the README", () => {
    for (const zip of generated().zips) expect(manifestOf(zip).Version).toBe(`${repoVersion}.0`);
    const packedManifest = parseXml(core().text(`Controls/${generated().control.name}/ControlManifest.xml`)) as Xml;
    expect(((packedManifest.manifest as Xml).control as Xml)["@_version"]).toBe(repoVersion);
    const inputManifest = parseXml(readFileSync(path.join(repoRoot, "PhotoShelterAssetPicker", "ControlManifest.Input.xml"), "utf8")) as Xml;
    expect(((inputManifest.manifest as Xml).control as Xml)["@_version"]).toBe(repoVersion);
    const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const releaseNotes = readme.slice(readme.indexOf("## Release notes"));
    expect(readme).toContain("## Release notes");
    expect(releaseNotes).toMatch(new RegExp(`^### ${repoVersion.replace(/\./g, "\\.")}\\b`, "m"));
  });

  it("lists only root components that are in the zip, and everything the zip adds to a table it does not create", () => {
    const coreCustomizations = customizationsOf(core());
    for (const zip of unmanaged()) {
      const custom = customizationsOf(zip);
      const ids = (nodes: Xml[], name: string) => nodes.map((node) => textOf(node, name) ?? (node[`@_${name}`] as string));
      // Forms, views and charts of a table the zip creates come with the table (behavior 0); those it adds to a shell are roots.
      const shells = all(custom, "Entities", "Entity").filter((entity) => ((entity.EntityInfo as Xml).entity as Xml)["@_unmodified"] === "1");
      const present: Record<number, string[]> = {
        [componentType.entity]: entities(zip).map((entity) => String(textOf(entity, "Name")).toLowerCase()),
        [componentType.systemForm]: ids(shells.flatMap((shell) => all(shell, "FormXml", "forms", "systemform")), "formid"),
        [componentType.savedQuery]: ids(shells.flatMap((shell) => all(shell, "SavedQueries", "savedqueries", "savedquery")), "savedqueryid"),
        [componentType.chart]: ids(shells.flatMap((shell) => all(shell, "Visualizations", "visualization")), "savedqueryvisualizationid"),
        [componentType.siteMap]: ids(all(custom, "AppModuleSiteMaps", "AppModuleSiteMap"), "SiteMapUniqueName"),
        [componentType.appModule]: ids(all(custom, "AppModules", "AppModule"), "UniqueName"),
        // Custom relationships are roots; the platform's (lk_, owner_, user_ …) come with the table that is created.
        [componentType.relationship]: all(custom, "EntityRelationships", "EntityRelationship").filter((r) => r.EntityRelationshipRoles !== undefined).map((r) => r["@_Name"] as string),
        [componentType.optionSet]: all(custom, "optionsets", "optionset").map((o) => o["@_Name"] as string),
        [componentType.role]: all(custom, "Roles", "Role").map((r) => r["@_id"] as string),
        [componentType.customControl]: all(custom, "CustomControls", "CustomControl").map((c) => textOf(c, "Name") as string),
        [componentType.environmentVariableDefinition]: zip.parts.filter((p) => p.path.startsWith("environmentvariabledefinitions/")).map((p) => p.path.split("/")[1]),
        [componentType.serviceEndpoint]: all(custom, "ServiceEndpoints", "ServiceEndpoint").map((s) => s["@_ServiceEndpointId"] as string),
        [componentType.sdkMessageProcessingStep]: all(custom, "SdkMessageProcessingSteps", "SdkMessageProcessingStep").map((s) => s["@_SdkMessageProcessingStepId"] as string),
      };
      const roots = rootComponents(zip);
      expect(roots.length).toBeGreaterThan(0);
      for (const root of roots) {
        const type = Number(root["@_type"]);
        const key = (root["@_schemaName"] ?? root["@_id"]) as string;
        expect({ type, key, known: (present[type] ?? []).includes(type === componentType.entity ? key.toLowerCase() : key) }).toEqual({ type, key, known: true });
        expect(["0", "1", "2"]).toContain(root["@_behavior"]);
      }
      // Everything shipped is a root component, so nothing is imported by accident or left behind.
      for (const type of [componentType.relationship, componentType.optionSet, componentType.role, componentType.customControl, componentType.environmentVariableDefinition, componentType.sdkMessageProcessingStep, componentType.systemForm, componentType.savedQuery, componentType.chart, componentType.siteMap, componentType.appModule]) {
        const listed = roots.filter((root) => Number(root["@_type"]) === type).map((root) => (root["@_schemaName"] ?? root["@_id"]) as string);
        expect(listed.sort()).toEqual([...present[type]].sort());
      }
    }
    expect(all(coreCustomizations, "ServiceEndpoints", "ServiceEndpoint")).toHaveLength(1);
  });
});

describe("names agree across solution.xml, customizations.xml, Controls/ and [Content_Types].xml", () => {
  it("names the control the same everywhere and ships every file of the built control", () => {
    const zip = core();
    const name = generated().control.name;
    expect(name).toBe(`${publisher.prefix}_PhotoShelter.PhotoShelterAssetPicker`);
    const roots = rootComponents(zip).filter((root) => Number(root["@_type"]) === componentType.customControl);
    expect(roots.map((root) => root["@_schemaName"])).toEqual([name]);
    const controls = all(customizationsOf(zip), "CustomControls", "CustomControl");
    expect(controls.map((control) => textOf(control, "Name"))).toEqual([name]);
    expect(controls.map((control) => textOf(control, "FileName"))).toEqual([`/Controls/${name}/ControlManifest.xml`]);
    const controlParts = zip.parts.filter((part) => part.path.startsWith("Controls/")).map((part) => part.path);
    expect(controlParts.every((partPath) => partPath.startsWith(`Controls/${name}/`))).toBe(true);
    expect(controlParts).toEqual(expect.arrayContaining([
      `Controls/${name}/ControlManifest.xml`,
      `Controls/${name}/bundle.js`,
      `Controls/${name}/css/PhotoShelterAssetPicker.css`,
      `Controls/${name}/strings/PhotoShelterAssetPicker.1033.resx`,
    ]));
    const manifest = (parseXml(zip.text(`Controls/${name}/ControlManifest.xml`)).manifest as Xml).control as Xml;
    expect(`${publisher.prefix}_${manifest["@_namespace"]}.${manifest["@_constructor"]}`).toBe(name);
  });

  it("gives every part a content type and overrides each control manifest", () => {
    for (const zip of generated().zips) {
      const types = (parseXml(zip.text("[Content_Types].xml")).Types as Xml);
      const defaults = all(types, "Default").map((d) => d["@_Extension"]);
      for (const part of zip.parts) expect(defaults).toContain(part.path.slice(part.path.lastIndexOf(".") + 1).toLowerCase());
      const overrides = all(types, "Override").map((o) => o["@_PartName"]);
      const manifests = zip.parts.filter((part) => part.path.endsWith("/ControlManifest.xml")).map((part) => `/${part.path}`);
      expect(overrides).toEqual(manifests);
    }
    for (const zip of unmanaged().filter((candidate) => candidate.key !== "core")) expect(zip.parts.some((part) => part.path.startsWith("Controls/"))).toBe(false);
  });
});

describe("tables, columns, keys, choices and relationships come from the model", () => {
  /** Every column a solution must create: all of our tables' columns, and the ones we add to Microsoft's tables. */
  function expectColumns(zip: GeneratedZip, table: TableDefinition, columns: ColumnDefinition[]) {
    const attributes = attributesOf(entityNamed(zip, table));
    expect(attributes.map((a) => textOf(a, "LogicalName")).sort()).toEqual(columns.map((c) => c.logicalName).sort());
    for (const column of columns) {
      const attribute = attributes.find((a) => textOf(a, "LogicalName") === column.logicalName) as Xml;
      const where = `${table.logicalName}.${column.logicalName}`;
      expect({ where, type: textOf(attribute, "Type"), physical: String(attribute["@_PhysicalName"]).toLowerCase(), required: textOf(attribute, "RequiredLevel") })
        .toEqual({ where, type: expectedType[column.type], physical: column.logicalName, required: column.requiredLevel });
      if (column.type === "string" || column.type === "memo") expect(Number(textOf(attribute, "MaxLength"))).toBe(column.maxLength);
      if (column.type === "string") expect(textOf(attribute, "Format")).toBe(column.format);
      if (column.type === "datetime") expect(textOf(attribute, "Behavior")).toBe(String({ UserLocal: 1, DateOnly: 2, TimeZoneIndependent: 3 }[column.behavior]));
      if (column.type === "choice" || column.type === "multichoice") expect(textOf(attribute, "OptionSetName")).toBe(column.choice.name);
      if (column.type === "state") {
        const states = all(attribute, "optionset", "states", "state").map((s) => Number(s["@_value"]));
        expect(states).toEqual(Object.values(column.choice.options).map((o) => o.value));
      }
    }
  }

  /** The columns of one of our tables, split by the zip that carries them: a lookup goes where its target's app is. */
  const columnsByZip = (table: TableDefinition) => {
    const split = new Map<GeneratedZip, ColumnDefinition[]>();
    for (const column of Object.values(allTablesByName(table).columns)) {
      const target = column.type === "lookup" && !column.system ? column.targets[0].table : undefined;
      const zip = target ? zipOfTarget(target) : core();
      split.set(zip, [...(split.get(zip) ?? []), column]);
    }
    return split;
  };
  const allTablesByName = (table: TableDefinition) => byLogicalName.get(table.logicalName) as TableDefinition;
  /** What a real export of a new table lists besides the model's columns (Tactec-Inc/dev-powerapps XML_1_1, cr97b_Project). */
  const platformColumns = (table: TableDefinition) => [
    "createdby", "createdon", "createdonbehalfby", "modifiedby", "modifiedon", "modifiedonbehalfby", "overriddencreatedon", "importsequencenumber",
    "statecode", "statuscode", "timezoneruleversionnumber", "utcconversiontimezonecode", "versionnumber",
    ...(table.ownershipType === "OrganizationOwned" ? ["organizationid"] : ["ownerid", "owningbusinessunit", "owningteam", "owninguser"]),
  ];

  it("creates every table of ours in the core with its columns that need only Dataverse, the platform's columns, its entity set name and its alternate keys", () => {
    for (const table of coreTables) {
      const entity = entityNamed(core(), table) as Xml;
      expect(entity).toBeDefined();
      const info = (entity.EntityInfo as Xml).entity as Xml;
      expect(info.EntitySetName).toBe(table.entitySetName);
      expect(info["@_unmodified"]).toBeUndefined();
      const modelled = columnsByZip(table).get(core()) ?? [];
      const written = attributesOf(entity).map((a) => String(textOf(a, "LogicalName")));
      expect(written).toEqual(expect.arrayContaining([...modelled.map((column) => column.logicalName), ...platformColumns(table)]));
      expect(written.filter((name) => !modelled.some((column) => column.logicalName === name) && !platformColumns(table).includes(name))).toEqual([]);
      for (const column of modelled) {
        const attribute = attributesOf(entity).find((a) => textOf(a, "LogicalName") === column.logicalName) as Xml;
        expect({ column: column.logicalName, type: textOf(attribute, "Type") }).toEqual({ column: column.logicalName, type: expectedType[column.type] });
      }
      // A client may backdate a row on create (migration) but never stamp its creation itself.
      const writable = (name: string) => {
        const attribute = attributesOf(entity).find((a) => textOf(a, "LogicalName") === name);
        return { name, create: textOf(attribute, "ValidForCreateApi"), update: textOf(attribute, "ValidForUpdateApi") };
      };
      expect([writable("overriddencreatedon"), writable("createdon")]).toEqual([{ name: "overriddencreatedon", create: "1", update: "0" }, { name: "createdon", create: "0", update: "0" }]);
      const keys = all(info, "EntityKeys", "EntityKey").map((key) => ({ name: textOf(key, "Name"), columns: all(key, "EntityKeyAttributes", "AttributeName").map(String) }));
      expect(keys).toEqual(table.alternateKeys.map((key) => ({ name: key.schemaName, columns: [...key.columns] })));
    }
  });

  it("puts each lookup to a Dynamics 365 app's table, with the column's type and length, on a shell of our table in that app's add-on", () => {
    let lookups = 0;
    for (const table of coreTables) {
      for (const [zip, columns] of columnsByZip(table)) {
        if (zip === core()) continue;
        expect(((entityNamed(zip, table) as Xml).EntityInfo as Xml).entity).toMatchObject({ "@_unmodified": "1" });
        expectColumns(zip, table, columns);
        lookups += columns.length;
      }
    }
    expect(lookups).toBeGreaterThanOrEqual(8);
  });

  it("writes the platform's system relationships of every table it creates, as a real export does", () => {
    const relationships = all(customizationsOf(core()), "EntityRelationships", "EntityRelationship");
    for (const table of coreTables) {
      const t = table.logicalName;
      const expected: Record<string, [string, string]> = table.ownershipType === "OrganizationOwned"
        ? { [`lk_${t}_createdby`]: ["SystemUser", "CreatedBy"], [`lk_${t}_modifiedby`]: ["SystemUser", "ModifiedBy"], [`organization_${t}`]: ["Organization", "OrganizationId"] }
        : {
          [`lk_${t}_createdby`]: ["SystemUser", "CreatedBy"], [`lk_${t}_modifiedby`]: ["SystemUser", "ModifiedBy"], [`owner_${t}`]: ["Owner", "OwnerId"],
          [`user_${t}`]: ["SystemUser", "OwningUser"], [`team_${t}`]: ["Team", "OwningTeam"], [`business_unit_${t}`]: ["BusinessUnit", "OwningBusinessUnit"],
        };
      for (const [name, [referenced, attribute]] of Object.entries(expected)) {
        const r = relationships.find((candidate) => candidate["@_Name"] === name);
        expect({ name, referencing: r?.ReferencingEntityName, referenced: r?.ReferencedEntityName, attribute: r?.ReferencingAttributeName })
          .toEqual({ name, referencing: table.schemaName, referenced, attribute });
      }
    }
  });

  it("adds the model's columns to Microsoft's tables, as shells, in the zip of the app that brings the table, and nothing else of theirs", () => {
    for (const [table, zip] of [[outOfBox.account, core()], [outOfBox.campaign, zipFor("campaign")], [outOfBox.opportunity, zipFor("opportunity")]] as const) {
      const ours = Object.values(table.columns).filter((column) => column.origin === "core");
      expect(ours.length).toBeGreaterThan(0);
      expect(((entityNamed(zip, table) as Xml).EntityInfo as Xml).entity).toMatchObject({ "@_unmodified": "1" });
      expectColumns(zip, table, ours);
      for (const other of unmanaged().filter((candidate) => candidate !== zip)) expect(attributesOf(entityNamed(other, table))).toEqual([]);
    }
  });

  it("ships every global choice with the model's values and labels", () => {
    const optionsets = all(customizationsOf(core()), "optionsets", "optionset");
    expect(optionsets.map((o) => o["@_Name"])).toEqual(choices.globalChoices.map((choice) => choice.name));
    for (const choice of choices.globalChoices) {
      const optionset = optionsets.find((o) => o["@_Name"] === choice.name) as Xml;
      const options = all(optionset, "options", "option").map((o) => ({ value: Number(o["@_value"]), label: all(o, "labels", "label")[0]["@_description"] }));
      expect(options).toEqual(Object.values(choice.options).map((o) => ({ value: o.value, label: o.label })));
    }
  });

  it("creates every custom relationship, in the zip of the app its tables need, with the navigation property names the Web API uses", () => {
    const check = (zip: GeneratedZip, expected: ReturnType<typeof relationshipsOf>) => {
      const xml = all(customizationsOf(zip), "EntityRelationships", "EntityRelationship").filter((r) => r.EntityRelationshipRoles !== undefined);
      expect(xml.map((r) => r["@_Name"]).sort()).toEqual(expected.map((r) => r.relationshipName).sort());
      for (const relationship of expected) {
        const r = xml.find((candidate) => candidate["@_Name"] === relationship.relationshipName) as Xml;
        const roles = all(r, "EntityRelationshipRoles", "EntityRelationshipRole");
        expect({
          referencing: r.ReferencingEntityName, referenced: r.ReferencedEntityName, attribute: r.ReferencingAttributeName, cascade: r.CascadeDelete,
          single: textOf(roles.find((role) => role.RelationshipRoleType === "1"), "NavigationPropertyName"),
          collection: textOf(roles.find((role) => role.RelationshipRoleType === "0"), "NavigationPropertyName"),
        }).toEqual({
          referencing: byLogicalName.get(relationship.referencingTable)?.schemaName, referenced: byLogicalName.get(relationship.table)?.schemaName,
          attribute: relationship.referencingAttributeSchemaName, cascade: relationship.cascadeDelete,
          single: relationship.navigationProperty, collection: relationship.referencedNavigationProperty,
        });
      }
    };
    /** Relationships of the model's custom lookups (not the platform's createdby/modifiedby/owner ones). */
    const custom = relationshipsOf(allTables).filter((r) => {
      const column = Object.values(byLogicalName.get(r.referencingTable)?.columns ?? {}).find((c) => c.logicalName === r.referencingAttribute);
      return r.origin !== "outOfBox" && column?.type === "lookup" && !column.system;
    });
    for (const zip of unmanaged()) check(zip, custom.filter((r) => zipOfTarget(r.table) === zip));
    expect(custom.length).toBeGreaterThanOrEqual(15);
  });

  it("keeps Event Management out of every other solution and puts the Event lookups in the events solution", () => {
    const marketingPrefix = event.logicalName.slice(0, event.logicalName.indexOf("_") + 1);
    for (const zip of generated().zips.filter((candidate) => candidate.key !== "eventManagement")) {
      for (const part of zip.parts) expect({ zip: zip.uniqueName, part: part.path, mentionsEvents: part.data.toString("latin1").includes(marketingPrefix) }).toEqual({ zip: zip.uniqueName, part: part.path, mentionsEvents: false });
    }
    for (const [tableName, lookups] of Object.entries(eventLookups)) {
      const table = byLogicalName.get(tableName) as TableDefinition;
      expectColumns(events(), table, Object.values(lookups));
      expect(((entityNamed(events(), table) as Xml).EntityInfo as Xml).entity).toMatchObject({ "@_unmodified": "1" });
    }
  });

  it("ships each environment variable definition from the model", () => {
    for (const variable of environmentVariables) {
      const xml = parseXml(core().text(`environmentvariabledefinitions/${variable.schemaName}/environmentvariabledefinition.xml`)).environmentvariabledefinition as Xml;
      expect({ schema: xml["@_schemaname"], type: xml.type, value: xml.defaultvalue }).toEqual({ schema: variable.schemaName, type: String(variable.type), value: variable.defaultValue });
    }
  });
});

describe("what the mock Dataverse serves to the control and the proxy", () => {
  it("exists in the solutions: every column of our tables and every column and navigation property we add", () => {
    const xml = unmanaged().map(customizationsOf);
    const attributeNames = new Set(xml.flatMap((custom) => all(custom, "Entities", "Entity").flatMap((entity) => attributesOf(entity).map((a) => `${String(textOf(entity, "Name")).toLowerCase()}.${textOf(a, "LogicalName")}`))));
    const roles = xml.flatMap((custom) => all(custom, "EntityRelationships", "EntityRelationship", "EntityRelationshipRoles", "EntityRelationshipRole"));
    const navigation = new Set(roles.map((role) => `${role.RelationshipRoleType}:${textOf(role, "NavigationPropertyName")}`));
    const metadata = new Metadata();
    let checked = 0;
    for (const entry of metadata.tables.values()) {
      const oursTable = entry.table.origin !== "outOfBox";
      for (const column of entry.columns.values()) {
        if (!oursTable && !column.origin) continue;
        expect(attributeNames).toContain(`${entry.table.logicalName}.${column.logicalName}`);
        checked += 1;
      }
      for (const [name, { column }] of entry.singleNavigations) {
        if (column.type !== "lookup" || column.system || (!oursTable && !column.origin)) continue;
        expect(navigation).toContain(`1:${name}`);
      }
      for (const [name, { referencingTable, referencingAttribute }] of entry.collectionNavigations) {
        const column = metadata.byLogicalName(referencingTable)?.columns.get(referencingAttribute);
        if (!referencingTable.startsWith(`${publisher.prefix}_`) || column?.type !== "lookup" || column.system) continue;
        expect(navigation).toContain(`0:${name}`);
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe("views", () => {
  const savedQueries = (table: TableDefinition) => all(entityNamed(core(), table), "SavedQueries", "savedqueries", "savedquery");

  it("gives every table of ours a default public, advanced find, associated, quick find and lookup view over its own columns", () => {
    for (const table of coreTables) {
      const views = savedQueries(table);
      const defaults = views.filter((view) => view.isdefault === "1").map((view) => Number(view.querytype)).sort((a, b) => a - b);
      expect({ table: table.logicalName, defaults }).toEqual({ table: table.logicalName, defaults: [0, 1, 2, 4, 64] });
      for (const view of views) {
        const fetch = all(view, "fetchxml", "fetch", "entity")[0];
        expect(fetch["@_name"]).toBe(table.logicalName);
        const columns = Object.values(table.columns).map((column) => column.logicalName);
        for (const attribute of all(fetch, "attribute")) expect(columns).toContain(attribute["@_name"]);
        for (const cell of all(view, "layoutxml", "grid", "row", "cell")) expect(columns).toContain(cell["@_name"]);
      }
    }
  });

  it("has asset-link views of active links and of links by rights status", () => {
    const views = savedQueries(assetLink).map((view) => ({ name: all(view, "LocalizedNames", "LocalizedName")[0]["@_description"] as string, view }));
    const active = views.find((v) => v.name === `Active ${assetLink.displayCollectionName}`)?.view as Xml;
    const stateFilter = all(active, "fetchxml", "fetch", "entity", "filter", "condition");
    expect(stateFilter).toEqual([expect.objectContaining({ "@_attribute": assetLink.columns.stateCode.logicalName, "@_operator": "eq", "@_value": String(assetLink.columns.stateCode.choice.options.active.value) })]);
    const byRights = views.find((v) => /rights status/i.test(v.name))?.view as Xml;
    const order = all(byRights, "fetchxml", "fetch", "entity", "order").map((o) => o["@_attribute"]);
    expect(order[0]).toBe(assetLink.columns.rightsStatus.logicalName);
  });
});

describe("forms put the picker on Account, Case, Campaign and Event", () => {
  const formsOf = (zip: GeneratedZip, table: TableDefinition) => all(entityNamed(zip, table), "FormXml", "forms", "systemform");
  const manifest = () => (parseXml(core().text(`Controls/${generated().control.name}/ControlManifest.xml`)).manifest as Xml).control as Xml;

  it.each([
    ["core", "account", 1],
    ["service", "incident", 1],
    ["sales", "campaign", 2],
    ["eventManagement", "msevtmgt_event", 2],
  ] as const)("%s: %s form binds the control to a sub-grid of its asset links", (solution, tableName, sectionCount) => {
    const zip = generated().zip(solution, false);
    const table = byLogicalName.get(tableName) as TableDefinition;
    const [form] = formsOf(zip, table);
    expect(form).toBeDefined();
    const grids = all(form, "form", "tabs", "tab", "columns", "column", "sections", "section", "rows", "row", "cell").map((cell) => cell.control as Xml).filter((control) => control["@_indicationOfSubgrid"] === "true");
    expect(grids).toHaveLength(sectionCount);
    const relationships = new Set([zip, core()].flatMap((candidate) => all(customizationsOf(candidate), "EntityRelationships", "EntityRelationship")).map((r) => r["@_Name"]));
    for (const grid of grids) {
      const parameters = grid.parameters as Xml;
      expect(relationships.has(parameters.RelationshipName as string)).toBe(true);
      const target = byLogicalName.get(parameters.TargetEntityType as string) as TableDefinition;
      const viewIds = all(entityNamed(core(), target), "SavedQueries", "savedqueries", "savedquery").map((view) => view.savedqueryid);
      expect(viewIds).toContain(parameters.ViewId);
    }
    const descriptions = all(form, "form", "controlDescriptions", "controlDescription");
    expect(descriptions).toHaveLength(1);
    const bound = grids.find((grid) => grid["@_uniqueid"] === descriptions[0]["@_forControl"]) as Xml;
    expect((bound.parameters as Xml).TargetEntityType).toBe(assetLink.logicalName);
    const pcf = all(descriptions[0], "customControl").filter((c) => c["@_name"]);
    expect(pcf.map((c) => Number(c["@_formFactor"])).sort()).toEqual([0, 1, 2]);
    const dataSetName = (manifest()["data-set"] as Xml)["@_name"];
    const profileValues = all(manifest(), "property").find((p) => p["@_name"] === "profile");
    for (const control of pcf) {
      expect(control["@_name"]).toBe(generated().control.name);
      expect(((control.parameters as Xml)["data-set"] as Xml)["@_name"]).toBe(dataSetName);
      expect(((control.parameters as Xml)["data-set"] as Xml).RelationshipName).toBe((bound.parameters as Xml).RelationshipName);
      const profile = (control.parameters as Xml).profile as Xml;
      expect(all(profileValues, "value").map((v) => v["#text"])).toContain(profile["#text"]);
      expect(profile["@_static"]).toBe("true");
    }
  });

  it("shows the campaign's collection link on the Campaign form", () => {
    const [form] = formsOf(zipFor("campaign"), outOfBox.campaign);
    const sections = all(form, "form", "tabs", "tab", "columns", "column", "sections", "section").map((section) => section["@_name"]);
    expect(sections).toEqual(["summary", "photoshelter_assets", "photoshelter_collection"]);
  });
});

describe("security roles", () => {
  const roles = () => all(customizationsOf(core()), "Roles", "Role").map((role) => ({
    name: role["@_name"] as string,
    privileges: new Map(all(role, "RolePrivileges", "RolePrivilege").map((p) => [p["@_name"] as string, p["@_level"] as string])),
  }));

  it("lets PhotoShelter Users read links and create, change and delete their own", () => {
    const user = roles().find((role) => role.name === "PhotoShelter User");
    const link = assetLink.schemaName;
    expect(user?.privileges.get(`prvRead${link}`)).toBe("Global");
    for (const privilege of ["Create", "Write", "Delete"]) expect(user?.privileges.get(`prv${privilege}${link}`)).toBe("Basic");
    for (const table of [accessRule, partnerGrant, assetUsage]) expect(user?.privileges.has(`prvWrite${table.schemaName}`)).toBe(false);
  });

  it("lets PhotoShelter Users create, read and delete their own sign-in requests, and change none", () => {
    const user = roles().find((role) => role.name === "PhotoShelter User");
    const table = signInRequest.schemaName;
    expect(["Create", "Read", "Delete", "Write", "Append", "AppendTo", "Assign", "Share"].map((privilege) => user?.privileges.get(`prv${privilege}${table}`) ?? null)).toEqual(["Basic", "Basic", "Basic", null, null, null, null, null]);
  });

  it("gives PhotoShelter Admins everything on every table of ours, with organization depth", () => {
    const admin = roles().find((role) => role.name === "PhotoShelter Admin");
    for (const table of coreTables) {
      for (const privilege of ["Create", "Read", "Write", "Delete"]) expect({ p: `prv${privilege}${table.schemaName}`, level: admin?.privileges.get(`prv${privilege}${table.schemaName}`) }).toEqual({ p: `prv${privilege}${table.schemaName}`, level: "Global" });
    }
  });
});

describe("webhook registration", () => {
  const steps = (zip: GeneratedZip) => all(customizationsOf(zip), "SdkMessageProcessingSteps", "SdkMessageProcessingStep");
  const messageOf = (id: unknown) => Object.entries({ Create: "9ebdbb1b", Update: "20bebb1b", Delete: "a1bdbb1b" }).find(([, prefix]) => String(id).startsWith(`{${prefix}`))?.[0];

  it("registers one webhook endpoint without its secret, and asynchronous post-operation steps that point at it", () => {
    const [endpoint] = all(customizationsOf(core()), "ServiceEndpoints", "ServiceEndpoint");
    expect({ contract: endpoint.Contract, auth: endpoint.AuthType, format: endpoint.MessageFormat }).toEqual({ contract: "8", auth: "5", format: "2" });
    expect(endpoint.Url).toMatch(/^https:\/\/[^/]+\.example\.com\//);
    expect(JSON.stringify(endpoint)).not.toMatch(/AuthValue|SASKey/);
    for (const zip of unmanaged()) {
      expect(steps(zip).length).toBeGreaterThan(0);
      for (const step of steps(zip)) {
        expect(step.EventHandler).toBe(endpoint["@_ServiceEndpointId"]);
        expect({ mode: step.Mode, stage: step.Stage, handler: step.EventHandlerTypeCode }).toEqual({ mode: "1", stage: "40", handler: "4618" });
        // As the Plugin Registration Tool registers a webhook step: on the platform's service-bus plug-in type.
        expect({ type: String(step.PluginTypeName).split(",")[0], id: step.PluginTypeId }).toEqual({ type: "Microsoft.Crm.ServiceBus.ServiceBusPlugin", id: "{ef521e63-cd2b-4170-99f6-447466a7161e}" });
        const appTable = ["campaign", "opportunity", "incident", "entitlement", "msevtmgt_event"].includes(String(step.PrimaryEntity));
        expect({ step: step["@_Name"], zip: zip.key }).toEqual({ step: step["@_Name"], zip: appTable ? zipFor(String(step.PrimaryEntity)).key : "core" });
        const table = byLogicalName.get(step.PrimaryEntity as string) as TableDefinition;
        const columns = Object.values(table.columns).map((column) => column.logicalName);
        for (const name of String(step.FilteringAttributes ?? "").split(",").filter(Boolean)) expect(columns).toContain(name);
      }
    }
  });

  it("registers exactly the steps the mock Dataverse delivers to the proxy in development", () => {
    const shipped = unmanaged().flatMap(steps).map((step) => {
      const images = all(step, "SdkMessageProcessingStepImages", "SdkMessageProcessingStepImage").map((image) => image.ImageType);
      return {
        message: messageOf(step.SdkMessageId),
        table: step.PrimaryEntity,
        filteringAttributes: step.FilteringAttributes === undefined ? [] : String(step.FilteringAttributes).split(",").sort(),
        preImage: images.includes("0"),
        postImage: images.includes("1"),
      };
    });
    const mock = defaultWebhook("https://proxy.test/hooks/dataverse", "test-key").steps.map((step) => ({
      message: step.message,
      table: step.table,
      filteringAttributes: [...(step.filteringAttributes ?? [])].sort(),
      preImage: step.preImage === true,
      postImage: step.postImage === true,
    }));
    const key = (s: { message?: string; table: unknown }) => `${String(s.table)}:${s.message}`;
    expect(shipped.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(mock.sort((a, b) => key(a).localeCompare(key(b))));
  });
});

describe("managed and unmanaged zips", () => {
  it("differ only in solution.xml's Managed flag", () => {
    for (const solution of ["core", "sales", "service", "eventManagement"] as const) {
      const unmanaged = generated().zip(solution, false);
      const managed = generated().zip(solution, true);
      expect(managed.parts.map((part) => part.path)).toEqual(unmanaged.parts.map((part) => part.path));
      for (const part of unmanaged.parts) {
        const other = managed.parts.find((candidate) => candidate.path === part.path)?.data.toString("utf8");
        if (part.path === "solution.xml") {
          expect(other).not.toBe(part.data.toString("utf8"));
          expect(other?.replace("<Managed>1</Managed>", "<Managed>0</Managed>")).toBe(part.data.toString("utf8"));
        } else {
          expect({ path: part.path, same: other === part.data.toString("utf8") }).toEqual({ path: part.path, same: true });
        }
      }
    }
  });
});
