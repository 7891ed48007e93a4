/**
 * Statistics shared by every analysis: medians and quantiles (numpy's linear rule), a summary
 * (median, quartiles, extremes), the Wilson interval of a rate and a seeded bootstrap. Pure (no
 * Node, no DOM): the CLI, the lab and the renderer import this one definition.
 */

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

/**
 * The summary of the values; null when there are none. By default only finite values count (null,
 * NaN and ±∞ are left out: a timing that was not taken). With `worst`, every value counts and a
 * missing or non-finite one is +∞ (a diverged run's error is larger than any finite one, so the
 * median moves up instead of forgetting the run); undefined is still no value.
 */
export function stat(values: readonly (number | null | undefined)[], options: { worst?: boolean } = {}): Stat | null {
  const xs = (
    options.worst
      ? values.filter((v) => v !== undefined).map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : Infinity))
      : values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  ).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const q1 = quantileSorted(xs, 0.25);
  const q3 = quantileSorted(xs, 0.75);
  return { n: xs.length, median: median(xs), q1, q3, iqr: q3 - q1, min: xs[0], max: xs[xs.length - 1] };
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

/**
 * First batch (1-based) at which the mean of the last `window` values (a full window) is at or
 * below the target, or null when it never is. A missing or non-finite value counts as never
 * reached. The same rule as the honest timing's (trainer/timing.ts, which the core keeps as its
 * own since it imports nothing outside itself).
 */
export function batchesToTarget(values: ArrayLike<number | null>, target: number, window = 10): number | null {
  const w = Math.max(1, Math.min(window, values.length));
  for (let i = w - 1; i < values.length; i++) {
    let sum = 0;
    for (let k = i - w + 1; k <= i; k++) {
      const v = values[k];
      sum += v === null || !Number.isFinite(v) ? Infinity : v;
    }
    if (sum / w <= target) return i + 1;
  }
  return null;
}
