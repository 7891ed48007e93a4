/**
 * Diagnostics of a network's health, computed on a probe grid over the task's domain outside the
 * training loop (at init, at the end): dead units (a unit whose activation has zero slope at
 * every probe point: a relu unit that never fires passes no gradient and cannot recover) and
 * saturation (the fraction of probe-point × unit pairs where a sigmoid or tanh is flat).
 * Also evaluates the network at arbitrary inputs (test estimates, fit checkpoints).
 */
import type { FloatArray } from './activations';
import { forwardPass, type NetFunctions } from './forward';
import type { Activations, Layout } from './network';
import { linspace } from './tasks';

/** Probe grid size: 101 points over the domain. */
export const PROBE_POINTS = 101;

export interface LayerHealth {
  /** For each layer 1..L (hidden layers, then the output layer): indices of dead units. */
  dead: number[][];
  /** For each layer 1..L: fraction of probe-point × unit pairs in the activation's flat region. */
  saturation: number[];
  /** For each layer 1..L: range and mean of the pre-activations over the probe grid. */
  preActivation: { min: number; mean: number; max: number }[];
}

export interface Diagnostics {
  probePoints: number;
  atInit: LayerHealth;
  atEnd: LayerHealth;
  /** First batch whose cost was NaN or infinite, or null. */
  divergedAtBatch: number | null;
}

export interface Probe {
  readonly points: number;
  /** Outputs (points, nOut) at inputs (points, nIn). */
  estimate(W: readonly FloatArray[], inputs: Float64Array): Float64Array;
  health(W: readonly FloatArray[]): LayerHealth;
}

/** A probe for a network of this layout, working in `acts` (PROBE_POINTS rows, allocated by the caller). */
export function createProbe(layout: Layout, fns: NetFunctions, domain: readonly [number, number], acts: Activations): Probe {
  const { shape, layers } = layout;
  const nIn = shape[0];
  const nOut = shape[layers];
  const rows = acts.rows;
  const grid = linspace(domain[0], domain[1], rows);

  /** Runs `count` ≤ rows points starting at inputs[start] through the network. */
  function runChunk(W: readonly FloatArray[], inputs: Float64Array, start: number, count: number): void {
    const x = acts.outs[0];
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < nIn; k++) x[r * (nIn + 1) + 1 + k] = r < count ? inputs[(start + r) * nIn + k] : 0;
    }
    forwardPass(layout, fns, acts, W);
  }

  function estimate(W: readonly FloatArray[], inputs: Float64Array): Float64Array {
    const points = inputs.length / nIn;
    const out = new Float64Array(points * nOut);
    const last = acts.outs[layers];
    for (let start = 0; start < points; start += rows) {
      const count = Math.min(rows, points - start);
      runChunk(W, inputs, start, count);
      for (let i = 0; i < count * nOut; i++) out[start * nOut + i] = last[i];
    }
    return out;
  }

  function health(W: readonly FloatArray[]): LayerHealth {
    // every input dimension takes the grid value (the tasks are 1-D)
    const inputs = new Float64Array(rows * nIn);
    for (let r = 0; r < rows; r++) inputs.fill(grid[r], r * nIn, (r + 1) * nIn);
    runChunk(W, inputs, 0, rows);
    const dead: number[][] = [];
    const saturation: number[] = [];
    const preActivation: { min: number; mean: number; max: number }[] = [];
    for (let l = 1; l <= layers; l++) {
      const act = l < layers ? fns.hidden : fns.output;
      const n = shape[l];
      const pre = acts.pres[l];
      const deadUnits: number[] = [];
      let saturated = 0;
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (let j = 0; j < n; j++) {
        let alive = false;
        for (let r = 0; r < rows; r++) {
          const z = pre[r * n + j];
          if (z < min) min = z;
          if (z > max) max = z;
          sum += z;
          if (act.df(z) !== 0) alive = true;
          if (act.saturated(z)) saturated++;
        }
        if (!alive) deadUnits.push(j);
      }
      dead.push(deadUnits);
      saturation.push(saturated / (rows * n));
      preActivation.push({ min, mean: sum / (rows * n), max });
    }
    return { dead, saturation, preActivation };
  }

  return { points: rows, estimate, health };
}
