/**
 * The simulated model-driven main form: a bar with the workbench's pickers (record, user, language,
 * theme, read-only), the form header (record name, table, header fields), the General section with
 * real field values from Dataverse, and the control where the asset-link sub-grid would be.
 */
import * as React from "react";
import { Caption1, Field, Select, Subtitle2, Switch, Text, Title3 } from "@fluentui/react-components";
import { ControlHost, HostRecord, SignedInUser } from "./controlHost";
import { FormDefinition, FORMS } from "./forms";
import { localeOf } from "./formatting";
import { queryName, TableMetadata } from "./metadata";
import { WorkbenchParams } from "./params";

export interface RecordChoice {
  form: string;
  tableLabel: string;
  id: string;
  name: string;
}

export interface UserChoice {
  systemUserId: string;
  name: string;
  description: string;
}

export interface FormViewProps {
  form: FormDefinition;
  table: TableMetadata;
  row: Record<string, unknown>;
  record: HostRecord;
  records: RecordChoice[];
  users: UserChoice[];
  user: SignedInUser;
  languages: number[];
  params: WorkbenchParams;
  navigate(next: Partial<WorkbenchParams>): void;
  mount(show: (element: React.ReactElement) => void): ControlHost;
  onReady(): void;
}

const FORMATTED = "@OData.Community.Display.V1.FormattedValue";

/** A field's display value as the form shows it: the formatted value when Dataverse sent one. */
function displayValue(row: Record<string, unknown>, table: TableMetadata, column: string): string {
  const key = queryName(table, column);
  const formatted = row[`${key}${FORMATTED}`];
  if (typeof formatted === "string") return formatted;
  const raw = row[key];
  return raw === null || raw === undefined || raw === "" ? "---" : String(raw);
}

function languageName(languageId: number): string {
  const locale = localeOf(languageId);
  const name = new Intl.DisplayNames([locale], { type: "language" }).of(locale.split("-")[0]) ?? locale;
  return `${name} (${languageId})`;
}

function ControlSlot({ mount, onReady }: Pick<FormViewProps, "mount" | "onReady">): React.ReactElement {
  const [element, setElement] = React.useState<React.ReactElement | null>(null);
  const containerRef = React.useRef<HTMLDivElement>(null);
  const readyRef = React.useRef(onReady);
  React.useEffect(() => {
    let first = true;
    const host = mount((next) => {
      setElement(next);
      if (first) {
        first = false;
        readyRef.current();
      }
    });
    const container = containerRef.current;
    const observer = new ResizeObserver((entries) => host.containerResized(Math.round(entries[0].contentRect.width)));
    if (container) observer.observe(container);
    return () => {
      observer.disconnect();
      host.destroy();
    };
  }, [mount]);
  return (
    <div ref={containerRef} className="wb-control" data-testid="control-container">
      {element}
    </div>
  );
}

export function FormView(props: FormViewProps): React.ReactElement {
  const { form, table, row, record, records, users, user, languages, params, navigate } = props;
  const [readOnly, setReadOnly] = React.useState(params.readOnly);
  const hostRef = React.useRef<ControlHost | null>(null);
  const mount = React.useCallback(
    (show: (element: React.ReactElement) => void) => {
      hostRef.current = props.mount(show);
      return hostRef.current;
    },
    // The control is created once per page, as on a form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  const fields = form.fields.filter((column) => table.Attributes.get(column));
  const headerFields = form.headerFields.filter((column) => table.Attributes.get(column));
  const recordValue = record.id ? `${form.key}:${record.id}` : `${form.key}:new`;

  return (
    <div className="wb-shell">
      <header className="wb-bar" aria-label="Workbench settings">
        <Text weight="semibold" className="wb-brand">
          Dynamics 365 · PhotoShelter workbench
        </Text>
        <Field label="Record" className="wb-picker">
          <Select
            data-testid="pick-record"
            value={recordValue}
            onChange={(_event, data) => {
              const [key, id] = data.value.split(":");
              navigate({ form: key, id });
            }}
          >
            {FORMS.map((candidate) => {
              const choices = records.filter((choice) => choice.form === candidate.key);
              if (choices.length === 0) return null;
              return (
                <optgroup key={candidate.key} label={choices[0].tableLabel}>
                  {choices.map((choice) => (
                    <option key={choice.id} value={`${candidate.key}:${choice.id}`}>
                      {choice.name}
                    </option>
                  ))}
                  <option value={`${candidate.key}:new`}>{`New ${choices[0].tableLabel} (unsaved)`}</option>
                </optgroup>
              );
            })}
          </Select>
        </Field>
        <Field label="Signed-in user" className="wb-picker wb-picker-wide">
          <Select data-testid="pick-user" value={user.systemUserId} onChange={(_event, data) => navigate({ user: data.value })}>
            {users.map((choice) => (
              <option key={choice.systemUserId} value={choice.systemUserId}>
                {choice.description ? `${choice.name} — ${choice.description}` : choice.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Language" className="wb-picker">
          <Select data-testid="pick-language" value={String(params.languageId)} onChange={(_event, data) => navigate({ languageId: Number(data.value) })}>
            {languages.map((languageId) => (
              <option key={languageId} value={String(languageId)}>
                {languageName(languageId)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Theme" className="wb-picker">
          <Select data-testid="pick-theme" value={params.theme} onChange={(_event, data) => navigate({ theme: data.value === "dark" ? "dark" : "light" })}>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </Select>
        </Field>
        <Field label="Client" className="wb-picker">
          <Select data-testid="pick-client" value={params.client} onChange={(_event, data) => navigate({ client: data.value === "mobile" ? "mobile" : "web" })}>
            <option value="web">Web browser</option>
            <option value="mobile">Mobile app</option>
          </Select>
        </Field>
        <Switch
          data-testid="toggle-readonly"
          label="Read-only form"
          checked={readOnly}
          onChange={(_event, data) => {
            setReadOnly(data.checked);
            hostRef.current?.setDisabled(data.checked);
          }}
        />
      </header>

      <main className="wb-form" aria-label={`${table.DisplayName} form`}>
        <div className="wb-form-header">
          <div>
            <Title3 as="h1" data-testid="record-name">
              {record.id ? record.name : `New ${table.DisplayName}`}
            </Title3>
            <Caption1 as="p">{`${table.DisplayName} · ${table.DisplayName} main form`}</Caption1>
          </div>
          <dl className="wb-header-fields">
            {headerFields.map((column) => (
              <div key={column}>
                <dt>{table.Attributes.get(column)?.DisplayName}</dt>
                <dd>{displayValue(row, table, column)}</dd>
              </div>
            ))}
          </dl>
        </div>
        <div className="wb-tabs" role="tablist">
          <span role="tab" aria-selected="true">
            Summary
          </span>
        </div>
        <div className="wb-sections">
          <section className="wb-section" aria-labelledby="wb-general">
            <Subtitle2 as="h2" id="wb-general">
              General
            </Subtitle2>
            <dl className="wb-fields">
              {fields.map((column) => (
                <div key={column} className="wb-field">
                  <dt>{table.Attributes.get(column)?.DisplayName}</dt>
                  <dd data-field={column}>{record.id ? displayValue(row, table, column) : "---"}</dd>
                </div>
              ))}
            </dl>
          </section>
          <section className="wb-section wb-subgrid" aria-label="PhotoShelter asset links (sub-grid)">
            <ControlSlot mount={mount} onReady={props.onReady} />
          </section>
        </div>
      </main>
    </div>
  );
}
