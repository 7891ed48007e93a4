/**
 * The messages between a lab process and a trainer process: one typed definition, validated on
 * receipt on both sides (a trainer process trusts nothing it is sent, and the lab trusts nothing a
 * trainer process says). Payloads are structured-clone safe: plain objects and Float64Arrays
 * (Node's `child_process.fork` must use `serialization: 'advanced'`).
 */
import { z } from 'zod';
import { KERNEL_CHOICES } from '../trainer/backends';
import { RunSpecSchema } from '../trainer/spec';
import type { TimingMeasurement } from '../trainer/timing';
import type { RunResult } from '../trainer/trainer';
import { MAX_STEP_BATCHES, MAX_THREADS, TIMING_LIMITS } from '../limits';
import { LOSS_NAMES } from '../trainer/losses';
import { TASK_KINDS } from '../trainer/tasks';
import { TableSchema } from '../data/table-wire';

/** The tables a job's specs read (task csv): the lab sends the columns they use, checked again here. */
const tables = z.array(TableSchema).max(16).default([]);

/** The id the lab's pool gives a job (lab/pool.ts): every message about the job carries it. */
const jobId = z.int().positive();
const f64 = z.custom<Float64Array>((v) => v instanceof Float64Array, { error: 'expected a Float64Array' });
const num0 = z.number().or(z.nan()).or(z.literal(Infinity)).or(z.literal(-Infinity));
const health = z.object({
  dead: z.array(z.array(z.int())),
  saturation: z.array(z.number()),
  preActivation: z.array(z.object({ min: num0, mean: num0, max: num0 })),
});
/** JSON-ish numbers: NaN/Infinity survive structured clone, so allow them. */
const num = z.number().or(z.nan()).or(z.literal(Infinity)).or(z.literal(-Infinity));

export const RunResultSchema = z.object({
  status: z.enum(['done', 'diverged']),
  kernel: z.string(),
  kind: z.enum(TASK_KINDS),
  loss: z.enum(LOSS_NAMES),
  batchesRun: z.int().min(0),
  costHistory: f64,
  mseHistory: f64,
  finalCost: num,
  finalLoss: num,
  finalMse: num,
  testLoss: num,
  testMetric: num,
  baseline: num,
  baselineMse: num,
  testMse: num,
  testAccuracy: num.nullable(),
  majorityShare: num.nullable(),
  penalty: num,
  failed: z.boolean(),
  testInputs: f64,
  testEstimates: f64,
  testTargets: f64,
  viewInputs: f64,
  viewGrid: z.array(z.int().min(1)),
  checkpoints: z.object({ batches: z.array(z.int()), estimates: f64, gradNorms: f64, metrics: f64 }),
  weightCheckpoints: z.object({ batches: z.array(z.int().min(0)), weights: f64, checkpoints: z.int().min(0) }).optional(),
  finalWeights: f64,
  timing: z.object({
    trainMs: num,
    samplesPerSecond: num,
    usPerSample: z.object({ forward: num, backward: num, update: num }),
    sampledBatches: z.int(),
  }),
  diagnostics: z.object({ probePoints: z.int(), atInit: health, atEnd: health, divergedAtBatch: z.int().nullable() }),
});

/** A training's result (the big message, one per run: worker/fast-result.ts checks it fast). */
export const ResultMessageSchema = z.object({ type: z.literal('result'), jobId, cancelled: z.boolean(), result: RunResultSchema });

const repeat = z.object({
  round: z.int().min(0),
  position: z.int().min(0),
  usPerSample: z.object({ forward: num, backward: num, update: num }),
  wallMs: num,
  batchesToTarget: z.int().min(1).nullable(),
  msToTarget: num.nullable(),
  finalCost: num,
  status: z.enum(['done', 'diverged']),
});

export const TimingMeasurementSchema = z.object({
  configs: z.array(z.object({ spec: RunSpecSchema, kernel: z.string(), batchesRun: z.int().min(0), repeats: z.array(repeat), costsIdentical: z.boolean() })),
  repeats: z.int().min(1),
  warmup: z.int().min(0),
  targetMse: z.number(),
  timingEvery: z.literal(1),
  clockOverheadUs: num,
  totalMs: num,
});

/**
 * Besides training a run ('start'), a trainer process times configurations ('time': honest timing,
 * trainer/timing.ts) and replays a run's batches ('replay': the re-run check). `jobId` is the id
 * the pool gave the job, whatever its kind (not a run's id). Specs are re-validated with
 * parseRunSpec by the trainer process; here they are only objects.
 */
/** At most this many batches in one step (limits.ts, as the API's runs/control). */
export { MAX_STEP_BATCHES };
/** A paused message carries the weights of a network of at most this many (8 MB). */
export const MAX_PAUSED_WEIGHTS = 1 << 20;

export const ToWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    jobId,
    spec: z.record(z.string(), z.unknown()),
    kernel: z.enum(KERNEL_CHOICES).default('auto'),
    maxWeights: z.int().positive().optional(),
    /** Threads to train on (the wasm kernels split large products over them; same bits on any number). */
    threads: z.int().min(1).max(MAX_THREADS).default(1),
    /** Minimum time between progress messages (≥ 34 ms keeps it under 30 per second). */
    progressIntervalMs: z.number().min(34).max(10_000).default(50),
    /** Start paused at batch 0 (step-through: the run waits for step or resume). */
    paused: z.boolean().optional(),
    tables,
    /** Where Fashion-MNIST's files are, when not where this machine keeps them (a queue worker's copy of the lab's); the spec's content hash is checked. */
    imagesDir: z.string().min(1).max(4096).optional(),
  }),
  z.object({
    type: z.literal('time'),
    jobId,
    specs: z.array(z.record(z.string(), z.unknown())).min(1).max(TIMING_LIMITS.configs),
    repeats: z.int().min(1).max(TIMING_LIMITS.repeats),
    warmup: z.int().min(0).max(TIMING_LIMITS.warmup),
    targetMse: z.number().positive(),
    kernel: z.enum(KERNEL_CHOICES).default('auto'),
    maxWeights: z.int().positive().optional(),
    tables,
  }),
  z.object({
    type: z.literal('replay'),
    jobId,
    spec: z.record(z.string(), z.unknown()),
    /** The kernel the run recorded (its choice is derived from the name). */
    kernel: z.string().nullable(),
    batches: z.int().min(0),
    maxWeights: z.int().positive().optional(),
    threads: z.int().min(1).max(MAX_THREADS).default(1),
    tables,
  }),
  z.object({ type: z.literal('cancel'), jobId }),
  /**
   * Take back a job sent ahead (the pool sends a trainer process its next short run while it
   * trains the current one): dropped if it has not started, answered with withdrawn; a job that
   * has started goes on as any other.
   */
  z.object({ type: z.literal('withdraw'), jobId }),
  /** Step-through of a running training: pause after the current chunk, run `batches` more and pause again, or go on straight. */
  z.object({ type: z.literal('pause'), jobId }),
  z.object({ type: z.literal('step'), jobId, batches: z.int().min(1).max(MAX_STEP_BATCHES) }),
  z.object({ type: z.literal('resume'), jobId }),
  z.object({ type: z.literal('shutdown') }),
]);

/**
 * How often a trainer process says it is alive while it works on a job (between chunks of
 * batches): the lab kills one that stays silent much longer (lab/pool.ts, NNLAB_TRAINER_HANG_MS).
 */
export const ALIVE_EVERY_MS = 250;

export const FromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.int(), wasm: z.boolean() }),
  /** The process is working on job jobId (sent every ALIVE_EVERY_MS while it does). */
  z.object({ type: z.literal('alive'), jobId }),
  z.object({
    type: z.literal('progress'),
    jobId,
    batchesDone: z.int().min(0),
    batches: z.int().min(1),
    cost: num,
    elapsedMs: z.number(),
    /** Costs of batches [from, batchesDone) decimated to at most 512 points, for live curves. */
    from: z.int().min(0),
    stride: z.int().min(1),
    costs: f64,
  }),
  /**
   * The training is paused after batch batchesDone: the cost of that batch (NaN at 0), the test
   * set's loss per sample and metric with the weights now (NaN without a test set), and the flat
   * weights now (finalWeights' order) when there are at most MAX_PAUSED_WEIGHTS, else null.
   */
  z.object({ type: z.literal('paused'), jobId, batchesDone: z.int().min(0), cost: num, testLoss: num, testMetric: num, weights: f64.nullable() }),
  ResultMessageSchema,
  z.object({ type: z.literal('timing-progress'), jobId, done: z.int().min(0), total: z.int().min(1) }),
  /** The measurement, or null when the job was cancelled. */
  z.object({ type: z.literal('timing-result'), jobId, measurement: TimingMeasurementSchema.nullable() }),
  z.object({ type: z.literal('replayed'), jobId, kernel: z.string(), costHistory: f64 }),
  /** A job sent ahead was dropped before it started (withdraw, or cancel of a job not yet started). */
  z.object({ type: z.literal('withdrawn'), jobId }),
  z.object({
    type: z.literal('error'),
    jobId,
    error: z.object({ name: z.string(), message: z.string(), field: z.string().optional(), stack: z.string().optional() }),
  }),
]);

/** True when A and B are the same type (each assignable to the other). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// The schemas describe the trainer's own types exactly: a field added to one and not the other is a type error here.
const resultSchemaIsRunResult: Same<z.output<typeof RunResultSchema>, RunResult> = true;
const measurementSchemaIsTimingMeasurement: Same<z.output<typeof TimingMeasurementSchema>, TimingMeasurement> = true;
void [resultSchemaIsRunResult, measurementSchemaIsTimingMeasurement];

export type ToWorker = z.input<typeof ToWorkerSchema>;
export type FromWorker = z.output<typeof FromWorkerSchema>;
export type ProgressMessage = Extract<FromWorker, { type: 'progress' }>;
export type PausedMessage = Extract<FromWorker, { type: 'paused' }>;
