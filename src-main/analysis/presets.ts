/**
 * The seed's two exercises as one-click sweeps (their readings come from reading.ts, as any
 * comparison's do). Pure (no Node, no DOM): the CLI (`nnlab sweep --preset`), the lab and the
 * renderer's start screen share this one definition. Each pairs its configurations by seed
 * (replicate r of every configuration gets the same init and data seeds), so the comparison it
 * opens answers the exercise's question with 20 seeds behind each number.
 */

/**
 * A sweep as given (the lab's SweepInput, which parseSweep validates): spec fields, a grid, seeds
 * per configuration. A type, not an interface, so it is a plain record where the API takes one.
 */
export type PresetSweep = {
  name?: string;
  base: Record<string, unknown>;
  grid: Record<string, unknown[]>;
  replicates: number;
  /** Time the configurations honestly too (warm-up, interleaved repeats; see trainer/timing.ts); a field left out takes TIMING_DEFAULTS. */
  timing?: { repeats?: number; warmup?: number; targetMse?: number };
};

export const PRESET_NAMES = ['init-mean', 'relu-vs-sigmoid', 'circle-init-mean', 'spiral-relu-vs-sigmoid'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface Preset {
  name: PresetName;
  title: string;
  question: string;
  sweep: PresetSweep;
}

export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  'init-mean': {
    name: 'init-mean',
    title: 'Init mean 0 vs −eps (relu, 20 seeds)',
    question: 'Change the init mean from 0 to −eps: why do we sometimes get bad results?',
    sweep: { name: 'Exercise 1: init mean 0 vs −eps (relu)', base: { activation: 'relu' }, grid: { initMean: [0, '-eps'] }, replicates: 20 },
  },
  'relu-vs-sigmoid': {
    name: 'relu-vs-sigmoid',
    title: 'relu vs sigmoid, same steps, timed (20 seeds)',
    question: 'Try sigmoid instead of relu: what is the difference for the same number of steps? Time the learning too.',
    sweep: { name: 'Exercise 2: relu vs sigmoid (same steps)', base: {}, grid: { activation: ['relu', 'sigmoid'] }, replicates: 20, timing: {} },
  },
  // the same two questions on Playground's 2-D classification sets, with the task's own network
  // (2 inputs, 8 + 8 hidden, softmax over 2 classes, cross-entropy): on circle the seed's
  // settings learn from mean 0 and a mean of −eps kills whole hidden layers in some seeds; spiral
  // needs a wider network, a larger init and more steps before relu learns it at all (at the seed's
  // settings both underfit), and at those sigmoid still underfits
  'circle-init-mean': {
    name: 'circle-init-mean',
    title: 'Init mean 0 vs −eps on circle (relu, 20 seeds)',
    question: 'On Playground’s circle, change the init mean from 0 to −eps: why do we sometimes get bad results?',
    sweep: { name: 'Exercise 1 on circle: init mean 0 vs −eps (relu)', base: { task: 'circle', activation: 'relu' }, grid: { initMean: [0, '-eps'] }, replicates: 20 },
  },
  'spiral-relu-vs-sigmoid': {
    name: 'spiral-relu-vs-sigmoid',
    title: 'relu vs sigmoid on spiral, same steps, timed (20 seeds)',
    question: 'On Playground’s spiral, try sigmoid instead of relu: what is the difference for the same number of steps? Time the learning too.',
    sweep: {
      name: 'Exercise 2 on spiral: relu vs sigmoid (same steps)',
      base: { task: 'spiral', shape: [2, 16, 16, 2], eps: 0.5, learningRate: 0.3, batches: 2000 },
      grid: { activation: ['relu', 'sigmoid'] },
      replicates: 20,
      timing: {},
    },
  },
};

/** The presets in the order they are offered. */
export const PRESET_LIST: readonly Preset[] = PRESET_NAMES.map((n) => PRESETS[n]);

/** Number of runs a sweep creates: the product of the value counts times the replicates. */
export function sweepRunCount(grid: Record<string, readonly unknown[]>, replicates: number): number {
  let n = Math.max(0, Math.floor(replicates));
  for (const values of Object.values(grid)) n *= values.length;
  return n;
}
