/**
 * The schema, as an ordered list of migrations gated by `PRAGMA user_version` (as Signal-Desktop
 * does). `migrate` applies each missing step in its own IMMEDIATE transaction, re-reading the
 * version inside it, so two processes opening a fresh file at once cannot both apply a step.
 * Never edit a released migration: add a new one, in a file of its own, that copies any logic it
 * needs (a migration must not call live code whose rule may change later).
 *
 * v1  experiments, runs, run_series (+ listing indexes); application_id = nnlab
 * v2  runs.config_key (canonical spec without seeds) backfilled from the stored specs, indexed
 * v3  runs.train_ms (from timing.trainMs); lists go newest first by id, so the status and
 *     experiment indexes become one-column (their implicit rowid tail gives the order) and the
 *     created_at indexes go
 * v4  timings (honest-timing records: the measurement of every repeat, as JSON) and
 *     verifications (re-run checks of a run: verdict, first differing batch), both new tables, so
 *     a v3 database's rows are untouched
 * v5  runs.spec_version (1 for every earlier run); config keys leave default values out, so a
 *     field added later with a default keeps old and new replicates together: runs.config_key
 *     and timings.config_keys recomputed
 * v6  queue_jobs: runs sent to a job queue (nnlab sweep --queue) — the queue, its Redis server
 *     without credentials, the job id and options, and who trained the run; a new table
 * v7  scores under generic names for every kind of task: final_mse → final_loss, test_mse →
 *     test_metric (MSE or accuracy), baseline_mse → baseline; test_loss and penalty added (an
 *     earlier run's test loss is its test MSE, its penalty 0)
 * v8  run_series_chunks: a series longer than 131,072 values is stored in 1 MiB chunks, so the
 *     biggest runs are read and exported in pieces; run_series rebuilt with a `chunked` flag,
 *     and long series of earlier runs split into chunks
 * v9  datasets and dataset_columns: data sets imported from files (CSV) by content hash, each
 *     column's numbers and classes as BLOBs; immutable, and kept while a run names them (triggers)
 * v10 runs.rev: a run row's revision, kept by triggers (every update adds 1, an insert draws a
 *     random one, a queue job's change touches its run), so the runs table re-reads only the
 *     runs that changed since it listed them
 * v11 run_spec_checks: which runs' stored spec text (a copy, compared byte for byte) this nnlab's
 *     spec schema already found in its checked form, so a store just opened lists them without
 *     the schema's parse; derived and rebuildable, a new table that starts empty
 * v12 config keys leave out the fields a configuration does not read (an initMean beside init he,
 *     a momentum beside sgd): runs.config_key and timings.config_keys recomputed from themselves
 */
import type { Database } from 'better-sqlite3';
import { initialSchema } from './1-initial';
import { addConfigKey } from './2-config-key';
import { addTrainMs } from './3-train-ms';
import { addTimingsAndVerifications } from './4-timings-verifications';
import { addSpecVersion } from './5-spec-version';
import { addQueueJobs } from './6-queue-jobs';
import { addGenericScores } from './7-generic-scores';
import { addSeriesChunks } from './8-series-chunks';
import { addDatasets } from './9-datasets';
import { addRunRevisions } from './10-run-revisions';
import { addSpecChecks } from './11-spec-checks';
import { dropUnreadFromKeys } from './12-unread-fields';
import type { Migration } from './migration';

export { APPLICATION_ID, type Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [initialSchema, addConfigKey, addTrainMs, addTimingsAndVerifications, addSpecVersion, addQueueJobs, addGenericScores, addSeriesChunks, addDatasets, addRunRevisions, addSpecChecks, dropUnreadFromKeys];

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
