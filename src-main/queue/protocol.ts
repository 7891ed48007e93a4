/**
 * What travels through the job queue, in one typed definition validated on receipt on both sides:
 * a worker trusts no job (anything but a `train` job of its own queue with a valid spec is
 * rejected, and logged), and the lab trusts no worker (a result is checked with the trainer
 * process's own RunResultSchema before it is stored).
 *
 *   job data     the lab → workers: a validated spec, its seeds inside it, the kernel choice, and
 *                what the lab expects of the machine that trains it (app version, kernel family)
 *   progress     a worker → the lab (job.updateProgress): started, live costs, refused
 *   return value a worker → the lab: where the packed result is (a key beside the queue's own),
 *                its size and sha256, and who trained it
 */
import os from 'node:os';
import { z } from 'zod';
import type { TrainedBy } from '../db/types';
import { KERNEL_CHOICES, type KernelChoice } from '../trainer/backends';
import { specErrorOf } from '../trainer/spec';
import { wasmFmaSupported, wasmSupported } from '../trainer/wasm';

/** How long a job may go without its lock renewed before another worker takes it over (`--stall-timeout`). */
export const DEFAULT_STALL_MS = 30_000;
/** A worker's name: also its Redis client name, which takes no spaces. */
export const WORKER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,99}$/;

/** The lab's name in its jobs (the worker's log says whose runs it refused). */
export function labName(): string {
  return `${os.hostname()} (pid ${process.pid})`;
}

/** The one job name: a run to train. */
export const JOB_NAME = 'train';
export const JOB_FORMAT = 'nnlab-run/1';
export const RESULT_FORMAT = 'nnlab-result/1';
/** Attempts per job: a run whose training fails twice is stored as failed with the worker's reason. */
export const JOB_ATTEMPTS = 2;

/**
 * The kernels a machine gives a kernel choice: the float64 bits of a run are the same wherever the
 * app version and this family are (WebAssembly SIMD and the JS loops sum in different orders).
 * `unavailable`: the machine cannot run the choice at all.
 */
export type KernelFamily = 'wasm' | 'wasm-fma' | 'js' | 'unavailable';

export function kernelFamily(choice: KernelChoice): KernelFamily {
  switch (choice) {
    case 'js':
      return 'js';
    case 'wasm':
      return wasmSupported() ? 'wasm' : 'unavailable';
    case 'wasm-fma':
      return wasmFmaSupported() ? 'wasm-fma' : 'unavailable';
    default:
      return wasmSupported() ? 'wasm' : 'js';
  }
}

const text = (max: number) => z.string().min(1).max(max).regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, { error: 'must not contain control characters' });

/** A job's fields besides its spec, as the lab stores them to send the job again. */
export const JobOptionsSchema = z.strictObject({
  kernel: z.enum(KERNEL_CHOICES),
  maxWeights: z.int().positive().optional(),
  /** What the machine that trains the run must have for bit-identical results. */
  expect: z.strictObject({ appVersion: text(64), kernels: z.enum(['wasm', 'wasm-fma', 'js']) }),
  /** Let a worker with another app version or kernel family train it (the run records what did). */
  allowMismatch: z.boolean(),
});
export type JobOptions = z.infer<typeof JobOptionsSchema>;

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * A data set a job trains on, put into Redis once by the lab (queue/datasets.ts): the data set's
 * content hash and name, and the size and sha256 of the packed bytes, which a worker checks before
 * training. `table` (task csv): a stored table, with the columns whose values were sent; `images`
 * (Fashion-MNIST): its four files as the lab has them (no columns), which a worker without files
 * of that hash trains on.
 */
export const DatasetRefSchema = z
  .strictObject({
    kind: z.enum(['table', 'images']).default('table'),
    sha256,
    name: z.string().max(1000),
    columns: z.array(z.string().max(500)).max(10_000),
    bytes: z.int().min(0),
    digest: sha256,
  })
  .refine((r) => (r.kind === 'table' ? r.columns.length > 0 : r.columns.length === 0), { error: 'a table names the columns sent, images none', path: ['columns'] });
export type DatasetRef = z.infer<typeof DatasetRefSchema>;

export const JobDataSchema = z.strictObject({
  format: z.literal(JOB_FORMAT),
  /** The queue it was sent to: a worker runs only its own queue's jobs. */
  queue: text(64),
  /** The run's id in the lab's database, and the lab's host (for the worker's log). */
  runId: z.int().positive(),
  lab: text(255),
  /** Validated again by the worker with parseRunSpec. */
  spec: z.record(z.string(), z.unknown()),
  ...JobOptionsSchema.shape,
  datasets: z.array(DatasetRefSchema).max(16).default([]),
});
/** A job's data as a lab makes it (its data sets' refs complete; a worker reads older ones' without `kind` as tables). */
export type JobData = Omit<z.input<typeof JobDataSchema>, 'datasets'> & { datasets?: DatasetRef[] };
export type ParsedJob = z.output<typeof JobDataSchema>;

export const TrainedBySchema = z.strictObject({
  worker: text(100),
  host: text(255),
  pid: z.int().min(0),
  appVersion: text(64),
  runtime: text(100),
  platform: text(40),
  arch: text(40),
  kernel: text(64),
}) satisfies z.ZodType<TrainedBy>;

/** A job's return value: the packed result sits at `key` (it can be large; the return value is echoed in BullMQ's event stream). */
export const ResultEnvelopeSchema = z.strictObject({
  format: z.literal(RESULT_FORMAT),
  key: z.string().min(1).max(300),
  bytes: z.int().min(0),
  sha256,
  trainedBy: TrainedBySchema,
});
export type ResultEnvelope = z.infer<typeof ResultEnvelopeSchema>;

/**
 * A job's progress is one value that outlives its attempt: `attempt` (BullMQ's attemptsStarted,
 * 1 for the first) says which training a report belongs to, so a retry's reports are never taken
 * for the earlier attempt's.
 */
export const ProgressSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('started'), worker: text(100), attempt: z.int().min(1) }),
  z.strictObject({
    type: z.literal('progress'),
    attempt: z.int().min(1),
    batchesDone: z.int().min(0),
    batches: z.int().min(1),
    /** null stands for a non-finite cost (JSON has no NaN). */
    cost: z.number().nullable(),
    elapsedMs: z.number(),
    from: z.int().min(0),
    stride: z.int().min(1),
    /** base64 of the Float64Array of at most 512 decimated costs. */
    costs: z.string().max(8192),
  }),
  /** The worker cannot give this run the lab's results bit for bit (or at all); the job went back to the queue. */
  z.strictObject({ type: z.literal('refused'), worker: text(100), reason: text(500) }),
]);
export type QueueProgress = z.infer<typeof ProgressSchema>;

/** Where a job's packed result is kept: beside BullMQ's own keys of the queue, so removing the queue removes it. */
export function resultKey(queue: string, jobId: string): string {
  return `bull:${queue}:nnlab-result:${jobId}`;
}

/**
 * Set by the lab when it cancels a run whose job a worker has taken: the worker looks for it
 * before training and with each progress report, stops the training, and fails the job (not
 * retried). It expires on its own (CANCEL_TTL_S) in case no worker ever reads it.
 */
export function cancelKey(queue: string, jobId: string): string {
  return `bull:${queue}:nnlab-cancel:${jobId}`;
}
export const CANCEL_TTL_S = 7 * 24 * 3600;

/** A job id: unique across labs sharing a queue (BullMQ refuses integer-like ids and ':'). */
export function jobIdFor(runId: number, random: string): string {
  return `run-${runId}-${random}`;
}

/** The job of a run: its spec and options, for the queue it goes to. */
export function jobData(queue: string, runId: number, lab: string, spec: Record<string, unknown>, options: JobOptions, datasets: DatasetRef[] = []): JobData {
  return { format: JOB_FORMAT, queue, runId, lab, spec, ...options, datasets };
}

/**
 * Why this machine should not train a job, or null when it may. A machine that cannot run the
 * kernel at all refuses whatever the sweep allows.
 */
export function refusal(job: { kernel: KernelChoice; expect: JobOptions['expect']; allowMismatch: boolean }, here: { appVersion: string; kernels: KernelFamily }): string | null {
  if (here.kernels === 'unavailable') return `this machine cannot run kernel ${job.kernel}`;
  if (job.allowMismatch) return null;
  if (here.appVersion !== job.expect.appVersion) return `nnlab ${here.appVersion} here, the sweep was made with nnlab ${job.expect.appVersion}`;
  if (here.kernels !== job.expect.kernels) return `kernel ${job.kernel} runs ${here.kernels} kernels here, ${job.expect.kernels} in the lab`;
  return null;
}

/**
 * The first issue of a failed zod parse, as `path: message`: specErrorOf's path and wording (the
 * one reader of zod issues), so a queue's refusal names a field as the API and the CLI do.
 */
export function firstIssue(error: z.ZodError): string {
  return specErrorOf(error).message;
}
