import * as React from "react";
import { makeStyles, tokens } from "@fluentui/react-components";
import type { GetString } from "../services/strings";

const useStyles = makeStyles({
  facts: { margin: 0, display: "grid", gridTemplateColumns: "auto 1fr", columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalXS },
  term: { color: tokens.colorNeutralForeground3 },
  value: { margin: 0, overflowWrap: "anywhere" },
});

/** Terms (resx keys) and their values as a description list; empty values are left out. */
export function Facts(props: { label: string; facts: ReadonlyArray<[string, string | null]>; getString: GetString }) {
  const styles = useStyles();
  return (
    <dl className={styles.facts} aria-label={props.label}>
      {props.facts
        .filter(([, value]) => value !== null && value !== "")
        .map(([key, value]) => (
          <React.Fragment key={key}>
            <dt className={styles.term}>{props.getString(key)}</dt>
            <dd className={styles.value}>{value}</dd>
          </React.Fragment>
        ))}
    </dl>
  );
}
