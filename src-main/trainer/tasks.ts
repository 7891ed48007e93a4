/**
 * Regression tasks: where training inputs come from and what the network should output.
 * Each task is 1-D in, a few functions out, over a fixed domain, with the MSE of the best
 * constant predictor as a baseline so a run can be judged "learned nothing" (final MSE per
 * sample at or above the baseline). MSE per sample = squared error summed over the outputs,
 * averaged over the samples — the seed's batch cost divided by the batch size.
 */

export const TASK_NAMES = ['sincos', 'wave', 'bump'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

export interface Task {
  readonly name: TaskName;
  readonly description: string;
  readonly inputs: number;
  readonly outputs: number;
  /** What each output is, for chart legends and table headers ("sin x", "cos x"). */
  readonly outputNames: readonly string[];
  /** Inputs are drawn uniformly from [lo, hi). */
  readonly domain: readonly [number, number];
  /** Writes the targets for input x into y[offset .. offset + outputs). */
  target(x: number, y: Float64Array | Float32Array, offset: number): void;
  /** MSE per sample of the best constant predictor (each output's variance over the domain, summed). */
  readonly baselineMse: number;
}

interface TaskDef {
  name: TaskName;
  description: string;
  outputs: number;
  outputNames: string[];
  domain: [number, number];
  target(x: number, y: Float64Array | Float32Array, offset: number): void;
}

const DEFS: TaskDef[] = [
  {
    name: 'sincos',
    description: "The seed's task: x ~ U[0, 1), targets sin x and cos x",
    outputs: 2,
    outputNames: ['sin x', 'cos x'],
    domain: [0, 1],
    target(x, y, o) {
      y[o] = Math.sin(x);
      y[o + 1] = Math.cos(x);
    },
  },
  {
    name: 'wave',
    description: 'One full period: x ~ U[0, 1), target sin(2πx)',
    outputs: 1,
    outputNames: ['sin 2πx'],
    domain: [0, 1],
    target(x, y, o) {
      y[o] = Math.sin(2 * Math.PI * x);
    },
  },
  {
    name: 'bump',
    description: 'A narrow Gaussian bump: x ~ U[-1, 1), target exp(-(x/0.25)²)',
    outputs: 1,
    outputNames: ['bump'],
    domain: [-1, 1],
    target(x, y, o) {
      y[o] = Math.exp(-(x / 0.25) * (x / 0.25));
    },
  },
];

/** Sum over outputs of the variance of the target over the domain (midpoint rule, 200k points). */
function constantBaseline(def: TaskDef): number {
  const n = 200_000;
  const [lo, hi] = def.domain;
  const y = new Float64Array(def.outputs);
  const sum = new Float64Array(def.outputs);
  const sumSq = new Float64Array(def.outputs);
  for (let i = 0; i < n; i++) {
    def.target(lo + ((i + 0.5) / n) * (hi - lo), y, 0);
    for (let k = 0; k < def.outputs; k++) {
      sum[k] += y[k];
      sumSq[k] += y[k] * y[k];
    }
  }
  let total = 0;
  for (let k = 0; k < def.outputs; k++) total += sumSq[k] / n - (sum[k] / n) ** 2;
  return total;
}

const cache = new Map<TaskName, Task>();

/** The task called `name`, with its baseline computed once. */
export function getTask(name: TaskName): Task {
  let task = cache.get(name);
  if (!task) {
    const def = DEFS.find((d) => d.name === name);
    if (!def) throw new RangeError(`unknown task ${name}`);
    task = { ...def, inputs: 1, baselineMse: constantBaseline(def) };
    cache.set(name, task);
  }
  return task;
}

/**
 * The names of a run's outputs: its task's, or "output 1", "output 2"… when the task is unknown here
 * or the network has another number of outputs. The one definition, for the CLI and the app.
 */
export function outputNames(task: string, outputs: number): string[] {
  const def = DEFS.find((d) => d.name === task);
  if (def && def.outputNames.length === outputs) return [...def.outputNames];
  return Array.from({ length: outputs }, (_, i) => `output ${i + 1}`);
}

/** n evenly spaced points over [lo, hi], ends included (numpy's linspace). */
export function linspace(lo: number, hi: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = lo;
    return out;
  }
  const step = (hi - lo) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = lo + i * step;
  out[n - 1] = hi;
  return out;
}

/** The seed tests on 30 evenly spaced points over the domain. */
export const TEST_POINTS = 30;
