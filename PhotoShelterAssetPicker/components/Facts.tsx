import * as React from "../platform/react";

import { useStrings } from "./Strings";


/** Terms (resx keys) and their values as a description list; empty values are left out. */
export function Facts(props: { label: string; facts: ReadonlyArray<[string, string | null]>}) {
  const getString = useStrings();
  return (
    <dl className="psh-facts" aria-label={props.label}>
      {props.facts
        .filter(([, value]) => value !== null && value !== "")
        .map(([key, value]) => (
          <React.Fragment key={key}>
            <dt className="psh-muted">{getString(key)}</dt>
            <dd>{value}</dd>
          </React.Fragment>
        ))}
    </dl>
  );
}
