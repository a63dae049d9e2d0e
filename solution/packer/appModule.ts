/**
 * A model-driven app: the `<AppModule>` (component type 80) and its `<AppModuleSiteMap>` (type 62)
 * in customizations.xml, shaped like the app designer's export (microsoft/coe-starter-kit
 * `ALMAcceleratorForAdvancedMakers/SolutionPackage/AppModules/cat_DeploymentProfiles/AppModule.xml`
 * and `AppModuleSiteMaps/…/AppModuleSiteMap.xml`), limited to the elements of the 9.0 schema.
 */
import { defaultAppIcon } from "../model/microsoftSolutions";
import { braced } from "./ids";
import { descriptions, languageCode, localizedNames } from "./labels";
import { el, ordered, txt, type XmlElement } from "./xml";

/** Site map version the designer stamps on areas and groups. */
const siteMapVersion = "7.0.0.0";

export interface SiteMapSubArea {
  id: string;
  title: string;
  /** The table the sub-area lists (its default view). */
  table: string;
  /** A view other than the table's default: the sub-area opens that view's list page. */
  viewId?: string;
}

export interface SiteMapGroup {
  id: string;
  title: string;
  subAreas: readonly SiteMapSubArea[];
}

export interface AppDefinition {
  /** App and site map unique name, with the publisher prefix (as exports write it). */
  uniqueName: string;
  name: string;
  description: string;
  area: { id: string; title: string };
  groups: readonly SiteMapGroup[];
  /** Security roles (ids) that see the app. */
  roleIds: readonly string[];
  /** Tables the app shows (logical names); their forms, views and charts come with them. */
  tables: readonly string[];
}

const siteMapTitles = (title: string) => el("Titles", undefined, el("Title", { LCID: languageCode, Title: title }));

function subArea(area: SiteMapSubArea): XmlElement {
  // A sub-area opens a table's default view by Entity; another view is reached through its list page URL.
  const url = area.viewId ? `/main.aspx?pagetype=entitylist&etn=${area.table}&viewid=${encodeURIComponent(braced(area.viewId))}&viewtype=1039` : undefined;
  return el(
    "SubArea",
    { Id: area.id, Entity: url ? undefined : area.table, Url: url, Icon: "/_imgs/imagestrips/transparent_spacer.gif", Client: "All,Outlook,OutlookLaptopClient,OutlookWorkstationClient,Web", AvailableOffline: "true", PassParams: "false", Sku: "All,OnPremise,Live,SPLA" },
    siteMapTitles(area.title),
  );
}

export function appModuleSiteMap(app: AppDefinition): XmlElement {
  return ordered(
    "AppModuleSiteMap",
    undefined,
    txt("SiteMapUniqueName", app.uniqueName),
    el(
      "SiteMap",
      { IntroducedVersion: siteMapVersion },
      el(
        "Area",
        { Id: app.area.id, ShowGroups: "true", IntroducedVersion: siteMapVersion },
        siteMapTitles(app.area.title),
        app.groups.map((group) => el("Group", { Id: group.id, IntroducedVersion: siteMapVersion, IsProfile: "false" }, siteMapTitles(group.title), group.subAreas.map(subArea))),
      ),
    ),
    localizedNames(app.name),
  );
}

/** App components: the site map (62) and each table (1), as the designer lists them. */
export function appModule(app: AppDefinition, introducedVersion: string): XmlElement {
  return ordered(
    "AppModule",
    undefined,
    txt("UniqueName", app.uniqueName),
    txt("IntroducedVersion", introducedVersion),
    txt("WebResourceId", defaultAppIcon.id),
    // FormFactor 1 and ClientType 4: a Unified Interface app, as the designer saves it.
    txt("FormFactor", 1),
    txt("ClientType", 4),
    el(
      "AppModuleComponents",
      undefined,
      el("AppModuleComponent", { type: 62, schemaName: app.uniqueName }),
      app.tables.map((table) => el("AppModuleComponent", { type: 1, schemaName: table })),
    ),
    el("AppModuleRoleMaps", undefined, app.roleIds.map((id) => el("Role", { id: braced(id) }))),
    localizedNames(app.name),
    descriptions(app.description),
  );
}
