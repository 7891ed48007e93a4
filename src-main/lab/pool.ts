/**
 * A supervised pool of trainer processes (after beekeeper-studio's utility process handling):
 * each process says `ready` before it gets work, runs one job at a time, and is replaced when it
 * dies. A job whose process dies ends as a crash with the reason; the next queued job goes to the
 * replacement. Every message from a process is validated before use.
 *
 * Jobs are runs to train, timings (honest timing) and replays (the re-run check). A timing is
 * exclusive: it starts only when no other job is running, and no job starts beside it, so the
 * numbers it measures are not shared with another training on the same cores.
 *
 * A process training a short run is sent its next short run ahead (one at most, when no process
 * is idle): it goes straight on to it when the run ends, instead of waiting until the lab has
 * handled the result and answered, which in a sweep of short runs on every core is while the lab
 * writes other runs' outcomes. The job counts as started (onStart) when the process reaches it;
 * until then it is taken back, untouched, if its process dies (queued again at the front), it is
 * cancelled, the queue is dropped, or the run before it is paused.
 */
import { faultLimitMs } from '../env-limits';
import { ALIVE_EVERY_MS, type FromWorker, FromWorkerSchema, type PausedMessage, type ProgressMessage, type ToWorker } from '../worker/protocol';
import type { RunResult } from '../trainer/trainer';
import { fastResultMessage } from '../worker/fast-result';
import type { TimingMeasurement } from '../trainer/timing';
import { specErrorOf } from '../trainer/spec';
import type { LaunchTrainer, TrainerProcess } from './launch';
import { defaultThreads } from './threads';

/** The messages that start a job on a trainer process: train a run, time configurations, replay a run. */
type StartMessage = Extract<ToWorker, { type: 'start' | 'time' | 'replay' }>;
type WithoutJobId<M> = M extends unknown ? Omit<M, 'jobId'> : never;

/**
 * A job: the protocol's message that starts it, without its id. The pool gives every job an id
 * of its own for the protocol, so a run's id, a timing's and a replay's never meet there.
 */
export type Job = WithoutJobId<StartMessage>;

/** A queued job: its outcome, however it ends, and how to cancel it while queued or running. */
export interface PoolJob {
  readonly outcome: Promise<JobOutcome>;
  /** Returns false once the job has ended. */
  cancel(): boolean;
  /** Step-through of a running training (pause, step N batches, resume); false when the job is not running in a process. */
  control(c: StepControl): boolean;
}

export type StepControl = { type: 'pause' } | { type: 'step'; batches: number } | { type: 'resume' };

export type JobOutcome =
  | { kind: 'result'; result: RunResult; cancelled: boolean }
  /** A timing's measurement (null: cancelled while measuring). */
  | { kind: 'timing'; measurement: TimingMeasurement | null }
  | { kind: 'replayed'; kernel: string; costHistory: Float64Array }
  | { kind: 'error'; message: string; field?: string }
  | { kind: 'crash'; reason: string }
  | { kind: 'cancelled' }
  /** The lab stopped starting jobs before this one's turn (dropQueued). */
  | { kind: 'not-started'; reason: string };

export interface JobCallbacks {
  onStart?(pid: number | undefined): void;
  onProgress?(p: ProgressMessage): void;
  onTimingProgress?(done: number, total: number): void;
  /** A training stopped to wait (paused, no batches granted to run). */
  onPaused?(p: PausedMessage): void;
}

const exclusive = (job: Job) => job.type === 'time';

/**
 * A training of at most this many multiply-adds (weights × batch size × batches, the forward pass
 * alone) is short enough to have the next one sent ahead: about 10 ms of work here. A seed-sized run is
 * 0.6 M; Fashion-MNIST's 30 G. Sending ahead of a long run would only keep the next one waiting
 * behind it while another process may come free.
 */
export const AHEAD_MAX_WORK = 10_000_000;

/** Whether a job is a training short enough (AHEAD_MAX_WORK) to send the next one ahead of it, or to be sent ahead. */
export function isShortTraining(job: Job): boolean {
  if (job.type !== 'start' || job.paused) return false;
  const { shape, batchSize, batches } = job.spec as { shape?: unknown; batchSize?: unknown; batches?: unknown };
  if (!Array.isArray(shape) || typeof batchSize !== 'number' || typeof batches !== 'number') return false;
  let weights = 0;
  for (let i = 0; i + 1 < shape.length; i++) {
    const a = shape[i], b = shape[i + 1];
    if (typeof a !== 'number' || typeof b !== 'number') return false;
    weights += (a + 1) * b;
  }
  return weights * batchSize * batches <= AHEAD_MAX_WORK;
}

/**
 * The message that starts `job` as `jobId`. A training or replay without its own thread count
 * trains on the cores the running trainers leave free, `running` counting itself (lab/threads.ts).
 */
function startMessage(job: Job, jobId: number, running: number): StartMessage {
  return job.type === 'time' ? { ...job, jobId } : { ...job, jobId, threads: job.threads ?? defaultThreads(running) };
}

interface Pending {
  jobId: number;
  job: Job;
  callbacks: JobCallbacks;
  resolve(outcome: JobOutcome): void;
  cancelRequested: boolean;
  /** Sent ahead: taken back (withdraw posted) for this reason; 'requeue' puts it back at the front of the queue. */
  withdrawing?: { requeue: true } | { requeue: false; reason: string };
  /** Paused, stepped or resumed (step-through): nothing is sent ahead of it. */
  controlled?: boolean;
}

interface Slot {
  proc: TrainerProcess;
  ready: boolean;
  pending: Pending | null;
  /** The job sent ahead of `pending` (see the top of this file), which the process starts when `pending` ends. */
  next: Pending | null;
  /** When the process last said anything (any message counts as a sign of life). */
  heardAt: number;
  killTimer?: ReturnType<typeof setTimeout>;
  /** Why the pool ended this process, if it did. */
  invalid?: string;
}

export interface PoolOptions {
  size: number;
  launch: LaunchTrainer;
  /** A process that ignores cancel this long is killed (default 2 s). */
  cancelGraceMs?: number;
  /**
   * A process silent this long while it has a job is killed, and its job ends as a crash (default
   * FAULT_LIMITS.trainerHangMs, limits.ts). Processes say they are alive every ALIVE_EVERY_MS.
   */
  hangMs?: number;
  /** Invalid messages and other process trouble (default: stderr). */
  log?: (line: string) => void;
}

/** Consecutive deaths before `ready` after which the pool stops relaunching. */
const MAX_FAILED_STARTS = 3;

export class TrainerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Pending[] = [];
  private readonly warmWaiters: (() => void)[] = [];
  private closed = false;
  private failedStarts = 0;
  private nextJobId = 1;
  private readonly log: (line: string) => void;
  private readonly hangMs: number;
  private watchdog: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: PoolOptions) {
    if (!(options.size >= 1)) throw new RangeError('pool size must be at least 1');
    this.log = options.log ?? ((line) => process.stderr.write(`nnlab: ${line}\n`));
    this.hangMs = Math.max(options.hangMs ?? faultLimitMs('trainerHangMs'), 4 * ALIVE_EVERY_MS);
  }

  /**
   * Kills processes that went silent with a job (stopped with SIGSTOP, stuck in a loop, swapped
   * out for good): the lab's own heartbeat would otherwise keep their runs looking alive forever.
   * The job ends as a crash with the reason, like a process that died, and a new process takes
   * the queue. The process is not waited for (a stopped process may never deliver its exit).
   */
  private checkSilence(): void {
    const now = Date.now();
    for (const slot of [...this.slots]) {
      if (!slot.pending || now - slot.heardAt <= this.hangMs) continue;
      const pid = slot.proc.pid;
      const reason = `the trainer process ${pid ?? ''} stopped responding: no sign of life for ${Math.round((now - slot.heardAt) / 1000)} s while it had the job (the limit is ${Math.round(this.hangMs / 1000)} s), so it was killed`.replace('process  ', 'process ');
      this.log(reason);
      this.slots.delete(slot);
      clearTimeout(slot.killTimer);
      slot.proc.kill();
      // a stopped process takes SIGKILL (not every launcher's kill() sends it)
      if (pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      const p = slot.pending;
      slot.pending = null;
      p.resolve(p.cancelRequested ? { kind: 'cancelled' } : { kind: 'crash', reason });
      this.takeBack(slot);
    }
    if (!this.closed) {
      this.fill();
      this.dispatch();
    }
  }

  private watch(): void {
    if (this.watchdog || this.closed) return;
    this.watchdog = setInterval(() => this.checkSilence(), Math.min(1000, this.hangMs / 4));
    this.watchdog.unref();
  }

  get size(): number {
    return this.options.size;
  }

  /** Queues a job (it may start at once: callbacks.onStart can run before this returns). */
  submit(job: Job, callbacks: JobCallbacks = {}): PoolJob {
    const jobId = this.nextJobId++;
    if (this.closed) return { outcome: Promise.resolve({ kind: 'crash', reason: 'the lab is closing' }), cancel: () => false, control: () => false };
    const outcome = new Promise<JobOutcome>((resolve) => {
      this.queue.push({ jobId, job, callbacks, resolve, cancelRequested: false });
      this.fill();
      this.dispatch();
    });
    return { outcome, cancel: () => this.cancel(jobId), control: (c) => this.control(jobId, c) };
  }

  /** Sends a pause, step or resume to the process running job `jobId`. */
  private control(jobId: number, c: StepControl): boolean {
    for (const slot of this.slots) {
      if (slot.pending?.jobId !== jobId || slot.pending.cancelRequested) continue;
      // a run under step-through may wait for a person: the job sent ahead goes back to the queue
      slot.pending.controlled = true;
      this.withdraw(slot, { requeue: true });
      this.post(slot, { ...c, jobId });
      return true;
    }
    return false;
  }

  /** Asks the process to give back the job sent ahead (answered with withdrawn, unless it has started it). */
  private withdraw(slot: Slot, why: NonNullable<Pending['withdrawing']>): void {
    const n = slot.next;
    if (!n || n.withdrawing || n.cancelRequested) return;
    n.withdrawing = why;
    this.post(slot, { type: 'withdraw', jobId: n.jobId });
  }

  /** The job sent ahead of a process that is gone: it never started, so it is queued again at the front (or ends as asked). */
  private takeBack(slot: Slot): void {
    const n = slot.next;
    if (!n) return;
    slot.next = null;
    this.release(n);
  }

  /** A job sent ahead that came back unstarted. */
  private release(n: Pending): void {
    if (n.cancelRequested) n.resolve({ kind: 'cancelled' });
    else if (n.withdrawing && !n.withdrawing.requeue) n.resolve({ kind: 'not-started', reason: n.withdrawing.reason });
    else if (this.closed) n.resolve({ kind: 'crash', reason: 'the lab is closing' });
    else {
      n.withdrawing = undefined;
      this.queue.unshift(n);
    }
  }

  /** Cancels a queued or running job. Returns false if the pool does not know it (any more). */
  private cancel(jobId: number): boolean {
    const queued = this.queue.findIndex((p) => p.jobId === jobId);
    if (queued >= 0) {
      const [p] = this.queue.splice(queued, 1);
      p.resolve({ kind: 'cancelled' });
      return true;
    }
    for (const slot of this.slots) {
      if (slot.next?.jobId === jobId) {
        // sent ahead: the process drops it (withdrawn) or, if it has just started it, cancels it
        slot.next.cancelRequested = true;
        this.post(slot, { type: 'cancel', jobId });
        return true;
      }
      if (slot.pending?.jobId === jobId) {
        slot.pending.cancelRequested = true;
        this.post(slot, { type: 'cancel', jobId });
        slot.killTimer ??= setTimeout(() => slot.proc.kill(), this.options.cancelGraceMs ?? 2000);
        return true;
      }
    }
    return false;
  }

  /** Ends every queued job, unstarted, with `reason`; running jobs go on. */
  dropQueued(reason: string): void {
    for (const p of this.queue.splice(0)) p.resolve({ kind: 'not-started', reason });
    for (const slot of this.slots) this.withdraw(slot, { requeue: false, reason });
  }

  /** Ends every process; queued and running jobs end as crashes with `reason`. */
  close(reason = 'the lab closed'): void {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.resolve({ kind: 'crash', reason });
    for (const slot of this.slots) {
      const p = slot.pending;
      slot.pending = null;
      p?.resolve({ kind: 'crash', reason });
      slot.next?.resolve({ kind: 'crash', reason });
      slot.next = null;
      clearTimeout(slot.killTimer);
      this.post(slot, { type: 'shutdown' });
      slot.proc.kill();
    }
    this.slots.clear();
    clearInterval(this.watchdog);
    this.wakeWarmWaiters(true);
  }

  /**
   * Starts every process now rather than with the first job: the app and `nnlab serve` do this at
   * start-up, since a trainer process takes a few hundred ms to load (measured: node, zod, the
   * wasm kernels), which a person's first run, or every run of a short sweep, would wait for.
   * Resolves when every process has said ready, or one has failed to start.
   */
  warm(): Promise<void> {
    while (this.slots.size < this.options.size && !this.closed) this.spawn();
    if (this.allReady()) return Promise.resolve();
    return new Promise((resolve) => this.warmWaiters.push(resolve));
  }

  private allReady(): boolean {
    for (const s of this.slots) if (!s.ready) return false;
    return true;
  }

  private wakeWarmWaiters(always: boolean): void {
    if (always || this.allReady()) for (const wake of this.warmWaiters.splice(0)) wake();
  }

  /** Starts processes while there is queued work and room in the pool. */
  private fill(): void {
    const idle = [...this.slots].filter((s) => !s.pending).length;
    let wanted = Math.min(this.options.size - this.slots.size, this.queue.length - idle);
    while (wanted-- > 0 && !this.closed) this.spawn();
  }

  private spawn(): void {
    const slot: Slot = { proc: undefined as unknown as TrainerProcess, ready: false, pending: null, next: null, heardAt: Date.now() };
    slot.proc = this.options.launch({
      onMessage: (m) => this.onMessage(slot, m),
      onExit: (reason) => this.onExit(slot, reason),
    });
    this.slots.add(slot);
  }

  /** Jobs running now. */
  get busy(): number {
    let n = 0;
    for (const s of this.slots) if (s.pending) n++;
    return n;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (!slot.ready || slot.pending || this.queue.length === 0) continue;
      // an exclusive job runs alone: it waits for the running jobs to end, and the queue waits for it
      const running = [...this.slots].filter((s) => s.pending);
      if (running.some((s) => exclusive(s.pending!.job))) return;
      if (exclusive(this.queue[0].job) && running.length > 0) return;
      const p = this.queue.shift()!;
      slot.pending = p;
      slot.heardAt = Date.now();
      this.watch();
      p.callbacks.onStart?.(slot.proc.pid);
      this.post(slot, startMessage(p.job, p.jobId, running.length + 1));
    }
    this.sendAhead();
  }

  /**
   * Sends the next queued short run ahead to processes training a short run, while there is
   * more queued than the processes still starting will take (none is idle: dispatch ran first).
   */
  private sendAhead(): void {
    let starting = 0;
    for (const s of this.slots) if (!s.ready) starting++;
    for (const slot of this.slots) {
      if (this.queue.length <= starting) return;
      const p = slot.pending;
      if (!slot.ready || !p || slot.next || p.cancelRequested || p.controlled || !isShortTraining(p.job) || !isShortTraining(this.queue[0].job)) continue;
      const n = this.queue.shift()!;
      slot.next = n;
      // the threads it gets: as when it would start after this one, the same processes training
      this.post(slot, startMessage(n.job, n.jobId, this.busy));
    }
  }

  private post(slot: Slot, message: ToWorker): void {
    slot.proc.send(message);
  }

  private onMessage(slot: Slot, raw: unknown): void {
    // a result (the big message, one per run) by the fast check, which accepts only what the schema accepts unchanged; anything else by the schema
    const fast = fastResultMessage(raw);
    const parsed = fast ? { success: true as const, data: fast } : FromWorkerSchema.safeParse(raw);
    if (!parsed.success) {
      // A process that does not speak the protocol (e.g. a stale build) cannot be trusted with the
      // run: end it, and its job ends as a crash that says why.
      const why = `it sent an invalid message (${specErrorOf(parsed.error).message})`;
      this.log(`stopping trainer process ${slot.proc.pid}: ${why}`);
      slot.invalid = why;
      slot.proc.kill();
      return;
    }
    const msg: FromWorker = parsed.data;
    slot.heardAt = Date.now();
    if (msg.type === 'alive') return;
    if (msg.type === 'ready') {
      slot.ready = true;
      this.failedStarts = 0;
      this.wakeWarmWaiters(false);
      this.dispatch();
      return;
    }
    if (msg.type === 'withdrawn') {
      if (slot.next?.jobId !== msg.jobId) {
        this.log(`trainer process ${slot.proc.pid} gave back job ${msg.jobId}, which was not sent ahead to it`);
        return;
      }
      this.takeBack(slot);
      this.dispatch();
      return;
    }
    const p = slot.pending;
    if (!p || p.jobId !== msg.jobId) {
      this.log(`trainer process ${slot.proc.pid} spoke of job ${msg.jobId}, which it is not running`);
      return;
    }
    if (msg.type === 'progress') {
      p.callbacks.onProgress?.(msg);
      return;
    }
    if (msg.type === 'paused') {
      p.callbacks.onPaused?.(msg);
      return;
    }
    if (msg.type === 'timing-progress') {
      p.callbacks.onTimingProgress?.(msg.done, msg.total);
      return;
    }
    slot.pending = null;
    clearTimeout(slot.killTimer);
    slot.killTimer = undefined;
    // the process has gone on to the job sent ahead: from now on it is the one running there
    const n = slot.next;
    if (n) {
      slot.next = null;
      slot.pending = n;
      n.withdrawing = undefined;
      n.callbacks.onStart?.(slot.proc.pid);
      if (n.cancelRequested) slot.killTimer = setTimeout(() => slot.proc.kill(), this.options.cancelGraceMs ?? 2000);
    }
    if (msg.type === 'result') p.resolve({ kind: 'result', result: msg.result, cancelled: msg.cancelled });
    else if (msg.type === 'timing-result') p.resolve({ kind: 'timing', measurement: msg.measurement });
    else if (msg.type === 'replayed') p.resolve({ kind: 'replayed', kernel: msg.kernel, costHistory: msg.costHistory });
    else p.resolve({ kind: 'error', message: msg.error.message, field: msg.error.field });
    this.dispatch();
  }

  private onExit(slot: Slot, reason: string): void {
    if (!this.slots.delete(slot)) return; // closed, or a second notice for the same exit
    clearTimeout(slot.killTimer);
    const p = slot.pending;
    if (p) p.resolve(p.cancelRequested ? { kind: 'cancelled' } : { kind: 'crash', reason: slot.invalid ? `the trainer process was stopped: ${slot.invalid}` : reason });
    this.takeBack(slot);
    if (!slot.ready) this.wakeWarmWaiters(true);
    if (!slot.ready && ++this.failedStarts >= MAX_FAILED_STARTS) {
      for (const q of this.queue.splice(0)) q.resolve({ kind: 'crash', reason: `trainer processes fail to start: ${reason}` });
      this.failedStarts = 0;
      return;
    }
    if (!this.closed) {
      this.fill();
      this.dispatch();
    }
  }
}
