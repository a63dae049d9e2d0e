import type { LookupColumn, TableDefinition } from "../model";
import { braced, stableGuid } from "./ids";
import { descriptions, introducedVersion, labels, localizedNames } from "./labels";
import { el, ordered, txt, type XmlElement } from "./xml";

/** Classids of the platform's form controls we place. */
const classId = {
  text: "{4273EDBD-AC1D-40d3-9FB2-095C621B552D}",
  subgrid: "{E7A81278-8635-4D9E-8D4D-59480B391C5B}",
} as const;

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

export function formId(table: TableDefinition): string {
  return stableGuid("form", table.logicalName, "main");
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

/**
 * The `<form>` of a host table's PhotoShelter main form: the record's name, then one section per
 * sub-grid. A form of our own (not an edit of Microsoft's) so it imports the same way managed and
 * unmanaged and never overwrites a customer's form.
 */
export function hostForm(definition: HostFormDefinition): XmlElement {
  const host = definition.table;
  const nameCell = el(
    "cell",
    { id: braced(stableGuid("form", host.logicalName, "name", "cell")) },
    labels(Object.values(host.columns).find((column) => column.logicalName === host.primaryNameAttribute)?.displayName ?? "Name"),
    el("control", { id: host.primaryNameAttribute, classid: classId.text, datafieldname: host.primaryNameAttribute, disabled: "false" }),
  );
  const summary = el(
    "section",
    { name: "summary", id: braced(stableGuid("form", host.logicalName, "summary")), showlabel: "false", showbar: "false", IsUserDefined: "0" },
    labels("Summary"),
    el("rows", undefined, el("row", undefined, nameCell)),
  );
  const placed = definition.sections.map((placement) => subgridSection(host, placement));
  const described = placed.flatMap((entry) => (entry.description ? [entry.description] : []));
  return el(
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
    described.length > 0 && el("controlDescriptions", undefined, described),
  );
}

/** The `<systemform>` around a host form. */
export function systemForm(definition: HostFormDefinition): XmlElement {
  return el(
    "systemform",
    undefined,
    txt("formid", braced(formId(definition.table))),
    txt("IntroducedVersion", introducedVersion),
    txt("FormPresentation", 1),
    txt("FormActivationState", 1),
    hostForm(definition),
    txt("IsCustomizable", 1),
    txt("CanBeDeleted", 1),
    localizedNames(definition.name),
    descriptions(definition.description),
  );
}
