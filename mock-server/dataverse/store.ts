/**
 * The mock's tables in memory: rows keyed by id, values keyed by column logical name (lookups as
 * `{id, table}`), with an index per alternate key. Change sets record an undo log and roll back
 * through it, so their cost follows the rows they touch, not the size of the store.
 */
export interface Reference {
  id: string;
  table: string;
}

export type Value = string | number | boolean | Reference | null;
export type Row = Record<string, Value>;

export interface StoreSnapshot {
  version: number;
  tables: Record<string, Record<string, Row>>;
}

/** Alternate keys of each table: lists of column logical names. */
export type KeyDefinitions = Readonly<Record<string, readonly (readonly string[])[]>>;

type Undo = { table: string; id: string; before: Row | undefined };

const keyText = (row: Row, columns: readonly string[]): string | null => {
  const values = columns.map((c) => row[c]);
  if (values.some((v) => v === null || v === undefined)) return null;
  return JSON.stringify(values.map((v) => String(v).toLowerCase()));
};

export class Store {
  private tables = new Map<string, Map<string, Row>>();
  /** table → key index → normalized key values → row id */
  private indexes = new Map<string, Array<{ columns: readonly string[]; ids: Map<string, string> }>>();
  private version = 1_000_000;
  private undo: Undo[] | null = null;
  private undoVersion = 0;

  constructor(tableNames: Iterable<string>, keys: KeyDefinitions = {}) {
    for (const name of tableNames) {
      this.tables.set(name, new Map());
      this.indexes.set(name, (keys[name] ?? []).map((columns) => ({ columns, ids: new Map() })));
    }
  }

  /** Next row version (`versionnumber`, the ETag): increases on every write, store-wide. */
  nextVersion(): number {
    return ++this.version;
  }

  rows(table: string): Row[] {
    return [...this.table(table).values()];
  }

  get(table: string, id: string): Row | undefined {
    return this.table(table).get(id.toLowerCase());
  }

  /** The id of the row whose alternate-key columns hold these values (case-insensitive). */
  findByKey(table: string, columns: readonly string[], values: readonly (string | number)[]): string | undefined {
    const index = this.indexes.get(table)?.find((i) => i.columns.length === columns.length && i.columns.every((c, n) => c === columns[n]));
    if (!index) return undefined;
    return index.ids.get(JSON.stringify(values.map((v) => String(v).toLowerCase())));
  }

  put(table: string, id: string, row: Row): void {
    const key = id.toLowerCase();
    const rows = this.table(table);
    const before = rows.get(key);
    // Rows are replaced, never changed in place, so the old object is the undo record.
    this.undo?.push({ table, id: key, before });
    if (before) this.unindex(table, key, before);
    rows.set(key, row);
    this.index(table, key, row);
  }

  delete(table: string, id: string): boolean {
    const key = id.toLowerCase();
    const rows = this.table(table);
    const before = rows.get(key);
    if (!before) return false;
    this.undo?.push({ table, id: key, before });
    this.unindex(table, key, before);
    return rows.delete(key);
  }

  /** Runs `work` so that `rollback()` can undo every put and delete it made. */
  transaction<T>(work: (rollback: () => void) => T): T {
    if (this.undo) throw new Error("change sets do not nest");
    this.undo = [];
    this.undoVersion = this.version;
    const log = this.undo;
    try {
      return work(() => {
        this.undo = null;
        for (const { table, id, before } of log.reverse()) {
          const rows = this.table(table);
          const current = rows.get(id);
          if (current) this.unindex(table, id, current);
          if (before) {
            rows.set(id, before);
            this.index(table, id, before);
          } else rows.delete(id);
        }
        this.version = this.undoVersion;
        log.length = 0;
      });
    } finally {
      this.undo = null;
    }
  }

  snapshot(): StoreSnapshot {
    const tables: StoreSnapshot["tables"] = {};
    for (const [name, rows] of this.tables) tables[name] = Object.fromEntries([...rows].map(([id, row]) => [id, structuredClone(row)]));
    return { version: this.version, tables };
  }

  restore(snapshot: StoreSnapshot): void {
    this.version = snapshot.version;
    for (const [name, rows] of this.tables) {
      rows.clear();
      for (const index of this.indexes.get(name) ?? []) index.ids.clear();
      for (const [id, row] of Object.entries(snapshot.tables[name] ?? {})) this.put(name, id, structuredClone(row));
    }
  }

  private index(table: string, id: string, row: Row): void {
    for (const index of this.indexes.get(table) ?? []) {
      const text = keyText(row, index.columns);
      if (text !== null) index.ids.set(text, id);
    }
  }

  private unindex(table: string, id: string, row: Row): void {
    for (const index of this.indexes.get(table) ?? []) {
      const text = keyText(row, index.columns);
      if (text !== null && index.ids.get(text) === id) index.ids.delete(text);
    }
  }

  private table(name: string): Map<string, Row> {
    const rows = this.tables.get(name);
    if (!rows) throw new Error(`no table ${name} in the mock store`);
    return rows;
  }
}
