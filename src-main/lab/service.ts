/**
 * LabService: the lab's one entry point for training, shared by the CLI, `nnlab serve` and the
 * Electron app (no Electron import). It validates specs, records runs in the store before they
 * start, trains them on a pool of trainer processes, streams progress to subscribers, and writes
 * every outcome — done, diverged, failed with the reason, cancelled, interrupted — so nothing
 * that completed is lost when something else crashes.
 */
import { cpus } from 'node:os';
import type { KernelChoice } from '../trainer/backends';
import { parseRunSpec, type RunSpec, SpecError, type SpecLimits } from '../trainer/spec';
import type { RunResult } from '../trainer/trainer';
import { currentOwner, type Owner } from '../db/owner';
import type { FinalStatus, RunStore } from '../db/store';
import { type LaunchTrainer, nodeLauncher } from './launch';
import { type JobOutcome, TrainerPool } from './pool';
import { expandSweep, parseSweep, type SweepDefinition } from './sweep';

export type LabEvent =
  | { type: 'run/queued'; runId: number; experimentId: number | null }
  | { type: 'run/started'; runId: number }
  | { type: 'run/progress'; runId: number; batchesDone: number; batches: number; cost: number; elapsedMs: number; from: number; stride: number; costs: Float64Array }
  | { type: 'run/finished'; runId: number; status: FinalStatus; error: string | null };

/** How a run ended, as the lab saw it (the result is kept in memory only until the caller reads it). */
export interface Completion {
  runId: number;
  status: FinalStatus;
  error: string | null;
  result: RunResult | null;
}

export interface LabOptions extends SpecLimits {
  store: RunStore;
  launch?: LaunchTrainer;
  /** Trainer processes (default: cores − 1, at least 1). */
  poolSize?: number;
  owner?: Owner;
  /** Heartbeat period of running runs (default 5 s). */
  heartbeatMs?: number;
  /** Heartbeats older than this mark a run's owner as gone (default: the store's, 60 s). */
  staleMs?: number;
  kernel?: KernelChoice;
  log?: (line: string) => void;
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
  private readonly pool: TrainerPool;
  private readonly owner: Owner;
  private readonly listeners = new Set<(e: LabEvent) => void>();
  private readonly active = new Map<number, Promise<Completion>>();
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private readonly log: (line: string) => void;
  private closing = false;

  constructor(private readonly options: LabOptions) {
    this.store = options.store;
    this.owner = options.owner ?? currentOwner();
    this.log = options.log ?? ((line) => process.stderr.write(`nnlab: ${line}\n`));
    this.pool = new TrainerPool({ size: options.poolSize ?? defaultPoolSize(), launch: options.launch ?? nodeLauncher(), log: this.log });
    this.store.reapOrphans({ staleMs: options.staleMs });
    this.heartbeat = setInterval(() => this.store.heartbeat([...this.active.keys()]), options.heartbeatMs ?? 5000);
    this.heartbeat.unref();
  }

  get poolSize(): number {
    return this.pool.size;
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

  /** Validates a spec and queues its run; returns the run id. Throws SpecError naming the field. */
  startRun(input: unknown, options: { experimentId?: number | null; notes?: string; tags?: string[] } = {}): number {
    const spec = this.validate(input);
    const [id] = this.enqueue([spec], options.experimentId ?? null, options);
    return id;
  }

  /** Expands a sweep (grid × replicates) into one experiment of queued runs. */
  startSweep(input: unknown): { experimentId: number; runIds: number[] } {
    const def: SweepDefinition = parseSweep(input);
    const cells = expandSweep(def, { maxWeights: this.options.maxWeights });
    const name = def.name ?? defaultSweepName(def);
    const experimentId = this.store.createExperiment({ name, kind: def.replicates > 1 && Object.keys(def.grid).length === 0 ? 'replicates' : 'sweep', definition: def });
    const runIds = this.enqueue(cells.map((c) => c.spec), experimentId);
    return { experimentId, runIds };
  }

  /** K more runs of a run's configuration with seeds its group has not used yet. */
  replicate(runId: number, k: number): { experimentId: number; runIds: number[] } {
    if (!(Number.isInteger(k) && k >= 1 && k <= 10_000)) throw new SpecError('replicates', 'must be a whole number from 1 to 10000');
    const run = this.store.getRun(runId);
    if (!run) throw new SpecError('runId', `there is no run ${runId}`);
    const used = new Set(this.store.listRuns({ configKey: run.configKey }).map((r) => r.initSeed));
    const specs: RunSpec[] = [];
    for (let offset = 1; specs.length < k; offset++) {
      const initSeed = run.spec.initSeed + offset;
      if (used.has(initSeed)) continue;
      specs.push(parseRunSpec({ ...run.spec, initSeed, dataSeed: run.spec.dataSeed + offset }));
    }
    const experimentId = this.store.createExperiment({ name: `Replicates of run #${runId}`, kind: 'replicates', definition: { of: runId, replicates: k } });
    return { experimentId, runIds: this.enqueue(specs, experimentId) };
  }

  /** Cancels a queued or running run. Returns false if it is not active in this lab. */
  cancel(runId: number): boolean {
    return this.active.has(runId) && this.pool.cancel(runId);
  }

  /** Resolves when the run ends (immediately for a run this lab is not training). */
  wait(runId: number): Promise<Completion | null> {
    return this.active.get(runId) ?? Promise.resolve(null);
  }

  /** Resolves when every active run has ended. */
  async idle(): Promise<void> {
    while (this.active.size) await Promise.all([...this.active.values()]);
  }

  /** Stops the pool; runs still queued or training end as `interrupted`. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.pool.close('nnlab closed while the run was queued or training');
    await Promise.all([...this.active.values()]);
    clearInterval(this.heartbeat);
  }

  private validate(input: unknown): RunSpec {
    return parseRunSpec(input, { maxWeights: this.options.maxWeights });
  }

  private enqueue(specs: RunSpec[], experimentId: number | null, options: { notes?: string; tags?: string[] } = {}): number[] {
    if (this.closing) throw new Error('the lab is closing');
    const ids = this.store.createRuns(specs, { experimentId, owner: this.owner, notes: options.notes, tags: options.tags });
    ids.forEach((runId, i) => {
      this.emit({ type: 'run/queued', runId, experimentId });
      this.active.set(runId, this.train(runId, specs[i]));
    });
    return ids;
  }

  private async train(runId: number, spec: RunSpec): Promise<Completion> {
    /** When its process took the run, until the store has it as running (see MARK_RUNNING_AFTER_MS). */
    let unmarkedStart: number | null = null;
    let markTimer: ReturnType<typeof setTimeout> | undefined;
    const markRunning = () => {
      if (unmarkedStart === null) return;
      const at = unmarkedStart;
      unmarkedStart = null;
      try {
        this.store.markRunning(runId, this.owner, at);
      } catch (e) {
        this.log(`could not mark run ${runId} as running: ${(e as Error).message}`);
      }
    };
    const outcome = await this.pool.run(
      { runId, spec: spec as unknown as Record<string, unknown>, kernel: this.options.kernel, maxWeights: this.options.maxWeights },
      {
        onStart: () => {
          unmarkedStart = Date.now();
          markTimer = setTimeout(markRunning, MARK_RUNNING_AFTER_MS);
          this.emit({ type: 'run/started', runId });
        },
        onProgress: (p) => this.emit({ type: 'run/progress', runId, batchesDone: p.batchesDone, batches: p.batches, cost: p.cost, elapsedMs: p.elapsedMs, from: p.from, stride: p.stride, costs: p.costs }),
      },
    );
    clearTimeout(markTimer);
    const completion = this.record(runId, outcome, unmarkedStart);
    this.active.delete(runId);
    this.emit({ type: 'run/finished', runId, status: completion.status, error: completion.error });
    return completion;
  }

  /** Writes an outcome to the store (with the run's start, if that is not written yet: one transaction). */
  private record(runId: number, outcome: JobOutcome, unmarkedStart: number | null): Completion {
    try {
      return this.store.transaction(() => {
        if (unmarkedStart !== null) this.store.markRunning(runId, this.owner, unmarkedStart);
        return this.outcome(runId, outcome);
      });
    } catch (e) {
      // The store refused the write (disk full, database closed): the run stays as it was, and
      // the next start marks it interrupted. Say so rather than lose it silently.
      const error = `could not save the outcome of run ${runId}: ${(e as Error).message}`;
      this.log(error);
      return { runId, status: 'failed', error, result: outcome.kind === 'result' ? outcome.result : null };
    }
  }

  /** The store write for one outcome. */
  private outcome(runId: number, outcome: JobOutcome): Completion {
    switch (outcome.kind) {
      case 'result': {
        const status: FinalStatus = outcome.cancelled ? 'cancelled' : outcome.result.status;
        this.store.finishRun(runId, outcome.result, status);
        return { runId, status, error: null, result: outcome.result };
      }
      case 'cancelled':
        this.store.failRun(runId, 'cancelled', 'cancelled before it finished');
        return { runId, status: 'cancelled', error: 'cancelled before it finished', result: null };
      case 'error': {
        const error = outcome.field ? `invalid spec: ${outcome.message}` : outcome.message;
        this.store.failRun(runId, 'failed', error);
        return { runId, status: 'failed', error, result: null };
      }
      case 'crash': {
        const status: FinalStatus = this.closing ? 'interrupted' : 'failed';
        this.store.failRun(runId, status, outcome.reason);
        return { runId, status, error: outcome.reason, result: null };
      }
    }
  }
}

function defaultSweepName(def: SweepDefinition): string {
  const parts = Object.entries(def.grid).map(([k, v]) => `${k} ${(v ?? []).map((x) => (Array.isArray(x) ? `[${x.join(',')}]` : String(x))).join('|')}`);
  if (def.replicates > 1) parts.push(`${def.replicates} seeds`);
  return parts.length ? parts.join(' × ') : 'sweep';
}
