import { regardingKey } from "../../solution/model/targets";

/**
 * The record whose form hosts the control. PCF documents no API for it, so this is the one place
 * that reads undocumented context members; everything else receives a HostRecord.
 */
export interface HostRecord {
  /** Logical name of the table, e.g. "account" or "incident". */
  entityName: string;
  /** Record id without braces, lower case; null while the record is new and unsaved. */
  id: string | null;
  /** Primary name shown in the form header, when the host tells us. */
  name: string | null;
}

const EMPTY_GUID = "00000000-0000-0000-0000-000000000000";

interface UndocumentedContextInfo {
  entityId?: unknown;
  entityTypeName?: unknown;
  entityRecordName?: unknown;
}

function normalizeId(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const id = raw.replace(/[{}]/g, "").trim().toLowerCase();
  return id === "" || id === EMPTY_GUID ? null : id;
}

function asText(raw: unknown): string | null {
  return typeof raw === "string" && raw.trim() !== "" ? raw : null;
}

/**
 * Reads the host record from `mode.contextInfo` (model-driven forms) or `page` (newer hosts).
 * Returns null when the control is not on a record form (a view, a dashboard, the test harness).
 */
export function readHostRecord(context: ComponentFramework.Context<unknown> | null | undefined): HostRecord | null {
  if (!context) return null;
  const candidates: (UndocumentedContextInfo | undefined)[] = [
    (context.mode as unknown as { contextInfo?: UndocumentedContextInfo } | undefined)?.contextInfo,
    (context as unknown as { page?: UndocumentedContextInfo }).page,
  ];
  for (const info of candidates) {
    const entityName = asText(info?.entityTypeName);
    if (info && entityName) {
      return { entityName, id: normalizeId(info.entityId), name: asText(info.entityRecordName) };
    }
  }
  return null;
}

/** `<table>:<guid>`: how the proxy's `record=` parameter and the link rows' regarding key name a record. */
export function recordKey(record: HostRecord): string {
  return regardingKey(record.entityName, record.id ?? "");
}
