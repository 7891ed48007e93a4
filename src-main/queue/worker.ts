/**
 * `nnlab worker`'s engine: pulls run jobs from a BullMQ queue and trains each in a trainer process
 * of its own pool (the same trainer core, kernels and protocol as the lab's), reporting progress
 * and the packed result back through Redis.
 *
 * What it refuses: a job that is not a `train` job of its own queue with a valid spec is rejected
 * (failed at once, not retried, and logged); a job it cannot train bit for bit as the lab would
 * (another app version or kernel family, unless the sweep allows it) is refused — it goes back to
 * the queue, delayed a moment so another worker can take it. A job whose training fails is
 * retried once (JOB_ATTEMPTS), on whichever worker takes it, then failed with this worker's reason.
 *
 * A worker that dies (SIGKILL, power loss) stops renewing its jobs' locks; after `stallMs` any
 * other worker's stalled-job check puts them back in the queue. `stop('hand-back')` does the same
 * at once for a worker that is asked to go (SIGTERM), `stop('finish')` trains its jobs to the end.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import { DelayedError, type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TrainedBy } from '../db/types';
import { type LaunchTrainer, nodeLauncher } from '../lab/launch';
import { TrainerPool } from '../lab/pool';
import { parseRunSpec, SpecError } from '../trainer/spec';
import type { ProgressMessage } from '../worker/protocol';
import { APP_VERSION } from '../version';
import { pack, f64ToBase64 } from './codec';
import { describe, redact, redisOptions, type QueueTarget } from './connection';
import { DatasetCache, DatasetError, imagesRefusal } from './datasets';
import { connectRedis } from './redis';
import {
  DEFAULT_STALL_MS,
  firstIssue,
  JOB_NAME,
  JobDataSchema,
  type ParsedJob,
  kernelFamily,
  type QueueProgress,
  refusal,
  RESULT_FORMAT,
  type ResultEnvelope,
  cancelKey,
  resultKey,
} from './protocol';
import { ConnectionWatch } from './watch';

/** Live progress of a remote run at most this often (each is a Redis write and an event). */
const PROGRESS_MS = 250;
/** A refused job waits this long before any worker may take it again (a worker refuses every job of such a sweep). */
const REFUSE_DELAY_MS = 2000;
/** Redis refuses values over 512 MB; a result larger than this is failed with the reason instead. */
const MAX_RESULT_BYTES = 500 * 1024 * 1024;

export interface QueueWorkerOptions {
  target: QueueTarget;
  /** Shown in the lab and recorded with every run it trains. */
  name: string;
  /** Runs trained at once (each in its own trainer process). */
  concurrency: number;
  /** Threads per run (default: the cores the running trainer processes leave free, lab/threads.ts). */
  threads?: number;
  /** How long a job may go without its lock being renewed before another worker takes it over. */
  stallMs?: number;
  launch?: LaunchTrainer;
  log: (line: string) => void;
}

export interface WorkerCounts {
  trained: number;
  refused: number;
  rejected: number;
  failed: number;
}

const noop = () => {};

export class QueueWorker {
  readonly counts: WorkerCounts = { trained: 0, refused: 0, rejected: 0, failed: 0 };
  private handingBack = false;
  private readonly refusalsLogged = new Set<string>();
  /** The data sets this worker has fetched (each once), checked against their hash. */
  readonly datasets: DatasetCache;

  private constructor(
    private readonly o: QueueWorkerOptions,
    private readonly redis: Redis,
    private readonly pool: TrainerPool,
    private readonly bull: Worker,
  ) {
    this.datasets = new DatasetCache(redis, o.target.name);
  }

  /** Connects (failing fast if Redis cannot be reached), starts the trainer processes, and starts taking jobs. */
  static async start(o: QueueWorkerOptions): Promise<QueueWorker> {
    const watch = new ConnectionWatch(o.target, o.log);
    const redis = await connectRedis(o.target, watch);
    const pool = new TrainerPool({ size: o.concurrency, launch: o.launch ?? nodeLauncher(), log: (line) => o.log(line) });
    await pool.warm();
    const stallMs = o.stallMs ?? DEFAULT_STALL_MS;
    let self: QueueWorker | null = null;
    const bull = new Worker(o.target.name, (job: Job, token?: string) => self!.process(job, token), {
      connection: redisOptions(o.target),
      name: o.name,
      concurrency: o.concurrency,
      autorun: false,
      lockDuration: stallMs,
      stalledInterval: stallMs,
      // a job whose worker died twice goes to failed rather than round the machines for ever
      maxStalledCount: 2,
      // completing a job retries this often while Redis is away (BullMQ's default is 15 s)
      runRetryDelay: 2000,
    });
    self = new QueueWorker(o, redis, pool, bull);
    bull.on('error', (e) => watch.error(e));
    bull.on('ready', () => watch.ready());
    await bull.waitUntilReady();
    void bull.run().catch((e: unknown) => o.log(`stopped taking jobs: ${redact(o.target, (e as Error).message)}`));
    return self;
  }

  get description(): string {
    return `worker ${this.o.name} on ${describe(this.o.target)}: ${this.o.concurrency} trainer process${this.o.concurrency === 1 ? '' : 'es'}, nnlab ${APP_VERSION}, ${kernelFamily('auto')} kernels`;
  }

  /** Jobs being trained now. */
  get busy(): number {
    return this.pool.busy;
  }

  /**
   * Stops taking jobs. 'finish' trains the current ones to the end; 'hand-back' ends their
   * training and puts them back in the queue for another worker (the runs are deterministic, so
   * nothing is lost but the time spent). Waits at most `timeoutMs` for Redis, then closes anyway.
   */
  async stop(how: 'finish' | 'hand-back', timeoutMs = 10_000): Promise<void> {
    if (how === 'hand-back') this.handingBack = true;
    const closing = this.bull.close();
    if (how === 'hand-back') this.pool.close('the worker is stopping: the run goes back to the queue');
    const late = await Promise.race([closing.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref())]);
    if (late) await this.bull.close(true).catch(noop);
    this.pool.close();
    await this.datasets.dispose();
    this.redis.disconnect();
  }

  private trainedBy(kernel: string): TrainedBy {
    return { worker: this.o.name, host: os.hostname(), pid: process.pid, appVersion: APP_VERSION, runtime: `node ${process.versions.node}`, platform: process.platform, arch: process.arch, kernel };
  }

  /** Fails the job at once (no retry) and says why in this worker's log. */
  private reject(job: Job, reason: string): never {
    this.counts.rejected++;
    this.o.log(`rejected job ${JSON.stringify(String(job.id)).slice(0, 80)}: ${reason}`);
    throw new UnrecoverableError(`rejected by worker ${this.o.name}: ${reason}`);
  }

  /** The job's data if it is a run of this queue, else rejected. */
  private accept(job: Job): ParsedJob {
    if (job.name !== JOB_NAME) this.reject(job, `it is not a run to train (job name ${JSON.stringify(String(job.name)).slice(0, 60)})`);
    const parsed = JobDataSchema.safeParse(job.data);
    if (!parsed.success) this.reject(job, `its data is not an nnlab run (${firstIssue(parsed.error)})`);
    const data = parsed.data;
    if (data.queue !== this.o.target.name) this.reject(job, `it was sent to queue ${data.queue}, and this worker serves ${this.o.target.name}`);
    return data;
  }

  private progress(job: Job, p: QueueProgress): void {
    job.updateProgress(p).catch(noop);
  }

  /** Puts the job back in the queue for another worker (delayed a moment), saying why once per reason. */
  private async refuse(job: Job, data: ParsedJob, why: string, token?: string): Promise<never> {
    this.counts.refused++;
    if (!this.refusalsLogged.has(why)) {
      this.refusalsLogged.add(why);
      this.o.log(`refusing the runs of ${data.lab} (run #${data.runId} and others like it): ${why}; they go back to the queue for another worker`);
    }
    this.progress(job, { type: 'refused', worker: this.o.name, reason: why });
    await job.moveToDelayed(Date.now() + REFUSE_DELAY_MS, token);
    throw new DelayedError();
  }

  private async process(job: Job, token?: string): Promise<ResultEnvelope> {
    const data = this.accept(job);
    const why = refusal(data, { appVersion: APP_VERSION, kernels: kernelFamily(data.kernel) });
    if (why) await this.refuse(job, data, why, token);
    let spec;
    try {
      spec = parseRunSpec(data.spec, { maxWeights: data.maxWeights });
    } catch (e) {
      if (e instanceof SpecError) this.reject(job, `its spec is invalid (${e.message})`);
      throw e;
    }
    // Fashion-MNIST: this machine's own files when they have the spec's content hash; else the
    // lab's copy in the queue (fetched once, checked, written into a folder of this worker's). A
    // job without one (from an nnlab that did not send it) goes to a worker that has the files.
    const imagesRef = data.datasets.find((r) => r.kind === 'images');
    if (imagesRef && imagesRef.sha256 !== spec.dataset) this.reject(job, `it names images with content hash ${imagesRef.sha256}, and its spec ${spec.dataset}`);
    const ownImages = imagesRefusal(spec);
    if (ownImages && !imagesRef) await this.refuse(job, data, ownImages, token);
    // a table travels once through Redis: fetched (or taken from this worker's cache) and checked before training
    const tables = [];
    let imagesDir: string | undefined;
    for (const ref of data.datasets) {
      try {
        if (ref.kind === 'table') tables.push(await this.datasets.get(ref));
        else if (ownImages) {
          const first = this.datasets.fetched;
          imagesDir = await this.datasets.imagesDir(ref);
          if (this.datasets.fetched > first) this.o.log(`${ownImages}: trains the runs on ${ref.name} with the lab's copy from the queue (${(ref.bytes / 2 ** 20).toFixed(1)} MB, content hash ${ref.sha256.slice(0, 12)}…, checked; kept in ${imagesDir} while this worker runs)`);
        }
      } catch (e) {
        if (!(e instanceof DatasetError)) throw e;
        this.counts.failed++;
        this.o.log(`run #${data.runId} of ${data.lab} not trained: ${e.message}`);
        // other bytes than the run names are the same for every worker: not retried; missing data may be put back by the lab
        if (!e.lost) throw new UnrecoverableError(`worker ${this.o.name}: ${e.message}`);
        throw new Error(`worker ${this.o.name}: ${e.message}`);
      }
    }
    // a run the lab cancelled after this worker took it: looked for now and with each progress report
    const cancel = cancelKey(this.o.target.name, String(job.id));
    const cancelled = (batch: number | null) => {
      this.o.log(`run #${data.runId} of ${data.lab} cancelled by the lab: ${batch === null ? 'not started' : `training stopped at batch ${batch} of ${spec.batches}`}`);
      return new UnrecoverableError(`cancelled by the lab; worker ${this.o.name} ${batch === null ? 'did not start it' : `stopped it at batch ${batch}`}`);
    };
    if (await this.redis.exists(cancel).catch(() => 0)) throw cancelled(null);
    const attempt = Math.max(1, job.attemptsStarted);
    this.progress(job, { type: 'started', worker: this.o.name, attempt });
    let stopAt: number | null = null;
    let looking = false;
    let lastBatch = 0;
    const training = this.pool.submit(
      { type: 'start', spec, kernel: data.kernel, maxWeights: data.maxWeights, progressIntervalMs: PROGRESS_MS, threads: this.o.threads, tables, imagesDir },
      {
        onProgress: (p) => {
          lastBatch = p.batchesDone;
          this.progress(job, progressOf(p, attempt));
          if (looking || stopAt !== null) return;
          looking = true;
          this.redis.exists(cancel).then(
            (n) => {
              looking = false;
              if (n && stopAt === null) {
                stopAt = lastBatch;
                training.cancel();
              }
            },
            () => (looking = false),
          );
        },
      },
    );
    const outcome = await training.outcome;
    if (outcome.kind === 'result' && !outcome.cancelled) {
      const packed = pack(outcome.result);
      if (packed.length > MAX_RESULT_BYTES) {
        this.counts.failed++;
        throw new UnrecoverableError(`worker ${this.o.name}: the result is ${Math.round(packed.length / 2 ** 20)} MB, more than the ${MAX_RESULT_BYTES / 2 ** 20} MB a result may have in Redis`);
      }
      const key = resultKey(this.o.target.name, String(job.id));
      await this.redis.set(key, packed);
      this.counts.trained++;
      return { format: RESULT_FORMAT, key, bytes: packed.length, sha256: createHash('sha256').update(packed).digest('hex'), trainedBy: this.trainedBy(outcome.result.kernel) };
    }
    if (stopAt !== null) throw cancelled(outcome.kind === 'result' ? outcome.result.batchesRun : stopAt);
    if (this.handingBack) {
      await job.moveToWait(token);
      throw new WaitingError();
    }
    if (outcome.kind === 'error' && outcome.field) this.reject(job, `its spec is invalid (${outcome.message})`);
    const reason = outcome.kind === 'error' ? outcome.message : outcome.kind === 'crash' ? outcome.reason : `the trainer process answered with a ${outcome.kind}`;
    this.counts.failed++;
    this.o.log(`run #${data.runId} of ${data.lab} failed (attempt ${job.attemptsMade + 1}): ${reason}`);
    throw new Error(`worker ${this.o.name} on ${os.hostname()}: ${reason}`);
  }
}

function progressOf(p: ProgressMessage, attempt: number): QueueProgress {
  return {
    type: 'progress',
    attempt,
    batchesDone: p.batchesDone,
    batches: p.batches,
    cost: Number.isFinite(p.cost) ? p.cost : null,
    elapsedMs: p.elapsedMs,
    from: p.from,
    stride: p.stride,
    costs: f64ToBase64(p.costs),
  };
}
