/**
 * System charts (savedqueryvisualization, component type 59): an aggregate FetchXML in
 * `datadescription` and the chart control's rendering in `presentationdescription`, as the chart
 * designer saves them (chart XML reference: MicrosoftDocs/powerapps-docs, model-driven apps
 * "Chart data description" and "Chart presentation description" pages).
 */
import type { ColumnDefinition, TableDefinition } from "../model";
import { braced, stableGuid } from "./ids";
import { descriptions, introducedVersion, localizedNames } from "./labels";
import { el, txt, type XmlElement } from "./xml";

export interface ChartDefinition {
  table: TableDefinition;
  key: string;
  name: string;
  description: string;
  /** The column the chart groups by (one bar or column per value). */
  groupBy: ColumnDefinition;
  /**
   * A date column's part to group by, as the chart designer saves it (`dategrouping`, in UTC:
   * `usertimezone="false"`), the categories in date order. Month groups by the calendar month of
   * each year, as Microsoft's own "Lead Generation Rate" chart does.
   */
  dateGrouping?: "day" | "week" | "month" | "quarter" | "year";
  /** The columns summed per group, one series each. */
  sums: readonly ColumnDefinition[];
}

export function chartId(chart: ChartDefinition): string {
  return stableGuid("chart", chart.table.logicalName, chart.key);
}

/** Every column a chart reads, for placement. */
export function chartColumns(chart: ChartDefinition): ColumnDefinition[] {
  return [chart.groupBy, ...chart.sums];
}

function dataDescription(chart: ChartDefinition): XmlElement {
  const alias = (column: ColumnDefinition) => `sum_${column.logicalName}`;
  return el(
    "datadescription",
    undefined,
    el(
      "datadefinition",
      undefined,
      el(
        "fetchcollection",
        undefined,
        el(
          "fetch",
          { mapping: "logical", aggregate: "true" },
          el(
            "entity",
            { name: chart.table.logicalName },
            chart.sums.map((column) => el("attribute", { alias: alias(column), name: column.logicalName, aggregate: "sum" })),
            el("attribute", { groupby: "true", alias: "groupby_column", name: chart.groupBy.logicalName, ...(chart.dateGrouping ? { dategrouping: chart.dateGrouping, usertimezone: "false" } : {}) }),
            chart.dateGrouping && el("order", { alias: "groupby_column", descending: "false" }),
          ),
        ),
      ),
      el(
        "categorycollection",
        undefined,
        el("category", undefined, el("measurecollection", undefined, chart.sums.map((column) => el("measure", { alias: alias(column) })))),
      ),
    ),
  );
}

/** A clustered column chart, one series per sum, in the designer's default styling. */
function presentationDescription(chart: ChartDefinition): XmlElement {
  const axisLabel = { Font: "{0}, 10.5px", ForeColor: "59, 59, 59" };
  return el(
    "presentationdescription",
    undefined,
    el(
      "Chart",
      { Palette: "None", PaletteCustomColors: "55,118,193; 197,56,52; 149,189,66; 117,82,160; 49,171,204; 255,136,35" },
      el(
        "Series",
        undefined,
        chart.sums.map(() => el("Series", { ChartType: "Column", IsValueShownAsLabel: "True", Font: "{0}, 9.5px", LabelForeColor: "59, 59, 59", CustomProperties: "PointWidth=0.75, MaxPixelPointWidth=40" })),
      ),
      el(
        "ChartAreas",
        undefined,
        el(
          "ChartArea",
          { BorderColor: "White", BorderDashStyle: "Solid" },
          el("AxisY", { LabelAutoFitMinFontSize: 8, TitleForeColor: "59, 59, 59", TitleFont: "{0}, 10.5px", LineColor: "165, 172, 181", IntervalAutoMode: "VariableCount" }, el("MajorGrid", { LineColor: "239, 242, 246" }), el("MajorTickMark", { LineColor: "165, 172, 181", Size: 2, TickMarkStyle: "None" }), el("LabelStyle", axisLabel)),
          el("AxisX", { LabelAutoFitMinFontSize: 8, TitleForeColor: "59, 59, 59", TitleFont: "{0}, 10.5px", LineColor: "165, 172, 181", IntervalAutoMode: "VariableCount" }, el("MajorTickMark", { LineColor: "165, 172, 181", Size: 2, TickMarkStyle: "None" }), el("MajorGrid", { LineColor: "Transparent" }), el("LabelStyle", axisLabel)),
        ),
      ),
      el("Titles", undefined, el("Title", { Alignment: "TopLeft", DockingOffset: -3, Font: "{0}, 13px", ForeColor: "59, 59, 59" })),
      el("Legends", undefined, el("Legend", { Alignment: "Center", LegendStyle: "Table", Docking: "Bottom", IsEquallySpacedItems: "True", Font: "{0}, 11px", ShadowColor: "0, 0, 0, 0", ForeColor: "59, 59, 59" })),
    ),
  );
}

/** One `<visualization>` under the table's `<Visualizations>` (xs:all, so order is free). */
export function visualization(chart: ChartDefinition): XmlElement {
  return el(
    "visualization",
    undefined,
    txt("savedqueryvisualizationid", braced(chartId(chart))),
    localizedNames(chart.name),
    descriptions(chart.description),
    dataDescription(chart),
    presentationDescription(chart),
    txt("isdefault", 0),
    txt("IsCustomizable", 1),
    txt("IntroducedVersion", introducedVersion),
    txt("CanBeDeleted", 1),
  );
}
