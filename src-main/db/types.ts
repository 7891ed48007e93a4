/**
 * The store's data types and constants, with no Node or driver imports, so the renderer and the
 * API contract can import them (store.ts re-exports everything here).
 */
import type { Pushdown } from '../analysis/query';
import type { Diagnostics } from '../trainer/diagnostics';
import type { RunSpec } from '../trainer/spec';
import type { NamedScores } from '../trainer/metrics';
import type { TaskKind } from '../trainer/tasks';
import type { TimingMeasurement } from '../trainer/timing';
import type { RunResult, Timing } from '../trainer/trainer';

/** The process (host name and pid) that trains or holds a run. */
export interface Owner {
  host: string;
  pid: number;
}

export const RUN_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted', 'diverged'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** Statuses a run ends in. */
export type FinalStatus = Exclude<RunStatus, 'queued' | 'running'>;

export type ExperimentKind = 'sweep' | 'replicates' | 'comparison' | (string & {});

/** The series a finished run stores (see `seriesOfResult` for their shapes). */
export const SERIES_NAMES = [
  'cost',
  'mse',
  'checkpointBatches',
  'estimates',
  'gradNorms',
  'testInputs',
  'testEstimates',
  'testTargets',
  'viewInputs',
  'checkpointMetrics',
  'finalWeights',
  // the weights at the kept checkpoints (trainer.WeightCheckpoints): their batches, and (entries, weights)
  'weightBatches',
  'weights',
] as const;
export type SeriesName = (typeof SERIES_NAMES)[number];

/** A value after a JSON round trip: non-finite numbers come back as null. */
export type Stored<T> = T extends number
  ? number | null
  : T extends readonly (infer U)[]
    ? Stored<U>[]
    : T extends object
      ? { [K in keyof T]: Stored<T[K]> }
      : T;

export interface Experiment {
  id: number;
  name: string;
  kind: ExperimentKind;
  definition: unknown;
  createdAt: number;
  notes: string;
  /** Runs in the experiment, by status (listExperiments only). */
  runCounts?: Partial<Record<RunStatus, number>>;
}

/** A job queue as the store knows it: its name and its Redis server's URL without credentials. */
export interface QueueRef {
  name: string;
  /** e.g. `redis://10.0.0.5:6379/0`: never a user name or password. */
  redis: string;
}

/** Who trained a run that went through a job queue: the `nnlab worker` that reported its result. */
export interface TrainedBy {
  /** The worker's name (`--name`, default host-pid). */
  worker: string;
  host: string;
  pid: number;
  appVersion: string;
  /** "node 20.19.0". */
  runtime: string;
  platform: string;
  arch: string;
  /** The kernel that ran (as RunResult.kernel). */
  kernel: string;
}

/** A run sent to a job queue (RunSummary.remote): where it waits, and the worker that trained it once stored. */
export interface RemoteMark extends QueueRef {
  worker: string | null;
}

/** A run of this database waiting in a job queue, with what its job is made of. */
export interface QueuedRun {
  runId: number;
  jobId: string;
  spec: RunSpec;
  /** The job's other fields as they were sent (queue/protocol.ts reads them). */
  options: unknown;
}

/**
 * A run without its series, timing details or diagnostics: what lists show. Its scores come by
 * every name (NamedScores: generic, regression's, classification's; null where they do not apply,
 * and until the run has finished).
 */
export interface RunSummary extends NamedScores {
  id: number;
  experimentId: number | null;
  status: RunStatus;
  spec: RunSpec;
  /** Canonical JSON of the spec without its seeds and default values (db/config-key.ts): equal for replicates of one configuration. */
  configKey: string;
  initSeed: number;
  dataSeed: number;
  appVersion: string;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  owner: Owner | null;
  heartbeatAt: number | null;
  batchesRun: number | null;
  /** The task's kind: what testMetric and baseline measure (trainer/metrics.ts). */
  kind: TaskKind;
  /** The last batch's loss summed over the batch (sse: the seed's cost); null until finished, or when it was NaN. */
  finalCost: number | null;
  /** The regularisers' penalty of the final weights (loss-per-sample units); null until finished. */
  penalty: number | null;
  /** The run learned nothing (regression: final MSE not below the baseline; classification: test accuracy not above the majority share); null until finished. */
  failed: boolean | null;
  kernel: string | null;
  /** timing.trainMs */
  trainMs: number | null;
  error: string | null;
  notes: string;
  tags: string[];
  /** Set when the run was sent to a job queue (nnlab sweep --queue) rather than trained by this lab. */
  remote: RemoteMark | null;
}

export interface SeriesInfo {
  name: string;
  dtype: 'f64';
  length: number;
  shape: number[];
  /** Not stored but computed on read: 'mse' is cost / batchSize (bit-identical to the trainer's). */
  derived?: true;
}

export interface Series extends SeriesInfo {
  data: Float64Array;
}

/**
 * A stored run's weights at its kept checkpoints (trainer.WeightCheckpoints): `checkpoints` is how
 * many checkpoints the run had, so batches.length < checkpoints says they were thinned to fit
 * WEIGHT_CHECKPOINT_BYTES.
 */
export interface StoredWeightCheckpoints {
  batches: number[];
  /** (batches.length, weightCount): each row the flat weights, in finalWeights' order. */
  weights: Float64Array;
  weightCount: number;
  checkpoints: number;
  /** Fewer checkpoints were kept than the run reached (to fit WEIGHT_CHECKPOINT_BYTES). */
  thinned: boolean;
}

export interface RunRecord extends RunSummary {
  timing: Stored<Timing> | null;
  diagnostics: Stored<Diagnostics> | null;
  /** The stored series, without their data (getSeries reads it). */
  series: SeriesInfo[];
  /** The latest re-run check of the run (getRun fills it: null when it had none). */
  verification?: Verification | null;
  /** The worker that trained a run sent to a job queue (null: this lab trained it, or it is not stored yet). */
  trainedBy?: TrainedBy | null;
}

/**
 * How a re-run compared with the stored cost history: bit for bit the same; different, by the
 * same nnlab and kernel (a real reproducibility failure); or different, but saved by another nnlab
 * version or with another kernel (whose float64 sums round differently), which explains it.
 */
export const VERDICTS = ['identical', 'differs', 'different-app-version', 'different-kernel'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** What every re-run check says, just made (VerifyReport) or stored (Verification). */
interface VerifyOutcome {
  runId: number;
  verdict: Verdict;
  /** First batch (0-based) whose cost differs; null when identical. */
  firstDifferentBatch: number | null;
  /** Batches compared: the run's stored cost history. */
  batches: number;
}

/** What a re-run check found (lab/verify.ts). */
export interface VerifyReport extends VerifyOutcome {
  /** Largest |replayed − stored| / max(|stored|, tiny) over the history. */
  maxRelativeDifference: number;
  stored: { appVersion: string; kernel: string | null };
  replay: { appVersion: string; kernel: string };
}

/** A stored re-run check ("Re-run and verify"): the report without the run's own version and kernel, which the run has. */
export interface Verification extends VerifyOutcome {
  /** As in the report; null when it was NaN (JSON and SQLite have no NaN). */
  maxRelativeDifference: number | null;
  verifiedAt: number;
  /** The nnlab version and kernel of the replay. */
  appVersion: string;
  kernel: string;
}

/** Where a timing was measured: the numbers only compare with numbers from the same machine and load. */
export interface TimingEnvironment {
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  /** "node 20.19.0", "electron 45.5.0". */
  runtime: string;
  /** 1-minute load average at the start and the end (0 on Windows, which has none). */
  loadAverage: { start: number; end: number };
  /** Other jobs of this lab training while the timing ran (the lab runs a timing alone: 0). */
  concurrentJobs: number;
}

/** A stored honest-timing measurement (analysis/timing.ts summarises it). */
export interface TimingRecord {
  id: number;
  experimentId: number | null;
  name: string;
  createdAt: number;
  appVersion: string;
  kernel: string;
  /** Config keys of the timed configurations, in order. */
  configKeys: string[];
  measurement: Stored<TimingMeasurement>;
  environment: TimingEnvironment;
}

/**
 * A run's outcome as the lab writes it in one transaction (store.recordOutcome), and as the
 * recovery journal keeps it when the database cannot take it.
 */
export interface RunOutcome {
  runId: number;
  status: FinalStatus;
  error: string | null;
  /** The trained result (series and final fields), or null for an end without one. */
  result: RunResult | null;
  /** When its trainer process took the run (written unless the row already has a start). */
  startedAt: number | null;
  finishedAt: number;
}

export interface NewRunOptions {
  experimentId?: number | null;
  /** Default 'queued'. */
  status?: 'queued' | 'running';
  /** Set when a live process holds the run from the start (it then heartbeats it). */
  owner?: Owner | null;
  notes?: string;
  tags?: string[];
  now?: number;
}

export interface ListRunsOptions {
  limit?: number;
  offset?: number;
  experimentId?: number;
  status?: RunStatus | readonly RunStatus[];
  /** Substring (case-insensitive for ASCII) of the spec JSON, notes, tags or error text. */
  search?: string;
  configKey?: string;
  /** Only these runs (ids that name no run are passed over). */
  ids?: readonly number[];
  /**
   * Conditions of a runs query that the store checks on its own columns (analysis/query.ts
   * pushdown): it keeps the runs they are true of, and the query decides the rest.
   */
  pushdown?: readonly Pushdown[];
  /** Newest first (default) or oldest first, by id: the order runs were created in this database. */
  order?: 'newest' | 'oldest';
}

export interface ReapOptions {
  /** This host's name (default os.hostname()): only owners on this host are checked for life. */
  host?: string;
  isAlive?: (pid: number) => boolean;
  /** A heartbeat older than this (ms) means the owner is gone, whatever its host (default: staleOwnerMs(), env-limits.ts). */
  staleMs?: number;
  now?: number;
}

export interface ReapedRun {
  id: number;
  previousStatus: RunStatus;
  reason: string;
  /** The owner that is gone ("process 123 on host") and how ("is no longer running", "stopped responding (…)"). */
  owner: string;
  gone: string;
}
