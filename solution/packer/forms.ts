import type { ColumnDefinition, LookupColumn, TableDefinition } from "../model";
import { braced, stableGuid } from "./ids";
import { descriptions, introducedVersion, labels, languageCode, localizedNames } from "./labels";
import type { Relationship } from "../model";
import { el, ordered, txt, type XmlElement } from "./xml";

/** Classids of the platform's form controls, by the kind of column they show (as real forms carry them). */
const classId = {
  text: "{4273EDBD-AC1D-40d3-9FB2-095C621B552D}",
  url: "{71716B6C-711E-476c-8AB8-5D11542BFB47}",
  email: "{ADA2203E-B4CD-49be-9DDF-234642B43B52}",
  memo: "{E0DECE4B-6FC8-4a8f-A065-082708572369}",
  lookup: "{270BD3DB-D9AF-4782-9025-509E298DEC0A}",
  choice: "{3EF39988-22BB-4f0b-BBBE-64B5A3748AEE}",
  multiChoice: "{4AA28AB7-9C13-4F57-A73D-AD894D048B5F}",
  status: "{5D68B988-0661-4db2-BC3E-17598AD3BE6C}",
  dateTime: "{5B773807-9FB2-42db-97C3-7A91EFF8ADFF}",
  wholeNumber: "{C6D124CA-7EDA-4a60-AEA9-7FB8D318B68F}",
  money: "{533B9E00-756B-4312-95A0-DC888637AC78}",
  yesNo: "{67FAC785-CD58-4f9f-ABB3-4B7DDC6ED5ED}",
  subgrid: "{E7A81278-8635-4D9E-8D4D-59480B391C5B}",
} as const;

function classIdOf(column: ColumnDefinition): string {
  switch (column.type) {
    case "string":
      return column.format === "url" ? classId.url : column.format === "email" ? classId.email : classId.text;
    case "memo":
      return classId.memo;
    case "lookup":
    case "owner":
      return classId.lookup;
    case "choice":
    case "state":
      return classId.choice;
    case "multichoice":
      return classId.multiChoice;
    case "status":
      return classId.status;
    case "datetime":
      return classId.dateTime;
    case "integer":
    case "bigint":
      return classId.wholeNumber;
    case "money":
      return classId.money;
    case "boolean":
      return classId.yesNo;
    default:
      return classId.text;
  }
}

/** One `<systemform>` of any type, with the `<form>` already built. */
export interface FormContent {
  id: string;
  /** `main`, or `quickCreate` (a `quick` form in an export is a quick view form). */
  type: "main" | "quickCreate";
  name: string;
  description: string;
  form: XmlElement;
}

/**
 * Who sees a form and in which order: `roles` limits it to those security roles (ids), otherwise
 * everyone; `fallback` offers it to users none of whose roles match another form.
 */
export interface DisplayConditions {
  order: number;
  fallback: boolean;
  roles?: readonly string[];
}

function displayConditions(conditions: DisplayConditions): XmlElement {
  return el(
    "DisplayConditions",
    { Order: conditions.order, FallbackForm: String(conditions.fallback) },
    conditions.roles && conditions.roles.length > 0 ? conditions.roles.map((id) => el("Role", { Id: braced(id) })) : el("Everyone"),
  );
}

/** The left navigation areas of a main form, as the platform's own main forms list them. */
const navBarAreas: readonly { id: string; title: string }[] = [
  { id: "Info", title: "Common" },
  { id: "Sales", title: "Sales" },
  { id: "Service", title: "Service" },
  { id: "Marketing", title: "Marketing" },
  { id: "ProcessCenter", title: "Process Sessions" },
];

const titles = (text: string) => el("Titles", undefined, el("Title", { LCID: languageCode, Text: text }));

/** `<Navigation>`: one related-rows item per relationship (shown under Related), then the standard areas. */
function navigation(items: readonly { relationship: Relationship; title: string }[]): XmlElement {
  return el(
    "Navigation",
    undefined,
    el(
      "NavBar",
      { ValidForCreate: 0, ValidForUpdate: 1 },
      items.map((item, index) =>
        el(
          "NavBarByRelationshipItem",
          { RelationshipName: item.relationship.relationshipName, Id: `nav_${item.relationship.relationshipName}`, Area: "Info", Sequence: 10000 + index * 10, Show: "true" },
          titles(item.title),
        ),
      ),
    ),
    el("NavBarAreas", undefined, navBarAreas.map((area) => el("NavBarArea", { Id: area.id }, titles(area.title)))),
  );
}

/** A sub-grid of one of our tables on a host form, filtered to the host record through a lookup. */
export interface SubgridPlacement {
  key: string;
  label: string;
  /** The table the sub-grid lists. */
  table: TableDefinition;
  /** The lookup on `table` that points at the host table: its relationship filters the rows. */
  lookup: LookupColumn;
  viewId: string;
  /** When set, the sub-grid is replaced by this code component with these static inputs. */
  control?: { name: string; dataSetName: string; staticInputs: Record<string, { type: string; value: string }> };
}

export interface HostFormDefinition {
  /** The host table (Account, Case, Campaign, Event). */
  table: TableDefinition;
  name: string;
  description: string;
  sections: SubgridPlacement[];
}

export function formId(table: TableDefinition, type: FormContent["type"] = "main"): string {
  return stableGuid("form", table.logicalName, type);
}

/** Form factors the code component is configured for: 0 web, 1 tablet, 2 phone (the form designer writes all three). */
const formFactors = [0, 1, 2] as const;

function relationshipOf(placement: SubgridPlacement, host: TableDefinition): string {
  const target = placement.lookup.targets.find((candidate) => candidate.table === host.logicalName);
  if (!target) throw new Error(`${placement.table.logicalName}.${placement.lookup.logicalName} does not point at ${host.logicalName}`);
  return target.relationshipName;
}

/** The view parameters a sub-grid and the data-set of the code component share. */
function viewParameters(placement: SubgridPlacement, host: TableDefinition): XmlElement[] {
  const view = braced(placement.viewId);
  return [
    txt("ViewId", view),
    txt("IsUserView", "false"),
    txt("RelationshipName", relationshipOf(placement, host)),
    txt("TargetEntityType", placement.table.logicalName),
    txt("AutoExpand", "Fixed"),
    txt("EnableQuickFind", "false"),
    txt("EnableViewPicker", "false"),
    txt("ViewIds", view),
    txt("EnableJumpBar", "false"),
    txt("ChartGridMode", "Grid"),
    txt("RecordsPerPage", 50),
  ];
}

function subgridSection(host: TableDefinition, placement: SubgridPlacement): { section: XmlElement; description?: XmlElement } {
  const uniqueId = braced(stableGuid("form", host.logicalName, placement.key, "control"));
  const cell = el(
    "cell",
    { id: braced(stableGuid("form", host.logicalName, placement.key, "cell")), showlabel: "false", rowspan: 12, colspan: 1, auto: "false" },
    labels(placement.label),
    ordered(
      "control",
      { indicationOfSubgrid: "true", id: `${placement.key}_grid`, classid: classId.subgrid, uniqueid: uniqueId },
      el("parameters", undefined, viewParameters(placement, host)),
    ),
  );
  const section = el(
    "section",
    { name: placement.key, id: braced(stableGuid("form", host.logicalName, placement.key, "section")), showlabel: "true", showbar: "false", IsUserDefined: "0" },
    labels(placement.label),
    el("rows", undefined, el("row", undefined, cell)),
  );
  const control = placement.control;
  if (!control) return { section };
  const description = el(
    "controlDescription",
    { forControl: uniqueId },
    el("customControl", { id: classId.subgrid }, el("parameters", undefined, viewParameters(placement, host))),
    formFactors.map((formFactor) =>
      el(
        "customControl",
        { formFactor, name: control.name },
        el(
          "parameters",
          undefined,
          el("data-set", { name: control.dataSetName }, viewParameters(placement, host)),
          Object.entries(control.staticInputs).map(([input, { type, value }]) => txt(input, value, { type, static: "true" })),
        ),
      ),
    ),
  );
  return { section, description };
}

/** A cell showing one column of the form's table. */
function fieldCell(table: TableDefinition, column: ColumnDefinition, prefix = ""): XmlElement {
  return el(
    "cell",
    { id: braced(stableGuid("form", table.logicalName, prefix, column.logicalName, "cell")), showlabel: "true", locklevel: 0 },
    labels(column.displayName),
    el("control", { id: `${prefix}${column.logicalName}`, classid: classIdOf(column), datafieldname: column.logicalName, disabled: "false" }),
  );
}

function primaryNameColumn(table: TableDefinition): ColumnDefinition {
  const column = Object.values(table.columns).find((candidate) => candidate.logicalName === table.primaryNameAttribute);
  if (!column) throw new Error(`${table.logicalName} has no column for its primary name ${table.primaryNameAttribute}`);
  return column;
}

/**
 * The `<form>` of a host table's PhotoShelter main form: the record's name, then one section per
 * sub-grid, the related PhotoShelter rows in the navigation, and shown to the roles given. A form of
 * our own (not an edit of Microsoft's) so it imports the same way managed and unmanaged and never
 * overwrites a customer's form.
 */
export function hostForm(
  definition: HostFormDefinition,
  options: { navigation: readonly { relationship: Relationship; title: string }[]; display: DisplayConditions },
): FormContent {
  const host = definition.table;
  const summary = el(
    "section",
    { name: "summary", id: braced(stableGuid("form", host.logicalName, "summary")), showlabel: "false", showbar: "false", IsUserDefined: "0" },
    labels("Summary"),
    el("rows", undefined, el("row", undefined, el(
      "cell",
      { id: braced(stableGuid("form", host.logicalName, "name", "cell")) },
      labels(primaryNameColumn(host).displayName),
      el("control", { id: host.primaryNameAttribute, classid: classId.text, datafieldname: host.primaryNameAttribute, disabled: "false" }),
    ))),
  );
  const placed = definition.sections.map((placement) => subgridSection(host, placement));
  const described = placed.flatMap((entry) => (entry.description ? [entry.description] : []));
  const form = el(
    "form",
    undefined,
    el(
      "tabs",
      undefined,
      el(
        "tab",
        { name: "photoshelter", id: braced(stableGuid("form", host.logicalName, "tab")), IsUserDefined: "0", expanded: "true", showlabel: "true" },
        labels("PhotoShelter"),
        el("columns", undefined, el("column", { width: "100%" }, el("sections", undefined, summary, placed.map((entry) => entry.section)))),
      ),
    ),
    navigation(options.navigation),
    displayConditions(options.display),
    described.length > 0 && el("controlDescriptions", undefined, described),
  );
  return { id: formId(host), type: "main", name: definition.name, description: definition.description, form };
}

/** How the main form of one of our tables is laid out: sections of columns, in order. */
export interface TableFormLayout {
  sections: readonly { key: string; label: string; columns: readonly ColumnDefinition[] }[];
  /** People create rows of this table by hand (a quick create form); false when only automation writes them. */
  quickCreate: boolean;
}

/**
 * The main form and (when people create rows) the quick create form of a table we ship, as the
 * maker portal writes them for a new table: status and owner in the header, the columns in
 * sections, shown to everyone and the fallback. Only `columns` (those this solution ships) appear.
 */
export function tableForms(table: TableDefinition, columns: readonly ColumnDefinition[], layout: TableFormLayout): FormContent[] {
  const shipped = new Set(columns.map((column) => column.logicalName));
  const has = (column: ColumnDefinition) => shipped.has(column.logicalName);
  const byType = (type: ColumnDefinition["type"]) => columns.find((column) => column.type === type);
  const headerColumns = [byType("status"), byType("owner")].filter((column): column is ColumnDefinition => column !== undefined);
  const sections = layout.sections
    .map((section) => ({ ...section, columns: section.columns.filter(has) }))
    .filter((section) => section.columns.length > 0);
  const sectionXml = (formType: string, section: (typeof sections)[number]) =>
    el(
      "section",
      { name: section.key, id: braced(stableGuid("form", table.logicalName, formType, section.key)), showlabel: "true", showbar: "false", IsUserDefined: "0", columns: 1 },
      labels(section.label),
      el("rows", undefined, section.columns.map((column) => el("row", undefined, fieldCell(table, column)))),
    );
  const tab = (formType: string, label: string, content: XmlElement[]) =>
    el(
      "tab",
      { name: "general", id: braced(stableGuid("form", table.logicalName, formType, "tab")), IsUserDefined: "0", verticallayout: "true", expanded: "true", showlabel: "false" },
      labels(label),
      el("columns", undefined, el("column", { width: "100%" }, el("sections", undefined, content))),
    );
  const header = el(
    "header",
    { id: braced(stableGuid("form", table.logicalName, "main", "header")), celllabelposition: "Top", columns: "111", labelwidth: 115, celllabelalignment: "Left" },
    el("rows", undefined, el("row", undefined, headerColumns.map((column) => fieldCell(table, column, "header_")))),
  );
  const everyone: DisplayConditions = { order: 0, fallback: true };
  const main: FormContent = {
    id: formId(table, "main"),
    type: "main",
    name: "Information",
    description: `Main form of ${table.displayCollectionName}.`,
    form: el("form", undefined, el("tabs", undefined, tab("main", "General", sections.map((section) => sectionXml("main", section)))), header, displayConditions(everyone)),
  };
  if (!layout.quickCreate) return [main];
  // The quick create form takes the required columns and the first section's, as the maker portal's default does.
  const quickColumns = columns.filter((column) => !column.system && column.type !== "primarykey" && column.type !== "status" && column.type !== "state" && (column.requiredLevel === "required" || sections[0]?.columns.includes(column)));
  const quick: FormContent = {
    id: formId(table, "quickCreate"),
    type: "quickCreate",
    name: `Quick Create: ${table.displayName}`,
    description: `Quick create form of ${table.displayCollectionName}.`,
    form: el("form", undefined, el("tabs", undefined, tab("quickCreate", "", [sectionXml("quickCreate", { key: "quickcreate", label: table.displayName, columns: quickColumns })])), displayConditions(everyone)),
  };
  return [main, quick];
}

/** The `<systemform>` around a form. */
export function systemForm(content: FormContent): XmlElement {
  return el(
    "systemform",
    undefined,
    txt("formid", braced(content.id)),
    txt("IntroducedVersion", introducedVersion),
    txt("FormPresentation", 1),
    txt("FormActivationState", 1),
    content.form,
    txt("IsCustomizable", 1),
    txt("CanBeDeleted", 1),
    localizedNames(content.name),
    descriptions(content.description),
  );
}
