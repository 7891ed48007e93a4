/**
 * The data sets of a database (migration v8): tables imported from files, stored once by the
 * sha256 of the file's bytes and never changed (the database's triggers refuse an update, and
 * refuse to delete a data set a run names). A run's spec names its data set by that hash, so a
 * re-run or `verify` reads exactly the numbers it was trained on. Each column's numbers (float64)
 * and classes (uint16 codes) are BLOBs, read only for the columns a spec uses.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ColumnInfo, ColumnValues, Table, TableInfo } from '../trainer/table';
import { StoreError } from './errors';

export interface DatasetSummary extends TableInfo {
  id: number;
  format: 'csv';
  importedAt: number;
  /** Runs whose spec names this data set. */
  runs: number;
}

interface DatasetRow {
  id: number;
  sha256: string;
  name: string;
  format: 'csv';
  bytes: number;
  rows: number;
  columns: string;
  imported_at: number;
  runs?: number;
}

/** A typed array as a Buffer over the same memory (no copy). */
function blobOf(a: Float64Array | Uint16Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** A BLOB copied into an aligned typed array of `count` elements (the driver's Buffer may sit at any offset). */
function arrayOf<T extends Float64Array | Uint16Array>(blob: Uint8Array, make: (n: number) => T, count: number, what: string): T {
  const out = make(count);
  if (blob.byteLength !== out.byteLength) throw new StoreError('invalid', `${what}: ${blob.byteLength} bytes where ${count} values need ${out.byteLength}`);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

function infoOf(r: DatasetRow): TableInfo {
  return { name: r.name, sha256: r.sha256, bytes: r.bytes, rows: r.rows, columns: JSON.parse(r.columns) as ColumnInfo[] };
}

export class DatasetStore {
  private readonly stmt: Record<'insert' | 'insertColumn' | 'bySha' | 'list' | 'column' | 'remove' | 'runs', Statement>;

  constructor(
    private readonly db: Database,
    private readonly clock: () => number = Date.now,
  ) {
    this.stmt = {
      insert: db.prepare('INSERT INTO datasets (sha256, name, format, bytes, rows, columns, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertColumn: db.prepare('INSERT INTO dataset_columns (dataset_id, position, numbers, codes) VALUES (?, ?, ?, ?)'),
      bySha: db.prepare('SELECT id, sha256, name, format, bytes, rows, columns, imported_at FROM datasets WHERE sha256 = ?'),
      list: db.prepare(`SELECT d.id, d.sha256, d.name, d.format, d.bytes, d.rows, d.columns, d.imported_at,
        (SELECT count(*) FROM runs WHERE json_extract(runs.spec, '$.dataset') = d.sha256) AS runs
        FROM datasets d ORDER BY d.id DESC`),
      column: db.prepare('SELECT numbers, codes FROM dataset_columns WHERE dataset_id = ? AND position = ?'),
      remove: db.prepare('DELETE FROM datasets WHERE sha256 = ?'),
      runs: db.prepare("SELECT count(*) AS n FROM runs WHERE json_extract(spec, '$.dataset') = ?"),
    };
  }

  /**
   * Stores a table (every column's values) unless a data set with its hash is stored already;
   * one transaction. Returns its id and whether it was new.
   */
  put(table: Table, format: 'csv' = 'csv'): { id: number; created: boolean } {
    if (table.values.length !== table.columns.length) throw new StoreError('invalid', `data set ${table.name}: ${table.values.length} value columns for ${table.columns.length} columns`);
    return this.db.transaction(() => {
      const existing = this.stmt.bySha.get(table.sha256) as DatasetRow | undefined;
      if (existing) return { id: existing.id, created: false };
      const { lastInsertRowid } = this.stmt.insert.run(table.sha256, table.name, format, table.bytes, table.rows, JSON.stringify(table.columns), this.clock());
      const id = Number(lastInsertRowid);
      table.values.forEach((v: ColumnValues, i) => {
        if (v.values && v.values.length !== table.rows) throw new StoreError('invalid', `data set ${table.name}, column ${table.columns[i].name}: ${v.values.length} values for ${table.rows} rows`);
        if (v.codes && v.codes.length !== table.rows) throw new StoreError('invalid', `data set ${table.name}, column ${table.columns[i].name}: ${v.codes.length} classes for ${table.rows} rows`);
        this.stmt.insertColumn.run(id, i, v.values ? blobOf(v.values) : null, v.codes ? blobOf(v.codes) : null);
      });
      return { id, created: true };
    })();
  }

  /** A data set's description (no values), or undefined. */
  info(sha256: string): TableInfo | undefined {
    const row = this.stmt.bySha.get(sha256) as DatasetRow | undefined;
    return row && infoOf(row);
  }

  /** Every data set, newest first, with the number of runs that name it. */
  list(): DatasetSummary[] {
    return (this.stmt.list.all() as DatasetRow[]).map((r) => ({ ...infoOf(r), id: r.id, format: r.format, importedAt: r.imported_at, runs: r.runs ?? 0 }));
  }

  /**
   * A data set with the values of the named columns (all of them when `columns` is left out);
   * the other columns' values are null. Undefined when no data set has the hash.
   */
  table(sha256: string, columns?: readonly string[]): Table | undefined {
    const row = this.stmt.bySha.get(sha256) as DatasetRow | undefined;
    if (!row) return undefined;
    const info = infoOf(row);
    const values: ColumnValues[] = info.columns.map((c, i) => {
      if (columns && !columns.includes(c.name)) return { values: null, codes: null };
      const blobs = this.stmt.column.get(row.id, i) as { numbers: Buffer | null; codes: Buffer | null } | undefined;
      if (!blobs) throw new StoreError('invalid', `data set ${info.name} (${sha256.slice(0, 12)}) lacks column ${i + 1} (${c.name})`);
      const what = `data set ${info.name}, column ${c.name}`;
      return {
        values: blobs.numbers ? arrayOf(blobs.numbers, (n) => new Float64Array(n), info.rows, what) : null,
        codes: blobs.codes ? arrayOf(blobs.codes, (n) => new Uint16Array(n), info.rows, what) : null,
      };
    });
    return { ...info, values };
  }

  /** Runs whose spec names the data set. */
  runsUsing(sha256: string): number {
    return (this.stmt.runs.get(sha256) as { n: number }).n;
  }

  /** Deletes a data set no run names; false when there is none with the hash. Throws StoreError when runs name it. */
  delete(sha256: string): boolean {
    const runs = this.runsUsing(sha256);
    if (runs > 0) throw new StoreError('invalid', `${runs} run${runs === 1 ? ' was' : 's were'} trained on data set ${sha256.slice(0, 12)}: delete ${runs === 1 ? 'it' : 'them'} first`);
    return this.stmt.remove.run(sha256).changes > 0;
  }
}
