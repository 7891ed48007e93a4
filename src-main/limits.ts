/**
 * The lab's limits and defaults, defined once: the API contract's request schemas, the
 * trainer-process protocol, the lab, the sweep schema, the CLI and the app's forms all read them
 * here. A leaf (no imports), so every layer may import it, the trainer process included.
 */

/** Honest timing (lab.startTiming, trainer/timing.ts): what a request leaves out. */
export const TIMING_DEFAULTS = { repeats: 10, warmup: 2, targetMse: 0.01 } as const;

/** Honest timing: the largest job the lab takes (configurations timed against each other, timed rounds, warm-up rounds). */
export const TIMING_LIMITS = { configs: 8, repeats: 200, warmup: 50 } as const;

/** The largest --threads accepted (more threads than this never help a layer of this lab's sizes). */
export const MAX_THREADS = 64;

/** Step-through of a live run (issue 15): the most batches one step runs. */
export const MAX_STEP_BATCHES = 1_000_000;

/** Seeds per configuration: a sweep's replicates, and the new seeds of "+k seeds" (runs/replicate), at most. */
export const MAX_REPLICATES = 10_000;

/**
 * Points of one series in one runs/series answer: without maxPoints a longer series comes
 * decimated to `default` points (with their indices); maxPoints and a page (from, count) go up to
 * `max`. A run can hold 20 M batches: one answer never carries them all.
 */
export const SERIES_POINTS = { default: 100_000, max: 1_000_000 } as const;

/**
 * The largest network whose init preview (spec/preview) the lab computes: the preview builds the
 * network on the server's thread, about 60 ms for 500,000 weights on a laptop core, so bigger
 * ones are refused with a message rather than stall the server (the run itself can be started).
 */
export const PREVIEW_MAX_WEIGHTS = 500_000;

/**
 * The fault-handling limits: each one's default, and the environment variable a user (or a test)
 * sets it with — read by env-limits.ts (Node only); a value that is not a non-negative number is
 * ignored and the default applies. The lab's options (LabOptions, WritePathOptions, PoolOptions)
 * override both.
 */
export const FAULT_LIMITS = {
  /** How long a write waits, retrying, for a lock another program holds before a finished result goes to the recovery journal (db/write-path.ts). */
  writeRetryMs: { env: 'NNLAB_WRITE_RETRY_MS', default: 60_000 },
  /** How often the lab refreshes the heartbeat of its running runs (lab/service.ts), well inside DEFAULT_STALE_MS. */
  heartbeatMs: { env: 'NNLAB_HEARTBEAT_MS', default: 5_000 },
  /** A trainer process silent this long while it has a job is killed, and its job ends as a crash (lab/pool.ts). */
  trainerHangMs: { env: 'NNLAB_TRAINER_HANG_MS', default: 30_000 },
} as const;

/**
 * Heartbeats older than this mark a run's owner as gone (RunStore.reapOrphans), with the default
 * limits. A live owner whose heartbeats wait on another program's lock goes the write retry limit
 * plus a heartbeat period without one, so this must stay well above that sum, or a process that
 * is only waiting would be reaped; env-limits.ts staleOwnerMs raises it with the limits
 * (tests/db/faults.test.ts checks the order).
 */
export const DEFAULT_STALE_MS = 2 * FAULT_LIMITS.writeRetryMs.default;

/**
 * The longest runs query (analysis/query.ts) the lab reads, in characters: the runs table's
 * request takes no more, and `nnlab runs list --where` refuses the same, so the page and the
 * CLI take the same language.
 */
export const QUERY_MAX_LENGTH = 4000;
