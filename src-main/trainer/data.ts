/**
 * Where batches come from. A BatchSource writes batch `index`'s inputs into column 1.. of the
 * input activations (column 0 is the bias neuron) and its targets into `targets`, without
 * allocating. Batches must be requested in order 0, 1, 2, ... (each source draws from a stream).
 */
import type { Activations } from './network';
import { createRng, STREAM } from './prng';
import { copyInputs, type DataSet, shuffleInPlace, type Task } from './tasks';

export interface BatchSource {
  fill(index: number, acts: Activations): void;
}

function inOrder(): (index: number) => void {
  let next = 0;
  return (index) => {
    if (index !== next) throw new Error(`task batches must be drawn in order: asked for ${index}, next is ${next}`);
    next++;
  };
}

/**
 * Fresh samples for every batch: each input uniform over the task's box, drawn from the data
 * stream (one draw per input, sample after sample), so the batches are fixed by dataSeed alone.
 * Targets are computed from the float64 draws, whatever the run's dtype.
 */
export function drawSource(task: Task, dataSeed: number): BatchSource {
  const target = task.target;
  if (!target) throw new Error(`task ${task.name} has no target function to draw samples from`);
  const rng = createRng(dataSeed, STREAM.data);
  const nIn = task.inputs;
  const nOut = task.outputs;
  const lo = task.box.map((b) => b[0]);
  const span = task.box.map((b) => b[1] - b[0]);
  const v = new Float64Array(nIn);
  const check = inOrder();
  return {
    fill(index, acts) {
      check(index);
      const x = acts.outs[0];
      const stride = nIn + 1; // the inputs plus the bias column
      for (let r = 0; r < acts.rows; r++) {
        for (let k = 0; k < nIn; k++) {
          v[k] = lo[k] + span[k] * rng.uniform();
          x[r * stride + 1 + k] = v[k];
        }
        target(v, 0, acts.targets, r * nOut);
      }
    },
  };
}

/**
 * A finite training set, one epoch after another: each epoch visits every sample once in an order
 * shuffled (Fisher–Yates) from the data stream; batches run on across epoch ends, so every batch
 * is full and `batches · batchSize / count` is the number of epochs.
 */
export function epochSource(train: DataSet, nIn: number, nOut: number, dataSeed: number): BatchSource {
  if (train.count < 1) throw new Error('a finite task needs at least one training sample');
  const rng = createRng(dataSeed, STREAM.data);
  const n = train.count;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let pos = n;
  const check = inOrder();
  return {
    fill(index, acts) {
      check(index);
      const x = acts.outs[0];
      const t = acts.targets;
      const stride = nIn + 1;
      for (let r = 0; r < acts.rows; r++) {
        if (pos === n) {
          shuffleInPlace(order, n, rng);
          pos = 0;
        }
        const i = order[pos++];
        copyInputs(train, i, nIn, x, r * stride + 1);
        for (let k = 0; k < nOut; k++) t[r * nOut + k] = train.targets[i * nOut + k];
      }
    },
  };
}

/** The task's own training batches: draws, or epochs over its training set. */
export function taskSource(task: Task, dataSeed: number): BatchSource {
  return task.train ? epochSource(task.train, task.inputs, task.outputs, dataSeed) : drawSource(task, dataSeed);
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
