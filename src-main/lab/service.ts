/**
 * LabService: the lab's one entry point for training, shared by the CLI, `nnlab serve` and the
 * Electron app (no Electron import). It validates specs, records runs in the store before they
 * start, trains them on a pool of trainer processes, streams progress to subscribers, and writes
 * every outcome — done, diverged, failed with the reason, cancelled, interrupted — so nothing
 * that completed is lost when something else crashes.
 */
import { randomBytes } from 'node:crypto';
import { arch, cpus, loadavg, platform } from 'node:os';
import { configLabels } from '../analysis/config-diff';
import type { TimingJob } from '../analysis/timing';
import { MAX_REPLICATES, TIMING_DEFAULTS, TIMING_LIMITS } from '../limits';
import type { KernelChoice } from '../trainer/backends';
import { parseRunSpec, type RunSpec, SpecError, type SpecLimits } from '../trainer/spec';
import type { TimingMeasurement } from '../trainer/timing';
import type { RunResult } from '../trainer/trainer';
import { configKey } from '../db/config-key';
import { StoreError } from '../db/errors';
import { writeFault } from '../db/faults';
import { currentOwner, type Owner } from '../db/owner';
import type { FinalStatus, RunStore } from '../db/store';
import type { RunOutcome, RunSummary, TimingEnvironment, TrainedBy } from '../db/types';
import { faultLimitMs } from '../env-limits';
import { type SaveReport, type SaveState, WritePath } from '../db/write-path';
// types only: bullmq loads only in the processes that use a queue
import type { RemoteOutcome, RunQueue, TrackedRun } from '../queue/lab-queue';
import { MAX_DATASET_BYTES, packDataset, type PackedDataset, packImages } from '../queue/datasets';
import { type DatasetRef, jobData, jobIdFor, type JobOptions, JobOptionsSchema, kernelFamily, labName } from '../queue/protocol';
import { usedColumns } from '../trainer/table';
import { TASK_DEFS } from '../trainer/tasks';
import { type LaunchTrainer, nodeLauncher } from './launch';
import type { LabEvent, PausedAt, StepAnswer, TimingStatus } from './events';
import { type JobOutcome, type PoolJob, type StepControl, TrainerPool } from './pool';
import { expandSweep, parseSweep, type SweepDefinition } from './sweep';
import { compareReplay, storedCosts, verificationOf, type VerifyReport } from './verify';
import { DataMissingError, dataContext, type TableSource, tablesFor } from '../data/sources';
import { IdxError } from '../data/idx';
import type { DataContext } from '../trainer/task-resolve';
import type { Table } from '../trainer/table';

export type { LabEvent, PausedAt, StepAnswer, StepControl, TimingStatus };

/** Why a run cannot be paused or stepped now (it is not training in this lab's processes); the message says why. */
export class NotSteppableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotSteppableError';
  }
}

/** An honest-timing request: configurations (specs) to time against each other. */
export interface TimingRequest {
  specs: unknown[];
  /** Timed rounds (default 10). */
  repeats?: number;
  /** Untimed rounds first (default 2). */
  warmup?: number;
  /** Target MSE per sample for "time to target" (default 0.01). */
  targetMse?: number;
  name?: string;
  experimentId?: number | null;
}



export interface TimingCompletion {
  jobId: number;
  status: TimingStatus;
  /** The stored timing (done only). */
  timingId: number | null;
  error: string | null;
  measurement: TimingMeasurement | null;
}

/**
 * How a run ended, as the lab saw it (the result is kept in memory only until the caller reads it).
 * `queued`: a run sent to a job queue that was still there when this lab closed (it stays there).
 */
export interface Completion {
  runId: number;
  status: FinalStatus | 'queued';
  error: string | null;
  result: RunResult | null;
  /** Where the outcome is: in the database, in the recovery journal beside it, lost, or nowhere (the run was deleted). */
  saved: SaveState;
  /** Why it is not in the database (journaled or lost), else null. */
  notSaved: string | null;
}

export interface LabOptions extends SpecLimits {
  store: RunStore;
  launch?: LaunchTrainer;
  /** Trainer processes (default: cores − 1, at least 1). */
  poolSize?: number;
  owner?: Owner;
  /** Heartbeat period of running runs (default: FAULT_LIMITS.heartbeatMs, limits.ts). */
  heartbeatMs?: number;
  /** Heartbeats older than this mark a run's owner as gone (default: staleOwnerMs(), env-limits.ts). */
  staleMs?: number;
  kernel?: KernelChoice;
  /** Threads per run (default: the cores the running trainer processes leave free, lab/threads.ts). */
  threads?: number;
  log?: (line: string) => void;
  /** A trainer process silent this long while it trains is killed, its run handled as a crash (default: FAULT_LIMITS.trainerHangMs, limits.ts). */
  trainerHangMs?: number;
  /** The write path to the store (default: a new one; see db/write-path.ts for its limits). */
  writes?: WritePath;
}

/**
 * A run still training this long after its process took it is marked running in the store; a
 * shorter run has its start written with its outcome, in the same transaction. A seed-sized run
 * takes a few ms, and a commit of its own was a quarter of the lab's per-run work in a sweep.
 * Until then the run is queued with this lab as its owner, which crash recovery treats alike.
 */
const MARK_RUNNING_AFTER_MS = 100;

export function defaultPoolSize(): number {
  return Math.max(1, cpus().length - 1);
}

export class LabService {
  readonly store: RunStore;
  /** Every write of the lab goes through here (retries a lock, keeps what it cannot write in the journal). */
  readonly writes: WritePath;
  private readonly pool: TrainerPool;
  private readonly owner: Owner;
  private readonly listeners = new Set<(e: LabEvent) => void>();
  private readonly active = new Map<number, Promise<Completion>>();
  /** Runs of `active` whose outcome is being saved (handed to the write path, not yet written). */
  private saving = 0;
  /** The pool's jobs of the runs being trained, by run id (to cancel them). */
  private readonly runJobs = new Map<number, PoolJob>();
  /** Step-through of the runs being trained: where each last paused (null: running), and who waits for its next pause. */
  private readonly steps = new Map<number, { paused: PausedAt | null; waiters: ((at: PausedAt) => void)[] }>();
  /** Timings and re-run checks under way, by the lab's job id. */
  private readonly jobs = new Map<number, Promise<unknown>>();
  /** The pool's jobs of the timings under way, by the lab's job id. */
  private readonly timingPoolJobs = new Map<number, PoolJob>();
  /** The lab's ids of its timings (the API's jobId) and re-run checks; the pool numbers its jobs itself. */
  private nextJobId = 1;
  private readonly timingJobs = new Map<number, TimingJob>();
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private readonly log: (line: string) => void;
  private closing = false;
  /** The one close (close()). */
  private closed: Promise<void> | null = null;
  /** The job queue this lab sends runs to and collects them from (attachQueue), and the runs it waits for there. */
  private queue: RunQueue | null = null;
  private readonly remote = new Map<number, (c: Completion) => void>();
  /** What specs are checked against: this database's data sets, Fashion-MNIST's files. */
  readonly data: DataContext;
  /** The last table a job was sent (a sweep's runs read one table: it is loaded from the database once). */
  private lastTable: { key: string; table: Table } | null = null;
  /** The last data sets packed for a job queue (a sweep's jobs name one or a few: each is packed once). */
  private readonly lastPacked = new Map<string, PackedDataset>();
  /** Fashion-MNIST's files packed for a job queue (packedImages). */
  private lastImages: PackedDataset | null = null;

  constructor(private readonly options: LabOptions) {
    this.store = options.store;
    this.owner = options.owner ?? currentOwner();
    this.log = options.log ?? ((line) => process.stderr.write(`nnlab: ${line}\n`));
    this.pool = new TrainerPool({ size: options.poolSize ?? defaultPoolSize(), launch: options.launch ?? nodeLauncher(), log: this.log, hangMs: options.trainerHangMs });
    this.writes = options.writes ?? new WritePath(this.store, { log: this.log });
    this.data = dataContext((sha256) => this.store.datasets.info(sha256));
    // a fault no retry mends (full disk, read-only file): start nothing more; what finishes is journaled
    this.writes.watchFaults((fault) => {
      this.pool.dropQueued(`not started: ${fault.message}`);
      // runs in a job queue keep their results there until a database can take them
      for (const [runId, resolve] of this.remote) resolve({ runId, status: 'queued', error: fault.message, result: null, saved: 'saved', notSaved: null });
    });
    this.writes.attempt('the runs of processes that are gone as interrupted', () => this.store.reapOrphans({ staleMs: options.staleMs }), 1000);
    this.heartbeat = setInterval(() => {
      const ids = [...this.active.keys()];
      if (ids.length) this.writes.attempt('the heartbeat of running runs', () => this.store.heartbeat(ids));
    }, options.heartbeatMs ?? faultLimitMs('heartbeatMs'));
    this.heartbeat.unref();
  }

  /**
   * Why this lab cannot start or change runs (a read-only database, a full disk, the file
   * deleted or replaced under it: new runs would go where no one finds them), or null.
   */
  get refusal(): StoreError | null {
    if (this.writes.fault) return this.writes.fault;
    const moved = this.store.fileMovedMessage();
    return moved ? new StoreError('moved', moved, this.store.file) : null;
  }

  get poolSize(): number {
    return this.pool.size;
  }

  /** Starts the trainer processes now (see TrainerPool.warm); resolves when they are ready. */
  warm(): Promise<void> {
    return this.pool.warm();
  }

  /** Subscribes to lab events; returns the unsubscribe function. */
  on(listener: (e: LabEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: LabEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch (err) {
        this.log(`an event listener failed on ${e.type}: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Validates a spec and queues its run; returns the run id. Throws SpecError naming the field.
   * `paused`: it starts paused at batch 0, for step-through (control).
   */
  startRun(input: unknown, options: { experimentId?: number | null; notes?: string; tags?: string[]; paused?: boolean } = {}): number {
    const spec = this.validate(input);
    const [id] = this.enqueue([spec], options.experimentId ?? null, options);
    return id;
  }

  /** The saved runs a run of this spec would repeat (Store.identicalRuns), after the spec is checked as startRun checks it. */
  identicalRuns(input: unknown): RunSummary[] {
    return this.store.identicalRuns(this.validate(input));
  }

  /**
   * Step-through of a run this lab is training (issue 15): pause it after the chunk of batches it
   * is in, step it `batches` more (pausing first when it runs), or resume it. Resolves where it
   * stopped (pause, step; a pause of a paused run answers at once), that it runs on (resume), or
   * how it ended when it ended first (its last batches, a cancel). Throws NotSteppableError, with
   * the reason in words, for a run not training in this lab's processes. Never changes the bits:
   * the trainer runs the same batches in other chunks.
   */
  async control(runId: number, c: StepControl): Promise<StepAnswer> {
    const job = this.runJobs.get(runId);
    const step = this.steps.get(runId);
    const completion = this.active.get(runId);
    if (!job || !step || !completion) {
      if (this.remote.has(runId)) throw new NotSteppableError(`run #${runId} trains in the job queue, on a worker: only runs trained by this lab can be paused or stepped`);
      throw new NotSteppableError(`run #${runId} is not training in this lab: there is nothing to pause, step or resume`);
    }
    if (c.type === 'pause' && step.paused) return { state: 'paused', at: step.paused };
    if (c.type === 'resume' && !step.paused) {
      if (!job.control(c)) throw this.notStarted(runId);
      return { state: 'running' };
    }
    // registered before the message goes: its answer comes from the process later
    const next = new Promise<PausedAt>((resolve) => step.waiters.push(resolve));
    if (!job.control(c)) {
      step.waiters.pop();
      throw this.notStarted(runId);
    }
    if (c.type === 'resume') {
      step.waiters.pop();
      step.paused = null;
      this.emit({ type: 'run/resumed', runId });
      return { state: 'running' };
    }
    step.paused = null;
    return Promise.race([
      next.then((at): StepAnswer => ({ state: 'paused', at })),
      completion.then((done): StepAnswer => ({ state: 'ended', status: done.status === 'queued' ? 'interrupted' : done.status, error: done.error })),
    ]);
  }

  /** Where a run this lab trains is paused (null: it runs), or undefined when it is not training here. */
  pausedAt(runId: number): PausedAt | null | undefined {
    return this.steps.get(runId)?.paused;
  }

  private notStarted(runId: number): NotSteppableError {
    return new NotSteppableError(`run #${runId} waits for a trainer process (or is being cancelled): it can be paused once it trains, or started paused`);
  }

  /**
   * Expands a sweep (grid × replicates) into one experiment of queued runs: trained by this lab's
   * pool, or with `queue`, sent to the attached job queue for `nnlab worker`s (`allowMismatch`:
   * workers with another app version or kernel family may train them too).
   */
  startSweep(input: unknown, options: { queue?: { allowMismatch?: boolean } } = {}): { experimentId: number; runIds: number[]; timingJobId?: number } {
    const def: SweepDefinition = parseSweep(input);
    if (options.queue && !this.queue) throw new Error('no job queue is attached to this lab');
    const cells = expandSweep(def, { maxWeights: this.options.maxWeights, data: this.data });
    const name = def.name ?? defaultSweepName(def);
    const experimentId = this.store.createExperiment({ name, kind: def.replicates > 1 && Object.keys(def.grid).length === 0 ? 'replicates' : 'sweep', definition: def });
    const specs = cells.map((c) => c.spec);
    const runIds = options.queue ? this.enqueueRemote(specs, experimentId, options.queue.allowMismatch ?? false) : this.enqueue(specs, experimentId);
    if (!def.timing) return { experimentId, runIds };
    // queued after the runs, and the pool runs a timing alone: it starts once they have ended
    const firsts = cells.filter((c) => c.replicate === 0).map((c) => c.spec);
    const { jobId } = this.startTiming({ specs: firsts.slice(0, TIMING_LIMITS.configs), ...def.timing, name: `${name}: timing`, experimentId });
    return { experimentId, runIds, timingJobId: jobId };
  }

  /** K more runs of a run's configuration with seeds its group has not used yet. */
  replicate(runId: number, k: number): { experimentId: number; runIds: number[] } {
    if (!(Number.isInteger(k) && k >= 1 && k <= MAX_REPLICATES)) throw new SpecError('replicates', `must be a whole number from 1 to ${MAX_REPLICATES}`);
    const run = this.store.getRun(runId);
    if (!run) throw new SpecError('runId', `there is no run ${runId}`);
    const used = new Set(this.store.listRuns({ configKey: run.configKey }).map((r) => r.initSeed));
    const specs: RunSpec[] = [];
    for (let offset = 1; specs.length < k; offset++) {
      const initSeed = run.spec.initSeed + offset;
      if (used.has(initSeed)) continue;
      specs.push(parseRunSpec({ ...run.spec, initSeed, dataSeed: run.spec.dataSeed + offset }, { data: this.data }));
    }
    const experimentId = this.store.createExperiment({ name: `Replicates of run #${runId}`, kind: 'replicates', definition: { of: runId, replicates: k } });
    return { experimentId, runIds: this.enqueue(specs, experimentId) };
  }

  /**
   * Queues an honest timing of the configurations (trainer/timing.ts) in one trainer process, which
   * runs it alone; the measurement is stored as a timing (store.saveTiming) — not as runs: its
   * repeats are one computation done again (the same seeds give the same costs bit for bit), so
   * as runs they would fill the runs list with copies and count one seed many times in a
   * configuration's failure rate. Throws SpecError naming the field (`specs[1].activation`).
   */
  startTiming(input: TimingRequest): { jobId: number } {
    if (this.closing) throw new Error('the lab is closing');
    if (this.writes.fault) throw this.writes.fault;
    if (!Array.isArray(input.specs) || input.specs.length < 1 || input.specs.length > TIMING_LIMITS.configs) {
      throw new SpecError('specs', `give 1 to ${TIMING_LIMITS.configs} configurations to time`);
    }
    const specs = input.specs.map((s, i) => {
      try {
        return this.validate(s);
      } catch (e) {
        if (e instanceof SpecError) throw new SpecError(`specs[${i}].${e.field}`, e.reason);
        throw e;
      }
    });
    const repeats = input.repeats ?? TIMING_DEFAULTS.repeats;
    const warmup = input.warmup ?? TIMING_DEFAULTS.warmup;
    const targetMse = input.targetMse ?? TIMING_DEFAULTS.targetMse;
    if (!(Number.isInteger(repeats) && repeats >= 1 && repeats <= TIMING_LIMITS.repeats)) throw new SpecError('repeats', `must be a whole number from 1 to ${TIMING_LIMITS.repeats}`);
    if (!(Number.isInteger(warmup) && warmup >= 0 && warmup <= TIMING_LIMITS.warmup)) throw new SpecError('warmup', `must be a whole number from 0 to ${TIMING_LIMITS.warmup}`);
    if (!(targetMse > 0 && Number.isFinite(targetMse))) throw new SpecError('targetMse', 'must be a positive number');
    const jobId = this.nextJobId++;
    const name = input.name ?? configLabels(specs).labels.join(' vs ');
    const experimentId = input.experimentId ?? null;
    const configKeys = specs.map((s) => configKey(s));
    this.timingJobs.set(jobId, { jobId, name, configKeys, experimentId, state: 'queued', done: 0, total: specs.length * (repeats + warmup) });
    this.emit({ type: 'timing/queued', jobId, configKeys, experimentId });
    const p = this.time(jobId, specs, { repeats, warmup, targetMse, name, experimentId });
    this.jobs.set(jobId, p);
    void p.finally(() => {
      this.jobs.delete(jobId);
      this.timingJobs.delete(jobId);
    });
    return { jobId };
  }

  /** Timings queued or running in this lab, oldest first. */
  timingsActive(): TimingJob[] {
    return [...this.timingJobs.values()].map((j) => ({ ...j, configKeys: [...j.configKeys] }));
  }

  /** Resolves when the timing ends (immediately, with null, for a job this lab is not running). */
  waitTiming(jobId: number): Promise<TimingCompletion | null> {
    return (this.jobs.get(jobId) as Promise<TimingCompletion> | undefined) ?? Promise.resolve(null);
  }

  /** Cancels a queued or running timing; false if this lab is not running it. */
  cancelTiming(jobId: number): boolean {
    return this.jobs.has(jobId) && (this.timingPoolJobs.get(jobId)?.cancel() ?? false);
  }

  private async time(jobId: number, specs: RunSpec[], o: { repeats: number; warmup: number; targetMse: number; name: string; experimentId: number | null }): Promise<TimingCompletion> {
    let concurrentJobs = 0;
    let loadStart = 0;
    const poolJob = this.pool.submit(
      { type: 'time', specs, repeats: o.repeats, warmup: o.warmup, targetMse: o.targetMse, kernel: this.options.kernel, maxWeights: this.options.maxWeights, tables: tablesFor(specs, this.tables) },
      {
        onStart: () => {
          concurrentJobs = this.pool.busy - 1;
          loadStart = loadavg()[0];
          const job = this.timingJobs.get(jobId);
          if (job) job.state = 'running';
          this.emit({ type: 'timing/started', jobId });
        },
        onTimingProgress: (done, total) => {
          const job = this.timingJobs.get(jobId);
          if (job) Object.assign(job, { done, total });
          this.emit({ type: 'timing/progress', jobId, done, total });
        },
      },
    );
    this.timingPoolJobs.set(jobId, poolJob);
    const outcome = await poolJob.outcome;
    this.timingPoolJobs.delete(jobId);
    let done: TimingCompletion;
    if (outcome.kind === 'timing' && outcome.measurement) {
      const m = outcome.measurement;
      const cpu = cpus();
      const environment: TimingEnvironment = {
        platform: platform(),
        arch: arch(),
        cpus: cpu.length,
        cpuModel: cpu[0]?.model.trim() ?? '',
        runtime: process.versions.electron ? `electron ${process.versions.electron}` : `node ${process.versions.node}`,
        loadAverage: { start: loadStart, end: loadavg()[0] },
        concurrentJobs,
      };
      try {
        const timingId = await this.writes.write(`the timing ${o.name}`, () =>
          this.store.saveTiming({ experimentId: o.experimentId, name: o.name, kernel: m.configs[0]?.kernel ?? '', configKeys: specs.map((s) => configKey(s)), measurement: m, environment }),
        );
        done = { jobId, status: 'done', timingId, error: null, measurement: m };
      } catch (e) {
        const error = `could not save the timing: ${(e as Error).message}`;
        this.log(error);
        done = { jobId, status: 'failed', timingId: null, error, measurement: m };
      }
    } else if (outcome.kind === 'timing' || outcome.kind === 'cancelled') {
      done = { jobId, status: 'cancelled', timingId: null, error: 'cancelled before it finished', measurement: null };
    } else {
      const error = outcome.kind === 'error' ? outcome.message : outcome.kind === 'crash' || outcome.kind === 'not-started' ? outcome.reason : `unexpected outcome ${outcome.kind}`;
      done = { jobId, status: 'failed', timingId: null, error, measurement: null };
    }
    this.emit({ type: 'timing/finished', jobId, status: done.status, timingId: done.timingId, error: done.error });
    return done;
  }

  /**
   * "Re-run and verify": replays a saved run's batches in a trainer process (CPU work, kept off the
   * caller's thread) with the kernel it recorded, compares the cost history bit for bit, stores the
   * check (store.saveVerification) and returns the report. Throws RangeError for a run without a
   * stored cost history.
   */
  async verify(runId: number): Promise<VerifyReport> {
    if (this.closing) throw new Error('the lab is closing');
    if (this.writes.fault) throw this.writes.fault;
    const { run, stored } = storedCosts(this.store, runId);
    const jobId = this.nextJobId++;
    const tables = tablesFor([run.spec], this.tables);
    const p = this.pool.submit({ type: 'replay', spec: run.spec, kernel: run.kernel, batches: stored.length, maxWeights: this.options.maxWeights, threads: this.options.threads, tables }).outcome;
    this.jobs.set(jobId, p);
    let outcome: JobOutcome;
    try {
      outcome = await p;
    } finally {
      this.jobs.delete(jobId);
    }
    if (outcome.kind !== 'replayed') {
      const why = outcome.kind === 'error' ? outcome.message : outcome.kind === 'crash' ? outcome.reason : outcome.kind;
      throw new Error(`the re-run of run ${runId} did not finish: ${why}`);
    }
    const report = compareReplay(runId, run, stored, outcome.costHistory, outcome.kernel);
    await this.writes.write(`the check of run ${runId}`, () => this.store.saveVerification(verificationOf(report)));
    return report;
  }

  /** Cancels a queued or running run. Returns false if it is not active in this lab. */
  cancel(runId: number): boolean {
    const remote = this.remote.get(runId);
    if (remote && this.queue) {
      const error = 'cancelled before it finished';
      if (this.writes.attempt(`the cancel of run ${runId}`, () => this.store.failQueuedRun(runId, 'cancelled', error))) this.emit({ type: 'run/finished', runId, status: 'cancelled', error });
      remote({ runId, status: 'cancelled', error, result: null, saved: 'saved', notSaved: null });
      void this.queue.cancel(runId);
      return true;
    }
    return this.runJobs.get(runId)?.cancel() ?? false;
  }

  /** The runs this lab has queued or in training (those sent to a job queue included), oldest first. */
  activeRunIds(): number[] {
    return [...this.active.keys()].sort((a, b) => a - b);
  }

  /** Resolves when the run ends (immediately for a run this lab is not training). */
  wait(runId: number): Promise<Completion | null> {
    return this.active.get(runId) ?? Promise.resolve(null);
  }

  /** Resolves when every active run, timing and re-run check has ended. */
  async idle(): Promise<void> {
    while (this.active.size || this.jobs.size) await Promise.allSettled([...this.active.values(), ...this.jobs.values()]);
  }

  /**
   * Stops the pool; runs still queued or training end as `interrupted`. Runs sent to a job queue
   * stay there (their completions say `queued`) for the next lab that opens this database with it.
   * Then every outcome is written or journaled; what this lab journaled is imported once more, in
   * case the lock that kept it out is gone; and the WAL is checkpointed, so the database file
   * alone is complete. Every call returns the one close: a second caller (Ctrl-C's handler, then
   * the command's own cleanup) waits for it to end before closing the store under it.
   */
  close(): Promise<void> {
    this.closed ??= this.closeOnce();
    return this.closed;
  }

  private async closeOnce(): Promise<void> {
    this.closing = true;
    this.pool.close('nnlab closed while the run was queued or training');
    for (const [runId, resolve] of this.remote) resolve({ runId, status: 'queued', error: null, result: null, saved: 'saved', notSaved: null });
    await Promise.allSettled([...this.active.values(), ...this.jobs.values()]);
    clearInterval(this.heartbeat);
    await this.writes.flush();
    if (this.writes.journaled.size && !this.writes.fault) await this.writes.importJournal(0);
    this.writes.checkpoint();
    // the lab owns an attached queue: its jobs stay in Redis, the connection goes
    await this.queue?.close();
  }

  // ---- runs trained through a job queue (queue/lab-queue.ts); the lab stores what it collects

  /**
   * Sends this lab's queued runs to `queue` from now on, and collects the runs of this database
   * that an earlier nnlab process left waiting there (what finished meanwhile is stored at once,
   * what Redis lost is sent again). Returns how many runs were waiting. One queue per lab.
   */
  async attachQueue(queue: RunQueue): Promise<number> {
    if (this.queue) throw new Error('this lab already has a job queue');
    // a closed queue would take the runs and never send them (a lab closes the queue it attached)
    if (queue.isClosed) throw new Error(`${queue.description} is closed; open it again to attach it`);
    this.queue = queue;
    queue.setHandler({
      // only for runs still waiting here (a cancelled run's worker reports until it has stopped)
      started: (runId, worker) => {
        if (this.remote.has(runId)) this.emit({ type: 'run/started', runId, worker });
      },
      progress: (runId, p) => {
        if (this.remote.has(runId)) this.emit({ type: 'run/progress', runId, ...p });
      },
      refused: (runId, worker, reason) => this.emit({ type: 'run/refused', runId, worker, reason }),
      outcome: (runId, outcome) => this.recordRemote(runId, outcome),
      dataset: (ref) => {
        const { payload, ref: made } = ref.kind === 'images' ? this.packedImages(ref.sha256) : this.packed(ref.sha256, ref.columns);
        // the data set is immutable: other bytes mean another packing (an nnlab of another version made the jobs)
        if (made.digest !== ref.digest) throw new Error(`data set ${ref.name} packs to other bytes here (sha256 ${made.digest}) than its jobs name (${ref.digest})`);
        return payload;
      },
    });
    const resumed: TrackedRun[] = [];
    for (const w of this.store.waitingInQueue(queue.ref)) {
      const options = JobOptionsSchema.safeParse(w.options);
      if (!options.success) {
        this.writes.attempt(`the failure of run ${w.runId}`, () => this.store.failQueuedRun(w.runId, 'failed', 'its job options in this database are unreadable; it cannot be sent again'));
        continue;
      }
      let datasets: DatasetRef[];
      try {
        datasets = this.queuedDatasets(w.spec);
      } catch (e) {
        this.writes.attempt(`the failure of run ${w.runId}`, () => this.store.failQueuedRun(w.runId, 'failed', `its data set cannot be sent again: ${(e as Error).message}`));
        continue;
      }
      this.active.set(w.runId, this.waitRemote(w.runId));
      resumed.push({ runId: w.runId, jobId: w.jobId, data: jobData(queue.target.name, w.runId, labName(), w.spec, options.data, datasets) });
    }
    await queue.resume(resumed);
    return resumed.length;
  }

  /** Runs of this lab waiting in the job queue. */
  get remoteWaiting(): number {
    return this.remote.size;
  }

  /** The attached job queue (attachQueue), or null. */
  get attachedQueue(): RunQueue | null {
    return this.queue;
  }

  private enqueueRemote(specs: RunSpec[], experimentId: number | null, allowMismatch: boolean): number[] {
    if (this.closing) throw new Error('the lab is closing');
    const queue = this.queue!;
    const kernel = this.options.kernel ?? 'auto';
    const kernels = kernelFamily(kernel);
    if (kernels === 'unavailable') throw new SpecError('kernel', `this machine cannot run kernel ${kernel}, so it cannot say what the workers must match`);
    const jobOptions: JobOptions = { kernel, maxWeights: this.options.maxWeights, expect: { appVersion: this.store.appVersion, kernels }, allowMismatch };
    // each job names the data set it trains on (put into Redis once, before the jobs): checked before any run is created
    const datasets = specs.map((spec) => this.queuedDatasets(spec));
    // one random part per sweep: job ids stay unique when several labs (databases) share a queue
    const random = randomBytes(6).toString('hex');
    const refusal = this.refusal;
    if (refusal) throw refusal;
    let rows: { runId: number; jobId: string }[];
    try {
      rows = this.store.createQueuedRuns(specs, { experimentId, queue: queue.ref, jobOptions, jobIdOf: (runId) => jobIdFor(runId, random) });
    } catch (e) {
      const fault = writeFault(e, this.store.file);
      if (fault) throw new StoreError(fault.code, `${fault.message}; nothing was sent to the queue`, fault.file, { cause: e });
      throw e;
    }
    const tracked = rows.map(({ runId, jobId }, i) => {
      this.emit({ type: 'run/queued', runId, experimentId });
      this.active.set(runId, this.waitRemote(runId));
      return { runId, jobId, data: jobData(queue.target.name, runId, labName(), specs[i], jobOptions, datasets[i]) };
    });
    void queue.submit(tracked);
    return rows.map((r) => r.runId);
  }

  private waitRemote(runId: number): Promise<Completion> {
    return new Promise<Completion>((resolve) => {
      this.remote.set(runId, (c) => {
        if (!this.remote.delete(runId)) return;
        this.active.delete(runId);
        resolve(c);
      });
    });
  }

  /**
   * Stores a collected outcome, once, through the write path (another program's lock is waited
   * for). Rejects when it cannot be written: the result then stays in the queue, which is its
   * journal, and is collected again later.
   */
  private async recordRemote(runId: number, outcome: RemoteOutcome): Promise<void> {
    let completion: Completion;
    let stored: boolean;
    const failed = (error: string, by: TrainedBy | null = null) =>
      this.writes.write(`the failure of run ${runId}`, () => this.store.failQueuedRun(runId, 'failed', error, by));
    if (outcome.kind === 'result') {
      completion = { runId, status: outcome.result.status, error: null, result: outcome.result, saved: 'saved', notSaved: null };
      try {
        stored = await this.writes.write(`the outcome of run ${runId}`, () => this.store.storeQueuedResult(runId, outcome.result, outcome));
      } catch (e) {
        if (!(e instanceof StoreError && e.code === 'invalid')) throw e;
        // a result that does not fit its run is the worker's fault, not a reason to keep it
        const error = `the result from worker ${outcome.trainedBy.worker} does not fit the run: ${e.message}`;
        completion = { runId, status: 'failed', error, result: null, saved: 'saved', notSaved: null };
        stored = await failed(error, outcome.trainedBy);
      }
    } else {
      completion = { runId, status: 'failed', error: outcome.reason, result: null, saved: 'saved', notSaved: null };
      stored = await failed(outcome.reason);
    }
    if (stored) this.emit({ type: 'run/finished', runId, status: completion.status as FinalStatus, error: completion.error });
    this.remote.get(runId)?.(completion);
  }

  private validate(input: unknown): RunSpec {
    return parseRunSpec(input, { maxWeights: this.options.maxWeights, data: this.data });
  }

  /**
   * The data sets a run's job names (task csv: its table with the columns it uses; Fashion-MNIST:
   * its files here); throws SpecError for one Redis cannot hold.
   */
  private queuedDatasets(spec: RunSpec): DatasetRef[] {
    if (TASK_DEFS[spec.task].sampling === 'images') return [this.packedImages(spec.dataset).ref];
    if (TASK_DEFS[spec.task].sampling !== 'table') return [];
    const { ref } = this.packed(spec.dataset, usedColumns(spec));
    if (ref.bytes > MAX_DATASET_BYTES) {
      throw new SpecError('dataset', `data set ${ref.name}'s columns are ${Math.round(ref.bytes / 2 ** 20)} MB packed, more than the ${MAX_DATASET_BYTES / 2 ** 20} MB Redis takes in one value: train it on this machine`);
    }
    return [ref];
  }

  /** A data set of this database packed for a job queue, the last four kept (see lastPacked). */
  private packed(sha256: string, columns: readonly string[]): PackedDataset {
    const key = `${sha256}\u0000${columns.join('\u0000')}`;
    const kept = this.lastPacked.get(key);
    if (kept) return kept;
    const table = this.tables(sha256, columns);
    if (!table) throw new SpecError('dataset', `there is no data set ${sha256} in this database (import it first)`);
    const packed = packDataset(table, columns);
    if (this.lastPacked.size >= 4) this.lastPacked.delete(this.lastPacked.keys().next().value!);
    this.lastPacked.set(key, packed);
    return packed;
  }

  /**
   * Fashion-MNIST's files here packed for a job queue (kept: a sweep's jobs all name them), which
   * must be those of the content hash `sha256` (the runs' specs name it).
   */
  private packedImages(sha256: string): PackedDataset {
    if (this.lastImages?.ref.sha256 !== sha256) {
      let packed: PackedDataset;
      try {
        packed = packImages();
      } catch (e) {
        if (e instanceof DataMissingError || e instanceof IdxError) throw new SpecError('task', e.message);
        throw e;
      }
      if (packed.ref.sha256 !== sha256) throw new SpecError('dataset', `the runs were made on Fashion-MNIST files with content hash ${sha256}, and the files here have ${packed.ref.sha256}: they are another version of the data set`);
      this.lastImages = packed;
    }
    return this.lastImages;
  }

  /** Tables from this database, the last one kept (see lastTable). */
  readonly tables: TableSource = (sha256, columns) => {
    const key = `${sha256}\u0000${[...columns].sort().join('\u0000')}`;
    if (this.lastTable?.key === key) return this.lastTable.table;
    const table = this.store.datasets.table(sha256, columns);
    if (table) this.lastTable = { key, table };
    return table;
  };

  private enqueue(specs: RunSpec[], experimentId: number | null, options: { notes?: string; tags?: string[]; paused?: boolean } = {}): number[] {
    if (this.closing) throw new Error('the lab is closing');
    const refusal = this.refusal;
    if (refusal) throw refusal;
    let ids: number[];
    try {
      ids = this.store.createRuns(specs, { experimentId, owner: this.owner, notes: options.notes, tags: options.tags });
    } catch (e) {
      const fault = writeFault(e, this.store.file);
      if (fault) throw new StoreError(fault.code, `${fault.message}; nothing was started`, fault.file, { cause: e });
      throw e;
    }
    ids.forEach((runId, i) => {
      this.emit({ type: 'run/queued', runId, experimentId });
      this.active.set(runId, this.train(runId, specs[i], experimentId, options.paused ?? false));
    });
    return ids;
  }

  private async train(runId: number, spec: RunSpec, experimentId: number | null, paused = false): Promise<Completion> {
    /** When its process took the run (written as running after MARK_RUNNING_AFTER_MS, else with its outcome). */
    let startedAt: number | null = null;
    let markTimer: ReturnType<typeof setTimeout> | undefined;
    const markRunning = () => {
      const at = startedAt!;
      // a lock or a fault delays this write or stops it: the outcome carries the start anyway
      this.writes.write(`the start of run ${runId}`, () => this.store.markRunning(runId, this.owner, at)).catch((e: unknown) => {
        if (!(e instanceof StoreError)) this.log(`could not mark run ${runId} as running: ${(e as Error).message}`);
      });
    };
    let tables: Table[];
    try {
      tables = tablesFor([spec], this.tables);
    } catch (e) {
      // the data set is gone from the database (or unreadable): the run cannot train
      const ended = { status: 'failed' as const, error: (e as Error).message, result: null };
      const report = await this.save({ runId, ...ended, startedAt: null, finishedAt: Date.now() }, { spec, experimentId });
      this.active.delete(runId);
      this.emit({ type: 'run/finished', runId, status: ended.status, error: ended.error });
      return { runId, ...ended, saved: report.state, notSaved: report.reason };
    }
    const attempt = async (): Promise<JobOutcome> => {
      const step = { paused: null as PausedAt | null, waiters: [] as ((at: PausedAt) => void)[] };
      const poolJob = this.pool.submit(
        // paused: it waits at batch 0 for a step or resume (a retry after a crash starts so again)
        { type: 'start', spec, kernel: this.options.kernel, maxWeights: this.options.maxWeights, threads: this.options.threads, tables, paused },
        {
          onStart: () => {
            startedAt = Date.now();
            markTimer = setTimeout(markRunning, MARK_RUNNING_AFTER_MS);
            this.emit({ type: 'run/started', runId });
          },
          onProgress: (p) => this.emit({ type: 'run/progress', runId, batchesDone: p.batchesDone, batches: p.batches, cost: p.cost, elapsedMs: p.elapsedMs, from: p.from, stride: p.stride, costs: p.costs }),
          onPaused: (p) => {
            const at: PausedAt = { batchesDone: p.batchesDone, batches: spec.batches, cost: p.cost, testLoss: p.testLoss, testMetric: p.testMetric, weights: p.weights };
            step.paused = at;
            for (const w of step.waiters.splice(0)) w(at);
            const { weights: _weights, ...event } = at;
            this.emit({ type: 'run/paused', runId, ...event });
          },
        },
      );
      this.runJobs.set(runId, poolJob);
      this.steps.set(runId, step);
      const outcome = await poolJob.outcome;
      this.runJobs.delete(runId);
      this.steps.delete(runId);
      clearTimeout(markTimer);
      return outcome;
    };
    let outcome = await attempt();
    // A trainer process that died (killed, crashed, out of memory, hung) is the machinery's fault,
    // not the configuration's: the run is marked interrupted with the reason and the same row is
    // queued again, once, for another process (same spec and seeds: the same bits). A second death
    // fails it with both reasons. Neither enters a rate (status.ts).
    const firstDeath = outcome.kind === 'crash' && !this.closing ? outcome.reason : null;
    if (firstDeath !== null) outcome = await this.retry(runId, experimentId, firstDeath, () => {
      startedAt = null;
      return attempt();
    });
    const ended = this.outcome(outcome, firstDeath);
    // through the write path: waits out another program's lock, and keeps in the journal what it cannot write
    const report = await this.save({ runId, ...ended, startedAt, finishedAt: Date.now() }, { spec, experimentId });
    const completion = { runId, ...ended, saved: report.state, notSaved: report.reason };
    this.active.delete(runId);
    this.emit({ type: 'run/finished', runId, status: completion.status, error: completion.error });
    // at rest (a sweep or a run just ended), the database file alone holds every run
    if (this.active.size === 0) this.writes.checkpoint();
    return completion;
  }

  /**
   * Saves a run's outcome through the write path. When every other active run of this lab has
   * handed its outcome over too (none is training, queued or waiting in a job queue), no company
   * is coming: the burst's wait (write-path.ts, up to 25 ms) would only keep the last results of a
   * sweep out of the database, so it is written at once.
   */
  private async save(outcome: RunOutcome, run: { spec: RunSpec; experimentId: number | null }): Promise<SaveReport> {
    this.saving++;
    try {
      return await this.writes.saveOutcome(outcome, run, { last: this.active.size <= this.saving });
    } finally {
      this.saving--;
    }
  }

  /**
   * The retry of a run whose trainer process died: interrupted with the reason, then queued again
   * (two writes: a lab that dies between leaves it interrupted, as the next start would mark it).
   * Resolves with the second attempt's outcome; a cancel or a closing lab meanwhile ends it there.
   */
  private async retry(runId: number, experimentId: number | null, reason: string, again: () => Promise<JobOutcome>): Promise<JobOutcome> {
    this.log(`run ${runId}: ${reason}; trying it once more in another trainer process`);
    try {
      await this.writes.write(`the interruption of run ${runId}`, () => this.store.failRun(runId, 'interrupted', reason));
      if (this.closing) return { kind: 'crash', reason };
      await this.writes.write(`the retry of run ${runId}`, () => this.store.requeueRun(runId, `interrupted once: ${reason}; queued again`));
    } catch (e) {
      // the store refused (a fault): the outcome goes through the write path's journal as any other
      if (!(e instanceof StoreError)) throw e;
      return { kind: 'crash', reason };
    }
    if (this.closing) return { kind: 'crash', reason };
    this.emit({ type: 'run/queued', runId, experimentId });
    return again();
  }

  /**
   * How the lab records a job's outcome for its run (the write is the write path's). `firstDeath`:
   * the reason the run's first trainer process died, when this outcome is its retry's.
   */
  private outcome(outcome: JobOutcome, firstDeath: string | null = null): { status: FinalStatus; error: string | null; result: RunResult | null } {
    const ended = this.jobOutcome(outcome);
    if (firstDeath === null) return ended;
    if (outcome.kind === 'crash') {
      return this.closing
        ? { status: 'interrupted', error: `the first trainer process died (${firstDeath}); the retry: ${outcome.reason}`, result: null }
        : { status: 'failed', error: `the trainer process died twice: first ${firstDeath}; then ${outcome.reason}`, result: null };
    }
    return { ...ended, error: `${ended.error ? `${ended.error}; ` : ''}retried in another trainer process after the first died (${firstDeath})` };
  }

  private jobOutcome(outcome: JobOutcome): { status: FinalStatus; error: string | null; result: RunResult | null } {
    switch (outcome.kind) {
      case 'result':
        return { status: outcome.cancelled ? 'cancelled' : outcome.result.status, error: null, result: outcome.result };
      case 'cancelled':
        return { status: 'cancelled', error: 'cancelled before it finished', result: null };
      case 'error':
        return { status: 'failed', error: outcome.field ? `invalid spec: ${outcome.message}` : outcome.message, result: null };
      case 'crash':
        return { status: this.closing ? 'interrupted' : 'failed', error: outcome.reason, result: null };
      case 'not-started':
        // the lab stopped starting runs (a full disk, a read-only file): a machinery fault, not the run's
        return { status: 'interrupted', error: outcome.reason, result: null };
      default:
        // a timing's or a replay's outcome for a run: a bug in the lab, not the run's fault
        return { status: 'failed', error: `the trainer process answered a run with a ${outcome.kind}`, result: null };
    }
  }
}

function defaultSweepName(def: SweepDefinition): string {
  const parts = Object.entries(def.grid).map(([k, v]) => `${k} ${(v ?? []).map((x) => (Array.isArray(x) ? `[${x.join(',')}]` : String(x))).join('|')}`);
  if (def.replicates > 1) parts.push(`${def.replicates} seeds`);
  return parts.length ? parts.join(' × ') : 'sweep';
}
