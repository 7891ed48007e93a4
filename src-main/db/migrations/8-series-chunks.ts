/**
 * v8: series longer than one chunk are stored in chunks (run_series_chunks, 131,072 values =
 * 1 MiB each), so a run at the spec's maximum (20 M batches, 49 M weights) can be read, exported
 * and sent in pieces with bounded memory: SQLite reads a BLOB whole, and better-sqlite3 has no
 * incremental BLOB I/O. A run_series row keeps the series' dtype, length and shape, and its data
 * inline when it fits one chunk (`chunked` 0, as every series was until now) or nothing
 * (`chunked` 1). run_series is rebuilt (the data CHECK changes), and the rows of a v7 database
 * longer than a chunk are split on the way, so old big runs stream too.
 */
import type { Migration } from './migration';

/** v8's chunk, frozen with the migration (the store's live constant may change later). */
const CHUNK_VALUES_V8 = 131_072;

export const addSeriesChunks: Migration = {
  version: 8,
  up(db) {
    db.exec(`
      CREATE TABLE run_series_v8 (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        dtype TEXT NOT NULL CHECK (dtype IN ('f64')),
        length INTEGER NOT NULL CHECK (length >= 0),
        shape TEXT NOT NULL CHECK (json_valid(shape)),
        chunked INTEGER NOT NULL DEFAULT 0 CHECK (chunked IN (0, 1)),
        data BLOB NOT NULL CHECK (CASE chunked WHEN 0 THEN length(data) = 8 * length ELSE length(data) = 0 END),
        PRIMARY KEY (run_id, name)
      );
      INSERT INTO run_series_v8 (run_id, name, dtype, length, shape, chunked, data)
        SELECT run_id, name, dtype, length, shape, 0, data FROM run_series WHERE length <= ${CHUNK_VALUES_V8};
      INSERT INTO run_series_v8 (run_id, name, dtype, length, shape, chunked, data)
        SELECT run_id, name, dtype, length, shape, 1, x'' FROM run_series WHERE length > ${CHUNK_VALUES_V8};
      CREATE TABLE run_series_chunks (
        run_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        seq INTEGER NOT NULL CHECK (seq >= 0),
        data BLOB NOT NULL CHECK (length(data) > 0 AND length(data) % 8 = 0),
        PRIMARY KEY (run_id, name, seq),
        FOREIGN KEY (run_id, name) REFERENCES run_series_v8 (run_id, name) ON DELETE CASCADE
      );
    `);
    // one big series in memory at a time, split into chunks
    const big = db.prepare(`SELECT run_id, name FROM run_series WHERE length > ${CHUNK_VALUES_V8}`).all() as { run_id: number; name: string }[];
    const read = db.prepare('SELECT data FROM run_series WHERE run_id = ? AND name = ?').pluck();
    const insert = db.prepare('INSERT INTO run_series_chunks (run_id, name, seq, data) VALUES (?, ?, ?, ?)');
    for (const s of big) {
      const data = read.get(s.run_id, s.name) as Buffer;
      for (let seq = 0, at = 0; at < data.length; seq++, at += 8 * CHUNK_VALUES_V8) insert.run(s.run_id, s.name, seq, data.subarray(at, at + 8 * CHUNK_VALUES_V8));
    }
    db.exec(`
      DROP TABLE run_series;
      ALTER TABLE run_series_v8 RENAME TO run_series;
    `);
  },
};
