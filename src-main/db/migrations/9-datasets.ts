/**
 * v9: datasets — data sets imported from files (CSV), stored once by the sha256 of the file's
 * bytes, which runs name in their spec (`dataset`). A data set's description (file name, size,
 * rows, each column's name, first non-number, classes, range) is JSON; each column's values are a
 * BLOB (float64 numbers, or null for a column that is not all numbers) beside its classes (uint16
 * codes, or null for a column of too many distinct values). Triggers make a data set immutable
 * and refuse to delete one that a run names, so a data set can never change under a run. New
 * tables: the rows of a v8 database are untouched.
 */
import type { Migration } from './migration';

export const addDatasets: Migration = {
  version: 9,
  up(db) {
    db.exec(`
      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
        name TEXT NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('csv')),
        bytes INTEGER NOT NULL CHECK (bytes >= 0),
        rows INTEGER NOT NULL CHECK (rows >= 0),
        columns TEXT NOT NULL CHECK (json_valid(columns)),
        imported_at INTEGER NOT NULL
      );
      CREATE TABLE dataset_columns (
        dataset_id INTEGER NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position >= 0),
        numbers BLOB,
        codes BLOB,
        PRIMARY KEY (dataset_id, position)
      ) WITHOUT ROWID;
      CREATE TRIGGER datasets_never_change BEFORE UPDATE ON datasets
        BEGIN SELECT RAISE(ABORT, 'a data set never changes: import the changed file as a new one'); END;
      CREATE TRIGGER dataset_columns_never_change BEFORE UPDATE ON dataset_columns
        BEGIN SELECT RAISE(ABORT, 'a data set never changes: import the changed file as a new one'); END;
      CREATE TRIGGER datasets_kept_for_runs BEFORE DELETE ON datasets
        WHEN EXISTS (SELECT 1 FROM runs WHERE json_extract(spec, '$.dataset') = OLD.sha256)
        BEGIN SELECT RAISE(ABORT, 'runs were trained on this data set: delete them first'); END;
    `);
  },
};
