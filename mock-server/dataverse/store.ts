/**
 * The mock's tables in memory: rows keyed by id, values keyed by column logical name (lookups as
 * `{id, table}`). Changesets snapshot and restore it; it can be saved to and loaded from JSON.
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

export class Store {
  private tables = new Map<string, Map<string, Row>>();
  private version = 1_000_000;

  constructor(tableNames: Iterable<string>) {
    for (const name of tableNames) this.tables.set(name, new Map());
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

  put(table: string, id: string, row: Row): void {
    this.table(table).set(id.toLowerCase(), row);
  }

  delete(table: string, id: string): boolean {
    return this.table(table).delete(id.toLowerCase());
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
      for (const [id, row] of Object.entries(snapshot.tables[name] ?? {})) rows.set(id, structuredClone(row));
    }
  }

  private table(name: string): Map<string, Row> {
    const rows = this.tables.get(name);
    if (!rows) throw new Error(`no table ${name} in the mock store`);
    return rows;
  }
}
