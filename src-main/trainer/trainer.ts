/**
 * The trainer: the seed's network and mini-batch SGD (plus momentum and Adam) over flat typed
 * arrays. A Trainer owns every buffer of one run, allocated in the constructor; `step()` trains
 * one batch without allocating, `run(n)` trains up to n batches and returns, so a driver can
 * report progress, yield to an event loop and cancel between calls. `result()` collects the
 * outcome. Pure: no I/O, no clock but `clock.now()`, no randomness outside its seeds.
 *
 * Per batch (DESIGN §1): out_0 = [1, x]; pre_l = out_{l-1} W_{l-1}ᵀ; out_l = [1, act(pre_l)]
 * (hidden) or out(pre_L) (output); the loss (losses.ts) gives the cost and d_L — for the seed's
 * sse, err = out_L − y, cost = Σ err², d_L = err ⊙ act'(pre_L); d_l = (d_{l+1} W_l[:, 1:]) ⊙
 * act'(pre_l); W_l −= lr · (d_{l+1}ᵀ out_l) / batch. With l2 or l1, l2 · W + l1 · sign(W) on the
 * non-bias weights is added to the batch-mean gradient before the optimizer step. All deltas are
 * computed with the batch's starting weights, then all layers are updated, as in the oracle.
 *
 * The task (tasks.ts) supplies the batches, the test set the scores are measured on, the probe
 * points of the diagnostics and the view points whose outputs are kept at every checkpoint.
 */
import { ACTIVATIONS, type Activation, type OutputFunctionName, outputFunctionName, SOFTMAX } from './activations';
import { autoBackend } from './backends';
import { type BatchSource, taskSource } from './data';
import { createProbe, type Diagnostics, type Evaluation, type LayerHealth, PROBE_ROWS, type Probe } from './diagnostics';
import { forwardPass, type NetFunctions } from './forward';
import { initWeights } from './init';
import type { LayerKernels } from './kernels';
import {
  type Activations,
  type Allocator,
  type BackendFactory,
  countingAllocator,
  createActivations,
  createLayout,
  createParams,
  type Layout,
  type Params,
} from './network';
import type { RunSpec } from './spec';
import { now } from './clock';
import { LOSSES, type Loss, type LossName, outputRefusal } from './losses';
import { CHECKPOINT_METRICS } from './metrics';

export { CHECKPOINT_METRICS };
import { type DataSet, linspace, type Task, type TaskKind } from './tasks';
import { resolveSpecTask } from './task-resolve';

export type TrainStatus = 'running' | 'done' | 'diverged';

export interface TrainerOptions {
  /** Buffers and matrix kernels (default: WebAssembly SIMD where available, else the blocked JS loops). */
  backend?: BackendFactory;
  /**
   * The task (default: the spec's built-in task, resolved with its parameters). A finite data set
   * read outside the core (a CSV file, IDX images) comes in here, made by tasks.finiteTask.
   */
  task?: Task;
  /** Batches (default: the task's own, from dataSeed). */
  source?: BatchSource;
  /** Stop at the first non-finite cost (default true; the oracle replay runs every batch). */
  stopOnDivergence?: boolean;
  /** Time the forward/backward/update phases on every k-th batch (default 16; 0 = never). */
  timingEvery?: number;
  /**
   * Explicit test inputs (the oracle replay's), which replace the task's view points; the run then
   * has no test set (its test scores are NaN). Default: the task's view and test points.
   */
  testInputs?: Float64Array;
  /**
   * Keep each timed batch's step time (ms, forward + backward + update) in `batchMs` (honest
   * timing: with timingEvery 1 every batch is timed, so time to a target cost is a sum of them).
   */
  batchTimes?: boolean;
  /** The most bytes the weight checkpoints of the run may take (default WEIGHT_CHECKPOINT_BYTES). */
  weightCheckpointBytes?: number;
}

export interface Timing {
  /** Wall time inside step(), all batches. */
  trainMs: number;
  samplesPerSecond: number;
  /** Microseconds per sample of each phase, from the sampled batches. */
  usPerSample: { forward: number; backward: number; update: number };
  sampledBatches: number;
}

/** Outputs at the view points, gradient norms and scores at evenly spaced points of training. */
export interface Checkpoints {
  /** Batches trained at each checkpoint (the first is 0: the initial network). */
  batches: number[];
  /** (checkpoints, viewPoints, outputs): the network's outputs at the view points. */
  estimates: Float64Array;
  /** (checkpoints, layers): L2 norm of each layer's mean gradient at that batch (NaN at batch 0). */
  gradNorms: Float64Array;
  /**
   * (checkpoints, CHECKPOINT_METRICS): loss per sample and metric (MSE per sample, or accuracy) on
   * the training set (up to TRAIN_EVAL_SAMPLES of it; NaN for a task that draws fresh samples) and
   * on the test set, and the regularisers' penalty.
   */
  metrics: Float64Array;
}

/**
 * The weights of a run at its checkpoints (the network view and histograms read them for any saved
 * run). Bounded: at most WEIGHT_CHECKPOINT_BYTES per run; beyond it fewer, evenly spaced checkpoints
 * are kept (the first and the last always). The last entry is always the run's final weights (a run
 * that stopped between checkpoints, diverged or cancelled, gets an entry at the batch it stopped at).
 */
export interface WeightCheckpoints {
  /** Batches trained at each kept entry, ascending (a subset of checkpoints.batches, plus the stop batch). */
  batches: number[];
  /** (entries, weights): the flat weights in finalWeights' order, one row per entry. */
  weights: Float64Array;
  /** How many checkpoints the run had (checkpoints.batches.length): more than batches.length means thinned. */
  checkpoints: number;
}

/** The most bytes of weight checkpoints a run keeps (64 MiB). */
export const WEIGHT_CHECKPOINT_BYTES = 64 * 1024 * 1024;

/**
 * Which checkpoints (indices into `count` checkpoints) keep their weights when each takes `bytes`
 * and at most `budget` bytes may be spent: all when they fit with one spare entry (for a run that
 * stops between checkpoints), else evenly spaced ones, the first and the last always.
 */
export function keptWeightCheckpoints(count: number, bytes: number, budget: number): number[] {
  const slots = Math.floor(budget / bytes) - 1;
  const kept = Math.max(0, Math.min(count, slots));
  if (kept === count) return Array.from({ length: count }, (_, i) => i);
  if (kept === 1) return [count - 1];
  return Array.from({ length: kept }, (_, j) => Math.round((j * (count - 1)) / (kept - 1)));
}

/** At most this many training samples are scored at each checkpoint (a big set's first ones: already shuffled). */
export const TRAIN_EVAL_SAMPLES = 2048;

export interface RunResult {
  status: 'done' | 'diverged';
  kernel: string;
  /** The task's kind: what testMetric and baseline measure. */
  kind: TaskKind;
  loss: LossName;
  batchesRun: number;
  /** The loss of each batch summed over its samples (sse: the seed's cost), length batchesRun. */
  costHistory: Float64Array;
  /** costHistory / batchSize: the loss per sample (sse: squared error per sample), comparable across batch sizes. */
  mseHistory: Float64Array;
  finalCost: number;
  /** finalCost / batchSize: the last batch's loss per sample. */
  finalLoss: number;
  /** Regression: finalLoss (the squared error per sample); NaN for classification. */
  finalMse: number;
  /** Loss per sample of the final network on the test set (NaN without one). */
  testLoss: number;
  /** The task's metric on the test set: MSE per sample (regression) or accuracy, a fraction (classification). */
  testMetric: number;
  /** The best constant predictor's value of that metric: baselineMse, or majorityShare. */
  baseline: number;
  /** Regression: MSE per sample of the best constant predictor on the task; NaN for classification. */
  baselineMse: number;
  /** Regression: testMetric; NaN for classification. */
  testMse: number;
  /** Classification: testMetric; null for regression. */
  testAccuracy: number | null;
  /** Classification: the share of the test set in the training set's majority class; null for regression. */
  majorityShare: number | null;
  /** The regularisers' penalty of the final weights, in loss-per-sample units (0 without l1 and l2). */
  penalty: number;
  /**
   * The run learned nothing: regression, final MSE not below the baseline; classification, test
   * accuracy not above the majority share (or either not finite).
   */
  failed: boolean;
  /** (points, inputs) the test set's inputs; empty for a task on a stored data set (Task.storedData: the data set has them) */
  testInputs: Float64Array;
  /** (points, outputs) network outputs at the test inputs. */
  testEstimates: Float64Array;
  /** (points, outputs) the test set's targets (empty for explicit data). */
  testTargets: Float64Array;
  /**
   * (points, inputs) where checkpoint estimates are taken (the task's view points); empty when a
   * task on a stored data set views its first test samples (ViewPoints.fromTest: images, a table
   * of many inputs), whose inputs the data set has.
   */
  viewInputs: Float64Array;
  /** The view points' grid sizes (tasks.ViewPoints.grid). */
  viewGrid: number[];
  checkpoints: Checkpoints;
  /** Absent only from the results of an nnlab before weight checkpoints (a job queue's older worker). */
  weightCheckpoints?: WeightCheckpoints;
  finalWeights: Float64Array;
  timing: Timing;
  diagnostics: Diagnostics;
}

/** The function `name` as the kernels run it (their own pass where they have one, else the JS table). */
function activation(kernels: LayerKernels, name: OutputFunctionName): Activation {
  if (name === 'softmax') return SOFTMAX;
  return kernels.activations?.[name] ?? ACTIVATIONS[name];
}

/** Points to probe a network with nIn inputs: the task's, or (explicit data of another width) its 1-D grid in every input. */
function probePoints(task: Task, nIn: number): Float64Array {
  if (task.inputs === nIn) return task.probe;
  const grid = linspace(task.box[0][0], task.box[0][1], PROBE_ROWS);
  const out = new Float64Array(grid.length * nIn);
  for (let r = 0; r < grid.length; r++) out.fill(grid[r], r * nIn, (r + 1) * nIn);
  return out;
}

/** The first `n` samples of a data set. */
function head(data: DataSet, n: number, nIn: number, nOut: number): DataSet {
  if (data.count <= n) return data;
  return { count: n, inputs: data.inputs.subarray(0, n * nIn), targets: data.targets.subarray(0, n * nOut) };
}

export class Trainer {
  readonly layout: Layout;
  readonly task: Task;
  readonly loss: Loss;
  readonly kernels: LayerKernels;
  readonly params: Params;
  readonly grads: Params;
  status: TrainStatus = 'running';
  batchesDone = 0;
  divergedAtBatch: number | null = null;
  readonly costHistory: Float64Array;
  /** Step time (ms) of each timed batch, NaN for the others; null unless options.batchTimes. */
  readonly batchMs: Float64Array | null;

  private readonly acts: Activations;
  private readonly fns: NetFunctions;
  private readonly source: BatchSource;
  private readonly stopOnDivergence: boolean;
  private readonly timingEvery: number;
  private readonly opt1: Params | null; // momentum velocity, or Adam's first moment
  private readonly opt2: Params | null; // Adam's second moment
  private readonly probe: Probe;
  /** Dead units, saturation and pre-activation spread of the initial network (the init inspector). */
  readonly healthAtInit: LayerHealth;
  /** Where checkpoint estimates are taken. */
  private readonly viewInputs: Float64Array;
  /** The sets scored at checkpoints and at the end (null: none, as for the oracle's explicit data). */
  private readonly testSet: DataSet | null;
  private readonly trainSet: DataSet | null;
  /** The view points are the test set's inputs (a 1-D fit): one evaluation serves both. */
  private readonly viewIsTest: boolean;
  private readonly l1: number;
  private readonly l2: number;
  private readonly checkpointAt: number[];
  private readonly checkpointEstimates: Float64Array;
  private readonly checkpointGradNorms: Float64Array;
  private readonly checkpointMetrics: Float64Array;
  /** Slot of each checkpoint's weights in checkpointWeights (−1: not kept). */
  private readonly weightSlot: Int32Array;
  /** (kept + 1, weights): the kept checkpoints' weights and a spare row for a stop between checkpoints. */
  private readonly checkpointWeights: Float64Array;
  private readonly weightBatches: number[] = [];
  private nextCheckpoint = 1;
  private trainMs = 0;
  private phaseMs = { forward: 0, backward: 0, update: 0 };
  private sampled = 0;

  constructor(
    readonly spec: RunSpec,
    options: TrainerOptions = {},
  ) {
    this.layout = createLayout(spec.shape);
    this.task = options.task ?? resolveSpecTask(spec);
    this.loss = LOSSES[spec.loss];
    const counter = countingAllocator();
    this.allocate(counter.allocator);
    const backend = (options.backend ?? autoBackend)(spec.dtype, counter.elements(), counter.arrays());
    this.kernels = backend.kernels;
    const buffers = this.allocate(backend.allocator);
    this.params = buffers.params;
    this.grads = buffers.grads;
    this.opt1 = buffers.opt1;
    this.opt2 = buffers.opt2;
    this.acts = buffers.acts;
    this.fns = { kernels: this.kernels, hidden: activation(this.kernels, spec.activation), output: activation(this.kernels, outputFunctionName(spec.outputActivation, spec.activation)) };
    const refused = outputRefusal(this.loss, this.fns.output.name, this.layout.shape[this.layout.layers]);
    if (refused) throw new RangeError(refused);
    this.source = options.source ?? taskSource(this.task, spec.dataSeed);
    this.stopOnDivergence = options.stopOnDivergence ?? true;
    this.timingEvery = options.timingEvery ?? 16;
    this.costHistory = new Float64Array(spec.batches);
    this.batchMs = options.batchTimes ? new Float64Array(spec.batches).fill(NaN) : null;
    initWeights(spec, this.layout, this.params.flat);

    this.l1 = spec.l1;
    this.l2 = spec.l2;
    const { task, layout } = this;
    const nIn = layout.shape[0];
    const nOut = layout.shape[layout.layers];
    const taskShaped = nIn === task.inputs && nOut === task.outputs;
    this.viewInputs = options.testInputs ?? (taskShaped ? task.view.inputs : new Float64Array(0));
    this.testSet = !options.testInputs && taskShaped ? task.test : null;
    this.trainSet = this.testSet && task.train ? head(task.train, TRAIN_EVAL_SAMPLES, nIn, nOut) : null;
    this.viewIsTest = this.testSet !== null && this.viewInputs === this.testSet.inputs;
    this.probe = createProbe(layout, this.fns, probePoints(task, nIn), buffers.probe, this.loss.healthOf(this.fns.output));
    this.healthAtInit = this.probe.health(this.params.layers);

    const c = spec.checkpoints;
    this.checkpointAt = [0];
    for (let k = 1; k <= c; k++) {
      const at = Math.round((k * spec.batches) / c);
      if (at > this.checkpointAt[this.checkpointAt.length - 1]) this.checkpointAt.push(at);
    }
    const perEstimate = (this.viewInputs.length / nIn) * nOut;
    this.checkpointEstimates = new Float64Array(this.checkpointAt.length * perEstimate).fill(NaN);
    this.checkpointGradNorms = new Float64Array(this.checkpointAt.length * layout.layers).fill(NaN);
    this.checkpointMetrics = new Float64Array(this.checkpointAt.length * CHECKPOINT_METRICS.length).fill(NaN);
    const nWeights = this.params.flat.length;
    const budget = options.weightCheckpointBytes ?? WEIGHT_CHECKPOINT_BYTES;
    const kept = keptWeightCheckpoints(this.checkpointAt.length, 8 * nWeights, budget);
    this.weightSlot = new Int32Array(this.checkpointAt.length).fill(-1);
    kept.forEach((k, slot) => (this.weightSlot[k] = slot));
    // the spare row only when there is room for it: a budget below one entry keeps none
    const rows = kept.length + (8 * nWeights <= budget ? 1 : 0);
    this.checkpointWeights = new Float64Array(rows * nWeights);
    this.record(0);
  }

  /** Every buffer of the run, in one fixed order (counted first, then allocated for real). */
  private allocate(alloc: Allocator) {
    const { layout, spec } = this;
    return {
      params: createParams(layout, spec.dtype, alloc),
      grads: createParams(layout, spec.dtype, alloc),
      opt1: spec.optimizer === 'sgd' ? null : createParams(layout, spec.dtype, alloc),
      opt2: spec.optimizer === 'adam' ? createParams(layout, spec.dtype, alloc) : null,
      acts: createActivations(layout, spec.batchSize, spec.dtype, alloc),
      probe: createActivations(layout, PROBE_ROWS, spec.dtype, alloc),
    };
  }

  /** Trains up to `maxBatches` more batches; returns how many ran (0 once finished). */
  run(maxBatches: number): number {
    const t0 = now();
    let n = 0;
    while (n < maxBatches && this.status === 'running') {
      this.step();
      n++;
    }
    this.trainMs += now() - t0;
    return n;
  }

  /** Trains one batch. */
  step(): void {
    if (this.status !== 'running') return;
    const batch = this.batchesDone;
    let cost: number;
    if (this.timingEvery > 0 && batch % this.timingEvery === 0) {
      const t0 = now();
      this.source.fill(batch, this.acts);
      forwardPass(this.layout, this.fns, this.acts, this.params.layers);
      cost = this.outputDelta();
      const t1 = now();
      this.backward();
      const t2 = now();
      this.update();
      const t3 = now();
      this.phaseMs.forward += t1 - t0;
      this.phaseMs.backward += t2 - t1;
      this.phaseMs.update += t3 - t2;
      this.sampled++;
      if (this.batchMs) this.batchMs[batch] = t3 - t0;
    } else {
      cost = this.gradients(batch);
      this.update();
    }
    this.costHistory[batch] = cost;
    this.batchesDone = batch + 1;
    if (!Number.isFinite(cost) && this.divergedAtBatch === null) {
      this.divergedAtBatch = batch;
      if (this.stopOnDivergence) this.status = 'diverged';
    }
    if (this.batchesDone === this.checkpointAt[this.nextCheckpoint]) this.checkpoint();
    if (this.status === 'running' && this.batchesDone === this.spec.batches) {
      this.status = this.divergedAtBatch === null ? 'done' : 'diverged';
    }
  }

  /**
   * Cost of batch `index` and the weight gradients Σ_b d_{l+1}ᵀ out_l (left in `grads`, not yet
   * divided by the batch size), without updating the weights.
   */
  gradients(index: number): number {
    this.source.fill(index, this.acts);
    forwardPass(this.layout, this.fns, this.acts, this.params.layers);
    const cost = this.outputDelta();
    this.backward();
    return cost;
  }

  /** The batch's cost, and d_L from the loss (sse: err ⊙ act'(pre_L); cross-entropy: p − y). */
  private outputDelta(): number {
    const L = this.layout.layers;
    const { acts } = this;
    return this.loss.delta(acts.outs[L], acts.pres[L], acts.targets, acts.deltas[L], acts.rows, this.layout.shape[L], this.fns.output);
  }

  /**
   * Adds the regularisers' gradient, l2 · W + l1 · sign(W) on every non-bias weight, to the batch-mean
   * gradient: to G, which holds the batch sum, as rows · (l2 · W + l1 · sign(W)).
   */
  addPenaltyGradient(): void {
    const { shape, layers } = this.layout;
    const rows = this.acts.rows;
    const l1 = this.l1;
    const l2 = this.l2;
    for (let l = 0; l < layers; l++) {
      const W = this.params.layers[l];
      const G = this.grads.layers[l];
      const cols = shape[l] + 1;
      for (let j = 0; j < shape[l + 1]; j++) {
        for (let k = j * cols + 1; k < (j + 1) * cols; k++) {
          const w = W[k];
          G[k] += rows * (l2 * w + l1 * (w > 0 ? 1 : w < 0 ? -1 : 0));
        }
      }
    }
  }

  /**
   * The regularisers' penalty of the current weights, in loss-per-sample units: the term whose
   * gradient, times the loss's gradientScale, is what addPenaltyGradient adds —
   * (l2/2 · Σ W² + l1 · Σ |W|) / gradientScale over the non-bias weights (sse: l2 · Σ W² + 2 l1 · Σ |W|).
   */
  penalty(): number {
    if (this.l1 === 0 && this.l2 === 0) return 0;
    const { shape, layers } = this.layout;
    let sq = 0;
    let abs = 0;
    for (let l = 0; l < layers; l++) {
      const W = this.params.layers[l];
      const cols = shape[l] + 1;
      for (let j = 0; j < shape[l + 1]; j++) {
        for (let k = j * cols + 1; k < (j + 1) * cols; k++) {
          sq += W[k] * W[k];
          abs += Math.abs(W[k]);
        }
      }
    }
    return ((this.l2 / 2) * sq + this.l1 * abs) / this.loss.gradientScale;
  }

  /** Weight gradients of every layer and deltas of every hidden layer, with the batch's starting weights. */
  private backward(): void {
    const { shape, layers } = this.layout;
    const { outs, deltas, pres, rows } = this.acts;
    const W = this.params.layers;
    const G = this.grads.layers;
    for (let l = layers - 1; l >= 0; l--) {
      this.kernels.weightGrad(G[l], deltas[l + 1], outs[l], rows, shape[l] + 1, shape[l + 1]);
      if (l > 0) {
        this.kernels.backwardData(deltas[l], deltas[l + 1], W[l], rows, shape[l], shape[l + 1]);
        this.fns.hidden.backward(pres[l], deltas[l], rows * shape[l]);
      }
    }
  }

  private update(): void {
    if (this.l1 !== 0 || this.l2 !== 0) this.addPenaltyGradient();
    const w = this.params.flat;
    const g = this.grads.flat;
    const n = w.length;
    const lr = this.spec.learningRate;
    const rows = this.acts.rows;
    if (this.spec.optimizer === 'sgd') {
      // (lr · G) / batch, then subtract: the oracle's order of operations (the kernels' sgd gives
      // the same bits; this loop is the reference)
      if (this.kernels.sgd) this.kernels.sgd(w, g, n, lr, rows);
      else for (let i = 0; i < n; i++) w[i] -= (lr * g[i]) / rows;
    } else if (this.spec.optimizer === 'momentum') {
      const v = this.opt1!.flat;
      const mu = this.spec.momentum;
      for (let i = 0; i < n; i++) {
        v[i] = mu * v[i] + g[i] / rows;
        w[i] -= lr * v[i];
      }
    } else {
      const m = this.opt1!.flat;
      const v = this.opt2!.flat;
      const { beta1, beta2, adamEpsilon } = this.spec;
      const t = this.batchesDone + 1;
      const c1 = 1 - beta1 ** t;
      const c2 = 1 - beta2 ** t;
      for (let i = 0; i < n; i++) {
        const gi = g[i] / rows;
        m[i] = beta1 * m[i] + (1 - beta1) * gi;
        v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
        w[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + adamEpsilon);
      }
    }
  }

  /** Scores of a data set: loss per sample and the task's metric (MSE per sample, or accuracy). */
  private scores(e: Evaluation, count: number): { loss: number; metric: number } {
    return { loss: e.cost / count, metric: (this.task.kind === 'classification' ? e.correct : e.squaredError) / count };
  }

  /**
   * Loss per sample and metric (MSE per sample, or accuracy) on the test set with the current
   * weights, as a checkpoint scores them (NaN without a test set): what a paused run shows before
   * and after a step. It only reads the weights (the probe's own buffers): the run's bits stay.
   */
  testScores(): { loss: number; metric: number } {
    if (!this.testSet || this.testSet.count === 0) return { loss: NaN, metric: NaN };
    return this.scores(this.probe.evaluate(this.params.layers, this.testSet, this.loss), this.testSet.count);
  }

  /** Checkpoint k's view estimates and scores, with the current weights. */
  private record(k: number): void {
    const W = this.params.layers;
    const test = this.testSet ? this.probe.evaluate(W, this.testSet, this.loss) : null;
    const est = this.viewIsTest && test ? test.estimates : this.estimate(this.viewInputs);
    this.checkpointEstimates.set(est, k * est.length);
    const m = this.checkpointMetrics;
    const base = k * CHECKPOINT_METRICS.length;
    if (this.trainSet) {
      const s = this.scores(this.probe.evaluate(W, this.trainSet, this.loss), this.trainSet.count);
      m[base] = s.loss;
      m[base + 2] = s.metric;
    }
    if (test && this.testSet!.count > 0) {
      const s = this.scores(test, this.testSet!.count);
      m[base + 1] = s.loss;
      m[base + 3] = s.metric;
    }
    m[base + 4] = this.penalty();
    const slot = this.weightSlot[k];
    if (slot >= 0) {
      this.checkpointWeights.set(this.params.flat, slot * this.params.flat.length);
      this.weightBatches.push(this.checkpointAt[k]);
    }
  }

  /** The kept checkpoints' weights, the last entry the current weights (added at batchesDone when that is not a kept checkpoint). */
  private weightCheckpoints(): WeightCheckpoints {
    const n = this.params.flat.length;
    const batches = this.weightBatches.slice();
    const rows = this.checkpointWeights.length / (n || 1);
    if (rows > 0 && batches[batches.length - 1] !== this.batchesDone) {
      // the spare row sits after the kept ones; entries stay in batch order
      const at = Math.min(batches.length, rows - 1);
      this.checkpointWeights.set(this.params.flat, at * n);
      batches.length = at;
      batches.push(this.batchesDone);
    }
    return { batches, weights: this.checkpointWeights.slice(0, batches.length * n), checkpoints: this.checkpointAt.length };
  }

  private checkpoint(): void {
    const k = this.nextCheckpoint++;
    this.record(k);
    const layers = this.layout.layers;
    const rows = this.acts.rows;
    for (let l = 0; l < layers; l++) {
      const g = this.grads.layers[l];
      let s = 0;
      for (let i = 0; i < g.length; i++) s += (g[i] / rows) ** 2;
      this.checkpointGradNorms[k * layers + l] = Math.sqrt(s);
    }
  }

  /** Network outputs (points, outputs) for inputs (points, inputs), with the current weights. */
  estimate(inputs: Float64Array): Float64Array {
    return this.probe.estimate(this.params.layers, inputs);
  }

  result(): RunResult {
    const { spec, task } = this;
    const n = this.batchesDone;
    const costHistory = this.costHistory.slice(0, n);
    const mseHistory = costHistory.map((c) => c / spec.batchSize);
    const finalCost = n > 0 ? costHistory[n - 1] : NaN;
    const finalLoss = finalCost / spec.batchSize;
    const test = this.testSet;
    const scored = test ? this.probe.evaluate(this.params.layers, test, this.loss) : null;
    const { loss: testLoss, metric: testMetric } = scored && test!.count > 0 ? this.scores(scored, test!.count) : { loss: NaN, metric: NaN };
    const classification = task.kind === 'classification';
    const baseline = (classification ? task.baseline.majorityShare : task.baseline.mse) ?? NaN;
    const sampled = Math.max(1, this.sampled) * spec.batchSize;
    const us = (ms: number) => (this.sampled ? (ms * 1000) / sampled : NaN);
    const status = this.divergedAtBatch === null ? 'done' : 'diverged';
    return {
      status,
      kernel: this.kernels.name,
      kind: task.kind,
      loss: this.loss.name,
      batchesRun: n,
      costHistory,
      mseHistory,
      finalCost,
      finalLoss,
      finalMse: classification ? NaN : finalLoss,
      testLoss,
      testMetric,
      baseline,
      baselineMse: classification ? NaN : baseline,
      testMse: classification ? NaN : testMetric,
      testAccuracy: classification ? testMetric : null,
      majorityShare: classification ? baseline : null,
      penalty: this.penalty(),
      failed: classification ? !(testMetric > baseline) : !(finalLoss < baseline),
      // a stored data set's samples stay in the data set: a run keeps its outputs, not a copy of its inputs
      testInputs: test ? (task.storedData ? new Float64Array(0) : Float64Array.from(test.inputs)) : this.viewInputs.slice(),
      testEstimates: scored ? scored.estimates : this.estimate(this.viewInputs),
      testTargets: test ? test.targets.slice() : new Float64Array(0),
      viewInputs: task.storedData && task.view.fromTest && test ? new Float64Array(0) : this.viewInputs.slice(),
      viewGrid: test ? [...task.view.grid] : [],
      checkpoints: {
        batches: this.checkpointAt.slice(),
        estimates: this.checkpointEstimates.slice(),
        gradNorms: this.checkpointGradNorms.slice(),
        metrics: this.checkpointMetrics.slice(),
      },
      weightCheckpoints: this.weightCheckpoints(),
      finalWeights: Float64Array.from(this.params.flat),
      timing: {
        trainMs: this.trainMs,
        samplesPerSecond: this.trainMs > 0 ? (n * spec.batchSize) / (this.trainMs / 1000) : NaN,
        usPerSample: { forward: us(this.phaseMs.forward), backward: us(this.phaseMs.backward), update: us(this.phaseMs.update) },
        sampledBatches: this.sampled,
      },
      diagnostics: {
        probePoints: this.probe.points,
        atInit: this.healthAtInit,
        atEnd: this.probe.health(this.params.layers),
        divergedAtBatch: this.divergedAtBatch,
      },
    };
  }
}
