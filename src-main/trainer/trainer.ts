/**
 * The trainer: the seed's network and mini-batch SGD (plus momentum and Adam) over flat typed
 * arrays. A Trainer owns every buffer of one run, allocated in the constructor; `step()` trains
 * one batch without allocating, `run(n)` trains up to n batches and returns, so a driver can
 * report progress, yield to an event loop and cancel between calls. `result()` collects the
 * outcome. Pure: no I/O, no clock but `clock.now()`, no randomness outside its seeds.
 *
 * Per batch (DESIGN §1): out_0 = [1, x]; pre_l = out_{l-1} W_{l-1}ᵀ; out_l = [1, act(pre_l)]
 * (hidden) or act(pre_L) (output); err = out_L − y; cost = Σ err²; d_L = err ⊙ act'(pre_L);
 * d_l = (d_{l+1} W_l[:, 1:]) ⊙ act'(pre_l); W_l −= lr · (d_{l+1}ᵀ out_l) / batch. All deltas are
 * computed with the batch's starting weights, then all layers are updated, as in the oracle.
 */
import { ACTIVATIONS, type Activation, type ActivationName } from './activations';
import { autoBackend } from './backends';
import { type BatchSource, taskSource } from './data';
import { createProbe, type Diagnostics, type LayerHealth, PROBE_POINTS, type Probe } from './diagnostics';
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
import { getTask, linspace, TEST_POINTS, type Task } from './tasks';

export type TrainStatus = 'running' | 'done' | 'diverged';

export interface TrainerOptions {
  /** Buffers and matrix kernels (default: WebAssembly SIMD where available, else the blocked JS loops). */
  backend?: BackendFactory;
  /** Batches (default: fresh samples of the spec's task from dataSeed). */
  source?: BatchSource;
  /** Stop at the first non-finite cost (default true; the oracle replay runs every batch). */
  stopOnDivergence?: boolean;
  /** Time the forward/backward/update phases on every k-th batch (default 16; 0 = never). */
  timingEvery?: number;
  /** Test inputs (default: the task's linspace over its domain, 30 points). */
  testInputs?: Float64Array;
  /**
   * Keep each timed batch's step time (ms, forward + backward + update) in `batchMs` (honest
   * timing: with timingEvery 1 every batch is timed, so time to a target cost is a sum of them).
   */
  batchTimes?: boolean;
}

export interface Timing {
  /** Wall time inside step(), all batches. */
  trainMs: number;
  samplesPerSecond: number;
  /** Microseconds per sample of each phase, from the sampled batches. */
  usPerSample: { forward: number; backward: number; update: number };
  sampledBatches: number;
}

/** Test estimates and gradient norms at evenly spaced points of training. */
export interface Checkpoints {
  /** Batches trained at each checkpoint (the first is 0: the initial network). */
  batches: number[];
  /** (checkpoints, testPoints, outputs) */
  estimates: Float64Array;
  /** (checkpoints, layers): L2 norm of each layer's mean gradient at that batch (NaN at batch 0). */
  gradNorms: Float64Array;
}

export interface RunResult {
  status: 'done' | 'diverged';
  kernel: string;
  batchesRun: number;
  /** Sum of squared errors of each batch (the seed's cost), length batchesRun. */
  costHistory: Float64Array;
  /** costHistory / batchSize: squared error per sample, comparable across batch sizes. */
  mseHistory: Float64Array;
  finalCost: number;
  finalMse: number;
  /** MSE per sample of the best constant predictor on the task. */
  baselineMse: number;
  /** Final MSE not below the baseline (or not finite): the run learned nothing. */
  failed: boolean;
  /** (points, inputs) */
  testInputs: Float64Array;
  /** (points, outputs) network outputs at the test inputs. */
  testEstimates: Float64Array;
  /** (points, outputs) task targets at the test inputs (empty for explicit data). */
  testTargets: Float64Array;
  /** MSE per sample of the final network on the test inputs (NaN for explicit data). */
  testMse: number;
  checkpoints: Checkpoints;
  finalWeights: Float64Array;
  timing: Timing;
  diagnostics: Diagnostics;
}

/** The activation `name` as the kernels run it (their own pass where they have one, else the JS table). */
function activation(kernels: LayerKernels, name: ActivationName): Activation {
  return kernels.activations?.[name] ?? ACTIVATIONS[name];
}

function outputActivation(spec: RunSpec): ActivationName {
  return spec.outputActivation === 'linear' ? 'linear' : spec.activation;
}

export class Trainer {
  readonly layout: Layout;
  readonly task: Task;
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
  private readonly testInputs: Float64Array;
  private readonly checkpointAt: number[];
  private readonly checkpointEstimates: Float64Array;
  private readonly checkpointGradNorms: Float64Array;
  private nextCheckpoint = 1;
  private trainMs = 0;
  private phaseMs = { forward: 0, backward: 0, update: 0 };
  private sampled = 0;

  constructor(
    readonly spec: RunSpec,
    options: TrainerOptions = {},
  ) {
    this.layout = createLayout(spec.shape);
    this.task = getTask(spec.task);
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
    this.fns = { kernels: this.kernels, hidden: activation(this.kernels, spec.activation), output: activation(this.kernels, outputActivation(spec)) };
    this.source = options.source ?? taskSource(this.task, spec.dataSeed);
    this.stopOnDivergence = options.stopOnDivergence ?? true;
    this.timingEvery = options.timingEvery ?? 16;
    this.costHistory = new Float64Array(spec.batches);
    this.batchMs = options.batchTimes ? new Float64Array(spec.batches).fill(NaN) : null;
    initWeights(spec, this.layout, this.params.flat);

    const [lo, hi] = this.task.domain;
    this.testInputs = options.testInputs ?? linspace(lo, hi, TEST_POINTS);
    this.probe = createProbe(this.layout, this.fns, this.task.domain, buffers.probe);
    this.healthAtInit = this.probe.health(this.params.layers);

    const c = spec.checkpoints;
    this.checkpointAt = [0];
    for (let k = 1; k <= c; k++) {
      const at = Math.round((k * spec.batches) / c);
      if (at > this.checkpointAt[this.checkpointAt.length - 1]) this.checkpointAt.push(at);
    }
    const perEstimate = (this.testInputs.length / this.layout.shape[0]) * this.layout.shape[this.layout.layers];
    this.checkpointEstimates = new Float64Array(this.checkpointAt.length * perEstimate).fill(NaN);
    this.checkpointGradNorms = new Float64Array(this.checkpointAt.length * this.layout.layers).fill(NaN);
    this.checkpointEstimates.set(this.estimate(this.testInputs), 0);
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
      probe: createActivations(layout, PROBE_POINTS, spec.dtype, alloc),
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

  /** err = out_L − y into d_L, returns Σ err², then d_L ⊙= act'(pre_L). */
  private outputDelta(): number {
    const L = this.layout.layers;
    const out = this.acts.outs[L];
    const y = this.acts.targets;
    const d = this.acts.deltas[L];
    const n = out.length;
    let cost = 0;
    for (let i = 0; i < n; i++) {
      const e = out[i] - y[i];
      d[i] = e;
      cost += e * e;
    }
    this.fns.output.backward(this.acts.pres[L], d, n);
    return cost;
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

  private checkpoint(): void {
    const k = this.nextCheckpoint++;
    const est = this.estimate(this.testInputs);
    this.checkpointEstimates.set(est, k * est.length);
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
    const { spec, task, layout } = this;
    const n = this.batchesDone;
    const costHistory = this.costHistory.slice(0, n);
    const mseHistory = costHistory.map((c) => c / spec.batchSize);
    const finalCost = n > 0 ? costHistory[n - 1] : NaN;
    const finalMse = finalCost / spec.batchSize;
    const testEstimates = this.estimate(this.testInputs);
    const nOut = layout.shape[layout.layers];
    const points = this.testInputs.length / layout.shape[0];
    const testTargets = new Float64Array(points * nOut);
    let testSq = 0;
    const taskShaped = layout.shape[0] === task.inputs && nOut === task.outputs;
    if (taskShaped) {
      for (let p = 0; p < points; p++) {
        task.target(this.testInputs[p], testTargets, p * nOut);
        for (let k = 0; k < nOut; k++) testSq += (testEstimates[p * nOut + k] - testTargets[p * nOut + k]) ** 2;
      }
    }
    const sampled = Math.max(1, this.sampled) * spec.batchSize;
    const us = (ms: number) => (this.sampled ? (ms * 1000) / sampled : NaN);
    const status = this.divergedAtBatch === null ? 'done' : 'diverged';
    return {
      status,
      kernel: this.kernels.name,
      batchesRun: n,
      costHistory,
      mseHistory,
      finalCost,
      finalMse,
      baselineMse: task.baselineMse,
      failed: !(finalMse < task.baselineMse),
      testInputs: this.testInputs.slice(),
      testEstimates,
      testTargets,
      testMse: taskShaped && points > 0 ? testSq / points : NaN,
      checkpoints: {
        batches: this.checkpointAt.slice(),
        estimates: this.checkpointEstimates.slice(),
        gradNorms: this.checkpointGradNorms.slice(),
      },
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
