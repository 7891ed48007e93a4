/**
 * v4: timings (honest-timing records: the measurement of every repeat, as JSON) and
 * verifications (re-run checks of a run: verdict, first differing batch), both new tables, so a
 * v3 database's rows are untouched.
 */
import type { Migration } from './migration';

export const addTimingsAndVerifications: Migration = {
  version: 4,
  up(db) {
    db.exec(`
      CREATE TABLE timings (
        id INTEGER PRIMARY KEY,
        experiment_id INTEGER REFERENCES experiments (id) ON DELETE SET NULL,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        app_version TEXT NOT NULL,
        kernel TEXT NOT NULL,
        config_keys TEXT NOT NULL CHECK (json_valid(config_keys)),
        measurement TEXT NOT NULL CHECK (json_valid(measurement)),
        environment TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(environment))
      );
      CREATE INDEX timings_experiment ON timings (experiment_id);

      CREATE TABLE verifications (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        verified_at INTEGER NOT NULL,
        app_version TEXT NOT NULL,
        kernel TEXT NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('identical', 'differs', 'different-app-version', 'different-kernel')),
        first_different_batch INTEGER,
        max_relative_difference REAL,
        batches INTEGER NOT NULL
      );
      CREATE INDEX verifications_run ON verifications (run_id);
    `);
  },
};
