/**
 * The seed's two exercises as one-click sweeps, and a plain reading of their results generated
 * from the measured numbers. Pure (no Node, no DOM): the CLI (`nnlab sweep --preset`), the lab and
 * the renderer's start screen share this one definition. Each pairs its configurations by seed
 * (replicate r of every configuration gets the same init and data seeds), so the comparison it
 * opens answers the exercise's question with 20 seeds behind each number.
 */
import type { RunSummary } from '../db/types';
import { groupByConfig, median, wilsonInterval } from './stats';

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

export const PRESET_NAMES = ['init-mean', 'relu-vs-sigmoid'] as const;
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
};

/** The presets in the order they are offered. */
export const PRESET_LIST: readonly Preset[] = PRESET_NAMES.map((n) => PRESETS[n]);

/** Number of runs a sweep creates: the product of the value counts times the replicates. */
export function sweepRunCount(grid: Record<string, readonly unknown[]>, replicates: number): number {
  let n = Math.max(0, Math.floor(replicates));
  for (const values of Object.values(grid)) n *= values.length;
  return n;
}

export interface DeadAtInit {
  runId: number;
  /** Dead units per layer at init (hidden layers, then the output layer). */
  dead: number[];
  units: number[];
}

function pct(x: number): string {
  return `${Math.round(100 * x)} %`;
}

/**
 * One paragraph answering the preset's question from its runs. `deadAtInit` (optional) adds how
 * many failed runs started with dead units.
 */
export function readPreset(name: PresetName, runs: readonly RunSummary[], deadAtInit: readonly DeadAtInit[] = []): string {
  const groups = groupByConfig(runs).filter((g) => g.finished > 0);
  if (groups.length < 2) return 'Not enough finished runs yet to answer the question.';
  const label = (g: (typeof groups)[number]) =>
    name === 'init-mean' ? (g.example.spec.initMean === 0 ? 'mean 0' : `mean ${g.example.spec.initMean === -g.example.spec.eps ? '−eps' : g.example.spec.initMean}`) : g.example.spec.activation;
  const parts = groups.map((g) => {
    const ci = wilsonInterval(g.failedCount, g.finished);
    return `${label(g)}: ${g.failedCount} of ${g.finished} seeds failed (95 % interval ${pct(ci.low)}–${pct(ci.high)}), median final cost ${g.medianFinalCost.toFixed(3)}, median training time ${g.medianTrainMs.toFixed(1)} ms`;
  });
  let reading = `${parts.join('; ')}.`;
  if (name === 'init-mean') {
    const dead = new Map(deadAtInit.map((d) => [d.runId, d]));
    const minus = groups.find((g) => g.example.spec.initMean < 0);
    if (minus && dead.size) {
      const failed = minus.runs.filter((r) => r.failed || r.status === 'diverged');
      const outputDead = failed.filter((r) => {
        const d = dead.get(r.id);
        return d && d.dead[d.dead.length - 1] > 0;
      }).length;
      const allHiddenDead = failed.filter((r) => {
        const d = dead.get(r.id);
        return d && d.dead.slice(0, -1).every((n, i) => n === d.units[i]);
      }).length;
      reading += ` With mean −eps, ${outputDead} of the ${failed.length} failed runs had a dead output unit at init, and ${allHiddenDead} had every hidden unit dead: a relu unit whose pre-activation is negative on the whole input range outputs 0 and passes no gradient, so it never recovers.`;
    }
  } else {
    const [a, b] = groups;
    const ratio = b.medianTrainMs / a.medianTrainMs;
    reading += ` For the same ${a.example.spec.batches} steps, ${label(a)} ends at median cost ${a.medianFinalCost.toFixed(3)} and ${label(b)} at ${b.medianFinalCost.toFixed(3)}; ${label(b)} takes ${ratio.toFixed(2)}× the time of ${label(a)} per run.`;
  }
  const medians = groups.map((g) => median(g.runs.map((r) => r.finalCost ?? Infinity)));
  if (medians.some((m) => !Number.isFinite(m))) reading += ' Some runs diverged (cost not finite).';
  return reading;
}
