/**
 * Summaries of groups of runs (replicates of one configuration): failure counts, medians. Pure.
 * A run failed when it learned nothing (final MSE per sample not below the best constant
 * predictor's), diverged, or ended in an error.
 */
import type { RunSummary } from '../db/store';

export function runFailed(r: Pick<RunSummary, 'status' | 'failed'>): boolean {
  return r.status === 'diverged' || r.status === 'failed' || r.failed === true;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface ConfigGroup {
  configKey: string;
  /** One run of the group (its spec describes the configuration; seeds vary within the group). */
  example: RunSummary;
  runs: RunSummary[];
  /** Runs that ended (done, diverged or failed); queued, running, cancelled and interrupted runs are left out. */
  finished: number;
  failedCount: number;
  medianFinalCost: number;
  medianTrainMs: number;
}

/** Groups runs by configuration (spec without seeds), in order of first appearance. */
export function groupByConfig(runs: readonly RunSummary[]): ConfigGroup[] {
  const groups = new Map<string, RunSummary[]>();
  for (const r of runs) {
    const g = groups.get(r.configKey);
    if (g) g.push(r);
    else groups.set(r.configKey, [r]);
  }
  return [...groups.entries()].map(([configKey, list]) => {
    const ended = list.filter((r) => r.status === 'done' || r.status === 'diverged' || r.status === 'failed');
    return {
      configKey,
      example: list[0],
      runs: list,
      finished: ended.length,
      failedCount: ended.filter(runFailed).length,
      medianFinalCost: median(ended.map((r) => r.finalCost ?? Infinity)),
      medianTrainMs: median(ended.filter((r) => r.trainMs !== null).map((r) => r.trainMs!)),
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

/** Small seeded generator for resampling (mulberry32): reproducible bootstrap intervals. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Percentile (linear interpolation between order statistics) of sorted values, q in [0, 1]. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
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

export interface PairedComparison {
  /** Pairs found: runs of A and B with the same (initSeed, dataSeed). */
  pairs: number;
  /** finalCost(A) − finalCost(B) per pair, in pair order. */
  differences: number[];
  medianDifference: number;
  ci: { low: number; high: number };
  /** Fraction of pairs where A ended with the lower cost (ties count half). */
  winRateA: number;
}

/** Compares two configurations run as pairs (same seeds): the median paired difference with a bootstrap CI, and A's win rate. */
export function pairedComparison(a: readonly RunSummary[], b: readonly RunSummary[], seed = 1): PairedComparison {
  const key = (r: RunSummary) => `${r.initSeed}/${r.dataSeed}`;
  const bByKey = new Map(b.map((r) => [key(r), r]));
  const differences: number[] = [];
  let wins = 0;
  for (const ra of a) {
    const rb = bByKey.get(key(ra));
    if (!rb) continue;
    const ca = ra.finalCost ?? Infinity;
    const cb = rb.finalCost ?? Infinity;
    const d = ca === cb ? 0 : ca - cb;
    differences.push(d);
    wins += ca < cb ? 1 : ca === cb ? 0.5 : 0;
  }
  return {
    pairs: differences.length,
    differences,
    medianDifference: median(differences),
    ci: bootstrapMedianCI(differences, { seed }),
    winRateA: differences.length ? wins / differences.length : NaN,
  };
}
