/**
 * Summaries of groups of runs (replicates of one configuration): failure, grouping, medians, the
 * Wilson interval and a seeded bootstrap. Pure (no Node, no DOM): the CLI, the lab and the
 * renderer import this one definition.
 *
 * A run failed when it learned nothing (final MSE per sample not below the best constant
 * predictor's: the store's `failed`), diverged, or ended in an error. Queued, running, cancelled
 * and interrupted runs have no outcome and are not counted.
 */
import type { RunSummary } from '../db/types';
import { hasOutcome } from './status';

/** True/false for a run that ended; null while it has no outcome (queued, running, cancelled, interrupted). */
export function runFailed(r: Pick<RunSummary, 'status' | 'failed'>): boolean | null {
  if (!hasOutcome(r.status)) return null;
  return r.status === 'diverged' || r.status === 'failed' || r.failed === true;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Percentile (linear interpolation between order statistics, numpy's default) of sorted values, q in [0, 1]. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  // equal neighbours (∞ and ∞ among them) need no interpolation, which would give ∞ − ∞ = NaN;
  // between an infinite neighbour and another value the result is that infinity (−∞ wins over +∞)
  if (sorted[lo] === sorted[hi]) return sorted[lo];
  if (!Number.isFinite(sorted[lo])) return sorted[lo];
  if (!Number.isFinite(sorted[hi])) return sorted[hi];
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Median, quartiles, IQR and extremes of a set of values (timings, final costs, durations). */
export interface Stat {
  n: number;
  median: number;
  q1: number;
  q3: number;
  /** q3 − q1 */
  iqr: number;
  min: number;
  max: number;
}

/** The summary of the finite values (null and NaN are left out); null when there are none. */
export function stat(values: readonly (number | null | undefined)[]): Stat | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const q1 = quantileSorted(xs, 0.25);
  const q3 = quantileSorted(xs, 0.75);
  return { n: xs.length, median: median(xs), q1, q3, iqr: q3 - q1, min: xs[0], max: xs[xs.length - 1] };
}

/** What grouping needs of a run (the renderer groups partial summaries too). */
export type GroupRun = Pick<RunSummary, 'id' | 'status' | 'failed' | 'configKey'> & Partial<RunSummary>;

export interface ConfigGroup<R extends GroupRun = RunSummary> {
  /** The configuration: the spec without its seeds (the store's configKey). */
  key: string;
  /** Position among the groups (first appearance): the group's colour in the app. */
  index: number;
  /** One run of the group (its spec describes the configuration; seeds vary within the group). */
  example: R;
  runs: R[];
  /** Runs that ended (done, diverged or failed); queued, running, cancelled and interrupted runs are left out. */
  finished: number;
  failedCount: number;
  /** Over the ended runs; a run without a final cost (NaN) counts as +∞. NaN when none ended. */
  medianFinalCost: number;
  medianTrainMs: number;
}

/** Runs grouped by configuration (spec without seeds); groups and runs in order of first appearance. */
export function groupByConfig<R extends GroupRun = RunSummary>(runs: readonly R[]): ConfigGroup<R>[] {
  const groups = new Map<string, R[]>();
  for (const r of runs) {
    const g = groups.get(r.configKey);
    if (g) g.push(r);
    else groups.set(r.configKey, [r]);
  }
  return [...groups.entries()].map(([key, list], index) => {
    const ended = list.filter((r) => runFailed(r) !== null);
    return {
      key,
      index,
      example: list[0],
      runs: list,
      finished: ended.length,
      failedCount: ended.filter((r) => runFailed(r)).length,
      medianFinalCost: median(ended.map((r) => (typeof r.finalCost === 'number' ? r.finalCost : Infinity))),
      medianTrainMs: median(ended.flatMap((r) => (typeof r.trainMs === 'number' ? [r.trainMs] : []))),
    };
  });
}

/** Wilson score interval for k successes in n trials (95 % by default); [0, 1] for n = 0. */
export function wilsonInterval(k: number, n: number, z = 1.959963984540054): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export interface FailureRate {
  failed: number;
  /** Runs with an outcome. */
  n: number;
  /** Runs still queued or running (and cancelled/interrupted ones), not counted. */
  pending: number;
  /** Wilson 95 % interval of the failure probability; null when n = 0. */
  interval: [number, number] | null;
  /** "3 of 20 seeds failed". */
  text: string;
}

/** "k of n seeds failed" over the runs with an outcome, with its Wilson 95 % interval. */
export function failureRate(runs: readonly Pick<RunSummary, 'status' | 'failed'>[]): FailureRate {
  let failed = 0;
  let n = 0;
  for (const r of runs) {
    const f = runFailed(r);
    if (f === null) continue;
    n++;
    if (f) failed++;
  }
  const w = wilsonInterval(failed, n);
  const text = `${failed} of ${n} seed${n === 1 ? '' : 's'} failed`;
  return { failed, n, pending: runs.length - n, interval: n ? [w.low, w.high] : null, text };
}

/** Small seeded generator for resampling (mulberry32): reproducible bootstrap intervals. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Percentile bootstrap interval of the median of `xs` (seeded, so the same data give the same interval). */
export function bootstrapMedianCI(xs: readonly number[], options: { resamples?: number; level?: number; seed?: number } = {}): { low: number; high: number } {
  if (xs.length === 0) return { low: NaN, high: NaN };
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const rand = mulberry32(options.seed ?? 1);
  const medians = new Array<number>(resamples);
  const sample = new Array<number>(xs.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < xs.length; i++) sample[i] = xs[Math.floor(rand() * xs.length)];
    medians[r] = median(sample);
  }
  medians.sort((a, b) => a - b);
  return { low: quantileSorted(medians, (1 - level) / 2), high: quantileSorted(medians, 1 - (1 - level) / 2) };
}
