/**
 * The schema, as an ordered list of migrations gated by `PRAGMA user_version` (as Signal-Desktop
 * does). `migrate` applies each missing step in its own IMMEDIATE transaction, re-reading the
 * version inside it, so two processes opening a fresh file at once cannot both apply a step.
 * Never edit a released migration: add a new one.
 *
 * v1  experiments, runs, run_series (+ listing indexes); application_id = nnlab
 * v2  runs.config_key (canonical spec without seeds) backfilled from the stored specs, indexed
 * v3  runs.train_ms (from timing.trainMs); lists go newest first by id, so the status and
 *     experiment indexes become one-column (their implicit rowid tail gives the order) and the
 *     created_at indexes go
 * v4  timings (honest-timing records: the measurement of every repeat, as JSON) and
 *     verifications (re-run checks of a run: verdict, first differing batch), both new tables, so
 *     a v3 database's rows are untouched
 */
import type { Database } from 'better-sqlite3';
import { configKey } from './config-key';

/** `PRAGMA application_id` of every nnlab database: 'nnlb' in ASCII. */
export const APPLICATION_ID = 0x6e6e6c62;

export interface Migration {
  version: number;
  up(db: Database): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
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
  },
  {
    version: 2,
    up(db) {
      db.exec(`ALTER TABLE runs ADD COLUMN config_key TEXT NOT NULL DEFAULT ''`);
      const update = db.prepare('UPDATE runs SET config_key = ? WHERE id = ?');
      // .all(), not .iterate(): better-sqlite3 refuses other statements while an iterator is open
      for (const row of db.prepare('SELECT id, spec FROM runs').all() as { id: number; spec: string }[]) {
        update.run(configKey(JSON.parse(row.spec) as Record<string, unknown>), row.id);
      }
      db.exec('CREATE INDEX runs_config ON runs (config_key)');
    },
  },
  {
    version: 3,
    up(db) {
      db.exec(`
        ALTER TABLE runs ADD COLUMN train_ms REAL;
        UPDATE runs SET train_ms = json_extract(timing, '$.trainMs') WHERE timing IS NOT NULL;
        DROP INDEX runs_created;
        DROP INDEX experiments_created;
        DROP INDEX runs_status;
        CREATE INDEX runs_status ON runs (status);
        DROP INDEX runs_experiment;
        CREATE INDEX runs_experiment ON runs (experiment_id);
      `);
    },
  },
  {
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
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings `db` up to version `to` (default: the newest), one migration per transaction.
 * Returns the versions applied. A database already at or past `to` is left alone (openDatabase
 * refuses a database newer than SCHEMA_VERSION before getting here), without a write
 * transaction: opening a current database must work while another program holds the write lock
 * (a backup tool, the sqlite3 shell), so a step takes the lock only when the version read
 * outside it says the step is due, and then checks again inside it.
 */
export function migrate(db: Database, to: number = SCHEMA_VERSION, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version > to) break;
    if (schemaVersion(db) >= m.version) continue;
    const step = db.transaction(() => {
      if (schemaVersion(db) >= m.version) return false;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
      return true;
    });
    if (step.immediate()) applied.push(m.version);
  }
  return applied;
}
