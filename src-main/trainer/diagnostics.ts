/**
 * Diagnostics of a network's health, computed on the task's probe points outside the training loop
 * (at init, at the end): dead units (a unit whose activation has zero slope at every probe point:
 * a relu unit that never fires passes no gradient and cannot recover) and saturation (the fraction
 * of probe-point × unit pairs where a sigmoid or tanh is flat). The probe points are a grid over the
 * input box, or a finite task's own training samples (tasks.ts), in any number of inputs.
 * Also evaluates the network at arbitrary inputs: test estimates, fit and boundary checkpoints, and
 * a data set's loss and accuracy.
 */
import type { Activation, FloatArray } from './activations';
import { forwardPass, type NetFunctions } from './forward';
import type { Loss } from './losses';
import type { Activations, Layout } from './network';
import { classOf, copyInputs, type DataSet } from './tasks';

/** Rows of the probe's activation buffers: points are run through the network this many at a time. */
export const PROBE_ROWS = 101;

export interface LayerHealth {
  /** For each layer 1..L (hidden layers, then the output layer): indices of dead units. */
  dead: number[][];
  /** For each layer 1..L: fraction of probe-point × unit pairs in the activation's flat region. */
  saturation: number[];
  /** For each layer 1..L: range and mean of the pre-activations over the probe points. */
  preActivation: { min: number; mean: number; max: number }[];
}

export interface Diagnostics {
  probePoints: number;
  atInit: LayerHealth;
  atEnd: LayerHealth;
  /** First batch whose cost was NaN or infinite, or null. */
  divergedAtBatch: number | null;
}

/** A data set's cost and accuracy under the network (evaluate). */
export interface Evaluation {
  /** (points, outputs) */
  estimates: Float64Array;
  /** The loss summed over the points (the batch cost's definition). */
  cost: number;
  /** Σ over points and outputs of (estimate − target)². */
  squaredError: number;
  /** Points whose largest output is their target's class (classification). */
  correct: number;
}

export interface Probe {
  readonly points: number;
  /** Outputs (points, nOut) at inputs (points, nIn). */
  estimate(W: readonly FloatArray[], inputs: Float64Array): Float64Array;
  /** Estimates and, with a loss, the cost, squared error and hits on a data set. */
  evaluate(W: readonly FloatArray[], data: DataSet, loss: Loss | null): Evaluation;
  health(W: readonly FloatArray[]): LayerHealth;
}

/**
 * A probe for a network of this layout over `probePoints` (points, nIn), working in `acts` (rows
 * allocated by the caller). `outputHealth` is the output layer's function as health judges it.
 */
export function createProbe(layout: Layout, fns: NetFunctions, probePoints: Float64Array, acts: Activations, outputHealth: Activation = fns.output): Probe {
  const { shape, layers } = layout;
  const nIn = shape[0];
  const nOut = shape[layers];
  const rows = acts.rows;
  const probeCount = probePoints.length / nIn;
  const probeData = { inputs: probePoints };

  /** Runs `count` ≤ rows points starting at sample `start` of `data` through the network (the rows past count are zeros). */
  function runChunk(W: readonly FloatArray[], data: Pick<DataSet, 'inputs' | 'byteValues'>, start: number, count: number): void {
    const x = acts.outs[0];
    for (let r = 0; r < rows; r++) {
      if (r < count) copyInputs(data, start + r, nIn, x, r * (nIn + 1) + 1);
      else x.fill(0, r * (nIn + 1) + 1, (r + 1) * (nIn + 1));
    }
    forwardPass(layout, fns, acts, W);
  }

  /** The outputs at data.inputs and, when a loss is given, the cost, squared error and hits against data.targets. */
  function evaluate(W: readonly FloatArray[], data: DataSet, loss: Loss | null): Evaluation {
    const points = data.count;
    const out = new Float64Array(points * nOut);
    const last = acts.outs[layers];
    const pre = acts.pres[layers];
    let cost = 0;
    let squaredError = 0;
    let correct = 0;
    for (let start = 0; start < points; start += rows) {
      const count = Math.min(rows, points - start);
      runChunk(W, data, start, count);
      for (let i = 0; i < count * nOut; i++) out[start * nOut + i] = last[i];
      if (!loss) continue;
      cost = loss.addCost(cost, last, pre, data.targets, start * nOut, count, nOut, fns.output);
      for (let i = 0; i < count * nOut; i++) squaredError += (out[start * nOut + i] - data.targets[start * nOut + i]) ** 2;
      for (let r = 0; r < count; r++) if (classOf(out, start + r, nOut) === classOf(data.targets, start + r, nOut)) correct++;
    }
    return { estimates: out, cost, squaredError, correct };
  }

  function estimate(W: readonly FloatArray[], inputs: Float64Array): Float64Array {
    return evaluate(W, { count: inputs.length / nIn, inputs, targets: inputs }, null).estimates;
  }

  function health(W: readonly FloatArray[]): LayerHealth {
    const alive = shape.map((n) => new Uint8Array(n));
    const saturated = new Float64Array(layers + 1);
    const min = new Float64Array(layers + 1).fill(Infinity);
    const max = new Float64Array(layers + 1).fill(-Infinity);
    const sum = new Float64Array(layers + 1);
    for (let start = 0; start < probeCount; start += rows) {
      const count = Math.min(rows, probeCount - start);
      runChunk(W, probeData, start, count);
      for (let l = 1; l <= layers; l++) {
        const act = l < layers ? fns.hidden : outputHealth;
        const n = shape[l];
        const pre = acts.pres[l];
        for (let j = 0; j < n; j++) {
          for (let r = 0; r < count; r++) {
            const z = pre[r * n + j];
            if (z < min[l]) min[l] = z;
            if (z > max[l]) max[l] = z;
            sum[l] += z;
            if (act.df(z) !== 0) alive[l][j] = 1;
            if (act.saturated(z)) saturated[l]++;
          }
        }
      }
    }
    const dead: number[][] = [];
    const saturation: number[] = [];
    const preActivation: { min: number; mean: number; max: number }[] = [];
    for (let l = 1; l <= layers; l++) {
      const n = shape[l];
      const deadUnits: number[] = [];
      for (let j = 0; j < n; j++) if (!alive[l][j]) deadUnits.push(j);
      dead.push(deadUnits);
      saturation.push(saturated[l] / (probeCount * n));
      preActivation.push({ min: min[l], mean: sum[l] / (probeCount * n), max: max[l] });
    }
    return { dead, saturation, preActivation };
  }

  return { points: probeCount, estimate, evaluate, health };
}

