/**
 * The one typed PCF context factory for control tests. It is typed against the generated manifest
 * types, so a manifest change that the control does not follow breaks the test build.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import type { IInputs } from "../../PhotoShelterAssetPicker/generated/ManifestTypes";
import * as targets from "../../solution/model/targets";

type DataSet = ComponentFramework.PropertyTypes.DataSet;
type EntityRecord = ComponentFramework.PropertyHelper.DataSetApi.EntityRecord;
export type ProfileValue = IInputs["profile"]["raw"];

/** Strings of the control's .resx for one language, as the platform's getString would return them. */
export function loadResx(lcid = 1033): Record<string, string> {
  const file = path.join(__dirname, "..", "..", "PhotoShelterAssetPicker", "strings", `PhotoShelterAssetPicker.${lcid}.resx`);
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(readFileSync(file, "utf8"));
  const entries: { name: string; value: string }[] = [].concat(parsed.root.data ?? []);
  return Object.fromEntries(entries.map((entry) => [entry.name, String(entry.value)]));
}

export interface FakeRow {
  id: string;
  values: Record<string, unknown>;
  /** What getFormattedValue returns per column (the platform formats for the user); else String(value). */
  formatted?: Record<string, string>;
}

/** A dataset as the platform gives it to a sub-grid control: rows, paging, loading and refresh(). */
export function createDataset(rows: FakeRow[] = [], options: { totalResultCount?: number; loading?: boolean; hasNextPage?: boolean } = {}): DataSet & { refresh: jest.Mock } {
  const records: Record<string, EntityRecord> = {};
  for (const row of rows) {
    records[row.id] = {
      getRecordId: () => row.id,
      getValue: (column: string) => row.values[column] as never,
      getFormattedValue: (column: string) => row.formatted?.[column] ?? (row.values[column] === undefined || row.values[column] === null ? "" : String(row.values[column])),
      getNamedReference: () => ({ id: { guid: row.id }, name: String(row.values.psh_name ?? ""), etn: "psh_assetlink" }) as never,
    } as EntityRecord;
  }
  return {
    loading: options.loading ?? false,
    error: false,
    errorMessage: "",
    innerError: "",
    columns: [],
    records,
    sortedRecordIds: rows.map((row) => row.id),
    sorting: [],
    filtering: {} as never,
    linking: {} as never,
    paging: {
      totalResultCount: options.totalResultCount ?? rows.length,
      firstPageNumber: 1,
      lastPageNumber: 1,
      pageSize: 50,
      hasNextPage: options.hasNextPage ?? false,
      hasPreviousPage: false,
      loadNextPage: jest.fn(),
      loadPreviousPage: jest.fn(),
      loadExactPage: jest.fn(),
      reset: jest.fn(),
      setPageSize: jest.fn(),
    },
    refresh: jest.fn(),
    getTargetEntityType: () => "psh_assetlink",
    getTitle: () => "PhotoShelter asset links",
    getViewId: () => "00000000-0000-0000-0000-000000000001",
    openDatasetItem: jest.fn(),
    clearSelectedRecordIds: jest.fn(),
    getSelectedRecordIds: () => [],
    setSelectedRecordIds: jest.fn(),
    addColumn: jest.fn(),
    delete: jest.fn(),
    getRelationship: jest.fn(),
    newRecord: jest.fn(),
    save: jest.fn(),
  } as unknown as DataSet & { refresh: jest.Mock };
}

export interface ContextOptions {
  dataset?: DataSet;
  /** Host record as the form reports it; null for a control outside a record form. */
  host?: { entityTypeName: string; entityId?: string; entityRecordName?: string } | null;
  proxyBaseUrl?: string | null;
  profile?: ProfileValue;
  disabled?: boolean;
  strings?: Record<string, string>;
  languageId?: number;
  isRTL?: boolean;
  userId?: string;
  userName?: string;
  /** The host app: "Mobile" with a phone form factor (3) offers the device's camera; Web by default. */
  client?: { name: string; formFactor: number };
  /** context.device members (the mobile app's camera and file picker). */
  device?: Partial<ComponentFramework.Device>;
  /** Privileges the user holds on psh_assetlink ("create", "delete") and on the host table ("write"); all by default. */
  privileges?: ("create" | "delete" | "write")[];
}

/** Entity-set names the platform's metadata reports, from the data model. */
const ENTITY_SETS: Record<string, string> = Object.fromEntries(Object.values(targets).flatMap((table) => (typeof table === "object" ? [[table.logicalName, table.entitySetName]] : [])));

/** The record the form shows unless a test says otherwise. */
export const DEFAULT_HOST = { entityTypeName: "account", entityId: "6f9a1c2e-0000-4000-8000-000000000001", entityRecordName: "Contoso Ltd" };

export type FakeContext = ComponentFramework.Context<IInputs> & {
  webAPI: { [K in keyof ComponentFramework.WebApi]: jest.Mock };
  navigation: { [K in keyof ComponentFramework.Navigation]: jest.Mock };
  utils: { [K in keyof ComponentFramework.Utility]: jest.Mock };
};

export function createContext(options: ContextOptions = {}): FakeContext {
  const strings = options.strings ?? loadResx(options.languageId ?? 1033);
  const host = options.host === undefined ? DEFAULT_HOST : options.host;
  const context = {
    parameters: {
      assetLinks: options.dataset ?? createDataset(),
      proxyBaseUrl: { raw: options.proxyBaseUrl ?? "http://localhost:4000", formatted: options.proxyBaseUrl ?? "", error: false, errorMessage: "", type: "SingleLine.URL", attributes: {} },
      profile: { raw: options.profile ?? "auto", error: false, errorMessage: "", type: "Enum", attributes: {} },
    },
    mode: {
      isControlDisabled: options.disabled ?? false,
      isVisible: true,
      label: "PhotoShelter assets",
      allocatedWidth: 800,
      allocatedHeight: -1,
      setControlState: jest.fn(),
      setFullScreen: jest.fn(),
      trackContainerResize: jest.fn(),
      ...(host ? { contextInfo: host } : {}),
    },
    resources: {
      getString: jest.fn((key: string) => strings[key] ?? ""),
      getResource: jest.fn(),
    },
    userSettings: {
      userId: options.userId ?? "{A1B2C3D4-0000-4000-8000-000000000001}",
      userName: options.userName ?? "Avery Rep",
      languageId: options.languageId ?? 1033,
      isRTL: options.isRTL ?? false,
      securityRoles: [],
      dateFormattingInfo: {} as never,
      numberFormattingInfo: {} as never,
      getTimeZoneOffsetMinutes: () => 0,
    },
    webAPI: {
      createRecord: jest.fn(),
      updateRecord: jest.fn(),
      deleteRecord: jest.fn(),
      retrieveRecord: jest.fn(),
      retrieveMultipleRecords: jest.fn(),
    },
    utils: {
      getEntityMetadata: jest.fn(async (entityName: string) => ({ LogicalName: entityName, EntitySetName: ENTITY_SETS[entityName] })),
      // PrivilegeType: 1 create, 4 delete.
      hasEntityPrivilege: jest.fn((_entity: string, type: number) => {
        const held = options.privileges ?? ["create", "delete"];
        return (type === 1 && held.includes("create")) || (type === 4 && held.includes("delete")) || (type === 3 && (options.privileges === undefined || held.includes("write"))) || (type !== 1 && type !== 3 && type !== 4);
      }),
      lookupObjects: jest.fn(),
    },
    navigation: {
      openAlertDialog: jest.fn(),
      openConfirmDialog: jest.fn(),
      openErrorDialog: jest.fn(),
      openFile: jest.fn(),
      openForm: jest.fn(),
      openUrl: jest.fn(),
      openWebResource: jest.fn(),
    },
    client: { getFormFactor: () => options.client?.formFactor ?? 1, getClient: () => options.client?.name ?? "Web", isOffline: () => false, disableScroll: false },
    device: (options.device ?? {}) as never,
    factory: { requestRender: jest.fn(), getPopupService: jest.fn() },
    formatting: { formatDateShort: jest.fn((date: Date) => date.toLocaleDateString("en-US")), formatDecimal: jest.fn((value: number, precision = 2) => value.toFixed(precision)) },
    updatedProperties: [],
    fluentDesignLanguage: undefined,
  };
  return context as unknown as FakeContext;
}
