import * as React from "../platform/react";
import { Field, Input, SearchBox, Select, Switch } from "@fluentui/react-components";
import { MEDIA_TYPES, ORIENTATIONS, RIGHTS_FILTERS, SORT_ORDERS, SearchQuery } from "../domain/searchQuery";

import { useStrings } from "./Strings";


export interface SearchFiltersProps {
  /** The search text as typed (the query itself follows it after a short pause). */
  text: string;
  onTextChange: (text: string) => void;
  query: SearchQuery;
  onChange: (change: Partial<SearchQuery>) => void;
}

/** Search box, filters, sort and the "show all" switch of the browse panel. */
export const SearchFilters = React.memo(function SearchFilters(props: SearchFiltersProps) {
  const { text, onTextChange, query, onChange } = props;
  const getString = useStrings();
  const field = (labelKey: string, control: React.ReactElement) => (
    <Field label={getString(labelKey)} size="small">
      {control}
    </Field>
  );
  const select = <K extends keyof SearchQuery>(key: K, labelKey: string, values: readonly string[], optionPrefix: string, any: boolean) =>
    field(
      labelKey,
      <Select size="small" value={String(query[key] ?? "")} onChange={(_event, data) => onChange({ [key]: data.value } as Partial<SearchQuery>)}>
        {any ? <option value="">{getString("Filter_Any")}</option> : null}
        {values.map((value) => (
          <option key={value} value={value}>
            {getString(`${optionPrefix}${value}`)}
          </option>
        ))}
      </Select>,
    );
  // From and to bound each other, so the browser's date picker offers no empty range.
  const date = (key: "from" | "to", labelKey: string, bounds: { min?: string; max?: string }) =>
    field(labelKey, <Input size="small" type="date" value={query[key]} {...bounds} onChange={(_event, data) => onChange({ [key]: data.value })} />);
  return (
    <div className="psh-stack">
      <SearchBox value={text} placeholder={getString("Browse_SearchPlaceholder")} aria-label={getString("Browse_SearchLabel")} onChange={(_event, data) => onTextChange(data.value)} />
      <div className="psh-wrap-row">
        {select("mediaType", "Filter_MediaType", MEDIA_TYPES, "MediaType_", true)}
        {select("rights", "Filter_Rights", RIGHTS_FILTERS, "RightsFilter_", true)}
        {select("orientation", "Filter_Orientation", ORIENTATIONS, "Orientation_", true)}
        {date("from", "Filter_From", { max: query.to || undefined })}
        {date("to", "Filter_To", { min: query.from || undefined })}
        {select("sort", "Filter_Sort", SORT_ORDERS, "Sort_", false)}
        <Switch checked={query.includeRestricted} label={getString("Filter_ShowAll")} onChange={(_event, data) => onChange({ includeRestricted: data.checked })} />
      </div>
    </div>
  );
});
