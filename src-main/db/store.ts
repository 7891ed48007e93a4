/**
 * RunStore: experiments, runs and their series in the nnlab database, over one better-sqlite3
 * connection. Statements are prepared once (listRuns keeps one per filter combination); every
 * write that touches more than one row runs in one IMMEDIATE transaction, so a run's series and
 * its final status appear together or not at all, and a writer waits for the lock (busy_timeout)
 * instead of failing with SQLITE_BUSY. Timestamps are integer milliseconds since the epoch.
 *
 * Series are Float64Array BLOBs in native (little-endian on every platform nnlab ships for)
 * byte order with a dtype, a length and a shape; never one row per point.
 *
 * JSON columns (spec, timing, diagnostics, definition, tags) go through JSON.stringify, so a
 * non-finite number inside them (e.g. timing.samplesPerSecond NaN) reads back as null. Numeric
 * columns keep Infinity; SQLite stores NaN as NULL, so final_cost etc. read back as null then.
 */
import { DatasetStore } from './datasets';
import fs from 'node:fs';
import os from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import type { Database, Statement } from 'better-sqlite3';
import type { Pushdown } from '../analysis/query';
import type { Diagnostics } from '../trainer/diagnostics';
import type { RunSpec } from '../trainer/spec';
import { parseRunSpec, parseStoredSpec, SPEC_VERSION, SpecError } from '../trainer/spec';
import { type NamedScores, runMetrics } from '../trainer/metrics';
import { taskKind } from '../trainer/tasks';
import { createLayout } from '../trainer/network';
import { CHECKPOINT_METRICS, type RunResult, type Timing } from '../trainer/trainer';
import { staleOwnerMs } from '../env-limits';
import { APP_VERSION } from '../version';
import { configKey } from './config-key';
import { StoreError } from './errors';
import { databaseFile, openDatabase, type OpenOptions } from './open';
import { isProcessAlive } from './owner';
import {
  type Experiment,
  type ExperimentKind,
  type FinalStatus,
  type ListRunsOptions,
  type NewRunOptions,
  type Owner,
  type QueuedRun,
  type QueueRef,
  type ReapedRun,
  type RemoteMark,
  type ReapOptions,
  type RunOutcome,
  type RunRecord,
  type RunStatus,
  type RunSummary,
  type Series,
  type SeriesInfo,
  SERIES_NAMES,
  type SeriesName,
  type Stored,
  type StoredWeightCheckpoints,
  type TimingRecord,
  type TrainedBy,
  type Verification,
} from './types';

export * from './types';

export interface RunStoreOptions {
  /** Recorded in runs.app_version (default: APP_VERSION). */
  appVersion?: string;
  /** Clock for timestamps (default Date.now). */
  clock?: () => number;
}

/**
 * The columns of a run row and the type each reads back as. Rows are read with .raw() (arrays are
 * much faster than row objects), and always through `col(row, name)`, never by position: the
 * SELECT lists and the positions come from the one list below.
 */
interface RunColumnTypes {
  id: number;
  experiment_id: number | null;
  status: RunStatus;
  spec: string;
  spec_version: number;
  config_key: string;
  init_seed: number;
  data_seed: number;
  app_version: string;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  owner_host: string | null;
  owner_pid: number | null;
  heartbeat_at: number | null;
  batches_run: number | null;
  final_cost: number | null;
  final_loss: number | null;
  test_loss: number | null;
  test_metric: number | null;
  baseline: number | null;
  penalty: number | null;
  failed: 0 | 1 | null;
  kernel: string | null;
  train_ms: number | null;
  error: string | null;
  notes: string;
  tags: string;
  /** Computed (COMPUTED_COLUMNS): the run's queue, as JSON, when it was sent to one. */
  remote: string | null;
  /** Computed (COMPUTED_COLUMNS): 1 when run_spec_checks vouches for the spec as stored (SPEC_CHECKER). */
  spec_checked: 1 | null;
  timing: string | null;
  diagnostics: string | null;
}
type RunColumn = keyof RunColumnTypes;

/**
 * Who vouches in run_spec_checks (schema v11): this nnlab's version and spec version, and the
 * version of the rule itself. A row written by any other checker vouches for nothing here, so
 * a file read by an older or newer nnlab has its specs checked again. Raise CHECK_RULE whenever
 * what parseStoredSpec accepts or yields changes without a new APP_VERSION or SPEC_VERSION, or
 * what a row vouches for changes. Rule 2: the text is exactly JSON.stringify of its checked form
 * (no duplicate key, no other spelling), so SQLite's `->` reads of it (a projected spec,
 * listRunsProjected) give what JSON.parse gives; rule 1 rows (checked form deep-equal only) vouch
 * for nothing now, and their runs are checked and recorded again once.
 */
const CHECK_RULE = 2;
const SPEC_CHECKER = `nnlab ${APP_VERSION}, spec ${SPEC_VERSION}, rule ${CHECK_RULE}`;

/** A summary's columns (listRuns), in SELECT order. */
const SUMMARY_COLUMN_LIST = [
  'id', 'experiment_id', 'status', 'spec', 'spec_version', 'config_key', 'init_seed', 'data_seed', 'app_version', 'created_at', 'started_at',
  'finished_at', 'owner_host', 'owner_pid', 'heartbeat_at', 'batches_run', 'final_cost', 'final_loss', 'test_loss', 'test_metric', 'baseline', 'penalty',
  'failed', 'kernel', 'train_ms', 'error', 'notes', 'tags', 'remote', 'spec_checked',
] as const satisfies readonly RunColumn[];
/** A record's columns (getRun): a summary's, then the details. */
const RECORD_COLUMN_LIST = [...SUMMARY_COLUMN_LIST, 'timing', 'diagnostics'] as const satisfies readonly RunColumn[];
// a column in RunColumnTypes that no SELECT reads is a type error here, naming it
const everyColumnRead: [Exclude<RunColumn, (typeof RECORD_COLUMN_LIST)[number]>] extends [never] ? true : Exclude<RunColumn, (typeof RECORD_COLUMN_LIST)[number]> = true;
void everyColumnRead;

/** When a run_spec_checks row `c` vouches for the spec of `runs`' row (schema v11). */
const VOUCHES = `c.run_id = runs.id AND c.spec = runs.spec AND c.spec_version = runs.spec_version
    AND c.checker = '${SPEC_CHECKER.replaceAll("'", "''")}'`;

/** Columns computed in the SELECT rather than stored in runs. */
const COMPUTED_COLUMNS: Partial<Record<RunColumn, string>> = {
  remote: `(SELECT json_object('name', q.queue_name, 'redis', q.redis, 'worker', json_extract(q.trained_by, '$.worker'))
    FROM queue_jobs q WHERE q.run_id = runs.id) AS remote`,
  spec_checked: `(SELECT 1 FROM run_spec_checks c WHERE ${VOUCHES}) AS spec_checked`,
};
const selectList = (columns: readonly RunColumn[]) => columns.map((c) => COMPUTED_COLUMNS[c] ?? c).join(', ');
const SUMMARY_COLUMNS = selectList(SUMMARY_COLUMN_LIST);
const RECORD_COLUMNS = selectList(RECORD_COLUMN_LIST);
const POSITION = Object.fromEntries(RECORD_COLUMN_LIST.map((c, i) => [c, i])) as Record<RunColumn, number>;

/** A raw run row: a summary's or a record's columns, in their list's order. */
type RunRow = readonly unknown[];

/** One column of a raw run row, by name (`pos`: the positions of the row's SELECT list, when not a summary's or a record's). */
function col<C extends RunColumn>(row: RunRow, name: C, pos: Readonly<Partial<Record<RunColumn, number>>> = POSITION): RunColumnTypes[C] {
  return row[pos[name]!] as RunColumnTypes[C];
}

/**
 * The summary properties a projected listing (listRunsProjected) may leave out, with the columns
 * each is read from; every other property (id, status, spec, kind and the scores) is always read.
 */
export const PROJECTABLE = {
  experimentId: ['experiment_id'],
  configKey: ['config_key'],
  initSeed: ['init_seed'],
  dataSeed: ['data_seed'],
  appVersion: ['app_version'],
  createdAt: ['created_at'],
  startedAt: ['started_at'],
  finishedAt: ['finished_at'],
  owner: ['owner_host', 'owner_pid'],
  heartbeatAt: ['heartbeat_at'],
  batchesRun: ['batches_run'],
  finalCost: ['final_cost'],
  penalty: ['penalty'],
  failed: ['failed'],
  kernel: ['kernel'],
  trainMs: ['train_ms'],
  error: ['error'],
  notes: ['notes'],
  tags: ['tags'],
  remote: ['remote'],
} as const satisfies Record<Exclude<keyof RunSummary, 'id' | 'status' | 'spec' | 'kind' | keyof NamedScores>, readonly RunColumn[]>;
export type ProjectableProp = keyof typeof PROJECTABLE;
/** The columns every projected listing reads. */
const PROJECTED_CORE = ['id', 'status', 'spec', 'spec_version', 'spec_checked', 'final_loss', 'test_loss', 'test_metric', 'baseline'] as const satisfies readonly RunColumn[];

/** The spec fields every projected spec is read with: the run's task kind is computed from them (taskKind). */
const KIND_KEYS = ['task', 'labelColumn'] as const;
/** A spec key a projected spec may be read with: a plain name, safe as it is in a JSON path and in SQL text. */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Thrown by a projected summary's property that its listing did not read (listRunsProjected). */
export class UnprojectedError extends Error {
  constructor(readonly property: string) {
    super(`a projected run summary was asked for '${property}', which its listing did not read`);
    this.name = 'UnprojectedError';
  }
}

/** The prototype of projected summaries: every property they may leave out throws when read. */
const UNPROJECTED: object = Object.freeze(
  Object.create(
    Object.prototype,
    Object.fromEntries(
      Object.keys(PROJECTABLE).map((k) => [
        k,
        {
          get() {
            throw new UnprojectedError(k);
          },
          // a value given to it (projectedSummaryOf) becomes the summary's own property
          set(this: object, value: unknown) {
            Object.defineProperty(this, k, { value, writable: true, enumerable: true, configurable: true });
          },
        },
      ]),
    ),
  ),
);

interface SeriesRow {
  name: string;
  dtype: 'f64';
  length: number;
  shape: string;
  chunked: 0 | 1;
  data?: Buffer;
}

/**
 * Values per stored chunk of a long series (1 MiB): a series up to this long is one row's BLOB,
 * a longer one is split into run_series_chunks rows (migration v8), which readers take one at a
 * time, so memory stays bounded whatever the run's size.
 */
export const SERIES_CHUNK_VALUES = 131_072;

interface ExperimentRow {
  id: number;
  name: string;
  kind: string;
  definition: string;
  created_at: number;
  notes: string;
  counts?: string | null;
}

const TIMING_COLUMNS = 'id, experiment_id, name, created_at, app_version, kernel, config_keys, measurement, environment';

interface TimingRow {
  id: number;
  experiment_id: number | null;
  name: string;
  created_at: number;
  app_version: string;
  kernel: string;
  config_keys: string;
  measurement: string;
  environment: string;
}

interface VerificationRow {
  run_id: number;
  verified_at: number;
  app_version: string;
  kernel: string;
  verdict: Verification['verdict'];
  first_different_batch: number | null;
  max_relative_difference: number | null;
  batches: number;
}

/** A Float64Array as a Buffer over the same memory (no copy). */
function blobOf(a: Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * A BLOB as a Float64Array of its own: a copy, because the driver's Buffer may sit at any byte
 * offset of a shared pool and a Float64Array view needs an 8-aligned offset.
 */
export function float64FromBlob(blob: Uint8Array): Float64Array {
  if (blob.byteLength % 8 !== 0) throw new StoreError('invalid', `a float64 series BLOB of ${blob.byteLength} bytes is not a whole number of values`);
  const out = new Float64Array(blob.byteLength / 8);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

function toStoredJson(value: unknown): string {
  return JSON.stringify(value);
}

function toDbNumber(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Each stored series of a finished run, with its shape from the spec: one entry per SeriesName (a missing one is a type error). */
const SERIES_OF_RESULT: {
  [K in SeriesName]: (r: RunResult, dims: { inputs: number; outputs: number; layers: number; cps: number; weights: number }) => { shape: number[]; data: Float64Array } | null;
} = {
  cost: (r) => ({ shape: [r.costHistory.length], data: r.costHistory }),
  mse: (r) => ({ shape: [r.mseHistory.length], data: r.mseHistory }),
  checkpointBatches: (r, d) => ({ shape: [d.cps], data: Float64Array.from(r.checkpoints.batches) }),
  estimates: (r, d) => ({ shape: [d.cps, rowsOf(r.checkpoints.estimates, d.cps * d.outputs), d.outputs], data: r.checkpoints.estimates }),
  gradNorms: (r, d) => ({ shape: [d.cps, d.layers], data: r.checkpoints.gradNorms }),
  testInputs: (r, d) => ({ shape: [rowsOf(r.testInputs, d.inputs), d.inputs], data: r.testInputs }),
  testEstimates: (r, d) => ({ shape: [rowsOf(r.testEstimates, d.outputs), d.outputs], data: r.testEstimates }),
  testTargets: (r, d) => ({ shape: [rowsOf(r.testTargets, d.outputs), d.outputs], data: r.testTargets }),
  // a grid of view points keeps its sizes: [n1, n2, inputs] for a plane (else [points, inputs])
  viewInputs: (r, d) => ({ shape: r.viewGrid.length === d.inputs && d.inputs > 1 ? [...r.viewGrid, d.inputs] : [rowsOf(r.viewInputs, d.inputs), d.inputs], data: r.viewInputs }),
  checkpointMetrics: (r, d) => ({ shape: [d.cps, CHECKPOINT_METRICS.length], data: r.checkpoints.metrics }),
  finalWeights: (r) => ({ shape: [r.finalWeights.length], data: r.finalWeights }),
  // absent from an older nnlab's result (a job queue's worker of another version): not stored
  weightBatches: (r) => (r.weightCheckpoints ? { shape: [r.weightCheckpoints.batches.length], data: Float64Array.from(r.weightCheckpoints.batches) } : null),
  weights: (r, d) => (r.weightCheckpoints ? { shape: [r.weightCheckpoints.batches.length, d.weights], data: r.weightCheckpoints.weights } : null),
};

/** Rows of a flat array of rows `width` wide (0 for a width of 0). */
function rowsOf(data: Float64Array, width: number): number {
  return width > 0 ? data.length / width : 0;
}

/** The series of a finished run, with shapes from its spec, in SERIES_NAMES order. */
export function seriesOfResult(spec: RunSpec, result: RunResult): { name: SeriesName; shape: number[]; data: Float64Array }[] {
  const weights = createLayout(spec.shape).weightCount;
  const dims = { inputs: spec.shape[0], outputs: spec.shape[spec.shape.length - 1], layers: spec.shape.length - 1, cps: result.checkpoints.batches.length, weights };
  const list = SERIES_NAMES.flatMap((name) => {
    const s = SERIES_OF_RESULT[name](result, dims);
    return s ? [{ name, ...s }] : [];
  });
  for (const s of list) {
    if (product(s.shape) !== s.data.length) {
      throw new StoreError('invalid', `series ${s.name} has ${s.data.length} values, which does not fit shape [${s.shape.join(', ')}] of spec shape [${spec.shape.join(', ')}]`);
    }
  }
  return list;
}

/** The trainer's mseHistory: costHistory / batchSize, element by element. */
export function deriveMse(cost: Float64Array, batchSize: number): Float64Array {
  return cost.map((c) => c / batchSize);
}

function isDerivedMse(mse: Float64Array, cost: Float64Array, batchSize: number): boolean {
  if (mse.length !== cost.length) return false;
  for (let i = 0; i < mse.length; i++) {
    const m = mse[i];
    const d = cost[i] / batchSize;
    if (m !== d && !(m !== m && d !== d)) return false;
  }
  return true;
}

/**
 * The SQL function that lower-cases text as JavaScript does (SQLite's own lower() folds ASCII
 * only: 'Über' stays 'Über'), so a tag is compared here ignoring case exactly as the query compares it.
 */
const LOWER = 'nnlab_lower';

const PUSHDOWN_COLUMN = { id: 'id', experiment: 'experiment_id', status: 'status' } as const;
const SQL_OPS = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' } as const;

/**
 * A query condition on the store's columns as SQL, true of exactly the rows the query's own
 * evaluation keeps (a NULL experiment matches neither = nor <>, as the query's unknown; tags are
 * compared ignoring case, as the query compares them).
 */
function pushdownSql(p: Pushdown): { sql: string; params: unknown[] } {
  if (p.column === 'tag') {
    const has = `EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE ${LOWER}(value) = ?)`;
    return { sql: p.op === '=' ? has : `NOT ${has}`, params: [p.values[0].toLowerCase()] };
  }
  const column = PUSHDOWN_COLUMN[p.column];
  if (p.op === 'in') return { sql: `${column} IN (${p.values.map(() => '?').join(', ')})`, params: [...p.values] };
  return { sql: `${column} ${SQL_OPS[p.op]} ?`, params: [p.values[0]] };
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function fileIdentity(file: string): { dev: number; ino: number } | null {
  try {
    const s = fs.statSync(file);
    return { dev: s.dev, ino: s.ino };
  } catch {
    return null;
  }
}

export class RunStore {
  readonly db: Database;
  /** The database file (for a read-only store, the file it reads a private copy of; see db/open.ts). */
  readonly file: string;
  readonly appVersion: string;
  /** The data sets imported into this database (tables by content hash, db/datasets.ts). */
  readonly datasets: DatasetStore;
  private readonly clock: () => number;
  private readonly listCache = new Map<string, Statement>();
  /** The database file's device and inode at open: the path may later name another file, or none. */
  private readonly identity: { dev: number; ino: number } | null;
  private readonly stmt;

  constructor(db: Database, options: RunStoreOptions = {}) {
    this.db = db;
    this.file = databaseFile(db);
    this.identity = db.memory || db.readonly ? null : fileIdentity(this.file);
    this.appVersion = options.appVersion ?? APP_VERSION;
    this.clock = options.clock ?? Date.now;
    this.datasets = new DatasetStore(db, this.clock);
    db.function(LOWER, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? text.toLowerCase() : text));
    this.stmt = {
      insertExperiment: db.prepare('INSERT INTO experiments (name, kind, definition, created_at, notes) VALUES (?, ?, ?, ?, ?)'),
      getExperiment: db.prepare('SELECT id, name, kind, definition, created_at, notes FROM experiments WHERE id = ?'),
      listExperiments: db.prepare(`SELECT e.id, e.name, e.kind, e.definition, e.created_at, e.notes,
          (SELECT json_group_object(status, n) FROM (SELECT status, count(*) AS n FROM runs WHERE experiment_id = e.id GROUP BY status)) AS counts
        FROM experiments e ORDER BY e.id DESC`),
      detachExperimentRuns: db.prepare('UPDATE runs SET experiment_id = NULL WHERE experiment_id = ?'),
      deleteExperiment: db.prepare('DELETE FROM experiments WHERE id = ?'),
      insertRun: db.prepare(`INSERT INTO runs (experiment_id, status, spec, spec_version, config_key, init_seed, data_seed, app_version,
          created_at, started_at, owner_host, owner_pid, heartbeat_at, notes, tags)
        VALUES (@experimentId, @status, @spec, @specVersion, @configKey, @initSeed, @dataSeed, @appVersion,
          @createdAt, @startedAt, @ownerHost, @ownerPid, @heartbeatAt, @notes, @tags)`),
      markRunning: db.prepare(`UPDATE runs SET status = 'running', started_at = @now, owner_host = @host, owner_pid = @pid,
          heartbeat_at = @now WHERE id = @id AND status = 'queued'`),
      heartbeat: db.prepare(`UPDATE runs SET heartbeat_at = ?
        WHERE id IN (SELECT value FROM json_each(?)) AND status IN ('queued', 'running')`),
      finishRun: db.prepare(`UPDATE runs SET rev = rev + 1, status = @status, started_at = coalesce(started_at, @startedAt), finished_at = @now, batches_run = @batchesRun,
          final_cost = @finalCost, final_loss = @finalLoss, test_loss = @testLoss, test_metric = @testMetric, baseline = @baseline, penalty = @penalty, failed = @failed,
          kernel = @kernel, train_ms = @trainMs, timing = @timing, diagnostics = @diagnostics, error = @error WHERE id = @id`),
      deleteSeries: db.prepare('DELETE FROM run_series WHERE run_id = ?'),
      insertSeries: db.prepare('INSERT INTO run_series (run_id, name, dtype, length, shape, chunked, data) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertChunk: db.prepare('INSERT INTO run_series_chunks (run_id, name, seq, data) VALUES (?, ?, ?, ?)'),
      chunkAt: db.prepare('SELECT data FROM run_series_chunks WHERE run_id = ? AND name = ? AND seq = ?').pluck(),
      seriesOne: db.prepare('SELECT name, dtype, length, shape, chunked FROM run_series WHERE run_id = ? AND name = ?'),
      requeueRun: db.prepare(`UPDATE runs SET status = 'queued', started_at = NULL, finished_at = NULL, error = @error
        WHERE id = @id AND status = 'interrupted'`),
      failRun: db.prepare(`UPDATE runs SET status = @status, finished_at = @now, error = @error
        WHERE id = @id AND status IN ('queued', 'running', 'interrupted')`),
      setStarted: db.prepare('UPDATE runs SET started_at = coalesce(started_at, ?) WHERE id = ?'),
      getRun: db.prepare(`SELECT ${RECORD_COLUMNS} FROM runs WHERE id = ?`).raw(true),
      getStatus: db.prepare('SELECT status FROM runs WHERE id = ?').pluck(),
      getSpec: db.prepare('SELECT spec, spec_version FROM runs WHERE id = ?'),
      seriesInfo: db.prepare('SELECT name, dtype, length, shape, chunked FROM run_series WHERE run_id = ?'),
      seriesAll: db.prepare('SELECT name, dtype, length, shape, chunked, data FROM run_series WHERE run_id = ?'),
      seriesNamed: db.prepare(`SELECT name, dtype, length, shape, chunked, data FROM run_series
        WHERE run_id = ? AND name IN (SELECT value FROM json_each(?))`),
      updateNotes: db.prepare('UPDATE runs SET notes = ? WHERE id = ?'),
      updateTags: db.prepare('UPDATE runs SET tags = ? WHERE id = ?'),
      deleteRun: db.prepare('DELETE FROM runs WHERE id = ?'),
      activeOwned: db.prepare(`SELECT id, status, owner_host, owner_pid, heartbeat_at FROM runs
        WHERE status IN ('queued', 'running') AND owner_pid IS NOT NULL`),
      interrupt: db.prepare(`UPDATE runs SET status = 'interrupted', finished_at = @now, error = @error
        WHERE id = @id AND status = @previous`),
      insertVerification: db.prepare(`INSERT INTO verifications (run_id, verified_at, app_version, kernel, verdict, first_different_batch,
          max_relative_difference, batches) VALUES (@runId, @verifiedAt, @appVersion, @kernel, @verdict, @firstDifferentBatch,
          @maxRelativeDifference, @batches)`),
      latestVerification: db.prepare(`SELECT run_id, verified_at, app_version, kernel, verdict, first_different_batch, max_relative_difference, batches
        FROM verifications WHERE run_id = ? ORDER BY id DESC LIMIT 1`),
      insertTiming: db.prepare(`INSERT INTO timings (experiment_id, name, created_at, app_version, kernel, config_keys, measurement, environment)
        VALUES (@experimentId, @name, @createdAt, @appVersion, @kernel, @configKeys, @measurement, @environment)`),
      getTiming: db.prepare(`SELECT ${TIMING_COLUMNS} FROM timings WHERE id = ?`),
      deleteTiming: db.prepare('DELETE FROM timings WHERE id = ?'),
      insertQueueJob: db.prepare('INSERT INTO queue_jobs (run_id, job_id, queue_name, redis, options, enqueued_at) VALUES (?, ?, ?, ?, ?, ?)'),
      waitingInQueue: db.prepare(`SELECT q.run_id, q.job_id, r.spec, r.spec_version, q.options FROM queue_jobs q JOIN runs r ON r.id = q.run_id
        WHERE q.queue_name = ? AND q.redis = ? AND r.status IN ('queued', 'running') ORDER BY q.run_id`),
      queuesWaiting: db.prepare(`SELECT q.queue_name, q.redis, count(*) AS runs FROM queue_jobs q JOIN runs r ON r.id = q.run_id
        WHERE r.status IN ('queued', 'running') GROUP BY q.queue_name, q.redis ORDER BY q.queue_name, q.redis`),
      setTrainedBy: db.prepare('UPDATE queue_jobs SET trained_by = ? WHERE run_id = ?'),
      getTrainedBy: db.prepare('SELECT trained_by FROM queue_jobs WHERE run_id = ?').pluck(),
      setRemoteStart: db.prepare('UPDATE runs SET started_at = ?, app_version = ? WHERE id = ?'),
    };
  }

  /** Opens (creating and migrating as needed) the database at `file` and wraps it in a RunStore. */
  static open(file: string, options: OpenOptions & RunStoreOptions = {}): RunStore {
    return new RunStore(openDatabase(file, options), options);
  }

  /**
   * Checkpoints the WAL into the database file (TRUNCATE, waiting at most 100 ms for other
   * connections) and closes: at rest the file alone is complete, whether or not SQLite's own
   * checkpoint-on-last-close runs (it does not while another process has the database open).
   */
  close(): void {
    if (this.db.open && !this.db.readonly && !this.db.memory) {
      try {
        this.db.pragma('busy_timeout = 100');
        this.checkpoint();
      } catch {
        // busy, or a full disk: the WAL keeps the data and SQLite replays it at the next open
      }
    }
    this.db.close();
  }

  /**
   * Whether the path still names the file this store has open: 'deleted' (nothing there now) or
   * 'replaced' (another file there) when something removed or renamed it meanwhile, and every
   * write since went to a file no path names (it goes when the connection closes).
   */
  fileMoved(): 'deleted' | 'replaced' | null {
    if (!this.identity) return null;
    const now = fileIdentity(this.file);
    if (!now) return 'deleted';
    return now.dev === this.identity.dev && now.ino === this.identity.ino ? null : 'replaced';
  }

  /** What fileMoved found, for the lab's status (the app shows it above every view), or null. */
  fileMovedMessage(): string | null {
    const moved = this.fileMoved();
    if (!moved) return null;
    return moved === 'deleted'
      ? `${this.file} was deleted while nnlab has it open: the runs stay in the open database, and are written back there when nnlab stops`
      : `${this.file} was replaced by another file while nnlab has it open: the runs stay in the open database, and are kept beside it when nnlab stops`;
  }

  /**
   * When the database file was deleted or replaced under this store: writes the open database
   * (a complete copy, VACUUM INTO) back at its path if nothing is there now, else beside it as
   * NAME.recovered.sqlite (NAME.recovered-2.sqlite, …), and returns the sentence that says so
   * and whether the runs are kept; null when the file is where it was.
   */
  rescueMoved(): { message: string; kept: boolean } | null {
    const moved = this.fileMoved();
    if (!moved) return null;
    const runs = this.countRuns();
    const what = `its ${runs} run${runs === 1 ? '' : 's'}`;
    const stem = this.file.replace(/\.(sqlite3?|db)$/, '');
    let target = this.file;
    if (moved === 'replaced') {
      target = `${stem}.recovered.sqlite`;
      for (let n = 2; fs.existsSync(target); n++) target = `${stem}.recovered-${n}.sqlite`;
    } else {
      for (const f of [`${this.file}-wal`, `${this.file}-shm`]) fs.rmSync(f, { force: true });
    }
    try {
      this.db.prepare('VACUUM INTO ?').run(target);
    } catch (e) {
      return { kept: false, message: `${this.file} was ${moved === 'deleted' ? 'deleted' : 'replaced by another file'} while nnlab had it open, and ${what} could not be written to ${target} (${(e as Error).message}): they are lost when nnlab ends` };
    }
    const are = runs === 1 ? 'is' : 'are';
    const message =
      moved === 'deleted'
        ? `${this.file} was deleted while nnlab had it open: ${what} ${are} written back there`
        : `${this.file} was replaced by another file while nnlab had it open: ${what} ${are} kept in ${target} (nnlab runs list --db ${target})`;
    return { kept: true, message };
  }

  /** Runs `fn` in one IMMEDIATE transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // ---- experiments

  createExperiment(input: { name: string; kind: ExperimentKind; definition?: unknown; notes?: string; now?: number }): number {
    const info = this.stmt.insertExperiment.run(
      input.name,
      input.kind,
      toStoredJson(input.definition ?? {}),
      input.now ?? this.clock(),
      input.notes ?? '',
    );
    return Number(info.lastInsertRowid);
  }

  getExperiment(id: number): Experiment | undefined {
    const row = this.stmt.getExperiment.get(id) as ExperimentRow | undefined;
    return row && experimentOf(row);
  }

  /** Every experiment, newest first, with its runs counted by status. */
  listExperiments(): Experiment[] {
    return (this.stmt.listExperiments.all() as ExperimentRow[]).map(experimentOf);
  }

  /** Every experiment's id and name, newest first: listExperiments without the runs counted (what a runs table's labels and queries read). */
  experimentNames(): Pick<Experiment, 'id' | 'name'>[] {
    return this.cachedStatement('SELECT id, name FROM experiments ORDER BY id DESC').all() as Pick<Experiment, 'id' | 'name'>[];
  }

  /** Deletes an experiment and its runs (with their series), or only detaches the runs with keepRuns. */
  deleteExperiment(id: number, options: { keepRuns?: boolean } = {}): boolean {
    return this.transaction(() => {
      if (options.keepRuns) this.stmt.detachExperimentRuns.run(id);
      return this.stmt.deleteExperiment.run(id).changes > 0;
    });
  }

  // ---- runs: lifecycle

  /** Validates the spec (SpecError names a bad field) and records a new run; returns its id. */
  createRun(spec: RunSpec, options: NewRunOptions = {}): number {
    return Number(this.stmt.insertRun.run(this.newRunParams(spec, options)).lastInsertRowid);
  }

  /** createRun for many specs in one transaction (a sweep); returns the ids in order. */
  createRuns(specs: readonly RunSpec[], options: NewRunOptions = {}): number[] {
    return this.transaction(() => specs.map((s) => this.createRun(s, options)));
  }

  private newRunParams(input: RunSpec, options: NewRunOptions) {
    const spec = parseRunSpec(input);
    const status = options.status ?? 'queued';
    const now = options.now ?? this.clock();
    const owner = options.owner ?? null;
    return {
      experimentId: options.experimentId ?? null,
      status,
      spec: toStoredJson(spec),
      specVersion: SPEC_VERSION,
      configKey: configKey(spec),
      initSeed: spec.initSeed,
      dataSeed: spec.dataSeed,
      appVersion: this.appVersion,
      createdAt: now,
      startedAt: status === 'running' ? now : null,
      ownerHost: owner?.host ?? null,
      ownerPid: owner?.pid ?? null,
      heartbeatAt: owner ? now : null,
      notes: options.notes ?? '',
      tags: toStoredJson(options.tags ?? []),
    };
  }

  /**
   * Marks a queued run as running under `owner`, with a fresh heartbeat. Returns false when the
   * run is not queued (e.g. cancelled meanwhile), so the caller does not train it.
   */
  markRunning(id: number, owner: Owner, now: number = this.clock()): boolean {
    return this.stmt.markRunning.run({ id, host: owner.host, pid: owner.pid, now }).changes > 0;
  }

  /** Refreshes the heartbeat of these queued/running runs; returns how many were still active. */
  heartbeat(ids: readonly number[], now: number = this.clock()): number {
    if (ids.length === 0) return 0;
    return this.stmt.heartbeat.run(now, JSON.stringify(ids)).changes;
  }

  /**
   * Stores a run's outcome: every series and the final fields, in ONE transaction (series of an
   * earlier attempt are replaced). `status` defaults to the result's ('done' or 'diverged'); a
   * cancelled run with a partial result may pass 'cancelled'. Works whatever the current status
   * (an owner that was wrongly reaped as interrupted still gets its result stored).
   */
  finishRun(id: number, result: RunResult, status: FinalStatus = result.status, options: { error?: string | null; now?: number; spec?: RunSpec } = {}): void {
    this.transaction(() => {
      // the spec the caller created the run with, or the stored one read back and parsed
      const spec = options.spec ?? this.specOf(id);
      if (!spec) throw new StoreError('no-such-run', `there is no run ${id}`);
      if (!this.writeResult(id, result, status, spec, { error: options.error ?? null, now: options.now ?? this.clock(), startedAt: null })) throw new StoreError('no-such-run', `there is no run ${id}`);
    });
  }

  /**
   * The body of finishRun and of an outcome with a result, inside the caller's transaction: the
   * run's fields and its start (when the row has none) in ONE UPDATE of its row, then its series
   * (an earlier attempt's replaced). Returns false, writing nothing, when there is no such run.
   * One UPDATE, not one per part: in a sweep of short runs the lab's process writes a run every
   * few ms. It moves the run's revision itself (rev + 1, as every UPDATE of a run does), so the
   * trigger runs_rev_update (WHEN NEW.rev = OLD.rev) does not rewrite the row a second time.
   */
  private writeResult(id: number, result: RunResult, status: FinalStatus, spec: RunSpec, o: { error: string | null; now: number; startedAt: number | null }): boolean {
    // mse is cost / batchSize: stored only when the result's mse is not exactly that
    const series = seriesOfResult(spec, result).filter((x) => x.name !== 'mse' || !isDerivedMse(result.mseHistory, result.costHistory, spec.batchSize));
    const changed = this.stmt.finishRun.run({
      id,
      status,
      now: o.now,
      startedAt: o.startedAt,
      batchesRun: result.batchesRun,
      finalCost: toDbNumber(result.finalCost),
      finalLoss: toDbNumber(result.finalLoss),
      testLoss: toDbNumber(result.testLoss),
      testMetric: toDbNumber(result.testMetric),
      baseline: toDbNumber(result.baseline),
      penalty: toDbNumber(result.penalty),
      failed: result.failed ? 1 : 0,
      kernel: result.kernel,
      trainMs: toDbNumber(result.timing.trainMs),
      timing: toStoredJson(result.timing),
      diagnostics: toStoredJson(result.diagnostics),
      error: o.error,
    }).changes;
    if (changed === 0) return false;
    this.stmt.deleteSeries.run(id);
    for (const s of series) this.insertSeries(id, s.name, s.shape, s.data);
    return true;
  }

  /**
   * Ends a run without a result: failed (with the reason), cancelled, interrupted or diverged.
   * Only a queued, running or interrupted run changes (a finished run keeps its outcome);
   * returns whether it did.
   */
  failRun(id: number, status: FinalStatus, errorMessage: string | null, now: number = this.clock()): boolean {
    return this.stmt.failRun.run({ id, status, error: errorMessage, now }).changes > 0;
  }

  /**
   * Queues an interrupted run again, the same row with the same spec and seeds (the lab retries a
   * run whose trainer process died), its start and end cleared and `errorMessage` kept (the first
   * death's reason). Only an interrupted run changes; returns whether it did.
   */
  requeueRun(id: number, errorMessage: string): boolean {
    return this.stmt.requeueRun.run({ id, error: errorMessage }).changes > 0;
  }

  /**
   * Writes a run's outcome in one transaction: its start (unless the row has one), then the
   * result (finishRun) or the end without one (failRun). Returns false when there is no such
   * run any more (deleted while it trained): nothing to write.
   */
  recordOutcome(o: RunOutcome, spec?: RunSpec): boolean {
    return this.transaction(() => this.writeOutcome(o, spec));
  }

  /**
   * recordOutcome for several runs in ONE transaction (a burst of short runs ending together).
   * `specs[i]`: the spec outcome i's run was created with, when the caller has it (the lab
   * does): the stored one is then not read back and parsed again for every run.
   */
  recordOutcomes(outcomes: readonly RunOutcome[], specs?: readonly (RunSpec | undefined)[]): boolean[] {
    return this.transaction(() => outcomes.map((o, i) => this.writeOutcome(o, specs?.[i])));
  }

  /** recordOutcome's body, inside the caller's transaction (no savepoint of its own per run). */
  private writeOutcome(o: RunOutcome, spec: RunSpec | undefined): boolean {
    if (o.result) {
      const s = spec ?? this.specOf(o.runId);
      return s !== undefined && this.writeResult(o.runId, o.result, o.status, s, { error: o.error, now: o.finishedAt, startedAt: o.startedAt });
    }
    if (this.stmt.getStatus.get(o.runId) === undefined) return false;
    if (o.startedAt !== null) this.stmt.setStarted.run(o.startedAt, o.runId);
    this.failRun(o.runId, o.status, o.error, o.finishedAt);
    return true;
  }

  /**
   * Copies the WAL into the database file and empties it (checkpoint TRUNCATE), so the file alone
   * is complete: a backup of nnlab.sqlite alone, or a lost -wal file, loses nothing. Returns false
   * when another connection kept it from completing (it is then done by a later one).
   */
  checkpoint(): boolean {
    if (this.db.readonly || this.db.memory) return true;
    const [r] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    return r !== undefined && r.busy === 0;
  }

  /**
   * Marks runs whose owner is gone as 'interrupted', with the reason in `error`: queued or
   * running runs that have an owner, when that owner is on this host and not alive, or when its
   * heartbeat is older than staleMs (any host). A live owner with a fresh heartbeat is never
   * touched; runs without an owner (plain queue entries) are left alone.
   */
  reapOrphans(options: ReapOptions = {}): ReapedRun[] {
    const host = options.host ?? os.hostname();
    const isAlive = options.isAlive ?? isProcessAlive;
    const staleMs = options.staleMs ?? staleOwnerMs();
    const now = options.now ?? this.clock();
    const orphans = (): { id: number; previous: RunStatus; owner: string; gone: string }[] => {
      const found: { id: number; previous: RunStatus; owner: string; gone: string }[] = [];
      const rows = this.stmt.activeOwned.all() as {
        id: number;
        status: RunStatus;
        owner_host: string;
        owner_pid: number;
        heartbeat_at: number | null;
      }[];
      for (const r of rows) {
        const who = `process ${r.owner_pid} on ${r.owner_host}`;
        if (r.owner_host === host && !isAlive(r.owner_pid)) {
          found.push({ id: r.id, previous: r.status, owner: who, gone: 'is no longer running' });
        } else if (r.heartbeat_at === null || now - r.heartbeat_at > staleMs) {
          const age = r.heartbeat_at === null ? 'no heartbeat at all' : `no heartbeat for ${Math.round((now - r.heartbeat_at) / 1000)} s`;
          found.push({ id: r.id, previous: r.status, owner: who, gone: `stopped responding (${age}; the limit is ${Math.round(staleMs / 1000)} s)` });
        }
      }
      return found;
    };
    // look first without the write lock (the usual answer is "none", and read-only stores can ask)
    if (orphans().length === 0) return [];
    return this.transaction(() => {
      const reaped: ReapedRun[] = [];
      for (const o of orphans()) {
        const reason = `interrupted: its owner, ${o.owner}, ${o.gone}`;
        if (this.stmt.interrupt.run({ id: o.id, previous: o.previous, now, error: reason }).changes > 0) {
          reaped.push({ id: o.id, previousStatus: o.previous, reason, owner: o.owner, gone: o.gone });
        }
      }
      return reaped;
    });
  }

  // ---- runs: reading and editing

  /** Summary rows (no series, timing details or diagnostics), newest (highest id) first by default. */
  listRuns(options: ListRunsOptions = {}): RunSummary[] {
    const { sql, params } = this.listQuery(`SELECT ${SUMMARY_COLUMNS} FROM runs`, options, true);
    const checked: SpecCheck[] = [];
    const runs = (this.cachedStatement(sql).raw(true).all(...params) as RunRow[]).map((row) => summaryOf(row, checked));
    this.recordSpecChecks(checked);
    return runs;
  }

  /**
   * listRuns reading only some columns: every summary has its id, status, spec (checked as
   * listRuns checks it), kind and scores, and of the other properties only `props`; reading any
   * other throws UnprojectedError. For a table's first answer (db/query-runs.ts), which needs a
   * few fields of every run and whole summaries only for the rows it shows.
   * With `specKeys`, a spec run_spec_checks vouches for is projected too (specProjection): SQLite
   * reads only those fields of its text (and task and labelColumn, for its kind), so 10,000
   * specs are neither parsed whole nor held; reading any other field of it, or enumerating it,
   * throws UnprojectedError. A spec not vouched for is read whole and checked, as listRuns does.
   */
  listRunsProjected(props: readonly ProjectableProp[], options: Omit<ListRunsOptions, 'limit' | 'offset'> = {}, specKeys?: readonly string[]): RunSummary[] {
    const wanted = [...new Set(props)].sort();
    const keys = specKeys && specKeys.every((k) => PLAIN_KEY.test(k)) ? [...new Set([...KIND_KEYS, ...specKeys])].sort() : null;
    const core = keys ? PROJECTED_CORE.filter((c) => c !== 'spec' && c !== 'spec_checked') : PROJECTED_CORE;
    const columns = [...new Set<RunColumn>([...core, ...wanted.flatMap((p) => PROJECTABLE[p])])];
    const pos = Object.fromEntries(columns.map((c, i) => [c, i])) as Partial<Record<RunColumn, number>>;
    const { sql, params } = this.listQuery(`SELECT ${selectList(columns)}${keys ? `, ${specProjection(keys)}` : ''} FROM runs`, options, true);
    const checked: SpecCheck[] = [];
    let rows: RunRow[];
    try {
      rows = this.cachedStatement(sql).raw(true).all(...params) as RunRow[];
    } catch (e) {
      // a vouched text SQLite's JSON reader refuses (only a check row forged in SQL can vouch
      // for one): the specs read whole, as before
      if (keys && e instanceof Error && /malformed JSON|JSON cannot hold/.test(e.message)) return this.listRunsProjected(props, options);
      throw e;
    }
    const handler = keys ? projectedSpecHandler(new Set(keys)) : null;
    const runs = rows.map((row) => projectedSummaryOf(row, pos, wanted, checked, keys && handler ? { keys, handler, at: columns.length } : null));
    this.recordSpecChecks(checked);
    return runs;
  }

  /**
   * Records in run_spec_checks (schema v11) the specs a listing checked and found already in
   * their checked form, so the next listing, in this process or another, skips the schema's parse
   * for them. Best effort: nothing is recorded by a read-only store, or while another connection
   * holds the write lock (no waiting for it: a listing is a read), or inside a caller's
   * transaction; the next listing checks those runs again and tries once more. A disk that is full
   * or failing (SQLITE_FULL, SQLITE_IOERR) leaves them unrecorded too: the listing itself was read
   * and is answered, and the write that meets the full disk says so where it matters.
   */
  private recordSpecChecks(checked: SpecCheck[]): void {
    if (checked.length === 0 || this.db.readonly || this.db.inTransaction) return;
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    try {
      this.db.pragma('busy_timeout = 0');
      const insert = this.cachedStatement('INSERT OR REPLACE INTO run_spec_checks (run_id, spec, spec_version, checker) VALUES (?, ?, ?, ?)');
      this.db.transaction(() => {
        for (const c of checked) insert.run(c.id, c.spec, c.version, SPEC_CHECKER);
      }).immediate();
    } catch (e) {
      if (!(e instanceof Error && 'code' in e && /^SQLITE_(BUSY|LOCKED|READONLY|FULL|IOERR)/.test(String(e.code)))) throw e;
    } finally {
      this.db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  /**
   * Every run's id and revision (runs.rev, kept by triggers: it changes with any write to the run's
   * row or its queue job), newest first: what a reader that keeps summaries compares, to list
   * again only the runs that changed (db/query-runs.ts).
   */
  runRevisions(): { ids: number[]; revs: number[] } {
    const rows = this.cachedStatement('SELECT id, rev FROM runs ORDER BY id DESC').raw(true).all() as [number, number][];
    const ids = new Array<number>(rows.length);
    const revs = new Array<number>(rows.length);
    for (let i = 0; i < rows.length; i++) [ids[i], revs[i]] = rows[i];
    return { ids, revs };
  }

  /**
   * The saved runs that training `spec` again would repeat, oldest first: the same configuration
   * (config_key: config-key.ts, the one definition of what a configuration is), the same init and
   * data seeds, written by this app version (another version may train differently), and ended
   * with an outcome (done or diverged: a run cancelled, interrupted or failed is no result to reuse).
   */
  identicalRuns(spec: RunSpec): RunSummary[] {
    return this.listRuns({ configKey: configKey(spec), status: ['done', 'diverged'], order: 'oldest' }).filter(
      (r) => r.initSeed === spec.initSeed && r.dataSeed === spec.dataSeed && r.appVersion === this.appVersion,
    );
  }

  /** The ids of the runs listRuns would return without limit and offset, in id order. */
  runIds(options: Omit<ListRunsOptions, 'limit' | 'offset' | 'order'> = {}): number[] {
    const { sql, params } = this.listQuery('SELECT id FROM runs', options, false);
    return this.cachedStatement(`${sql} ORDER BY id`).pluck().all(...params) as number[];
  }

  /** How many runs listRuns would return without limit and offset. */
  countRuns(options: Omit<ListRunsOptions, 'limit' | 'offset' | 'order'> = {}): number {
    const { sql, params } = this.listQuery('SELECT count(*) FROM runs', options, false);
    return this.cachedStatement(sql).pluck().get(...params) as number;
  }

  /** The SQL of a listing; exposed for the query-plan test. */
  listQuery(select: string, options: ListRunsOptions, paged: boolean): { sql: string; params: unknown[] } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.experimentId !== undefined) {
      where.push('experiment_id = ?');
      params.push(options.experimentId);
    }
    if (options.status !== undefined) {
      const statuses = typeof options.status === 'string' ? [options.status] : [...options.status];
      where.push(statuses.length === 1 ? 'status = ?' : `status IN (${statuses.map(() => '?').join(', ')})`);
      params.push(...statuses);
    }
    if (options.configKey !== undefined) {
      where.push('config_key = ?');
      params.push(options.configKey);
    }
    if (options.ids !== undefined) {
      where.push('id IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(options.ids));
    }
    if (options.search) {
      where.push(`(${['spec', 'notes', 'tags', "coalesce(error, '')"].map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
      const pattern = likePattern(options.search);
      params.push(pattern, pattern, pattern, pattern);
    }
    for (const p of options.pushdown ?? []) {
      const one = pushdownSql(p);
      where.push(one.sql);
      params.push(...one.params);
    }
    let sql = select + (where.length ? ` WHERE ${where.join(' AND ')}` : '');
    if (paged) {
      const dir = options.order === 'oldest' ? 'ASC' : 'DESC';
      sql += ` ORDER BY id ${dir}`;
      if (options.limit !== undefined || options.offset !== undefined) {
        sql += ' LIMIT ? OFFSET ?';
        params.push(options.limit ?? -1, options.offset ?? 0);
      }
    }
    return { sql, params };
  }

  private cachedStatement(sql: string): Statement {
    let s = this.listCache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.listCache.set(sql, s);
    }
    return s;
  }

  getRun(id: number): RunRecord | undefined {
    const row = this.stmt.getRun.get(id) as RunRow | undefined;
    if (!row) return undefined;
    const series = (this.stmt.seriesInfo.all(id) as SeriesRow[]).map(seriesInfoOf);
    const cost = series.findIndex((x) => x.name === 'cost');
    if (cost >= 0 && !series.some((x) => x.name === 'mse')) series.splice(cost + 1, 0, { ...series[cost], name: 'mse', derived: true });
    const timing = col(row, 'timing');
    const diagnostics = col(row, 'diagnostics');
    return {
      ...summaryOf(row),
      timing: timing ? (JSON.parse(timing) as Stored<Timing>) : null,
      diagnostics: diagnostics ? (JSON.parse(diagnostics) as Stored<Diagnostics>) : null,
      series,
      verification: this.latestVerification(id) ?? null,
      trainedBy: col(row, 'remote') === null ? null : this.trainedBy(id),
    };
  }

  // ---- re-run checks

  /** Records a re-run check of a run (the run must exist). */
  saveVerification(v: Verification): void {
    this.stmt.insertVerification.run({ ...v, maxRelativeDifference: v.maxRelativeDifference === null ? null : toDbNumber(v.maxRelativeDifference) });
  }

  /** The run's latest re-run check. */
  latestVerification(runId: number): Verification | undefined {
    const r = this.stmt.latestVerification.get(runId) as VerificationRow | undefined;
    if (!r) return undefined;
    return {
      runId: r.run_id,
      verdict: r.verdict,
      firstDifferentBatch: r.first_different_batch,
      maxRelativeDifference: r.max_relative_difference,
      batches: r.batches,
      verifiedAt: r.verified_at,
      appVersion: r.app_version,
      kernel: r.kernel,
    };
  }

  // ---- honest timings

  /** Stores a finished timing measurement; returns its id. */
  saveTiming(input: Omit<TimingRecord, 'id' | 'createdAt' | 'appVersion' | 'measurement'> & { measurement: unknown; now?: number }): number {
    const info = this.stmt.insertTiming.run({
      experimentId: input.experimentId,
      name: input.name,
      createdAt: input.now ?? this.clock(),
      appVersion: this.appVersion,
      kernel: input.kernel,
      configKeys: toStoredJson(input.configKeys),
      measurement: toStoredJson(input.measurement),
      environment: toStoredJson(input.environment),
    });
    return Number(info.lastInsertRowid);
  }

  getTiming(id: number): TimingRecord | undefined {
    const row = this.stmt.getTiming.get(id) as TimingRow | undefined;
    return row && timingOf(row);
  }

  /**
   * Timings, newest first: all, those of an experiment, or those that timed any of `configKeys`
   * (the comparison of some runs looks for timings of their configurations).
   */
  listTimings(options: { experimentId?: number; configKeys?: readonly string[]; limit?: number } = {}): TimingRecord[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (options.experimentId !== undefined) {
      where.push('experiment_id = ?');
      params.push(options.experimentId);
    }
    if (options.configKeys !== undefined) {
      where.push('EXISTS (SELECT 1 FROM json_each(timings.config_keys) k WHERE k.value IN (SELECT value FROM json_each(?)))');
      params.push(JSON.stringify(options.configKeys));
    }
    const sql = `SELECT ${TIMING_COLUMNS} FROM timings${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.cachedStatement(sql).all(...params, options.limit ?? -1) as TimingRow[]).map(timingOf);
  }

  deleteTiming(id: number): boolean {
    return this.stmt.deleteTiming.run(id).changes > 0;
  }

  // ---- runs sent to a job queue (nnlab sweep --queue; queue/ collects them)

  /**
   * Records runs that `nnlab worker`s will train through a job queue: queued, with no owner (the
   * queue holds them, not this process, so they outlive it and crash recovery leaves them alone),
   * each with its job id (`jobIdOf(runId)`) and the job's options. One transaction.
   */
  createQueuedRuns(
    specs: readonly RunSpec[],
    options: Omit<NewRunOptions, 'status' | 'owner'> & { queue: QueueRef; jobOptions: unknown; jobIdOf: (runId: number) => string },
  ): { runId: number; jobId: string }[] {
    const now = options.now ?? this.clock();
    return this.transaction(() =>
      specs.map((spec) => {
        const runId = this.createRun(spec, { experimentId: options.experimentId, notes: options.notes, tags: options.tags, now });
        const jobId = options.jobIdOf(runId);
        this.stmt.insertQueueJob.run(runId, jobId, options.queue.name, options.queue.redis, toStoredJson(options.jobOptions), now);
        return { runId, jobId };
      }),
    );
  }

  /** The runs of this database still waiting in a queue: not stored, failed or cancelled yet. Oldest first. */
  waitingInQueue(queue: QueueRef): QueuedRun[] {
    const rows = this.stmt.waitingInQueue.all(queue.name, queue.redis) as { run_id: number; job_id: string; spec: string; spec_version: number; options: string }[];
    return rows.map((r) => ({ runId: r.run_id, jobId: r.job_id, spec: storedSpec(r.run_id, r.spec, r.spec_version), options: JSON.parse(r.options) as unknown }));
  }

  /** Every queue this database has runs waiting in, with how many. */
  queuesWaiting(): (QueueRef & { runs: number })[] {
    return (this.stmt.queuesWaiting.all() as { queue_name: string; redis: string; runs: number }[]).map((r) => ({ name: r.queue_name, redis: r.redis, runs: r.runs }));
  }

  /**
   * Stores a result collected from a queue, once: returns false, writing nothing, when the run no
   * longer waits for one (stored before — a job can be reported twice —, cancelled, or deleted).
   * The run takes the worker's start and end times and app version: what trained it.
   */
  storeQueuedResult(id: number, result: RunResult, by: { trainedBy: TrainedBy; startedAt: number | null; finishedAt: number | null }): boolean {
    return this.transaction(() => {
      const status = this.stmt.getStatus.get(id) as RunStatus | undefined;
      if (status !== 'queued' && status !== 'running') return false;
      this.finishRun(id, result, result.status, { now: by.finishedAt ?? undefined });
      this.stmt.setRemoteStart.run(by.startedAt, by.trainedBy.appVersion, id);
      this.stmt.setTrainedBy.run(toStoredJson(by.trainedBy), id);
      return true;
    });
  }

  /** Ends a queued run without a result (failed on the workers, lost, cancelled), once; false when it no longer waits. */
  failQueuedRun(id: number, status: FinalStatus, error: string, trainedBy: TrainedBy | null = null): boolean {
    return this.transaction(() => {
      const status0 = this.stmt.getStatus.get(id) as RunStatus | undefined;
      if (status0 !== 'queued' && status0 !== 'running') return false;
      this.failRun(id, status, error);
      if (trainedBy) this.stmt.setTrainedBy.run(toStoredJson(trainedBy), id);
      return true;
    });
  }

  /** The worker that trained (or failed) a run sent to a queue. */
  trainedBy(id: number): TrainedBy | null {
    const json = this.stmt.getTrainedBy.get(id) as string | null | undefined;
    return json ? (JSON.parse(json) as TrainedBy) : null;
  }

  getStatus(id: number): RunStatus | undefined {
    return this.stmt.getStatus.get(id) as RunStatus | undefined;
  }

  /** One series row: inline when it fits a chunk, else in SERIES_CHUNK_VALUES chunks (no copies: views of `data`). */
  private insertSeries(id: number, name: string, shape: readonly number[], data: Float64Array): void {
    const chunked = data.length > SERIES_CHUNK_VALUES;
    this.stmt.insertSeries.run(id, name, 'f64', data.length, JSON.stringify(shape), chunked ? 1 : 0, chunked ? Buffer.alloc(0) : blobOf(data));
    if (!chunked) return;
    for (let seq = 0, at = 0; at < data.length; seq++, at += SERIES_CHUNK_VALUES) {
      this.stmt.insertChunk.run(id, name, seq, blobOf(data.subarray(at, at + SERIES_CHUNK_VALUES)));
    }
  }

  /** A stored chunk of a chunked series, checked for its length. */
  private chunk(id: number, r: { name: string; length: number }, seq: number): Float64Array {
    const blob = this.stmt.chunkAt.get(id, r.name, seq) as Buffer | undefined;
    const want = Math.min(SERIES_CHUNK_VALUES, r.length - seq * SERIES_CHUNK_VALUES);
    if (!blob || blob.byteLength !== 8 * want) {
      throw new StoreError('invalid', `series ${r.name} of run ${id}: chunk ${seq} is ${blob ? `${blob.byteLength / 8} values, expected ${want}` : 'missing'}`);
    }
    return float64FromBlob(blob);
  }

  /** The data of a series row, assembled from its chunks when it has them. */
  private seriesData(id: number, r: SeriesRow): Float64Array {
    if (!r.chunked) {
      const data = float64FromBlob(r.data!);
      if (data.length !== r.length) throw new StoreError('invalid', `series ${r.name} of run ${id} has ${data.length} values, expected ${r.length}`);
      return data;
    }
    const out = new Float64Array(r.length);
    for (let seq = 0; seq * SERIES_CHUNK_VALUES < r.length; seq++) out.set(this.chunk(id, r, seq), seq * SERIES_CHUNK_VALUES);
    return out;
  }

  /**
   * What a run's named series is (length, shape; `derived` for an mse computed from the cost), or
   * undefined when the run has no such series. Reads no data.
   */
  seriesInfo(id: number, name: string): SeriesInfo | undefined {
    const r = this.stmt.seriesOne.get(id, name) as SeriesRow | undefined;
    if (r) return seriesInfoOf(r);
    if (name !== 'mse') return undefined;
    const cost = this.stmt.seriesOne.get(id, 'cost') as SeriesRow | undefined;
    return cost && { ...seriesInfoOf(cost), name: 'mse', derived: true };
  }

  /**
   * A series' values in order, in pieces of at most SERIES_CHUNK_VALUES (`from`: the index of a
   * piece's first value), read one stored chunk at a time: memory stays bounded whatever the
   * run's size, and a caller may yield to the event loop between pieces (each piece is a fresh
   * point lookup; no statement stays open). A derived mse comes from the cost, piece by piece.
   */
  *seriesPieces(id: number, name: string): Generator<{ from: number; data: Float64Array }> {
    const stored = this.stmt.seriesOne.get(id, name) as SeriesRow | undefined;
    const derived = !stored && name === 'mse';
    const r = stored ?? (derived ? (this.stmt.seriesOne.get(id, 'cost') as SeriesRow | undefined) : undefined);
    if (!r) return;
    const batchSize = derived ? this.specOf(id)!.batchSize : 1;
    const out = (data: Float64Array) => (derived ? deriveMse(data, batchSize) : data);
    if (!r.chunked) {
      const row = (this.stmt.seriesNamed.all(id, JSON.stringify([r.name])) as SeriesRow[])[0];
      yield { from: 0, data: out(this.seriesData(id, row)) };
      return;
    }
    for (let seq = 0; seq * SERIES_CHUNK_VALUES < r.length; seq++) yield { from: seq * SERIES_CHUNK_VALUES, data: out(this.chunk(id, r, seq)) };
  }

  /** A run's series (all, or the named ones that exist), each data a fresh aligned Float64Array. */
  getSeries(id: number, names?: readonly string[]): Record<string, Series> {
    const wantMse = !names || names.includes('mse');
    const query = names && wantMse && !names.includes('cost') ? [...names, 'cost'] : names;
    const rows = (query ? this.stmt.seriesNamed.all(id, JSON.stringify(query)) : this.stmt.seriesAll.all(id)) as SeriesRow[];
    const out: Record<string, Series> = {};
    for (const r of rows) out[r.name] = { ...seriesInfoOf(r), data: this.seriesData(id, r) };
    if (wantMse && !out.mse && out.cost) {
      const spec = this.specOf(id)!;
      out.mse = { ...out.cost, name: 'mse', derived: true, data: deriveMse(out.cost.data, spec.batchSize) };
    }
    if (query !== names && names) delete out.cost;
    return out;
  }

  /** A run's weights at its kept checkpoints (null: the run has none stored — unfinished, or finished by an nnlab before they were kept). */
  getWeightCheckpoints(id: number): StoredWeightCheckpoints | null {
    const info = this.weightCheckpointsInfo(id);
    if (!info) return null;
    const weights = this.getSeries(id, ['weights']).weights.data;
    if (weights.length !== info.batches.length * info.weightCount) throw new StoreError('invalid', `the weight checkpoints of run ${id} have ${weights.length} values, expected ${info.batches.length} × ${info.weightCount}`);
    return { ...info, weights };
  }

  /** What getWeightCheckpoints says of a run without reading the weights themselves (streamed exports read them with seriesPieces). */
  weightCheckpointsInfo(id: number): Omit<StoredWeightCheckpoints, 'weights'> | null {
    const weights = this.seriesInfo(id, 'weights');
    if (!weights) return null;
    const s = this.getSeries(id, ['weightBatches', 'checkpointBatches']);
    if (!s.weightBatches) return null;
    const batches = Array.from(s.weightBatches.data);
    const all = s.checkpointBatches ? Array.from(s.checkpointBatches.data) : batches;
    // the last entry is where the run stopped: checkpoints after it were never reached, and an entry between checkpoints is not one
    const reached = all.filter((b) => b <= batches[batches.length - 1]).length;
    const kept = batches.filter((b) => all.includes(b)).length;
    return { batches, weightCount: weights.shape[1] ?? 0, checkpoints: all.length, thinned: kept < reached || batches.length === 0 };
  }

  /** A run's stored spec, parsed (undefined when there is no such run). */
  private specOf(id: number): RunSpec | undefined {
    const row = this.stmt.getSpec.get(id) as { spec: string; spec_version: number } | undefined;
    return row && storedSpec(id, row.spec, row.spec_version);
  }

  /** Edits a run's notes and/or tags; returns false if there is no such run. */
  updateRun(id: number, changes: { notes?: string; tags?: readonly string[] }): boolean {
    return this.transaction(() => {
      let found = this.stmt.getStatus.get(id) !== undefined;
      if (found && changes.notes !== undefined) found = this.stmt.updateNotes.run(changes.notes, id).changes > 0;
      if (found && changes.tags !== undefined) found = this.stmt.updateTags.run(toStoredJson([...changes.tags]), id).changes > 0;
      return found;
    });
  }

  /** Deletes a run and its series; returns false if there was no such run. */
  deleteRun(id: number): boolean {
    return this.stmt.deleteRun.run(id).changes > 0;
  }
}

/** Opens the database at `file` as a RunStore (RunStore.open). */
export function openRunStore(file: string, options: OpenOptions & RunStoreOptions = {}): RunStore {
  return RunStore.open(file, options);
}

function timingOf(row: TimingRow): TimingRecord {
  return {
    id: row.id,
    experimentId: row.experiment_id,
    name: row.name,
    createdAt: row.created_at,
    appVersion: row.app_version,
    kernel: row.kernel,
    configKeys: JSON.parse(row.config_keys) as string[],
    measurement: JSON.parse(row.measurement) as TimingRecord['measurement'],
    environment: JSON.parse(row.environment) as TimingRecord['environment'],
  };
}

function experimentOf(row: ExperimentRow): Experiment {
  const e: Experiment = {
    id: row.id,
    name: row.name,
    kind: row.kind,
    definition: JSON.parse(row.definition) as unknown,
    createdAt: row.created_at,
    notes: row.notes,
  };
  if (row.counts !== undefined) e.runCounts = row.counts ? (JSON.parse(row.counts) as Partial<Record<RunStatus, number>>) : {};
  return e;
}

/**
 * A run's spec as stored, parsed (parseStoredSpec: upgraded from its version, defaults filled in,
 * checked): a spec the store cannot read is a StoreError naming the run, never a wrong object.
 */
function storedSpec(id: number, json: string, version: number): RunSpec {
  try {
    return parseStoredSpec(JSON.parse(json), version);
  } catch (e) {
    if (!(e instanceof SpecError) && !(e instanceof SyntaxError)) throw e;
    const newer = e instanceof SpecError && e.field === 'specVersion' && version > SPEC_VERSION;
    throw new StoreError(newer ? 'too-new' : 'invalid', `run ${id}: its stored spec cannot be read: ${e.message}`, undefined, { cause: e });
  }
}

function remoteOf(json: string | null): RemoteMark | null {
  return json === null ? null : (JSON.parse(json) as RemoteMark);
}

/** A stored spec found already in its checked form (run_spec_checks, schema v11). */
interface SpecCheck {
  id: number;
  spec: string;
  version: number;
}

/**
 * A run's spec from its stored text: JSON.parse when run_spec_checks vouches for the text
 * (`vouched`), else checked (storedSpec). A spec checked here whose text is exactly
 * JSON.stringify of its checked form (CHECK_RULE 2: every spec this nnlab wrote; not one upgraded
 * from an older version, nor a text with a duplicate key or another spelling) goes into
 * `checked`, for the listing to record.
 */
function specFromText(id: number, text: string, version: number, vouched: boolean, checked: SpecCheck[] | undefined): RunSpec {
  if (vouched) return JSON.parse(text) as RunSpec;
  const spec = storedSpec(id, text, version);
  if (checked) {
    const parsed = JSON.parse(text) as unknown;
    if (JSON.stringify(parsed) === text && isDeepStrictEqual(parsed, spec)) checked.push({ id, spec: text, version });
  }
  return spec;
}

/** A summary's kind and scores, from its spec and row. */
function scoresOf(spec: Pick<RunSpec, 'task' | 'labelColumn'>, row: RunRow, pos: Readonly<Partial<Record<RunColumn, number>>>) {
  const kind = taskKind(spec);
  return { kind, metrics: runMetrics({ kind, finalLoss: col(row, 'final_loss', pos), testLoss: col(row, 'test_loss', pos), testMetric: col(row, 'test_metric', pos), baseline: col(row, 'baseline', pos) }) };
}

/** A summary's spec, kind and scores (the properties every listing reads), from its row. */
function coreOf(row: RunRow, pos: Readonly<Partial<Record<RunColumn, number>>>, checked: SpecCheck[] | undefined) {
  const id = col(row, 'id', pos);
  const spec = specFromText(id, col(row, 'spec', pos), col(row, 'spec_version', pos), col(row, 'spec_checked', pos) === 1, checked);
  return { id, spec, ...scoresOf(spec, row, pos) };
}

/**
 * The SELECT expression of a projected spec (listRunsProjected): when run_spec_checks vouches for
 * the run's text (as spec_checked does), the JSON array of `keys`' values as SQLite's `->` reads
 * them from the text, each value wrapped in an array of one, or null for a key the text does not
 * have (`[["relu"],null]`); otherwise 'u' and the whole text, to be checked. Rule 2 of the
 * checks (CHECK_RULE) makes `->` read what JSON.parse reads: a vouched text has no duplicate key,
 * and `->` gives a value's JSON text as it is written (numbers are not re-read by SQLite).
 */
function specProjection(keys: readonly string[]): string {
  const values = keys.map((k) => `ifnull('[' || (runs.spec -> '$.${k}') || ']', 'null')`).join(" || ',' || ");
  return `CASE WHEN EXISTS (SELECT 1 FROM run_spec_checks c WHERE ${VOUCHES}) THEN '[' || ${values} || ']' ELSE 'u' || runs.spec END`;
}

/**
 * A projected spec's traps: the fields it was read with are there (undefined for one its text does
 * not have, as JSON.parse leaves it out); any other field, enumerating it (Object.values, JSON,
 * spreading), or changing it throws UnprojectedError, so an answer that needs more of a spec than
 * its listing read is answered again from whole summaries (db/query-runs.ts), never wrongly.
 */
function projectedSpecHandler(keys: ReadonlySet<string>): ProxyHandler<Record<string, unknown>> {
  const refuse = (what: string | symbol): never => {
    throw new UnprojectedError(`spec.${String(what)}`);
  };
  return {
    get: (t, p) => (typeof p === 'symbol' ? undefined : keys.has(p) ? t[p] : refuse(p)),
    has: (t, p) => (typeof p === 'string' && keys.has(p) ? Object.hasOwn(t, p) : refuse(p)),
    ownKeys: () => refuse('(its fields enumerated)'),
    getOwnPropertyDescriptor: (_t, p) => refuse(p),
    defineProperty: (_t, p) => refuse(p),
    set: (_t, p) => refuse(p),
    deleteProperty: (_t, p) => refuse(p),
  };
}

/** How each projectable property is read from a row (the one definition: summaryOf and projectedSummaryOf both use it). */
const READ: { [P in ProjectableProp]: (row: RunRow, pos: Readonly<Partial<Record<RunColumn, number>>>) => RunSummary[P] } = {
  experimentId: (row, pos) => col(row, 'experiment_id', pos),
  configKey: (row, pos) => col(row, 'config_key', pos),
  initSeed: (row, pos) => col(row, 'init_seed', pos),
  dataSeed: (row, pos) => col(row, 'data_seed', pos),
  appVersion: (row, pos) => col(row, 'app_version', pos),
  createdAt: (row, pos) => col(row, 'created_at', pos),
  startedAt: (row, pos) => col(row, 'started_at', pos),
  finishedAt: (row, pos) => col(row, 'finished_at', pos),
  owner: (row, pos) => {
    const host = col(row, 'owner_host', pos);
    const pid = col(row, 'owner_pid', pos);
    return pid !== null && host !== null ? { host, pid } : null;
  },
  heartbeatAt: (row, pos) => col(row, 'heartbeat_at', pos),
  batchesRun: (row, pos) => col(row, 'batches_run', pos),
  finalCost: (row, pos) => col(row, 'final_cost', pos),
  penalty: (row, pos) => col(row, 'penalty', pos),
  failed: (row, pos) => {
    const failed = col(row, 'failed', pos);
    return failed === null ? null : failed === 1;
  },
  kernel: (row, pos) => col(row, 'kernel', pos),
  trainMs: (row, pos) => col(row, 'train_ms', pos),
  error: (row, pos) => col(row, 'error', pos),
  notes: (row, pos) => col(row, 'notes', pos),
  tags: (row, pos) => JSON.parse(col(row, 'tags', pos)) as string[],
  remote: (row, pos) => remoteOf(col(row, 'remote', pos)),
};

/**
 * A run's summary from its row. Its spec is checked (storedSpec) unless run_spec_checks vouches
 * for the text as stored, when JSON.parse gives the very object the check gave. A spec checked
 * here whose checked form is exactly its JSON (every spec this nnlab wrote; not one upgraded from
 * an older version) goes into `checked`, for listRuns to record.
 */
function summaryOf(row: RunRow, checked?: SpecCheck[]): RunSummary {
  const { id, spec, kind, metrics } = coreOf(row, POSITION, checked);
  const p = POSITION;
  return {
    id,
    experimentId: READ.experimentId(row, p),
    status: col(row, 'status'),
    spec,
    kind,
    configKey: READ.configKey(row, p),
    initSeed: READ.initSeed(row, p),
    dataSeed: READ.dataSeed(row, p),
    appVersion: READ.appVersion(row, p),
    createdAt: READ.createdAt(row, p),
    startedAt: READ.startedAt(row, p),
    finishedAt: READ.finishedAt(row, p),
    owner: READ.owner(row, p),
    heartbeatAt: READ.heartbeatAt(row, p),
    batchesRun: READ.batchesRun(row, p),
    finalCost: READ.finalCost(row, p),
    ...metrics,
    penalty: READ.penalty(row, p),
    failed: READ.failed(row, p),
    kernel: READ.kernel(row, p),
    trainMs: READ.trainMs(row, p),
    error: READ.error(row, p),
    notes: READ.notes(row, p),
    tags: READ.tags(row, p),
    remote: READ.remote(row, p),
  };
}

/**
 * A projected summary (listRunsProjected): id, status, spec, kind and the scores, and of the rest
 * only `props`, each read as summaryOf reads it; any other property throws UnprojectedError.
 */
function projectedSummaryOf(
  row: RunRow,
  pos: Readonly<Partial<Record<RunColumn, number>>>,
  props: readonly ProjectableProp[],
  checked: SpecCheck[],
  projection: { keys: readonly string[]; handler: ProxyHandler<Record<string, unknown>>; at: number } | null,
): RunSummary {
  const { id, spec, kind, metrics } = projection ? projectedCoreOf(row, pos, checked, projection) : coreOf(row, pos, checked);
  const o = Object.create(UNPROJECTED) as Record<string, unknown>;
  o.id = id;
  o.status = col(row, 'status', pos);
  o.spec = spec;
  o.kind = kind;
  Object.assign(o, metrics);
  for (const p of props) o[p] = READ[p](row, pos);
  return o as unknown as RunSummary;
}

/** coreOf for a row with a projected spec (specProjection at column `at`). */
function projectedCoreOf(row: RunRow, pos: Readonly<Partial<Record<RunColumn, number>>>, checked: SpecCheck[], p: { keys: readonly string[]; handler: ProxyHandler<Record<string, unknown>>; at: number }) {
  const id = col(row, 'id', pos);
  const cell = row[p.at] as string;
  if (cell.startsWith('u')) {
    const spec = specFromText(id, cell.slice(1), col(row, 'spec_version', pos), false, checked);
    return { id, spec, ...scoresOf(spec, row, pos) };
  }
  const values = JSON.parse(cell) as ([unknown] | null)[];
  const fields: Record<string, unknown> = {};
  for (let i = 0; i < p.keys.length; i++) {
    const v = values[i];
    if (v !== null) fields[p.keys[i]] = v[0];
  }
  const spec = new Proxy(fields, p.handler) as unknown as RunSpec;
  return { id, spec, ...scoresOf(fields as Pick<RunSpec, 'task' | 'labelColumn'>, row, pos) };
}

function seriesInfoOf(r: SeriesRow): SeriesInfo {
  return { name: r.name, dtype: r.dtype, length: r.length, shape: JSON.parse(r.shape) as number[] };
}
