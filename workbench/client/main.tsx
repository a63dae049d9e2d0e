/**
 * The workbench page: signs in the chosen user, reads the control's manifest, loads its production
 * bundle the way Dynamics does (platform libraries as globals, then bundle.js registers itself with
 * ComponentFramework.registerControl), and shows it on a simulated main form of the chosen record.
 */
import * as React from "react";
import * as ReactDOM from "react-dom";
import { FluentProvider, Spinner, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { ControlConstructor, ControlHost, HostRecord, SignedInUser } from "./controlHost";
import { DataverseHttp } from "./dataverse";
import { DialogHost, DialogService } from "./dialogs";
import { FormDefinition, formFor, FORMS, SUBGRID_TABLE } from "./forms";
import { isRightToLeft } from "./formatting";
import { ControlManifest, loadManifest, loadStrings } from "./manifest";
import { MetadataCache, queryName, TableMetadata } from "./metadata";
import { paramsToSearch, readParams, WorkbenchParams } from "./params";
import { UserPrivileges } from "./privileges";
import { clearRequestLog, installRequestLog, loggedRequests } from "./requestLog";
import { FormView, RecordChoice, UserChoice } from "./FormView";
import { WorkbenchHandle } from "./handle";

interface Settings {
  proxyUrl: string;
  controlName: string;
}

const root = document.getElementById("workbench-root") as HTMLElement;
let host: ControlHost | null = null;
const handle: WorkbenchHandle = { ready: false, error: null, requests: loggedRequests, clearRequests: clearRequestLog, renderCount: () => host?.renderCount ?? 0, context: () => host?.lastContext ?? null, notes: [] };
window.__workbench = handle;

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** The dev issuer's user list, tolerant of how each entry names its fields. */
function toUserChoices(body: unknown): UserChoice[] {
  const list = Array.isArray(body) ? body : ((body as { users?: unknown[]; value?: unknown[] })?.users ?? (body as { value?: unknown[] })?.value ?? []);
  return (list as Record<string, unknown>[])
    .map((user) => ({
      systemUserId: String(user.systemuserid ?? user.systemUserId ?? user.id ?? ""),
      name: String(user.name ?? user.fullname ?? user.upn ?? ""),
      description: String(user.description ?? user.segment ?? user.team ?? user.title ?? ""),
    }))
    .filter((user) => user.systemUserId !== "");
}

/** Loads bundle.js as the platform does and waits for it to register its constructor. */
function loadControl(controlBase: string, manifest: ControlManifest): Promise<ControlConstructor> {
  for (const css of manifest.cssPaths) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = `${controlBase}/${css}`;
    document.head.appendChild(link);
  }
  return new Promise((resolve, reject) => {
    const registered = new Map<string, ControlConstructor>();
    // The platform's registration entry point; bundle.js calls it as its last statement.
    (window as unknown as { ComponentFramework: { registerControl(name: string, control: ControlConstructor): void } }).ComponentFramework = {
      registerControl: (name, control) => void registered.set(name, control),
    };
    const script = document.createElement("script");
    script.src = `${controlBase}/${manifest.codePath}`;
    script.onload = () => {
      const control = registered.get(manifest.controlName);
      if (control) resolve(control);
      else reject(new Error(`bundle.js loaded but did not register "${manifest.controlName}" with ComponentFramework.registerControl.`));
    };
    script.onerror = () => reject(new Error(`Could not load ${script.src}.`));
    document.head.appendChild(script);
  });
}

async function loadRecordChoices(http: DataverseHttp, metadata: MetadataCache): Promise<RecordChoice[]> {
  const lists = await Promise.all(
    FORMS.map(async (form) => {
      try {
        const table = await metadata.table(form.table);
        const response = await http.send("GET", `${table.EntitySetName}?$select=${table.PrimaryNameAttribute}&$orderby=${table.PrimaryNameAttribute} asc&$top=100`);
        const rows = (response.body as { value?: Record<string, unknown>[] }).value ?? [];
        return rows.map((row) => ({ form: form.key, tableLabel: table.DisplayName, id: String(row[table.PrimaryIdAttribute]), name: String(row[table.PrimaryNameAttribute] ?? "") }));
      } catch {
        return []; // A table the organization does not have (Event without Marketing) has no form.
      }
    }),
  );
  return lists.flat();
}

async function loadRecord(http: DataverseHttp, table: TableMetadata, form: FormDefinition, id: string | null): Promise<{ record: HostRecord; row: Record<string, unknown> }> {
  if (id === "new") return { record: { entityName: table.LogicalName, id: null, name: "" }, row: {} };
  const columns = Array.from(new Set([table.PrimaryNameAttribute, ...form.fields, ...form.headerFields])).filter((name) => table.Attributes.get(name));
  const select = `$select=${columns.map((column) => queryName(table, column)).join(",")}`;
  let row: Record<string, unknown>;
  if (id) {
    row = (await http.send("GET", `${table.EntitySetName}(${id})?${select}`)).body as Record<string, unknown>;
  } else {
    const first = (await http.send("GET", `${table.EntitySetName}?${select}&$orderby=${table.PrimaryNameAttribute} asc&$top=1`)).body as { value?: Record<string, unknown>[] };
    if (!first.value?.[0]) throw new Error(`There is no ${table.DisplayName} in Dataverse to open.`);
    row = first.value[0];
  }
  return { record: { entityName: table.LogicalName, id: String(row[table.PrimaryIdAttribute]), name: String(row[table.PrimaryNameAttribute] ?? "") }, row };
}

function showFailure(error: unknown, params: WorkbenchParams): void {
  const message = error instanceof Error ? error.message : typeof error === "object" && error && "message" in error ? String((error as { message: unknown }).message) : String(error);
  handle.error = message;
  ReactDOM.render(
    <FluentProvider theme={params.theme === "dark" ? webDarkTheme : webLightTheme} className="wb-page">
      <div role="alert" className="wb-failure" data-testid="workbench-error">
        <h1>The workbench could not open this form</h1>
        <p>{message}</p>
      </div>
    </FluentProvider>,
    root,
  );
}

/**
 * An Entra sign-in that lands back on the workbench (the control's redirect URI is the origin's
 * root, as in Dynamics) in the control's hidden iframe or pop-up: the control reads the address and
 * closes the window, so the page stays blank instead of opening a second form.
 */
function isSignInRedirect(): boolean {
  const answer = new URLSearchParams(window.location.hash.slice(1) || window.location.search.slice(1));
  return answer.has("state") && (answer.has("code") || answer.has("error"));
}

async function main(): Promise<void> {
  if (isSignInRedirect()) return;
  const params = readParams(window.location.search);
  // The Dynamics mobile app opens no pop-ups (a sign-in that needs one cannot work there).
  if (params.client === "mobile") window.open = () => null;
  ReactDOM.render(<Spinner label="Opening the form…" className="wb-loading" />, root);
  try {
    const settings = await getJson<Settings>("/workbench/settings");
    installRequestLog(settings.proxyUrl);
    const users = toUserChoices(await getJson<unknown>("/workbench/users"));
    // Without a user in the address, the form opens as the person who works with it (and on a record of theirs).
    const form = formFor(params.form);
    const persona = params.user ? null : await getJson<{ user: string; id: string | null }>(`/workbench/persona?form=${form.key}&id=${encodeURIComponent(params.id ?? "")}`);
    const recordId = params.id ?? persona?.id ?? null;
    const chosen = users.find((user) => user.systemUserId.toLowerCase() === (params.user ?? persona?.user ?? "").toLowerCase()) ?? users[0];
    if (!chosen) throw new Error("The mock issuer lists no users to sign in as.");
    const user: SignedInUser = { systemUserId: chosen.systemUserId, name: chosen.name };
    const http = new DataverseHttp(user.systemUserId, "workbench");
    const metadata = new MetadataCache(http);
    const controlBase = `/controls/${settings.controlName}`;

    const [manifest, privileges, table, records] = await Promise.all([
      loadManifest(controlBase),
      UserPrivileges.load(http, user.systemUserId),
      metadata.table(form.table),
      loadRecordChoices(http, metadata),
      metadata.table(SUBGRID_TABLE),
    ]);
    const [strings, opened, control] = await Promise.all([
      loadStrings(controlBase, manifest, params.languageId),
      loadRecord(http, table, form, recordId),
      loadControl(controlBase, manifest),
    ]);
    // The control's languages, and Arabic to check the right-to-left layout (no Arabic resx: the
    // platform then shows the base language's strings, as the workbench does).
    const languages = Array.from(new Set([...manifest.resx.keys(), 1025])).sort((a, b) => a - b);
    const navigate = (next: Partial<WorkbenchParams>) => {
      // Another form opens as its own person unless a user is chosen; the same form keeps the user.
      const otherForm = next.form !== undefined && next.form !== form.key && next.user === undefined;
      window.location.search = paramsToSearch({ ...params, id: opened.record.id ?? params.id, user: otherForm ? null : user.systemUserId, ...next });
    };

    const mount = (show: (element: React.ReactElement) => void) => {
      host = new ControlHost({
        control,
        manifest,
        controlBase,
        strings,
        languageId: params.languageId,
        theme: params.theme,
        user,
        record: opened.record,
        dataSetTable: SUBGRID_TABLE,
        inputs: { proxyBaseUrl: settings.proxyUrl, profile: "auto" },
        http,
        metadata,
        privileges,
        dialogs,
        disabled: params.readOnly,
        mobile: params.client === "mobile",
        show,
        openForm: (entityName, id) => {
          const target = FORMS.find((candidate) => candidate.table === entityName);
          if (target) navigate({ form: target.key, id });
          else handle.notes.push({ event: "openForm", detail: { entityName, id } });
        },
        note: (event, detail) => handle.notes.push({ event, detail }),
      });
      host.start();
      return host;
    };
    const dialogs = new DialogService();

    ReactDOM.render(
      <FluentProvider theme={params.theme === "dark" ? webDarkTheme : webLightTheme} dir={isRightToLeft(params.languageId) ? "rtl" : "ltr"} className="wb-page">
        <FormView
          form={form}
          table={table}
          row={opened.row}
          record={opened.record}
          records={records}
          users={users}
          user={user}
          languages={languages}
          params={params}
          navigate={navigate}
          mount={mount}
          onReady={() => {
            handle.ready = true;
          }}
        />
        <DialogHost service={dialogs} />
      </FluentProvider>,
      root,
    );
  } catch (error) {
    showFailure(error, params);
  }
}

void main();
