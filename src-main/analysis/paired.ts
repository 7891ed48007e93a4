/**
 * Paired comparison of two configurations run as pairs: replicate r of A and of B share their
 * init and data seeds (a sweep pairs them by construction), so they start from the same draw
 * where shapes allow and see the same batches. Differences within a pair remove most of the
 * seed-to-seed spread, which is what makes 20 seeds enough to tell two configurations apart.
 * Runs are compared by their test score at the end, lower is better: test MSE per sample for a
 * regression, test error (1 − accuracy) for a classification (what outcome.ts judges them by), and
 * over training by the loss-difference curve of the loss per sample per batch.
 * Pure (no Node, no DOM): the CLI and the renderer share it.
 */
import type { RunSummary } from '../db/types';
import { bootstrapMedianCI, median, quantileSorted } from './stats';
import { hasOutcome } from './status';

type Seeded = Pick<RunSummary, 'initSeed' | 'dataSeed'>;

export interface RunPair<R> {
  a: R;
  b: R;
}

const seedKey = (r: Seeded) => `${r.initSeed}/${r.dataSeed}`;

/** Runs of A and B with the same (initSeed, dataSeed), in A's order; each run is used at most once. */
export function pairRuns<R extends Seeded>(a: readonly R[], b: readonly R[]): RunPair<R>[] {
  const free = new Map<string, R[]>();
  for (const r of b) {
    const k = seedKey(r);
    const list = free.get(k);
    if (list) list.push(r);
    else free.set(k, [r]);
  }
  const pairs: RunPair<R>[] = [];
  for (const ra of a) {
    const rb = free.get(seedKey(ra))?.shift();
    if (rb) pairs.push({ a: ra, b: rb });
  }
  return pairs;
}

export interface PairedComparison {
  /** Pairs found among the runs with an outcome: runs of A and B with the same (initSeed, dataSeed). */
  pairs: number;
  /** Runs of A (of B) with an outcome but without a partner. */
  unpairedA: number;
  unpairedB: number;
  /** What is compared: 'test MSE' (regression runs) or 'test error' (1 − test accuracy, classification runs). */
  measure: TestMeasure;
  /** score(A) − score(B) per pair (the measure at the end), in pair order; a diverged run's is +∞. */
  differences: number[];
  medianDifference: number;
  /** Percentile bootstrap 95 % interval of the median difference (seeded: the same runs give the same interval). */
  ci: { low: number; high: number };
  /** Pairs where A (B) ended with the lower test MSE, and ties. */
  winsA: number;
  winsB: number;
  ties: number;
  /** Fraction of pairs where A ended lower (ties count half); NaN without pairs. */
  winRateA: number;
}

type PairedRun = Seeded & Pick<RunSummary, 'status' | 'testMse'> & Partial<Pick<RunSummary, 'kind' | 'testAccuracy'>>;

export type TestMeasure = 'test MSE' | 'test error';

/** A run's test MSE per sample; +∞ for a diverged run or one whose test MSE is not finite. */
export const testMseOf = (r: Pick<RunSummary, 'status' | 'testMse'>): number => (r.status !== 'diverged' && typeof r.testMse === 'number' && Number.isFinite(r.testMse) ? r.testMse : Infinity);

/** The measure of a run's kind: test error for a classification run, test MSE otherwise. */
export const measureOf = (r: Partial<Pick<RunSummary, 'kind'>>): TestMeasure => (r.kind === 'classification' ? 'test error' : 'test MSE');

/** A run's test score, lower is better: its test MSE, or its test error 1 − accuracy; +∞ for a diverged run or one without a finite score. */
export function testScoreOf(r: Pick<RunSummary, 'status' | 'testMse'> & Partial<Pick<RunSummary, 'kind' | 'testAccuracy'>>): number {
  if (measureOf(r) === 'test MSE') return testMseOf(r);
  return r.status !== 'diverged' && typeof r.testAccuracy === 'number' && Number.isFinite(r.testAccuracy) ? 1 - r.testAccuracy : Infinity;
}

/**
 * Compares two configurations run as pairs: the median paired difference in test MSE per sample
 * with a bootstrap CI (fixed seed), and A's win rate. Only runs with an outcome are paired.
 */
export function pairedComparison<R extends PairedRun>(a: readonly R[], b: readonly R[], seed = 1): PairedComparison {
  const ea = a.filter((r) => hasOutcome(r.status));
  const eb = b.filter((r) => hasOutcome(r.status));
  const pairs = pairRuns(ea, eb);
  const differences: number[] = [];
  let winsA = 0;
  let winsB = 0;
  for (const p of pairs) {
    const ca = testScoreOf(p.a);
    const cb = testScoreOf(p.b);
    differences.push(ca === cb ? 0 : ca - cb);
    if (ca < cb) winsA++;
    else if (cb < ca) winsB++;
  }
  const n = differences.length;
  const ties = n - winsA - winsB;
  return {
    pairs: n,
    measure: measureOf(ea[0] ?? eb[0] ?? {}),
    unpairedA: ea.length - n,
    unpairedB: eb.length - n,
    differences,
    medianDifference: median(differences),
    ci: bootstrapMedianCI(differences, { seed }),
    winsA,
    winsB,
    ties,
    winRateA: n ? (winsA + ties / 2) / n : NaN,
  };
}

/** A plain reading of the paired numbers: which configuration ends lower, and whether the interval excludes 0. */
export function pairedReading(a: string, b: string, c: PairedComparison): string {
  if (!c.pairs) return 'No pairs yet.';
  const m = c.measure;
  const wins = `${a} ends with the lower ${m} in ${c.winsA} of ${c.pairs} pairs, ${b} in ${c.winsB}${c.ties ? ` (${c.ties} ties)` : ''}`;
  if (c.ci.low > 0) return `With the same seeds, ${b} ends with the lower ${m}: the 95 % interval of the median difference lies above 0. ${wins}.`;
  if (c.ci.high < 0) return `With the same seeds, ${a} ends with the lower ${m}: the 95 % interval of the median difference lies below 0. ${wins}.`;
  return `The 95 % interval of the median difference includes 0: over these ${c.pairs} pairs neither configuration clearly ends lower. ${wins}.`;
}

/** A cost history: one value per batch, or a decimated one with the batch indices (0-based) kept. */
export interface CostSeries {
  /** null or a non-finite number: the cost was not finite at that batch (the history is dense). */
  data: ArrayLike<number | null>;
  index?: readonly number[];
  /** The run stopped at its divergence: its cost is +∞ at every later batch. */
  diverged?: boolean;
  /** The run's batch size: costs are divided by it (the seed's batch cost → MSE per sample). */
  batchSize?: number;
}

export interface DifferenceCurve {
  /** Batch numbers (1-based: the first batch's cost is at batch 1). */
  batch: number[];
  /** Median over the pairs of lossA − lossB at that batch. */
  median: (number | null)[];
  /** The band's edges (by default the 25th and 75th percentiles over the pairs). */
  lo: (number | null)[];
  hi: (number | null)[];
  /** Pairs with a value at that batch (a diverged run's +∞ included). */
  n: number[];
  /** Of those, pairs whose difference is ±∞ there (one of the two diverged). */
  nonFinite: number[];
  /** Pairs given. */
  pairs: number;
}

/**
 * A (possibly decimated) series as its batch indices, ascending, and their values; a non-finite
 * cost is +∞. An index given out of order, or twice, is read as a map from batch to its last value.
 */
function byBatch(s: CostSeries): { at: number[]; values: number[]; last: number } {
  const n = s.data.length;
  const value = (i: number) => {
    const v = s.data[i];
    return v === null || !Number.isFinite(v) ? Infinity : v / (s.batchSize ?? 1);
  };
  const at: number[] = new Array(n);
  const values: number[] = new Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    at[i] = s.index ? s.index[i] : i;
    values[i] = value(i);
    if (i > 0 && at[i] <= at[i - 1]) sorted = false;
  }
  if (!sorted) {
    const m = new Map<number, number>();
    for (let i = 0; i < n; i++) m.set(at[i], values[i]);
    const keys = [...m.keys()].sort((x, y) => x - y);
    return { at: keys, values: keys.map((k) => m.get(k)!), last: keys.length ? keys[keys.length - 1] : -1 };
  }
  return { at, values, last: n ? at[n - 1] : -1 };
}

/**
 * The loss-difference curve lossA(t) − lossB(t) of paired runs: per batch, the median over the
 * pairs and a band (25–75 % by default). A non-finite cost counts as +∞, and a run that stopped
 * at its divergence stays at +∞ while its partner trains on, so a diverged pair is counted (as
 * ±∞, or 0 when both diverged) instead of dropping out of the median. Decimated to at most about
 * `maxPoints` batches (every k-th batch, the last one kept).
 */
export function lossDifferenceCurve(pairs: readonly RunPair<CostSeries>[], options: { maxPoints?: number; band?: [number, number] } = {}): DifferenceCurve {
  const maxPoints = Math.max(2, options.maxPoints ?? 500);
  const [qLo, qHi] = options.band ?? [0.25, 0.75];
  // per pair, the batches where both sides have a value (a diverged side +∞ past its last), ascending, and A − B there
  const diffs = pairs.map(({ a, b }) => {
    const ma = byBatch(a);
    const mb = byBatch(b);
    const at: number[] = [];
    const d: number[] = [];
    let p = 0;
    let q = 0;
    while (p < ma.at.length || q < mb.at.length) {
      const i = Math.min(p < ma.at.length ? ma.at[p] : Infinity, q < mb.at.length ? mb.at[q] : Infinity);
      const va = ma.at[p] === i ? ma.values[p++] : a.diverged && i > ma.last ? Infinity : undefined;
      const vb = mb.at[q] === i ? mb.values[q++] : b.diverged && i > mb.last ? Infinity : undefined;
      if (va !== undefined && vb !== undefined) {
        at.push(i);
        d.push(va === vb ? 0 : va - vb);
      }
    }
    return { at, d };
  });
  const all = new Set<number>();
  for (const { at } of diffs) for (const i of at) all.add(i);
  let batches = [...all].sort((x, y) => x - y);
  if (batches.length > maxPoints) {
    const stride = Math.ceil(batches.length / maxPoints);
    const kept = batches.filter((_, k) => k % stride === 0);
    if (kept[kept.length - 1] !== batches[batches.length - 1]) kept.push(batches[batches.length - 1]);
    batches = kept;
  }
  const curve: DifferenceCurve = { batch: [], median: [], lo: [], hi: [], n: [], nonFinite: [], pairs: pairs.length };
  // the batches ascend, and so does each pair's list: one cursor a pair
  const cursor = diffs.map(() => 0);
  for (const i of batches) {
    const ys: number[] = [];
    for (let k = 0; k < diffs.length; k++) {
      const { at, d } = diffs[k];
      while (cursor[k] < at.length && at[cursor[k]] < i) cursor[k]++;
      if (at[cursor[k]] === i) ys.push(d[cursor[k]]);
    }
    ys.sort((x, y) => x - y);
    curve.batch.push(i + 1);
    curve.n.push(ys.length);
    curve.nonFinite.push(ys.filter((v) => !Number.isFinite(v)).length);
    curve.median.push(ys.length ? quantileSorted(ys, 0.5) : null);
    curve.lo.push(ys.length ? quantileSorted(ys, qLo) : null);
    curve.hi.push(ys.length ? quantileSorted(ys, qHi) : null);
  }
  return curve;
}
