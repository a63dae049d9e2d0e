/**
 * The split into a core that imports into any Dataverse environment and add-ons per Dynamics 365 app,
 * the dependencies each declares, the forms a person works with, and the admin app. Read from the
 * generated XML; the expectations are stated here, not taken from the packer.
 */
import { accessRule, assetLink, assetUsage, collectionLink, coreTables, dataModel, outOfBox, partnerGrant, solutions, type TableDefinition } from "../../../solution/model";
import { dataverseTables } from "../../../solution/model/microsoftSolutions";
import { all, generatedOnce, parsedPart, textOf, undeclaredTables, type GeneratedZip, type Xml } from "./solutionFixture";

const generated = generatedOnce();
const ours = new Set<string>(coreTables.map((table) => table.logicalName));
const unmanaged = () => generated().zips.filter((zip) => !zip.managed);
const core = () => generated().zip("core", false);
const customizationsOf = (zip: GeneratedZip) => parsedPart(zip, "customizations.xml").ImportExportXml as Xml;
const manifestOf = (zip: GeneratedZip) => (parsedPart(zip, "solution.xml").ImportExportXml as Xml).SolutionManifest as Xml;
const dependenciesOf = (zip: GeneratedZip) => all(manifestOf(zip), "MissingDependencies", "MissingDependency");
const entityOf = (zip: GeneratedZip, table: TableDefinition) => all(customizationsOf(zip), "Entities", "Entity").find((entity) => textOf(entity, "Name") === table.schemaName);
const formsOf = (zip: GeneratedZip, table: TableDefinition, type: string) =>
  all(entityOf(zip, table), "FormXml", "forms").filter((forms) => forms["@_type"] === type).flatMap((forms) => all(forms, "systemform"));
const cellsOf = (form: Xml) => all(form, "form", "tabs", "tab", "columns", "column", "sections", "section", "rows", "row", "cell");

/**
 * The Microsoft solution a real export names for each Dynamics 365 table we touch (sources in
 * solution/model/microsoftSolutions.ts), and the add-on of ours that must carry it.
 */
const appTables: Record<string, { solution: string; addOn: keyof typeof solutions }> = {
  opportunity: { solution: "msdynce_Sales", addOn: "sales" },
  campaign: { solution: "msdynce_Marketing", addOn: "sales" },
  incident: { solution: "msdynce_Service", addOn: "service" },
  entitlement: { solution: "msdynce_Service", addOn: "service" },
  msevtmgt_event: { solution: "MicrosoftDynamics_EventManagement", addOn: "eventManagement" },
};
const solutionName = (required: Xml) => String(required["@_solution"]).replace(/ \([^)]*\)$/, "");

describe("every component's table is ours, Dataverse's own, or declared in MissingDependencies", () => {
  it("holds for every zip", () => {
    for (const zip of generated().zips) {
      expect({ zip: zip.uniqueName, undeclared: undeclaredTables(zip.text("customizations.xml"), zip.text("solution.xml"), ours, dataverseTables) }).toEqual({ zip: zip.uniqueName, undeclared: [] });
    }
  });

  it("has a check that finds a component on an undeclared table (so the test above can fail)", () => {
    const step = '<SdkMessageProcessingStep SdkMessageProcessingStepId="{00000000-0000-0000-0000-000000000001}"><PrimaryEntity>incident</PrimaryEntity></SdkMessageProcessingStep>';
    const tampered = core().text("customizations.xml").replace(/<SdkMessageProcessingSteps>/, `<SdkMessageProcessingSteps>${step}`);
    expect(tampered).not.toBe(core().text("customizations.xml"));
    expect(undeclaredTables(tampered, core().text("solution.xml"), ours, dataverseTables)).toEqual(["incident"]);
  });

  it("keeps every Dynamics 365 table out of the core, which therefore imports where only Dataverse is", () => {
    const text = core().text("customizations.xml") + core().text("solution.xml");
    // Logical names as components carry them (lower case; "Campaign" as a choice label is fine).
    for (const table of Object.keys(appTables)) expect({ table, named: new RegExp(`[>"=_]${table}[<"&_]`).test(text) }).toEqual({ table, named: false });
    const required = dependenciesOf(core()).map((dependency) => solutionName(dependency.Required as Xml));
    // The one thing the core names from outside: the default app icon, which every environment has (as a real export lists it).
    expect([...new Set(required)]).toEqual(["AppModuleWebResources"]);
  });

  it("declares, in each add-on, the Microsoft solution a real export names for each app table it touches, and nothing of another app", () => {
    for (const [table, { solution, addOn }] of Object.entries(appTables)) {
      const zip = generated().zip(addOn, false);
      const required = dependenciesOf(zip).map((dependency) => dependency.Required as Xml).filter((r) => r["@_type"] === "1" && r["@_schemaName"] === table);
      expect({ table, solutions: [...new Set(required.map(solutionName))] }).toEqual({ table, solutions: [solution] });
      for (const other of unmanaged().filter((candidate) => candidate.key !== addOn)) {
        expect({ zip: other.key, table, declared: dependenciesOf(other).some((dependency) => (dependency.Required as Xml)["@_schemaName"] === table) }).toEqual({ zip: other.key, table, declared: false });
      }
    }
  });

  it("makes each add-on name the core (this release) for the tables of ours it extends and the endpoint its steps use", () => {
    for (const zip of unmanaged().filter((candidate) => candidate.key !== "core")) {
      const required = dependenciesOf(zip).map((dependency) => dependency.Required as Xml);
      const extended = all(customizationsOf(zip), "Entities", "Entity").map((entity) => String(textOf(entity, "Name")).toLowerCase()).filter((name) => ours.has(name));
      for (const table of extended) expect(required).toContainEqual(expect.objectContaining({ "@_type": "1", "@_schemaName": table, "@_solution": `${solutions.core.uniqueName} (${String(manifestOf(zip).Version)})` }));
      const endpoint = all(customizationsOf(core()), "ServiceEndpoints", "ServiceEndpoint")[0]["@_ServiceEndpointId"];
      expect(required).toContainEqual(expect.objectContaining({ "@_type": "95", "@_id": endpoint }));
    }
  });

  it("names as dependents only components the zip carries", () => {
    for (const zip of unmanaged()) {
      const custom = customizationsOf(zip);
      const entities = all(custom, "Entities", "Entity");
      const carried: Record<string, string[]> = {
        1: entities.map((entity) => String(textOf(entity, "Name")).toLowerCase()),
        2: entities.flatMap((entity) => all(entity, "EntityInfo", "entity", "attributes", "attribute").map((a) => `${String(textOf(entity, "Name")).toLowerCase()}.${textOf(a, "LogicalName")}`)),
        10: all(custom, "EntityRelationships", "EntityRelationship").map((r) => String(r["@_Name"])),
        26: entities.flatMap((entity) => all(entity, "SavedQueries", "savedqueries", "savedquery").map((view) => String(view.savedqueryid))),
        59: entities.flatMap((entity) => all(entity, "Visualizations", "visualization").map((chart) => String(chart.savedqueryvisualizationid))),
        60: entities.flatMap((entity) => all(entity, "FormXml", "forms", "systemform").map((form) => String(form.formid))),
        80: all(custom, "AppModules", "AppModule").map((app) => String(app.UniqueName)),
        92: all(custom, "SdkMessageProcessingSteps", "SdkMessageProcessingStep").map((step) => String(step["@_SdkMessageProcessingStepId"])),
      };
      expect(dependenciesOf(zip).length).toBeGreaterThan(0);
      for (const dependency of dependenciesOf(zip)) {
        const dependent = dependency.Dependent as Xml;
        const type = String(dependent["@_type"]);
        const name = type === "2" ? `${String(dependent["@_parentSchemaName"])}.${String(dependent["@_schemaName"])}` : String(dependent["@_schemaName"] ?? dependent["@_id"]);
        expect({ zip: zip.key, type, name, carried: (carried[type] ?? []).includes(type === "1" ? name.toLowerCase() : name) }).toEqual({ zip: zip.key, type, name, carried: true });
      }
    }
  });
});

describe("tables a person works with have the forms and views a real export has", () => {
  it("gives each table of ours a main form over its columns, shown to everyone as the fallback", () => {
    for (const table of coreTables) {
      const [main, ...others] = formsOf(core(), table, "main");
      expect({ table: table.logicalName, extra: others.length }).toEqual({ table: table.logicalName, extra: 0 });
      const conditions = (main.form as Xml).DisplayConditions as Xml;
      expect({ table: table.logicalName, fallback: conditions["@_FallbackForm"], everyone: "Everyone" in conditions }).toEqual({ table: table.logicalName, fallback: "true", everyone: true });
      const attributes = new Set(all(entityOf(core(), table), "EntityInfo", "entity", "attributes", "attribute").map((a) => textOf(a, "LogicalName")));
      const fields = cellsOf(main).map((cell) => (cell.control as Xml)["@_datafieldname"]);
      expect(fields.length).toBeGreaterThan(0);
      for (const field of fields) expect(attributes).toContain(field);
    }
  });

  it("gives the tables people create by hand (access rules, partner grants) a quick create form, and enables quick create only there", () => {
    for (const table of coreTables) {
      const quick = formsOf(core(), table, "quickCreate");
      const byHand = table === accessRule || table === partnerGrant;
      const enabled = (((entityOf(core(), table) as Xml).EntityInfo as Xml).entity as Xml).IsQuickCreateEnabled;
      expect({ table: table.logicalName, quick: quick.length, enabled }).toEqual({ table: table.logicalName, quick: byHand ? 1 : 0, enabled: byHand ? "1" : "0" });
      if (!byHand) continue;
      const fields = cellsOf(quick[0]).map((cell) => (cell.control as Xml)["@_datafieldname"]);
      const required = Object.values(table.columns).filter((column) => column.requiredLevel === "required").map((column) => column.logicalName);
      expect(fields).toEqual(expect.arrayContaining(required));
    }
  });

  it("explains each access rule condition on its form, in the words of the model", () => {
    const [form] = formsOf(core(), accessRule, "main");
    const sections = all(form, "form", "tabs", "tab", "columns", "column", "sections", "section");
    const c = accessRule.columns;
    for (const condition of [c.industry, c.region, c.tier, c.productLine, c.businessUnitId]) {
      const section = sections.find((candidate) => all(candidate, "rows", "row", "cell").some((cell) => (cell.control as Xml)["@_datafieldname"] === condition.logicalName)) as Xml;
      const label = String(all(section, "labels", "label")[0]["@_description"]);
      expect(condition.description).toBeTruthy();
      expect({ condition: condition.logicalName, label }).toEqual({ condition: condition.logicalName, label: expect.stringContaining(String(condition.description)) });
      expect(section["@_showlabel"]).toBe("true");
    }
  });

  it("shows the PhotoShelter host forms to the PhotoShelter roles, after the customer's forms, with the related PhotoShelter rows in the navigation", () => {
    const roleIds = all(customizationsOf(core()), "Roles", "Role").map((role) => String(role["@_id"]));
    for (const [table, key] of [[outOfBox.account, "core"], [outOfBox.incident, "service"], [outOfBox.campaign, "sales"]] as const) {
      const zip = generated().zip(key, false);
      const [host] = formsOf(zip, table, "main");
      const form = host.form as Xml;
      const conditions = form.DisplayConditions as Xml;
      expect({ table: table.logicalName, fallback: conditions["@_FallbackForm"], roles: all(conditions, "Role").map((role) => role["@_Id"]).sort() }).toEqual({ table: table.logicalName, fallback: "false", roles: [...roleIds].sort() });
      expect(Number(conditions["@_Order"])).toBeGreaterThan(0);
      const items = all(form, "Navigation", "NavBar", "NavBarByRelationshipItem").map((item) => item["@_RelationshipName"]);
      // Every relationship from one of our tables to the host that this zip or the core creates.
      const reachable = [zip, core()].flatMap((candidate) => all(customizationsOf(candidate), "EntityRelationships", "EntityRelationship"))
        .filter((r) => r.EntityRelationshipRoles !== undefined && r.ReferencedEntityName === table.schemaName).map((r) => r["@_Name"]);
      expect(items.sort()).toEqual([...new Set(reachable)].sort());
      expect(items.length).toBeGreaterThan(0);
      expect(all(form, "Navigation", "NavBarAreas", "NavBarArea").map((area) => area["@_Id"])).toEqual(["Info", "Sales", "Service", "Marketing", "ProcessCenter"]);
    }
  });
});

describe("the PhotoShelter Administration app", () => {
  const app = () => all(customizationsOf(core()), "AppModules", "AppModule")[0];
  const siteMap = () => all(customizationsOf(core()), "AppModuleSiteMaps", "AppModuleSiteMap")[0];
  const subAreas = () => all(siteMap(), "SiteMap", "Area", "Group", "SubArea");
  const viewsOf = (table: TableDefinition) => all(entityOf(core(), table), "SavedQueries", "savedqueries", "savedquery");
  /** The view a sub-area opens: the one its URL names, or the table's default public view. */
  const viewOfSubArea = (area: Xml, table: TableDefinition) => {
    const id = /viewid=([^&]+)/.exec(String(area["@_Url"] ?? ""))?.[1];
    return viewsOf(table).find((view) => (id ? view.savedqueryid === decodeURIComponent(id) : view.isdefault === "1" && view.querytype === "0")) as Xml;
  };
  const areaFor = (table: TableDefinition) => subAreas().find((area) => area["@_Entity"] === table.logicalName || String(area["@_Url"] ?? "").includes(`etn=${table.logicalName}&`)) as Xml;
  const fetchOf = (view: Xml) => all(view, "fetchxml", "fetch", "entity")[0];

  it("is in the core, named, for the PhotoShelter Admin role, with its site map and the tables it shows", () => {
    expect(all(app(), "LocalizedNames", "LocalizedName")[0]["@_description"]).toBe("PhotoShelter Administration");
    const admin = all(customizationsOf(core()), "Roles", "Role").find((role) => role["@_name"] === "PhotoShelter Admin") as Xml;
    expect(all(app(), "AppModuleRoleMaps", "Role").map((role) => role["@_id"])).toEqual([admin["@_id"]]);
    const components = all(app(), "AppModuleComponents", "AppModuleComponent");
    expect(components).toContainEqual(expect.objectContaining({ "@_type": "62", "@_schemaName": siteMap().SiteMapUniqueName }));
    expect(app().UniqueName).toBe(siteMap().SiteMapUniqueName);
    const tables = components.filter((component) => component["@_type"] === "1").map((component) => component["@_schemaName"]);
    expect(tables).toEqual(expect.arrayContaining([accessRule, partnerGrant, collectionLink, assetLink, assetUsage].map((table) => table.logicalName)));
    for (const zip of unmanaged().filter((candidate) => candidate.key !== "core")) expect(all(customizationsOf(zip), "AppModules", "AppModule")).toEqual([]);
  });

  it("lists access rules and partner grants, collection links with sync status and last error, asset links flagged for review, usage and settings", () => {
    expect(areaFor(accessRule)).toBeDefined();
    expect(areaFor(partnerGrant)).toBeDefined();
    const collectionView = viewOfSubArea(areaFor(collectionLink), collectionLink);
    const collectionColumns = all(collectionView, "layoutxml", "grid", "row", "cell").map((cell) => cell["@_name"]);
    expect(collectionColumns).toEqual(expect.arrayContaining([collectionLink.columns.syncStatus.logicalName, collectionLink.columns.lastError.logicalName]));
    const reviewView = viewOfSubArea(areaFor(assetLink), assetLink);
    expect(all(fetchOf(reviewView), "filter", "condition")).toContainEqual(expect.objectContaining({ "@_attribute": assetLink.columns.needsReview.logicalName, "@_operator": "eq", "@_value": "1" }));
    expect(areaFor(assetUsage)).toBeDefined();
    expect(subAreas().some((area) => area["@_Entity"] === "environmentvariabledefinition")).toBe(true);
  });

  it("charts usage per month in the core and per campaign in the Sales add-on, summing downloads and views", () => {
    const charts = (zip: GeneratedZip) => all(entityOf(zip, assetUsage), "Visualizations", "visualization");
    const grouping = (chart: Xml) => {
      const entity = all(chart, "datadescription", "datadefinition", "fetchcollection", "fetch", "entity")[0];
      const attributes = all(entity, "attribute");
      return {
        table: entity["@_name"],
        groupBy: attributes.filter((a) => a["@_groupby"] === "true").map((a) => [a["@_name"], a["@_dategrouping"] ?? null, a["@_usertimezone"] ?? null]),
        sums: attributes.filter((a) => a["@_aggregate"] === "sum").map((a) => a["@_name"]).sort(),
        order: all(entity, "order").map((o) => [o["@_alias"], o["@_descending"]]),
      };
    };
    const u = assetUsage.columns;
    const sums = [u.downloads.logicalName, u.views.logicalName].sort();
    // Rows are per day (psh_period is a YYYY-MM-DD text): "per month" groups the day's date column by month, in date order, in UTC.
    expect(u.periodStart.type).toBe("datetime");
    expect(charts(core()).map(grouping)).toEqual([{ table: assetUsage.logicalName, groupBy: [[u.periodStart.logicalName, "month", "false"]], sums, order: [["groupby_column", "false"]] }]);
    expect(charts(generated().zip("sales", false)).map(grouping)).toEqual([{ table: assetUsage.logicalName, groupBy: [[u.campaignId.logicalName, null, null]], sums, order: [] }]);
  });
});

it("places a table added to the model without a line of the packer: every model table of ours is created by the core", () => {
  const created = all(customizationsOf(core()), "Entities", "Entity")
    .filter((entity) => ((entity.EntityInfo as Xml).entity as Xml)["@_unmodified"] === undefined)
    .map((entity) => String(textOf(entity, "Name")));
  expect(created.sort()).toEqual(dataModel({ eventManagement: true }).filter((table) => ours.has(table.logicalName)).map((table) => table.schemaName).sort());
});
