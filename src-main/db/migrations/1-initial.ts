/**
 * v1: experiments, runs, run_series (+ listing indexes); application_id = nnlab.
 */
import { APPLICATION_ID, type Migration } from './migration';

export const initialSchema: Migration = {
  version: 1,
  up(db) {
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.exec(`
      CREATE TABLE experiments (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        definition TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(definition)),
        created_at INTEGER NOT NULL,
        notes TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX experiments_created ON experiments (created_at);

      CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        experiment_id INTEGER REFERENCES experiments (id) ON DELETE CASCADE,
        status TEXT NOT NULL
          CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled', 'interrupted', 'diverged')),
        spec TEXT NOT NULL CHECK (json_valid(spec)),
        init_seed INTEGER NOT NULL,
        data_seed INTEGER NOT NULL,
        app_version TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER,
        owner_host TEXT,
        owner_pid INTEGER,
        heartbeat_at INTEGER,
        batches_run INTEGER,
        final_cost REAL,
        final_mse REAL,
        test_mse REAL,
        baseline_mse REAL,
        failed INTEGER CHECK (failed IN (0, 1)),
        kernel TEXT,
        timing TEXT CHECK (timing IS NULL OR json_valid(timing)),
        diagnostics TEXT CHECK (diagnostics IS NULL OR json_valid(diagnostics)),
        error TEXT,
        notes TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags))
      );
      CREATE INDEX runs_created ON runs (created_at);
      CREATE INDEX runs_status ON runs (status, created_at);
      CREATE INDEX runs_experiment ON runs (experiment_id, created_at);

      CREATE TABLE run_series (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        dtype TEXT NOT NULL CHECK (dtype IN ('f64')),
        length INTEGER NOT NULL CHECK (length >= 0),
        shape TEXT NOT NULL CHECK (json_valid(shape)),
        data BLOB NOT NULL CHECK (length(data) = 8 * length),
        PRIMARY KEY (run_id, name)
      );
    `);
  },
};
