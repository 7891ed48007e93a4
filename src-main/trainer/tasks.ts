/**
 * Tasks: what a network is asked to learn, as a registry of small plain objects (as
 * tensorflow/playground's dataset.ts + state.ts map names to data generators). A task entry
 * declares its inputs and outputs, its kind (regression, or classification with class names), the
 * names of its outputs, the box its inputs live in, the spec values that suit it (shape, loss,
 * output layer) and how its samples arise:
 *
 *   draws      fresh samples for every batch, uniform over the box, targets from `target` (the
 *              seed's sin/cos: x ~ U[0, 1)); the test set is an even grid over the box;
 *   generated  a finite data set drawn once from the data seed (Playground's circle, xor, gauss,
 *              spiral, with noise and a number of samples), split into a training and a test
 *              part (trainFraction), the training part shuffled every epoch by the data seed;
 *   expression draws like the seed's task, from a target the spec writes (`sin(3*x) + 0.1*x^2`
 *              over `domain`: expression.ts compiles it), so its inputs and outputs are the
 *              target's;
 *   table      a table read from a file (a CSV stored once in the database by content hash:
 *              table.ts), its columns chosen by the spec (inputs, and targets or a label column),
 *              split like a generated set, inputs optionally standardised;
 *   images     labelled images with their own training and test sets (Fashion-MNIST's IDX files,
 *              read outside this core), pixels scaled to [0, 1].
 *
 * `taskInfo(spec)` (task-resolve.ts) says what any spec's task is (its inputs, outputs, kind, names,
 * defaults); `resolveSpecTask(spec, data)` (task-resolve.ts) turns an entry and a spec into a Task: its training source, test set,
 * constant-predictor baseline, probe points (diagnostics) and view points (where the app draws
 * the network's output: the fit's x values, or the decision boundary's grid). A table or images
 * come in as `data` (read outside this pure core) and become a Task through `finiteTask`, the
 * same function the generated sets use.
 *
 * Adding a built-in task is one entry in TASK_DEFS (and its name in TASK_NAMES).
 */
import type { FloatArray, OutputMode } from './activations';
import type { LossName } from './losses';
import { createRng, type Rng, STREAM } from './prng';

export const TASK_NAMES = ['sincos', 'wave', 'bump', 'circle', 'xor', 'gauss', 'spiral', 'expression', 'csv', 'fashion-mnist'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

export const TASK_KINDS = ['regression', 'classification'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/**
 * Spec fields that only some tasks read: the others refuse a value other than the default. The
 * expression task reads target and domain; a table (CSV) reads its data set, its columns,
 * standardize and trainFraction; Fashion-MNIST its data set's content hash.
 */
export const TASK_PARAMS = ['noise', 'samples', 'trainFraction', 'target', 'domain', 'dataset', 'inputColumns', 'targetColumns', 'labelColumn', 'standardize'] as const;
export type TaskParam = (typeof TASK_PARAMS)[number];

/** The spec fields that say what a task is (its name, its parameters, the data seed that draws a generated set or splits a table). */
export interface TaskSettings {
  task: TaskName;
  noise: number;
  samples: number;
  trainFraction: number;
  dataSeed: number;
  /** The expression task's target (expression.ts), e.g. `sin(3*x) + 0.1*x^2`; '' for the other tasks. */
  target: string;
  /** The expression task's input range [lo, hi], the same for every input. */
  domain: readonly [number, number];
  /** A stored data set's content hash (sha256, hex): a table's, or Fashion-MNIST's files'; '' where none is used. */
  dataset: string;
  /** A table's columns: the inputs, and the regression targets or the classification label. */
  inputColumns: readonly string[];
  targetColumns: readonly string[];
  labelColumn: string;
  /** A table's inputs scaled to mean 0 and standard deviation 1 over its training part. */
  standardize: boolean;
}

/** A finite data set in memory: `count` samples, row-major. */
export interface DataSet {
  readonly count: number;
  /**
   * (count, inputs): numbers, or (images) bytes that stand for byteValues[b] (pixel / 255): a
   * byte per pixel keeps Fashion-MNIST's 47 million pixels in 47 MB instead of 376.
   */
  readonly inputs: Float64Array | Uint8Array;
  /** The value of each byte of byte inputs; absent for numbers. */
  readonly byteValues?: Float64Array;
  /** (count, outputs): regression targets, or one-hot rows for classification */
  readonly targets: Float64Array;
}

/** The spec values a task takes where a spec leaves them out (the later ones only where the task says). */
export interface TaskDefaults {
  readonly shape: readonly number[];
  readonly loss: LossName;
  readonly outputActivation: OutputMode;
  readonly learningRate?: number;
  readonly batchSize?: number;
  readonly init?: 'normal' | 'xavier' | 'he';
  /** Training length in epochs, where a spec gives neither batches nor epochs. */
  readonly epochs?: number;
}

/** What every task says about itself (an entry without its sampling). */
export interface TaskInfo {
  readonly name: string;
  readonly description: string;
  readonly kind: TaskKind;
  readonly inputs: number;
  readonly outputs: number;
  /** What each input is ("x"; "x1", "x2"). */
  readonly inputNames: readonly string[];
  /** What each output is, for chart legends and table headers ("sin x", "cos x"; a class's name). */
  readonly outputNames: readonly string[];
  /** Classification: the class of each output (one-hot targets); null for regression. */
  readonly classes: readonly string[] | null;
  /** Per input, the range [lo, hi]: draws are uniform over it, the test, view and probe grids cover it. */
  readonly box: readonly (readonly [number, number])[];
  /** The spec values this task takes where a spec leaves them out. */
  readonly defaults: TaskDefaults;
  /** Task parameters it reads (noise, samples, trainFraction, …). */
  readonly params: readonly TaskParam[];
}

export interface DrawnDef extends TaskInfo {
  readonly sampling: 'draws';
  /** Writes the targets for input row x[xo …] into y[yo …]. */
  target(x: ArrayLike<number>, xo: number, y: FloatArray, yo: number): void;
}

export interface GeneratedDef extends TaskInfo {
  readonly sampling: 'generated';
  /**
   * Playground's DataGenerator, seeded: `n` points with their class (0 ≤ cls < classes), each
   * through `add`, drawn from `rng` (noise 0 … 0.5 as Playground's 0 … 50 %).
   */
  generate(n: number, noise: number, rng: Rng, add: (x1: number, x2: number, cls: number) => void): void;
}

/** Labelled images read outside the core (Fashion-MNIST), with their own training and test sets. */
export interface ImagesDef extends TaskInfo {
  readonly sampling: 'images';
  readonly width: number;
  readonly height: number;
  /** Samples in the official training and test sets. */
  readonly trainCount: number;
  readonly testCount: number;
}

/** Images with their labels (0 ≤ label < classes), row-major pixels, a byte each. */
export interface LabelledImages {
  readonly count: number;
  /** (count, width · height) */
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

/** An images data set as read from its files (data/fashion-mnist.ts): its content hash and both sets. */
export interface ImageSet {
  /** sha256 of its files' contents (hex): the data set's identity, recorded in every run's spec. */
  readonly sha256: string;
  readonly width: number;
  readonly height: number;
  readonly train: LabelledImages;
  readonly test: LabelledImages;
}

/**
 * A task whose inputs and outputs the spec decides: the expression task (its target's variables
 * and outputs), a table (its columns). `taskInfo` (task-resolve.ts) makes its TaskInfo.
 */
export interface SpecDef {
  readonly name: string;
  readonly description: string;
  readonly sampling: 'expression' | 'table';
  readonly params: readonly TaskParam[];
}

export type TaskDef = DrawnDef | GeneratedDef | ImagesDef | SpecDef;

/** Fashion-MNIST's classes, in label order (its README). */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

/** Playground's plane for its classification sets (its xDomain). */
const PLANE: readonly (readonly [number, number])[] = [
  [-6, 6],
  [-6, 6],
];
const PLAYGROUND_PARAMS: readonly TaskParam[] = ['noise', 'samples', 'trainFraction'];
const CLASSIFY_DEFAULTS = { shape: [2, 8, 8, 2], loss: 'cross-entropy', outputActivation: 'softmax' } as const;
const uniform = (rng: Rng, a: number, b: number) => a + (b - a) * rng.uniform();

/** Fashion-MNIST's entry (its files are read by data/fashion-mnist.ts). */
export const FASHION_MNIST: ImagesDef = {
  name: 'fashion-mnist',
  description: 'Fashion-MNIST: 28×28 grey images of 10 kinds of clothing, the official 60,000 training and 10,000 test images, pixels in [0, 1]',
  kind: 'classification',
  inputs: 784,
  outputs: 10,
  inputNames: Array.from({ length: 784 }, (_, i) => `pixel ${Math.floor(i / 28) + 1},${(i % 28) + 1}`),
  outputNames: FASHION_MNIST_CLASSES,
  classes: FASHION_MNIST_CLASSES,
  box: Array.from({ length: 784 }, () => [0, 1] as const),
  // the data set's benchmark table lists 0.84–0.88 test accuracy for small MLPs; these 5 epochs reached 0.862 (README)
  defaults: { shape: [784, 128, 10], loss: 'cross-entropy', outputActivation: 'softmax', learningRate: 0.1, batchSize: 64, init: 'he', epochs: 5 },
  params: ['dataset'],
  sampling: 'images',
  width: 28,
  height: 28,
  trainCount: 60_000,
  testCount: 10_000,
};

/**
 * A 1-D regression task: x drawn uniform over `range` for every batch, its targets from `target`;
 * the seed's network shape and loss, and its output layer (the hidden activation) unless the
 * targets leave a relu's reach, where `outputActivation` is linear: a built-in task's defaults must
 * be able to fit it.
 */
function curve(d: { name: string; description: string; outputNames: readonly string[]; range: readonly [number, number]; target: DrawnDef['target']; outputActivation?: OutputMode }): DrawnDef {
  const outputs = d.outputNames.length;
  return {
    name: d.name,
    description: d.description,
    kind: 'regression',
    inputs: 1,
    outputs,
    inputNames: ['x'],
    outputNames: d.outputNames,
    classes: null,
    box: [d.range],
    defaults: { shape: [1, 16, outputs], loss: 'sse', outputActivation: d.outputActivation ?? 'seed' },
    params: [],
    sampling: 'draws',
    target: d.target,
  };
}

/** One of Playground's 2-D classification sets: two classes on its plane, generated with its noise, samples and split. */
function playgroundSet(d: { name: string; description: string; classes: readonly [string, string]; generate: GeneratedDef['generate'] }): GeneratedDef {
  return {
    name: d.name,
    description: d.description,
    kind: 'classification',
    inputs: 2,
    outputs: 2,
    inputNames: ['x1', 'x2'],
    outputNames: d.classes,
    classes: d.classes,
    box: PLANE,
    defaults: CLASSIFY_DEFAULTS,
    params: PLAYGROUND_PARAMS,
    sampling: 'generated',
    generate: d.generate,
  };
}

/** The registry: one entry per built-in task. */
export const TASK_DEFS: Readonly<Record<TaskName, TaskDef>> = {
  sincos: curve({
    name: 'sincos',
    description: "The seed's task: x ~ U[0, 1), targets sin x and cos x",
    outputNames: ['sin x', 'cos x'],
    range: [0, 1],
    target(x, xo, y, o) {
      y[o] = Math.sin(x[xo]);
      y[o + 1] = Math.cos(x[xo]);
    },
  }),
  wave: curve({
    name: 'wave',
    description: 'One full period: x ~ U[0, 1), target sin(2πx)',
    outputNames: ['sin 2πx'],
    range: [0, 1],
    // half of the period is below 0, where the seed's relu output never goes
    outputActivation: 'linear',
    target(x, xo, y, o) {
      y[o] = Math.sin(2 * Math.PI * x[xo]);
    },
  }),
  bump: curve({
    name: 'bump',
    description: 'A narrow Gaussian bump: x ~ U[-1, 1), target exp(-(x/0.25)²)',
    outputNames: ['bump'],
    range: [-1, 1],
    target(x, xo, y, o) {
      y[o] = Math.exp(-(x[xo] / 0.25) * (x[xo] / 0.25));
    },
  }),
  circle: playgroundSet({
    name: 'circle',
    description: "Playground's circle: class inside within radius 2.5, outside from 3.5 to 5; noise moves the point the label is read at",
    classes: ['outside', 'inside'],
    generate(n, noise, rng, add) {
      const radius = 5;
      const half = Math.ceil(n / 2);
      const ring = (count: number, lo: number, hi: number) => {
        for (let i = 0; i < count; i++) {
          const r = uniform(rng, lo, hi);
          const angle = uniform(rng, 0, 2 * Math.PI);
          const x = r * Math.sin(angle);
          const y = r * Math.cos(angle);
          const nx = uniform(rng, -radius, radius) * noise;
          const ny = uniform(rng, -radius, radius) * noise;
          add(x, y, Math.hypot(x + nx, y + ny) < radius * 0.5 ? 1 : 0);
        }
      };
      ring(half, 0, radius * 0.5);
      ring(n - half, radius * 0.7, radius);
    },
  }),
  xor: playgroundSet({
    name: 'xor',
    description: "Playground's xor: class same sign where x1·x2 ≥ 0, in [-5, 5]² kept 0.3 off the axes",
    classes: ['opposite sign', 'same sign'],
    generate(n, noise, rng, add) {
      const padding = 0.3;
      for (let i = 0; i < n; i++) {
        let x = uniform(rng, -5, 5);
        x += x > 0 ? padding : -padding;
        let y = uniform(rng, -5, 5);
        y += y > 0 ? padding : -padding;
        const nx = uniform(rng, -5, 5) * noise;
        const ny = uniform(rng, -5, 5) * noise;
        add(x, y, (x + nx) * (y + ny) >= 0 ? 1 : 0);
      }
    },
  }),
  gauss: playgroundSet({
    name: 'gauss',
    description: "Playground's two Gaussians around (2, 2) and (−2, −2); noise widens them (variance 0.5 to 4)",
    classes: ['around (−2, −2)', 'around (2, 2)'],
    generate(n, noise, rng, add) {
      const variance = 0.5 + (noise / 0.5) * 3.5;
      const std = Math.sqrt(variance);
      const half = Math.ceil(n / 2);
      for (let i = 0; i < half; i++) add(rng.normal(2, std), rng.normal(2, std), 1);
      for (let i = half; i < n; i++) add(rng.normal(-2, std), rng.normal(-2, std), 0);
    },
  }),
  spiral: playgroundSet({
    name: 'spiral',
    description: "Playground's two interleaved spirals (1.75 turns out to radius 5); noise jitters the points",
    classes: ['arm 2', 'arm 1'],
    generate(n, noise, rng, add) {
      const arm = (count: number, deltaT: number, cls: number) => {
        for (let i = 0; i < count; i++) {
          const r = (i / count) * 5;
          const t = ((1.75 * i) / count) * 2 * Math.PI + deltaT;
          add(r * Math.sin(t) + uniform(rng, -1, 1) * noise, r * Math.cos(t) + uniform(rng, -1, 1) * noise, cls);
        }
      };
      const half = Math.ceil(n / 2);
      arm(half, 0, 1);
      arm(n - half, Math.PI, 0);
    },
  }),
  expression: {
    name: 'expression',
    description: 'Your own function: x ~ U(domain), targets from the expression (sin(x); cos(x) is the seed’s task)',
    sampling: 'expression',
    params: ['target', 'domain'],
  },
  csv: {
    name: 'csv',
    description: 'A CSV data set stored in the database: its input columns, and target columns (regression) or a label column (classification)',
    sampling: 'table',
    params: ['dataset', 'inputColumns', 'targetColumns', 'labelColumn', 'standardize', 'trainFraction'],
  },
  'fashion-mnist': FASHION_MNIST,
};

/** The entry called `name` (a built-in task). */
export function taskDef(name: TaskName): TaskDef {
  const def = TASK_DEFS[name];
  if (!def) throw new RangeError(`unknown task ${name}`);
  return def;
}

export function isTaskName(name: string): name is TaskName {
  return (TASK_NAMES as readonly string[]).includes(name);
}

export function isTaskParam(field: string): field is TaskParam {
  return (TASK_PARAMS as readonly string[]).includes(field);
}

/** Whether the task reads a task parameter (the form dims it otherwise, and the spec refuses it). */
export function taskUses(name: string, param: TaskParam): boolean {
  return isTaskName(name) && TASK_DEFS[name].params.includes(param);
}

/** An entry's own description, or null for a task whose inputs and outputs the spec decides (expression, csv: task-resolve.ts taskInfo). */
export function fixedTaskInfo(name: TaskName): TaskInfo | null {
  const def = TASK_DEFS[name];
  return 'inputs' in def ? def : null;
}

/** The fields of a spec that name its task's kind and outputs without its data (taskKind, outputNames). */
export type TaskNaming = Pick<TaskSettings, 'target' | 'targetColumns' | 'labelColumn'> & { task: string };

/** The kind of a spec's task (regression for a task unknown here): a table with a label column classifies. */
export function taskKind(spec: Pick<TaskNaming, 'task' | 'labelColumn'>): TaskKind {
  if (!isTaskName(spec.task)) return 'regression';
  const def = TASK_DEFS[spec.task];
  if (def.sampling === 'table') return spec.labelColumn ? 'classification' : 'regression';
  return 'kind' in def ? def.kind : 'regression';
}

/** Whether the task trains on a finite set, so that training can be measured in epochs. */
export function hasEpochs(name: string): boolean {
  return isTaskName(name) && TASK_DEFS[name].sampling !== 'draws' && TASK_DEFS[name].sampling !== 'expression';
}

/**
 * The names of a run's inputs: a table's input columns, a built-in task's ("x"; "x1", "x2"), or x
 * (x1, x2… for several, as an expression names them) where they are not known here. Needs no data.
 */
export function inputNames(spec: Pick<TaskSettings, 'inputColumns'> & { task: string }, inputs: number): string[] {
  const def = isTaskName(spec.task) ? TASK_DEFS[spec.task] : undefined;
  let names: readonly string[] | null = null;
  if (def?.sampling === 'table') names = spec.inputColumns;
  else if (def && 'inputNames' in def) names = def.inputNames;
  if (names && names.length === inputs) return [...names];
  return inputs === 1 ? ['x'] : Array.from({ length: inputs }, (_, i) => `x${i + 1}`);
}

/**
 * The names of a run's outputs: its task's (an expression's parts, a table's target columns), or
 * "output 1", "output 2"… when the task is unknown here, its names need its data (a table's
 * classes) or the network has another number of outputs. The one definition, for the CLI and the
 * app; it needs no parser and no data.
 */
export function outputNames(spec: TaskNaming, outputs: number): string[] {
  const def = isTaskName(spec.task) ? TASK_DEFS[spec.task] : undefined;
  let names: readonly string[] | null = null;
  if (def?.sampling === 'expression') names = spec.target.split(';').map((p) => p.trim());
  else if (def?.sampling === 'table') names = spec.labelColumn ? null : spec.targetColumns;
  else if (def && 'outputNames' in def) names = def.outputNames;
  if (names && names.length === outputs) return [...names];
  return Array.from({ length: outputs }, (_, i) => `output ${i + 1}`);
}

// ---- resolved tasks ------------------------------------------------------------------------------

/** The constant predictor's score: what "learned nothing" is measured against. */
export interface Baseline {
  /** Regression: MSE per sample of the best constant predictor (Σ over outputs of the target variance); null for classification. */
  readonly mse: number | null;
  /** Classification: accuracy of always answering the training set's most frequent class, on the test set; null for regression. */
  readonly majorityShare: number | null;
}

/** Points at which the network's output is recorded at every checkpoint and drawn by the app. */
export interface ViewPoints {
  /** (points, inputs) */
  readonly inputs: Float64Array;
  /** The points form a grid of these sizes, first input slowest ([30] for a 1-D fit, [25, 25] for a plane); [] if they are not a grid. */
  readonly grid: readonly number[];
  /** The points are the test set's first samples (no grid: a table of many inputs, images). */
  readonly fromTest?: true;
}

export interface Task extends TaskInfo {
  readonly sampling: 'draws' | 'finite';
  /**
   * The samples come from a data set stored once (a table in the database, Fashion-MNIST's
   * files): a run keeps no copy of their inputs (its testInputs, and view points taken from the
   * test set, are left empty; the data set has them).
   */
  readonly storedData: boolean;
  /** Finite tasks: the training samples (shuffled per epoch by the data seed); null for draws. */
  readonly train: DataSet | null;
  /** Targets for an input row (draws only: the finite sets carry theirs). */
  target?(x: ArrayLike<number>, xo: number, y: FloatArray, yo: number): void;
  /** The test set the final scores are measured on. */
  readonly test: DataSet;
  readonly baseline: Baseline;
  /** (points, inputs): where diagnostics look for dead and saturated units. */
  readonly probe: Float64Array;
  /** The probe in words, for the places that explain "dead": "a 101-point grid over the input range". */
  readonly probeDescription: string;
  readonly view: ViewPoints;
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
/** Diagnostics probe 101 evenly spaced points of a 1-D domain. */
export const PROBE_POINTS = 101;
/** The decision boundary's grid: 25 × 25 points over a plane. */
export const VIEW_GRID = 25;
/**
 * Where a task's units are probed for "dead", in words: a drawn task's grid or points of its input
 * box, a finite one's (first) training points; `trainCount` unknown (a stored run read without its
 * data): "250 of the run’s training points". The one wording, for the init preview and the
 * diagnostics (the run stores how many points it probed).
 */
export function probeWords(p: { drawn: boolean; inputs: number; points: number; trainCount?: number }): string {
  if (!p.drawn) return p.trainCount === undefined ? `${p.points} of the run’s training points` : p.points === p.trainCount ? `the ${p.points} training points` : `the first ${p.points} of the ${p.trainCount} training points`;
  const side = Math.round(Math.sqrt(p.points));
  if (p.inputs === 1) return `a ${p.points}-point grid over the input range`;
  if (p.inputs === 2 && side * side === p.points) return `${side === 11 || side === 8 || side === 18 ? 'an' : 'a'} ${side} × ${side} grid over the input box`;
  return `${p.points} fixed points of the input box`;
}

/** At most this many training samples serve as the probe of a finite task. */
export const MAX_PROBE_SAMPLES = 1024;

/** Every point of a grid with `sizes[d]` evenly spaced values over box[d] (first input slowest), (points, inputs). */
export function gridPoints(box: readonly (readonly [number, number])[], sizes: readonly number[]): Float64Array {
  const axes = box.map(([lo, hi], d) => linspace(lo, hi, sizes[d]));
  const count = sizes.reduce((a, b) => a * b, 1);
  const d = box.length;
  const out = new Float64Array(count * d);
  for (let p = 0; p < count; p++) {
    let rest = p;
    for (let k = d - 1; k >= 0; k--) {
      out[p * d + k] = axes[k][rest % sizes[k]];
      rest = Math.floor(rest / sizes[k]);
    }
  }
  return out;
}

/** A grid with about `total` points over the box: the same count along each input. */
function evenGrid(box: readonly (readonly [number, number])[], total: number): { inputs: Float64Array; grid: number[] } {
  const per = Math.max(2, Math.round(total ** (1 / box.length)));
  const grid = box.map(() => per);
  return { inputs: gridPoints(box, grid), grid };
}

/** `n` points drawn uniformly over the box from a fixed stream (boxes of many inputs, where a grid would be too big). */
function boxSample(box: readonly (readonly [number, number])[], n: number, stream: number): Float64Array {
  const rng = createRng(0, stream);
  const out = new Float64Array(n * box.length);
  for (let i = 0; i < out.length; i++) {
    const [lo, hi] = box[i % box.length];
    out[i] = lo + (hi - lo) * rng.uniform();
  }
  return out;
}

/** Targets of a drawn task at `inputs` (points, inputs). */
function targetsAt(def: DrawnDef, inputs: Float64Array): DataSet {
  const count = inputs.length / def.inputs;
  const targets = new Float64Array(count * def.outputs);
  for (let p = 0; p < count; p++) def.target(inputs, p * def.inputs, targets, p * def.outputs);
  return { count, inputs, targets };
}

/**
 * Sum over outputs of the variance of the target over the box: the MSE per sample of the best
 * constant predictor, by the midpoint rule on a grid of about 200k points (200,000 in 1-D).
 */
function drawnBaseline(def: DrawnDef): number {
  const per = Math.max(2, Math.round(200_000 ** (1 / def.inputs)));
  const count = per ** def.inputs;
  const x = new Float64Array(def.inputs);
  const y = new Float64Array(def.outputs);
  const sum = new Float64Array(def.outputs);
  const sumSq = new Float64Array(def.outputs);
  for (let p = 0; p < count; p++) {
    let rest = p;
    for (let k = def.inputs - 1; k >= 0; k--) {
      const [lo, hi] = def.box[k];
      x[k] = lo + (((rest % per) + 0.5) / per) * (hi - lo);
      rest = Math.floor(rest / per);
    }
    def.target(x, 0, y, 0);
    for (let k = 0; k < def.outputs; k++) {
      sum[k] += y[k];
      sumSq[k] += y[k] * y[k];
    }
  }
  let total = 0;
  for (let k = 0; k < def.outputs; k++) total += sumSq[k] / count - (sum[k] / count) ** 2;
  return total;
}

const drawnCache = new Map<string, Task>();
/** Drawn tasks kept (each holds its test set and baseline): the built-ins and the last few expressions. */
const DRAWN_CACHE_SIZE = 16;

/**
 * A drawn task with its test set, baseline, probe and view (the same for every spec: computed
 * once per `key`, the task's name or an expression with its domain).
 */
export function drawnTask(def: DrawnDef, key: string = def.name): Task {
  let task = drawnCache.get(key);
  if (task) return task;
  const oneD = def.inputs === 1;
  const testInputs = oneD ? linspace(def.box[0][0], def.box[0][1], TEST_POINTS) : def.inputs === 2 ? evenGrid(def.box, 21 * 21).inputs : boxSample(def.box, 1000, STREAM.taskTest);
  const test = targetsAt(def, testInputs);
  const probe = oneD ? linspace(def.box[0][0], def.box[0][1], PROBE_POINTS) : def.inputs === 2 ? evenGrid(def.box, 11 * 11).inputs : boxSample(def.box, PROBE_POINTS, STREAM.taskProbe);
  const view: ViewPoints = oneD ? { inputs: test.inputs as Float64Array, grid: [TEST_POINTS] } : def.inputs === 2 ? evenGrid(def.box, VIEW_GRID * VIEW_GRID) : { inputs: test.inputs.slice(0, VIEW_SAMPLES * def.inputs) as Float64Array, grid: [], fromTest: true };
  const probeDescription = probeWords({ drawn: true, inputs: def.inputs, points: probe.length / def.inputs });
  task = { ...def, sampling: 'draws', storedData: false, train: null, test, baseline: { mse: drawnBaseline(def), majorityShare: null }, probe, probeDescription, view };
  if (drawnCache.size >= DRAWN_CACHE_SIZE) drawnCache.delete(drawnCache.keys().next().value!);
  drawnCache.set(key, task);
  return task;
}

/** The class of each one-hot row: the index of its largest target. */
export function classOf(targets: ArrayLike<number>, row: number, outputs: number): number {
  let best = 0;
  for (let k = 1; k < outputs; k++) if (targets[row * outputs + k] > targets[row * outputs + best]) best = k;
  return best;
}

/** The rows `order[from …to)` of a data set, as a data set of their own (of numbers: subsets are made of tables). */
function subset(data: DataSet, order: Uint32Array, from: number, to: number, inputs: number, outputs: number): DataSet {
  if (data.byteValues) throw new RangeError('a data set of bytes (images) comes with its own split');
  const count = to - from;
  const x = new Float64Array(count * inputs);
  const y = new Float64Array(count * outputs);
  for (let i = 0; i < count; i++) {
    const r = order[from + i];
    x.set(data.inputs.subarray(r * inputs, (r + 1) * inputs), i * inputs);
    y.set(data.targets.subarray(r * outputs, (r + 1) * outputs), i * outputs);
  }
  return { count, inputs: x, targets: y };
}

/** Fisher–Yates over order[0 … n) with draws from rng. */
export function shuffleInPlace(order: Uint32Array, n: number, rng: Rng): void {
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

/** How many of `samples` samples train (at least one of each part). */
export function trainCount(samples: number, trainFraction: number): number {
  return Math.floor(samples * trainFraction);
}

/**
 * Samples in a finite task's training set (null for a task that draws fresh samples for every
 * batch, or a table whose rows are not known here): what an epoch counts and what a batch may hold
 * at most. The lab's checks (parseRunSpec) and the New run form's batch fit read this one count.
 */
export function trainingSamples(spec: { task: TaskName; samples: number; trainFraction: number }, table: { rows: number } | undefined): number | null {
  const def = TASK_DEFS[spec.task];
  switch (def.sampling) {
    case 'generated':
      return trainCount(spec.samples, spec.trainFraction);
    case 'images':
      return def.trainCount;
    case 'table':
      return table ? trainCount(table.rows, spec.trainFraction) : null;
    default:
      return null;
  }
}

/**
 * A default batch bounded by the training set (`train` samples; null: the task draws fresh samples):
 * the whole set where it is smaller, so no batch holds a sample twice. One rule for the lab (a spec
 * that leaves its batch out) and the New run form (the batch it gave).
 */
export function batchWithinSet(batch: number, train: number | null): number {
  return train !== null && train >= 1 && batch > train ? train : batch;
}

/** Rows [from, to) of a data set's inputs as numbers (bytes turned into their values), (to − from, inputs). */
export function inputRows(data: DataSet, from: number, to: number, inputs: number): Float64Array {
  const x = data.inputs.subarray(from * inputs, to * inputs);
  const values = data.byteValues;
  if (!values) return Float64Array.from(x);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = values[x[i]];
  return out;
}

/**
 * Copies sample `row`'s inputs into out[at …] (the hot path of batches and evaluations: no
 * allocation; bytes through their values' table).
 */
export function copyInputs(data: Pick<DataSet, 'inputs' | 'byteValues'>, row: number, inputs: number, out: FloatArray, at: number): void {
  const x = data.inputs;
  const src = row * inputs;
  const values = data.byteValues;
  if (values) for (let k = 0; k < inputs; k++) out[at + k] = values[x[src + k]];
  else for (let k = 0; k < inputs; k++) out[at + k] = x[src + k];
}

/** At most this many test samples are the view of a task with no grid to draw (a table of many inputs, images). */
export const VIEW_SAMPLES = 64;

/**
 * A finite task from its description and its training and test sets: baseline, probe (the first
 * MAX_PROBE_SAMPLES training samples: the data's own points) and view (a grid over a plane for two
 * inputs, a line for one, the first VIEW_SAMPLES test samples otherwise). `storedData`: the
 * samples come from a stored data set (Task.storedData).
 */
export function finiteTask(info: TaskInfo, train: DataSet, test: DataSet, storedData = false): Task {
  const { inputs, outputs } = info;
  let baseline: Baseline;
  if (info.kind === 'classification') {
    const counts = new Float64Array(outputs);
    for (let i = 0; i < train.count; i++) counts[classOf(train.targets, i, outputs)]++;
    let majority = 0;
    for (let k = 1; k < outputs; k++) if (counts[k] > counts[majority]) majority = k;
    let hits = 0;
    for (let i = 0; i < test.count; i++) if (classOf(test.targets, i, outputs) === majority) hits++;
    baseline = { mse: null, majorityShare: test.count ? hits / test.count : NaN };
  } else {
    // the constant that predicts best on average is the training targets' mean; its MSE on the test set
    const mean = new Float64Array(outputs);
    for (let i = 0; i < train.count; i++) for (let k = 0; k < outputs; k++) mean[k] += train.targets[i * outputs + k] / train.count;
    let sq = 0;
    for (let i = 0; i < test.count; i++) for (let k = 0; k < outputs; k++) sq += (test.targets[i * outputs + k] - mean[k]) ** 2;
    baseline = { mse: test.count ? sq / test.count : NaN, majorityShare: null };
  }
  const probe = inputRows(train, 0, Math.min(train.count, MAX_PROBE_SAMPLES), inputs);
  const view: ViewPoints =
    inputs === 2
      ? { inputs: gridPoints(info.box, [VIEW_GRID, VIEW_GRID]), grid: [VIEW_GRID, VIEW_GRID] }
      : inputs === 1
        ? viewLine(info.box)
        : { inputs: inputRows(test, 0, Math.min(VIEW_SAMPLES, test.count), inputs), grid: [], fromTest: true };
  const probed = probe.length / inputs;
  const probeDescription = probeWords({ drawn: false, inputs, points: probed, trainCount: train.count });
  return { ...info, sampling: 'finite', storedData, train, test, baseline, probe, probeDescription, view };
}

function viewLine(box: readonly (readonly [number, number])[]): ViewPoints {
  return { inputs: linspace(box[0][0], box[0][1], TEST_POINTS), grid: [TEST_POINTS] };
}

/**
 * A finite data set split into training and test parts: shuffled by `rng`, the first
 * trainCount(count, trainFraction) samples train (Playground's split).
 */
export function splitData(data: DataSet, trainFraction: number, rng: Rng, inputs: number, outputs: number): { train: DataSet; test: DataSet } {
  const order = new Uint32Array(data.count);
  for (let i = 0; i < data.count; i++) order[i] = i;
  shuffleInPlace(order, data.count, rng);
  const cut = trainCount(data.count, trainFraction);
  return { train: subset(data, order, 0, cut, inputs, outputs), test: subset(data, order, cut, data.count, inputs, outputs) };
}

/** A generated data set (every sample, in generation order). */
export function generateData(def: GeneratedDef, samples: number, noise: number, rng: Rng): DataSet {
  const inputs = new Float64Array(samples * 2);
  const targets = new Float64Array(samples * def.outputs);
  let i = 0;
  def.generate(samples, noise, rng, (x1, x2, cls) => {
    if (i >= samples) throw new RangeError(`task ${def.name} generated more than ${samples} samples`);
    inputs[i * 2] = x1;
    inputs[i * 2 + 1] = x2;
    targets[i * def.outputs + cls] = 1;
    i++;
  });
  if (i !== samples) throw new RangeError(`task ${def.name} generated ${i} samples, not ${samples}`);
  return { count: samples, inputs, targets };
}

/**
 * A built-in task with data of its own (drawn, or generated from the data seed on its own stream,
 * so the batch order's stream is not shifted), resolved with the spec's task parameters: what the
 * app draws again in its thumbnails and boundaries. resolveSpecTask (task-resolve.ts) is the one
 * path for every task, and comes here for these.
 */
export function resolveTask(name: TaskName, settings: Pick<TaskSettings, 'noise' | 'samples' | 'trainFraction' | 'dataSeed'>): Task {
  const def = TASK_DEFS[name];
  if (def.sampling === 'draws') return drawnTask(def);
  if (def.sampling !== 'generated') throw new RangeError(`task ${name} needs its spec and data (resolveSpecTask)`);
  const rng = createRng(settings.dataSeed, STREAM.dataset);
  const all = generateData(def, settings.samples, settings.noise, rng);
  const { train, test } = splitData(all, settings.trainFraction, rng, def.inputs, def.outputs);
  return finiteTask(def, train, test);
}
