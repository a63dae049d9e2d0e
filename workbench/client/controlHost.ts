/**
 * Hosts one instance of the control the way a model-driven form does: builds the PCF context
 * (backed by real HTTP to Dataverse), calls init, then updateView whenever something the control
 * sees changes (dataset loaded, layout, disabled state, requestRender), batching changes into one
 * render per frame, and destroy when the form goes away.
 */
import * as React from "react";
import { BrandVariants, webDarkTheme, webLightTheme } from "@fluentui/react-components";
import { DataverseHttp } from "./dataverse";
import { LinkedRowsSource } from "./dataset";
import { simulatedDevice } from "./device";
import { DialogService } from "./dialogs";
import { createFormatting, formattingInfo, isRightToLeft } from "./formatting";
import { ControlManifest } from "./manifest";
import { MetadataCache } from "./metadata";
import { UserPrivileges } from "./privileges";
import { WebApi } from "./webApi";

type AnyControl = ComponentFramework.ReactControl<Record<string, unknown>, Record<string, unknown>>;
export type ControlConstructor = new () => AnyControl;

export interface HostRecord {
  entityName: string;
  /** null for a new, unsaved record. */
  id: string | null;
  name: string;
}

export interface SignedInUser {
  systemUserId: string;
  name: string;
}

export type ThemeName = "light" | "dark";

export interface ControlHostOptions {
  control: ControlConstructor;
  manifest: ControlManifest;
  controlBase: string;
  strings: Map<string, string>;
  languageId: number;
  theme: ThemeName;
  user: SignedInUser;
  record: HostRecord;
  /** Table of the sub-grid the control replaces. */
  dataSetTable: string;
  /** Values of the control's input properties as configured on the form. */
  inputs: Record<string, string | null>;
  http: DataverseHttp;
  metadata: MetadataCache;
  privileges: UserPrivileges;
  dialogs: DialogService;
  disabled: boolean;
  /** The Dynamics mobile app (phone form factor) rather than a web browser. */
  mobile: boolean;
  /** Shows the element the control returned from updateView. */
  show(element: React.ReactElement): void;
  /** Opens another record's form (navigation.openForm, dataset.openDatasetItem). */
  openForm(entityName: string, id: string): void;
  /** Everything the control asked the host to do that has no screen of its own (openUrl, setFullScreen…). */
  note(event: string, detail: unknown): void;
}

/** Fluent's web brand ramp, which the model-driven modern look also uses. */
const BRAND: BrandVariants = {
  10: "#061724", 20: "#082338", 30: "#0A2E4A", 40: "#0C3B5E", 50: "#0E4775", 60: "#0F548C", 70: "#115EA3", 80: "#0F6CBD",
  90: "#2886DE", 100: "#479EF5", 110: "#62ABF5", 120: "#77B7F7", 130: "#96C6FA", 140: "#B4D6FA", 150: "#CFE4FA", 160: "#EBF3FC",
};

export class ControlHost {
  private readonly control: AnyControl;
  private readonly rows: LinkedRowsSource;
  private readonly pending = new Set<string>();
  private frame = 0;
  private disabled: boolean;
  private tracksResize = false;
  private width = -1;
  private destroyed = false;
  /** How many times updateView ran (read by tests). */
  renderCount = 0;
  /** The context of the latest updateView, for tests that exercise it as the control would. */
  lastContext: ComponentFramework.Context<Record<string, unknown>> | null = null;

  private readonly device: ComponentFramework.Device;

  constructor(private readonly options: ControlHostOptions) {
    this.control = new options.control();
    this.device = simulatedDevice(options.mobile, options.note);
    this.disabled = options.disabled;
    this.rows = new LinkedRowsSource(
      options.http.as("platform"),
      options.metadata,
      options.dataSetTable,
      options.record.id ? { entityName: options.record.entityName, id: options.record.id } : null,
      () => this.requestUpdate(["dataset", options.manifest.dataSetName ?? "dataset"]),
      (reference) => options.openForm(reference.etn ?? options.dataSetTable, reference.id.guid),
    );
  }

  start(): void {
    // When the control starts, for the sign-in benchmark (cold control → first proxy answer).
    performance.mark("workbench:control-init");
    this.control.init(this.context([]), () => this.options.note("notifyOutputChanged", this.control.getOutputs?.()), {});
    void this.rows.start();
    this.requestUpdate([]);
  }

  setDisabled(disabled: boolean): void {
    this.disabled = disabled;
    this.requestUpdate(["isControlDisabled"]);
  }

  /** The host measured the control's container (only reported once the control tracks resizes). */
  containerResized(width: number): void {
    if (width === this.width) return;
    this.width = width;
    if (this.tracksResize) this.requestUpdate(["layout"]);
  }

  destroy(): void {
    this.destroyed = true;
    cancelAnimationFrame(this.frame);
    this.control.destroy();
  }

  private requestUpdate(properties: string[]): void {
    if (this.destroyed) return;
    for (const property of properties) this.pending.add(property);
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.destroyed) return;
      const updated = Array.from(this.pending);
      this.pending.clear();
      this.renderCount += 1;
      this.lastContext = this.context(updated);
      this.options.show(this.control.updateView(this.lastContext));
    });
  }

  private context(updatedProperties: string[]): ComponentFramework.Context<Record<string, unknown>> {
    const o = this.options;
    const webAPI = new WebApi(o.http.as("control"), o.metadata);
    const info = formattingInfo(o.languageId);
    const parameters: Record<string, unknown> = {};
    if (o.manifest.dataSetName) parameters[o.manifest.dataSetName] = this.rows.snapshot();
    for (const property of o.manifest.properties) {
      const raw = o.inputs[property.name] ?? property.defaultValue;
      parameters[property.name] = { raw, formatted: raw ?? "", error: false, errorMessage: "", type: property.ofType, attributes: {}, security: { editable: true, readable: true, secured: false } };
    }
    const mode = {
      isControlDisabled: this.disabled,
      isVisible: true,
      label: o.strings.get("AssetLinks_DisplayName") ?? "",
      allocatedWidth: this.tracksResize ? this.width : -1,
      allocatedHeight: -1,
      setControlState: () => true,
      setFullScreen: (value: boolean) => o.note("setFullScreen", value),
      trackContainerResize: (value: boolean) => {
        this.tracksResize = value;
      },
      // Undocumented but present on model-driven forms: the record the form shows.
      contextInfo: { entityId: o.record.id ?? "", entityTypeName: o.record.entityName, entityRecordName: o.record.name },
    };
    return {
      parameters,
      updatedProperties,
      mode,
      webAPI,
      utils: {
        getEntityMetadata: (entityName: string) => o.metadata.table(entityName),
        hasEntityPrivilege: (entityTypeName, privilegeType, privilegeDepth) => o.privileges.has(entityTypeName, privilegeType, privilegeDepth),
        lookupObjects: () => Promise.reject(new Error("The workbench has no lookup dialog.")),
      },
      userSettings: {
        userId: `{${o.user.systemUserId.toUpperCase()}}`,
        userName: o.user.name,
        languageId: o.languageId,
        isRTL: isRightToLeft(o.languageId),
        securityRoles: [],
        dateFormattingInfo: info.date,
        numberFormattingInfo: info.number,
        getTimeZoneOffsetMinutes: (date?: Date) => -(date ?? new Date()).getTimezoneOffset(),
      },
      resources: {
        getString: (id: string) => o.strings.get(id) ?? "",
        getResource: (id: string, success: (data: string) => void, failure: () => void) => {
          fetch(`${o.controlBase}/${id}`)
            .then((response) => (response.ok ? response.arrayBuffer() : Promise.reject(new Error(String(response.status)))))
            .then((buffer) => success(btoa(String.fromCharCode(...new Uint8Array(buffer)))))
            .catch(() => failure());
        },
      },
      navigation: {
        openAlertDialog: (strings) => o.dialogs.alert(strings),
        openConfirmDialog: (strings) => o.dialogs.confirm(strings),
        openErrorDialog: (options) => o.dialogs.error(options),
        openUrl: (url: string) => {
          o.note("openUrl", url);
          window.open(url, "_blank", "noopener");
        },
        openForm: async (options) => {
          if (options.entityName && options.entityId) o.openForm(options.entityName, options.entityId);
          return { savedEntityReference: [] };
        },
        openFile: async (file) => {
          const link = document.createElement("a");
          link.href = `data:${file.mimeType};base64,${file.fileContent}`;
          link.download = file.fileName;
          link.click();
        },
        openWebResource: (name: string) => o.note("openWebResource", name),
      },
      formatting: createFormatting(o.languageId),
      // Form factor 1 desktop, 3 phone; client "Web" or "Mobile", as PCF reports them.
      client: { disableScroll: false, getFormFactor: () => (o.mobile ? 3 : 1), getClient: () => (o.mobile ? "Mobile" : "Web"), isOffline: () => false, isNetworkAvailable: () => navigator.onLine },
      // The mobile app's camera and file picker, simulated; in a web browser they reject, as in Dynamics.
      device: this.device,
      factory: {
        requestRender: () => this.requestUpdate([]),
        getPopupService: () => {
          throw new Error("The workbench has no popup service.");
        },
      },
      fluentDesignLanguage: { tokenTheme: o.theme === "dark" ? webDarkTheme : webLightTheme, brand: BRAND, isDarkTheme: o.theme === "dark" },
      events: {},
      copilot: {} as ComponentFramework.Copilot,
    } as ComponentFramework.Context<Record<string, unknown>>;
  }
}
