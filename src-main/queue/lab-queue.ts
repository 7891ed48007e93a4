/**
 * The lab's side of a job queue: sends runs as jobs, follows them (BullMQ's events for speed, a
 * poll of the finished jobs as the safety net for events missed while the lab or Redis was
 * away), and hands each outcome to the lab to store. A job leaves Redis only after the lab has
 * stored its outcome, so Redis holds every result until it is safe in the database: a lab that
 * is closed, killed or offline collects what finished when it comes back.
 *
 * Data sets (task csv) go into Redis once, before the first job that needs them, and leave with
 * the last such job collected (queue/datasets.ts).
 *
 * Lost jobs: after a (re)connection, and when runs from an earlier process are resumed, every
 * followed job is looked up; one that Redis does not have (restarted without its append-only
 * file, flushed) is named in the log and sent again — its run is deterministic, so a second
 * training gives the same bits, and the store keeps one outcome per run whatever comes twice.
 */
import { createHash } from 'node:crypto';
import { type Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TrainedBy } from '../db/types';
import type { RunResult } from '../trainer/trainer';
import { RunResultSchema } from '../worker/protocol';
import { f64FromBase64, unpack } from './codec';
import { describe, redact, redisOptions, ref, type QueueTarget } from './connection';
import { datasetsHeld, putDatasets, releaseDatasets } from './datasets';
import { CANCEL_TTL_S, cancelKey, type DatasetRef, firstIssue, JOB_ATTEMPTS, JOB_NAME, type JobData, ProgressSchema, ResultEnvelopeSchema, resultKey } from './protocol';
import { connectRedis } from './redis';
import { ConnectionWatch } from './watch';

export type RemoteOutcome =
  | { kind: 'result'; result: RunResult; trainedBy: TrainedBy; startedAt: number | null; finishedAt: number | null }
  /** Failed on the workers (twice, or rejected), or a result the lab cannot accept; `worker` is the last one that had it. */
  | { kind: 'failed'; reason: string; worker: string | null };

export interface RemoteProgress {
  batchesDone: number;
  batches: number;
  cost: number;
  elapsedMs: number;
  from: number;
  stride: number;
  costs: Float64Array;
}

export interface QueueHandler {
  started(runId: number, worker: string): void;
  progress(runId: number, p: RemoteProgress): void;
  refused(runId: number, worker: string, reason: string): void;
  /**
   * Stores the outcome (or finds the run no longer waits for one). Rejects when the store cannot
   * write: the job then stays in Redis and is collected again later.
   */
  outcome(runId: number, outcome: RemoteOutcome): Promise<void>;
  /** The packed bytes of a data set the lab's jobs name (queue/datasets.ts); throws when the lab cannot make them. */
  dataset(ref: DatasetRef): Buffer;
}

/** A run whose job the lab follows. */
export interface TrackedRun {
  runId: number;
  jobId: string;
  data: JobData;
}

export interface RunQueueOptions {
  log: (line: string) => void;
  /** How often finished jobs are looked for besides the events (default 5 s). */
  pollMs?: number;
}

const CHUNK = 500;

export class RunQueue {
  /** The queue as the store records it (no credentials). */
  readonly ref;
  private readonly tracked = new Map<string, TrackedRun>();
  private readonly collecting = new Set<string>();
  /** Collections under way: close() lets them finish removing what they stored (jobs, results, data sets). */
  private readonly inflight = new Set<Promise<void>>();
  private handler: QueueHandler | null = null;
  private readonly poll: ReturnType<typeof setInterval>;
  private closed = false;
  private storeFailureLogged = false;

  private constructor(
    readonly target: QueueTarget,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly redis: Redis,
    private readonly watch: ConnectionWatch,
    private readonly o: RunQueueOptions,
  ) {
    this.ref = ref(target);
    this.poll = setInterval(() => void this.sweepFinished(), o.pollMs ?? 5000);
    this.poll.unref();
  }

  /** Connects (failing fast, QueueUnreachableError, when Redis cannot be reached). */
  static async open(target: QueueTarget, o: RunQueueOptions): Promise<RunQueue> {
    const watch = new ConnectionWatch(target, o.log);
    const redis = await connectRedis(target, watch);
    const queue = new Queue(target.name, { connection: redisOptions(target) });
    const events = new QueueEvents(target.name, { connection: redisOptions(target) });
    const self = new RunQueue(target, queue, events, redis, watch, o);
    queue.on('error', (e) => watch.error(e));
    events.on('error', (e) => watch.error(e));
    // after Redis comes back, look up every job: a Redis restarted without its data lost them
    redis.on('ready', () => void self.check(self.all()));
    events.on('completed', ({ jobId }) => void self.collect(jobId));
    events.on('failed', ({ jobId }) => void self.collect(jobId));
    events.on('progress', ({ jobId, data }) => self.onProgress(jobId, data));
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return self;
  }

  get description(): string {
    return describe(this.target);
  }

  /** Closed (by close(), or with the lab that attached it): it sends and collects nothing more. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Runs followed and not yet collected. */
  get waiting(): number {
    return this.tracked.size;
  }

  setHandler(handler: QueueHandler): void {
    this.handler = handler;
  }

  /** Sends the jobs of new runs (and follows them). A failure to send is logged: the next check sends them again. */
  async submit(runs: readonly TrackedRun[]): Promise<void> {
    for (const r of runs) this.track(r);
    try {
      await this.add(runs);
    } catch (e) {
      this.o.log(`could not send ${runs.length} run${runs.length === 1 ? '' : 's'} to ${this.description} (${this.message(e)}); they are sent again when Redis answers`);
    }
  }

  /** Follows runs sent by an earlier nnlab process: collects what finished meanwhile (resolves once it is stored) and sends again what Redis lost. */
  async resume(runs: readonly TrackedRun[]): Promise<void> {
    for (const r of runs) this.track(r);
    await this.check(runs);
  }

  /**
   * A run cancelled in the lab: its job is removed if no worker has taken it; a worker that has
   * it is told to stop (cancelKey), and fails the job, which is then collected as usual — the
   * store no longer waits for the run, so whatever comes back is dropped and the job removed.
   */
  async cancel(runId: number): Promise<void> {
    const t = [...this.tracked.values()].find((x) => x.runId === runId);
    if (!t) return;
    try {
      const job = await this.queue.getJob(t.jobId);
      const state = job ? await job.getState() : 'unknown';
      if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) {
        const removed = await job.remove().then(
          () => true,
          () => false, // a worker took it meanwhile (its lock keeps it): tell that worker instead
        );
        if (removed) {
          this.tracked.delete(t.jobId);
          await this.release(t);
          return;
        }
      }
      if (state !== 'completed' && state !== 'failed') await this.redis.set(cancelKey(this.target.name, t.jobId), '1', 'EX', CANCEL_TTL_S);
    } catch (e) {
      this.o.log(`could not cancel the job of run ${runId} (${this.message(e)}): a worker may train it to the end; its result will be dropped`);
    }
  }

  /** The queue's jobs by state, the names of the workers connected to it, and the data sets Redis holds for its jobs. */
  async status(): Promise<{ counts: { waiting: number; active: number; delayed: number; completed: number; failed: number }; workers: string[]; datasets: { count: number; bytes: number } }> {
    const [c, clients, datasets] = await Promise.all([this.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'completed', 'failed'), this.queue.getWorkers(), datasetsHeld(this.redis, this.target.name)]);
    // BullMQ names a worker's connection `bull:<base64 queue>:w:<name>`
    const names = clients.map((x: Record<string, string>) => {
      const raw = x.rawname ?? x.name ?? '';
      const at = raw.indexOf(':w:');
      return at >= 0 ? raw.slice(at + 3) : raw;
    });
    return {
      counts: { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0 },
      workers: [...new Set(names)].sort(),
      datasets,
    };
  }

  /**
   * Disconnects; the jobs stay in Redis for the next nnlab process that opens this database with
   * this queue. Collections under way finish first (a stored run's job and data set are removed;
   * one whose store write waits is left for the next process), for at most `timeoutMs`.
   */
  async close(timeoutMs = 10_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.poll);
    if (this.inflight.size) await Promise.race([Promise.allSettled([...this.inflight]), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    this.redis.disconnect();
  }

  private all(): TrackedRun[] {
    return [...this.tracked.values()];
  }

  private track(r: TrackedRun): void {
    this.tracked.set(r.jobId, r);
  }

  private message(e: unknown): string {
    return redact(this.target, e instanceof Error ? e.message : String(e));
  }

  private async add(runs: readonly TrackedRun[]): Promise<void> {
    for (let i = 0; i < runs.length; i += CHUNK) {
      const chunk = runs.slice(i, i + CHUNK);
      await this.putData(chunk);
      await this.queue.addBulk(
        chunk.map((r) => ({
          name: JOB_NAME,
          data: r.data,
          // kept when finished: the lab removes a job once its outcome is stored
          opts: { jobId: r.jobId, attempts: JOB_ATTEMPTS, backoff: { type: 'fixed', delay: 1000 }, removeOnComplete: false, removeOnFail: false },
        })),
      );
    }
  }

  /** Puts the data sets the runs' jobs name into Redis where they are not there yet (the jobs are registered as their users). */
  private async putData(runs: readonly TrackedRun[]): Promise<void> {
    const jobs = runs.filter((r) => r.data.datasets?.length).map((r) => ({ jobId: r.jobId, refs: r.data.datasets! }));
    if (jobs.length) await putDatasets(this.redis, this.target.name, jobs, (ref) => this.handler!.dataset(ref));
  }

  /** A job removed from Redis no longer needs its data sets: the last one out deletes them. */
  private async release(t: TrackedRun): Promise<void> {
    if (!t.data.datasets?.length) return;
    await releaseDatasets(this.redis, this.target.name, t.jobId, t.data.datasets).catch((e: unknown) =>
      this.o.log(`could not release the data set of run ${t.runId} in ${this.description} (${this.message(e)}); it stays in Redis until the queue is emptied`),
    );
  }

  /**
   * Looks every given job up: collects the finished ones and sends again those Redis does not
   * have. The data sets of those still waiting are put back where Redis lost them.
   */
  private async check(runs: readonly TrackedRun[]): Promise<void> {
    if (this.closed || runs.length === 0) return;
    const lost: TrackedRun[] = [];
    const collecting: Promise<void>[] = [];
    try {
      await this.putData(runs.filter((r) => this.tracked.has(r.jobId)));
    } catch (e) {
      if (!this.watch.isDown) this.o.log(`could not put the data sets of the waiting runs into ${this.description} (${this.message(e)}); trying again when Redis answers`);
    }
    try {
      for (let i = 0; i < runs.length; i += CHUNK) {
        const chunk = runs.slice(i, i + CHUNK);
        const states = await Promise.all(chunk.map((r) => this.queue.getJobState(r.jobId)));
        chunk.forEach((r, k) => {
          if (!this.tracked.has(r.jobId)) return;
          if (states[k] === 'unknown') lost.push(r);
          else if (states[k] === 'completed' || states[k] === 'failed') collecting.push(this.collect(r.jobId));
        });
      }
      await Promise.all(collecting);
    } catch (e) {
      if (!this.watch.isDown) this.o.log(`could not look up the jobs in ${this.description} (${this.message(e)}); trying again when Redis answers`);
      return;
    }
    await this.resend(lost, 'were not in the queue (a Redis restarted without its append-only file loses its jobs)');
  }

  private async resend(lost: readonly TrackedRun[], why: string): Promise<void> {
    const still = lost.filter((r) => this.tracked.has(r.jobId));
    if (!still.length) return;
    const ids = still.map((r) => `#${r.runId}`);
    this.o.log(`the jobs of ${still.length} run${still.length === 1 ? '' : 's'} (${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''}) ${why}: sent again`);
    try {
      await this.add(still);
    } catch (e) {
      this.o.log(`could not send them again (${this.message(e)}); trying when Redis answers`);
    }
  }

  /** The safety net: finished jobs whose event this lab did not see. */
  private async sweepFinished(): Promise<void> {
    if (this.closed || this.tracked.size === 0 || this.watch.isDown) return;
    try {
      const ids = await this.queue.getRanges(['completed', 'failed'], 0, -1);
      for (const id of ids) if (this.tracked.has(id)) void this.collect(id);
    } catch {
      // the connection watch has said it; the next tick tries again
    }
  }

  private onProgress(jobId: string, raw: unknown): void {
    const t = this.tracked.get(jobId);
    if (!t || !this.handler) return;
    const parsed = ProgressSchema.safeParse(raw);
    if (!parsed.success) return; // a worker's progress is only shown, never stored: ignore what is not ours
    const p = parsed.data;
    if (p.type === 'started') this.handler.started(t.runId, p.worker);
    else if (p.type === 'refused') this.handler.refused(t.runId, p.worker, p.reason);
    else {
      let costs: Float64Array;
      try {
        costs = f64FromBase64(p.costs);
      } catch {
        return;
      }
      this.handler.progress(t.runId, { batchesDone: p.batchesDone, batches: p.batches, cost: p.cost ?? NaN, elapsedMs: p.elapsedMs, from: p.from, stride: p.stride, costs });
    }
  }

  /** Reads a finished job, has the lab store its outcome, then removes the job (and its packed result). */
  private collect(jobId: string): Promise<void> {
    const t = this.tracked.get(jobId);
    if (!t || !this.handler || this.collecting.has(jobId) || this.closed) return Promise.resolve();
    this.collecting.add(jobId);
    const p = this.collectNow(t, jobId);
    this.inflight.add(p);
    return p.finally(() => this.inflight.delete(p));
  }

  private async collectNow(t: TrackedRun, jobId: string): Promise<void> {
    try {
      const job = await this.queue.getJob(jobId);
      if (!job) {
        await this.resend([t], 'were not in the queue');
        return;
      }
      const state = await job.getState();
      let outcome: RemoteOutcome;
      let key: string | null = null;
      if (state === 'completed') {
        const read = await this.readResult(t, job);
        if (read === 'missing') {
          await job.remove();
          await this.resend([t], 'had finished, but their results were missing from Redis');
          return;
        }
        outcome = read.outcome;
        key = read.key;
      } else if (state === 'failed') {
        const reason = job.failedReason || 'failed on a worker (no reason given)';
        outcome = { kind: 'failed', reason: job.attemptsMade > 1 ? `failed ${job.attemptsMade} times on the workers; the last time: ${reason}` : reason, worker: job.processedBy ?? null };
      } else {
        return;
      }
      try {
        await this.handler!.outcome(t.runId, outcome);
        this.storeFailureLogged = false;
      } catch (e) {
        // the store could not write: the result stays in Redis and the poll brings it back
        if (!this.storeFailureLogged) this.o.log(`could not store the outcome of run ${t.runId} (${this.message(e)}); it stays in the queue and is collected again`);
        this.storeFailureLogged = true;
        return;
      }
      this.tracked.delete(jobId);
      await job.remove().catch((e: unknown) => this.o.log(`stored run ${t.runId}, but could not remove its job from the queue (${this.message(e)})`));
      await this.redis.del([...(key ? [key] : []), cancelKey(this.target.name, jobId)]).catch(() => {});
      await this.release(t);
    } catch (e) {
      if (!this.watch.isDown) this.o.log(`could not collect run ${t.runId} from ${this.description} (${this.message(e)}); trying again`);
    } finally {
      this.collecting.delete(jobId);
    }
  }

  /** The packed result of a completed job, checked: its key, size, hash and every field. */
  private async readResult(t: TrackedRun, job: Job): Promise<'missing' | { outcome: RemoteOutcome; key: string | null }> {
    const worker = job.processedBy ?? null;
    const who = `worker ${worker ?? '(unnamed)'}`;
    const failed = (reason: string, key: string | null = null) => ({ outcome: { kind: 'failed' as const, reason, worker }, key });
    const env = ResultEnvelopeSchema.safeParse(job.returnvalue);
    if (!env.success) return failed(`${who} returned something that is not an nnlab result (${firstIssue(env.error)})`);
    const expected = resultKey(this.target.name, t.jobId);
    if (env.data.key !== expected) return failed(`${who} put its result at ${JSON.stringify(env.data.key).slice(0, 80)}, not at the run's own key`);
    const packed = await this.redis.getBuffer(expected);
    if (packed === null) return 'missing';
    if (packed.length !== env.data.bytes || createHash('sha256').update(packed).digest('hex') !== env.data.sha256) {
      return failed(`the result from ${who} is damaged (its size or sha256 differs from what the worker reported)`, expected);
    }
    let raw: unknown;
    try {
      raw = unpack(packed);
    } catch (e) {
      return failed(`the result from ${who} cannot be read: ${(e as Error).message}`, expected);
    }
    const result = RunResultSchema.safeParse(raw);
    if (!result.success) return failed(`${who} sent an invalid result (${firstIssue(result.error)})`, expected);
    const r = result.data as RunResult;
    const batches = typeof t.data.spec.batches === 'number' ? t.data.spec.batches : Infinity;
    if (r.costHistory.length !== r.batchesRun || r.batchesRun > batches) return failed(`${who} sent a result of ${r.batchesRun} batches that does not fit the run's spec`, expected);
    return { outcome: { kind: 'result', result: r, trainedBy: env.data.trainedBy, startedAt: job.processedOn ?? null, finishedAt: job.finishedOn ?? null }, key: expected };
  }
}
