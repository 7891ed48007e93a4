/**
 * Series arithmetic for charts: smoothing, decimation, the x axis in batches / samples / seconds,
 * aggregation of replicate curves, time to a target. Pure; null stands for a missing or
 * non-finite value (NaN and Infinity arrive as null over the wire) and is carried through as a gap.
 * Quantiles and summaries come from analysis/stats, the one definition the CLI and the lab use.
 */
import type { WireSeries } from '@main/api/contract';
import { quantileSorted } from '@main/analysis/stats';

export { batchesToTarget } from '@main/analysis/stats';

export interface Point {
  x: number;
  y: number | null;
}

/**
 * Exponential moving average with TensorBoard's debiasing: weight 0 returns the values, 0.9
 * averages over roughly the last 10 points. The first values are not pulled toward 0 (the
 * running sum is divided by 1 − weightⁿ). Nulls stay null and do not move the average.
 */
export function ema(values: readonly (number | null)[], weight: number): (number | null)[] {
  if (!(weight > 0)) return values.slice();
  const w = Math.min(weight, 0.999);
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    last = last * w + (1 - w) * v;
    n++;
    return last / (1 - w ** n);
  });
}

/**
 * At most about maxPoints points, keeping the shape: the x range is cut into buckets of equal
 * width and each bucket keeps its lowest and highest point in x order (spikes and divergence stay
 * visible); the first and last points are always kept. Gaps (null) are kept as one null per bucket
 * that has one. Buckets by x, not by index, so points spread unevenly in x (a live curve thinned
 * again and again as it grows) come out evenly spread instead of thinned harder where they were
 * sparse already. Points are in x order.
 */
export function decimate(points: readonly Point[], maxPoints: number): Point[] {
  const n = points.length;
  if (n <= maxPoints || maxPoints < 4) return points.slice();
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
  const x0 = points[0].x;
  const span = points[n - 1].x - x0;
  const byX = span > 0 && Number.isFinite(span);
  // a point whose x is not a number falls in bucket −1 with its neighbours alike (as NaN it equalled no bucket, and the loop below never moved on)
  const bucketOf = (i: number) => {
    const b = byX ? Math.min(buckets - 1, Math.floor(((points[i].x - x0) / span) * buckets)) : Math.floor(((i - 1) / (n - 2)) * buckets);
    return Number.isNaN(b) ? -1 : b;
  };
  const out: Point[] = [points[0]];
  let i = 1;
  while (i < n - 1) {
    const b = bucketOf(i);
    let lo = -1;
    let hi = -1;
    let gap = -1;
    for (; i < n - 1 && bucketOf(i) === b; i++) {
      const y = points[i].y;
      if (y === null) {
        if (gap < 0) gap = i;
        continue;
      }
      if (lo < 0 || y < (points[lo].y as number)) lo = i;
      if (hi < 0 || y > (points[hi].y as number)) hi = i;
    }
    const keep = [lo, hi, gap].filter((k, j, a) => k >= 0 && a.indexOf(k) === j).sort((a, b2) => a - b2);
    for (const k of keep) out.push(points[k]);
  }
  out.push(points[n - 1]);
  return out;
}

export type XAxis = 'batch' | 'samples' | 'seconds';

export const X_LABELS: Record<XAxis, string> = {
  batch: 'batch',
  samples: 'training samples seen',
  seconds: 'training time (s)',
};

/** How a run's batch numbers map to the chosen x axis. */
export interface XScale {
  batchSize: number;
  /** Training time per batch in ms (total train time / batches run); null when unknown. */
  msPerBatch: number | null;
}

/** x of batch number b (1-based: the cost of the first batch is at x = 1 batch). */
export function xOf(axis: XAxis, batch: number, s: XScale): number | null {
  if (axis === 'batch') return batch;
  if (axis === 'samples') return batch * s.batchSize;
  return s.msPerBatch === null ? null : (batch * s.msPerBatch) / 1000;
}

/** A stored series (values, with their indices into the full series when decimated) as points. */
export function toPoints(data: readonly (number | null)[], index: readonly number[] | undefined, axis: XAxis, s: XScale): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < data.length; i++) {
    const x = xOf(axis, (index ? index[i] : i) + 1, s);
    if (x !== null) out.push({ x, y: data[i] });
  }
  return out;
}

/** Same points with y replaced (e.g. smoothed). */
export function withY(points: readonly Point[], ys: readonly (number | null)[]): Point[] {
  return points.map((p, i) => ({ x: p.x, y: ys[i] ?? null }));
}

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

export function sd(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / (xs.length - 1));
}

export interface Band {
  x: number[];
  /** The centre line: mean or median. */
  mean: (number | null)[];
  lo: (number | null)[];
  hi: (number | null)[];
  /** Curves with a value at each x (zeros and, with nonFinite 'worst', non-finite values included). */
  n: number[];
  /** Of those, curves whose value is exactly 0 there (a log axis cannot draw 0: say how many). */
  zeros: number[];
  /** Of those, curves whose value is not finite there (diverged), counted as +∞ with nonFinite 'worst'. */
  nonFinite: number[];
}

export type Aggregate = 'median' | 'mean';

export interface BandOptions {
  /**
   * What a non-finite value (NaN, ±∞; null is a gap, not a value) is: 'drop'
   * leaves it out of n (a fit whose estimate is NaN says nothing about where the others are),
   * 'worst' counts it as +∞ (a diverged cost or gradient is larger than any finite one, so the
   * median moves up, as it should, instead of forgetting the run).
   */
  nonFinite?: 'drop' | 'worst';
}

/**
 * A centre line and a band over curves that share their x positions (replicates of one config),
 * point by point. 'mean': mean ± 1 sd, clipped to the curves' own range (so it never dips below
 * the lowest curve, or below 0 for a cost on a log axis). 'median': median with the 25–75 % band
 * — honest when the seeds split into two basins (converged and stuck), where the mean sits
 * between them, far from every run. Zeros are values like any other (a gradient of exactly 0 is
 * the finding, not a gap); a point with y null is a gap (no value there), and a non-finite y is
 * dropped or counted as +∞ (options.nonFinite).
 */
export function meanBand(curves: readonly Point[][], how: Aggregate = 'mean', options: BandOptions = {}): Band {
  const worst = options.nonFinite === 'worst';
  const len = Math.max(0, ...curves.map((c) => c.length));
  const band: Band = { x: [], mean: [], lo: [], hi: [], n: [], zeros: [], nonFinite: [] };
  for (let i = 0; i < len; i++) {
    const ys: number[] = [];
    let x: number | null = null;
    let zeros = 0;
    let bad = 0;
    for (const c of curves) {
      const p = c[i];
      if (!p) continue;
      x ??= p.x;
      const y = p.y;
      if (y !== null && Number.isFinite(y)) {
        ys.push(y);
        if (y === 0) zeros++;
      } else if (y !== null && worst) {
        ys.push(Infinity);
        bad++;
      }
    }
    if (x === null) continue;
    band.x.push(x);
    band.n.push(ys.length);
    band.zeros.push(zeros);
    band.nonFinite.push(bad);
    if (ys.length === 0) {
      band.mean.push(null);
      band.lo.push(null);
      band.hi.push(null);
      continue;
    }
    if (how === 'median') {
      ys.sort((p, q) => p - q);
      band.mean.push(quantileSorted(ys, 0.5));
      band.lo.push(quantileSorted(ys, 0.25));
      band.hi.push(quantileSorted(ys, 0.75));
      continue;
    }
    if (bad) {
      // the mean of values one of which is +∞ is +∞: nothing to draw, and no sd either
      band.mean.push(Infinity);
      band.lo.push(Math.min(...ys));
      band.hi.push(Infinity);
      continue;
    }
    const m = mean(ys);
    const s = sd(ys);
    band.mean.push(m);
    band.lo.push(Math.max(m - s, Math.min(...ys)));
    band.hi.push(Math.min(m + s, Math.max(...ys)));
  }
  return band;
}

/** "14 of 20", or "14–17 of 20" when the count varies along the curve; null when it is 0 everywhere. */
export function countAlong(counts: readonly number[], n: readonly number[]): string | null {
  let lo = Infinity;
  let hi = 0;
  let total = 0;
  counts.forEach((k, i) => {
    if (n[i] === 0) return;
    lo = Math.min(lo, k);
    hi = Math.max(hi, k);
    total = Math.max(total, n[i]);
  });
  if (hi === 0) return null;
  return `${lo === hi ? hi : `${lo}–${hi}`} of ${total}`;
}

/**
 * Where row k of a series with a row per checkpoint (estimates: checkpoints × points × outputs)
 * starts in its `data`, or null when the series does not hold that row: decimated, or a page of
 * another row (the lab sends the last reached checkpoint's row alone until the fit slider moves).
 */
export function checkpointRowOffset(s: WireSeries, k: number): number | null {
  if (s.index || s.shape.length < 2 || k < 0 || k >= s.shape[0]) return null;
  const row = s.shape.slice(1).reduce((a, b) => a * b, 1);
  const start = k * row - (s.from ?? 0);
  return start >= 0 && start + row <= s.data.length ? start : null;
}
