/**
 * Where batches come from. A BatchSource writes batch `index`'s inputs into column 1.. of the
 * input activations (column 0 is the bias neuron) and its targets into `targets`.
 */
import type { Activations } from './network';
import { createRng, STREAM } from './prng';
import type { Task } from './tasks';

export interface BatchSource {
  fill(index: number, acts: Activations): void;
}

/**
 * Fresh samples from the task for every batch: x ~ U[lo, hi) drawn from the data stream, so
 * the batches are fixed by dataSeed alone. Batches must be requested in order 0, 1, 2, ...
 */
export function taskSource(task: Task, dataSeed: number): BatchSource {
  const rng = createRng(dataSeed, STREAM.data);
  const [lo, hi] = task.domain;
  const span = hi - lo;
  const nOut = task.outputs;
  let next = 0;
  return {
    fill(index, acts) {
      if (index !== next) throw new Error(`task batches must be drawn in order: asked for ${index}, next is ${next}`);
      next++;
      const x = acts.outs[0];
      const stride = 2; // one input plus the bias column
      for (let r = 0; r < acts.rows; r++) {
        const v = lo + span * rng.uniform();
        x[r * stride + 1] = v;
        task.target(v, acts.targets, r * nOut);
      }
    },
  };
}

/**
 * Batches given explicitly (the oracle's SPEC): inputs (batches, rows, nIn) and targets
 * (batches, rows, nOut), flattened row-major.
 */
export function arraySource(inputs: Float64Array, targets: Float64Array, nIn: number, nOut: number): BatchSource {
  /** Each input row as a view, made at its first use and kept (no allocation when batches repeat). */
  const rowViews: Float64Array[] = [];
  return {
    fill(index, acts) {
      const x = acts.outs[0];
      const stride = nIn + 1;
      const rows = acts.rows;
      if (nIn >= 16) {
        // wide inputs: one TypedArray.set per row, several times faster than a loop (measured:
        // 784 inputs × 64 rows, 11 µs instead of 66 in float64; views of a SharedArrayBuffer, as
        // the threaded kernels use, copy more slowly either way)
        for (let r = 0; r < rows; r++) {
          const i = index * rows + r;
          x.set((rowViews[i] ??= inputs.subarray(i * nIn, (i + 1) * nIn)), r * stride + 1);
        }
      } else {
        for (let r = 0; r < rows; r++) {
          const src = (index * rows + r) * nIn;
          for (let k = 0; k < nIn; k++) x[r * stride + 1 + k] = inputs[src + k];
        }
      }
      const t = acts.targets;
      const base = index * rows * nOut;
      for (let i = 0; i < rows * nOut; i++) t[i] = targets[base + i];
    },
  };
}
