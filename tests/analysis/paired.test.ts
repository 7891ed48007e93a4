import { describe, expect, it } from 'vitest';
import { lossDifferenceCurve, pairedComparison, pairRuns } from '../../src-main/analysis/paired';
import type { RunSummary } from '../../src-main/db/types';

function run(over: Partial<RunSummary>): RunSummary {
  return { id: 1, status: 'done', configKey: 'a', initSeed: 1, dataSeed: 1, testMse: 1, baselineMse: 0.08, trainMs: 1, ...over } as RunSummary;
}
const seeds = (s: number) => ({ initSeed: s, dataSeed: s });

describe('analysis/paired', () => {
  it('pairs runs by (initSeed, dataSeed), in A’s order, each run once', () => {
    const a = [run({ id: 1, ...seeds(1) }), run({ id: 2, ...seeds(2) }), run({ id: 3, ...seeds(3) }), run({ id: 4, ...seeds(9) }), run({ id: 5, ...seeds(3) })];
    const b = [run({ id: 11, ...seeds(2) }), run({ id: 12, ...seeds(1) }), run({ id: 13, ...seeds(3) }), run({ id: 14, initSeed: 1, dataSeed: 2 })];
    expect(pairRuns(a, b).map((p) => [p.a.id, p.b.id])).toEqual([
      [1, 12],
      [2, 11],
      [3, 13],
    ]);
  });

  it('reports the median paired difference, wins, ties and the win rate as by hand', () => {
    const a = [run({ ...seeds(1), testMse: 1 }), run({ ...seeds(2), testMse: 5 }), run({ ...seeds(3), testMse: 2 }), run({ ...seeds(9), testMse: 0 })];
    const b = [run({ ...seeds(1), testMse: 2 }), run({ ...seeds(2), testMse: 4 }), run({ ...seeds(3), testMse: 2 }), run({ ...seeds(4), testMse: 2, status: 'running' })];
    const c = pairedComparison(a, b);
    expect(c).toMatchObject({ pairs: 3, unpairedA: 1, unpairedB: 0, differences: [-1, 1, 0], medianDifference: 0, winsA: 1, winsB: 1, ties: 1 });
    expect(c.winRateA).toBeCloseTo((1 + 0.5) / 3, 12);
    expect(c.ci.low).toBeLessThanOrEqual(0);
    expect(c.ci.high).toBeGreaterThanOrEqual(0);
  });

  it('gives the bootstrap interval of the median difference with a fixed seed', () => {
    // all differences equal: every resample's median is 32
    const same = pairedComparison([run({ ...seeds(1), testMse: 32.05 }), run({ ...seeds(2), testMse: 32.05 })], [run({ ...seeds(1), testMse: 0.05 }), run({ ...seeds(2), testMse: 0.05 })]);
    expect(same.ci.low).toBeCloseTo(32, 12);
    expect(same.ci.high).toBeCloseTo(32, 12);
    expect(same.winRateA).toBe(0);
    // differences 0 and 1: a resample's median is 0, ½ or 1 with probability ¼, ½, ¼, so the 2.5 %
    // and 97.5 % points of 2000 resamples are 0 and 1
    const two = pairedComparison([run({ ...seeds(1), testMse: 1 }), run({ ...seeds(2), testMse: 2 })], [run({ ...seeds(1), testMse: 1 }), run({ ...seeds(2), testMse: 1 })], 7);
    expect(two.differences).toEqual([0, 1]);
    expect(two.medianDifference).toBe(0.5);
    expect(two.ci).toEqual({ low: 0, high: 1 });
    expect(pairedComparison([run({ ...seeds(1), testMse: 1 }), run({ ...seeds(2), testMse: 2 })], [run({ ...seeds(1), testMse: 1 }), run({ ...seeds(2), testMse: 1 })], 7).ci).toEqual(two.ci);
  });

  it('compares test MSE per sample, and counts a diverged run’s as +∞: it loses its pair', () => {
    const c = pairedComparison([run({ ...seeds(1), status: 'diverged', testMse: null }), run({ ...seeds(2), testMse: 1 })], [run({ ...seeds(1), testMse: 3 }), run({ ...seeds(2), testMse: 2 })]);
    expect(c.differences).toEqual([Infinity, -1]);
    expect(c).toMatchObject({ winsA: 1, winsB: 1, ties: 0 });
    expect(pairedComparison([], []).winRateA).toBeNaN();
    // runs the machinery stopped are not paired at all
    const stopped = pairedComparison([run({ ...seeds(1), status: 'interrupted', testMse: null }), run({ ...seeds(2), testMse: 1 })], [run({ ...seeds(1), testMse: 3 }), run({ ...seeds(2), testMse: 2 })]);
    expect(stopped).toMatchObject({ pairs: 1, unpairedA: 0, unpairedB: 1, differences: [-1] });
  });

  it('draws lossA − lossB per batch: the median over the pairs and the 25–75 % band', () => {
    const pair = (a: (number | null)[], b: (number | null)[]) => ({ a: { data: a }, b: { data: b } });
    const curve = lossDifferenceCurve([pair([3, 2, 1], [1, 1, 1]), pair([5, 4, 3], [1, 2, 3]), pair([1, 1, 1], [2, 2, 2])]);
    // batch 1: differences −1, 2, 4; batch 2: −1, 1, 2; batch 3: −1, 0, 0
    expect(curve.batch).toEqual([1, 2, 3]);
    expect(curve.median).toEqual([2, 1, 0]);
    expect(curve.lo).toEqual([0.5, 0, -0.5]);
    expect(curve.hi).toEqual([3, 1.5, 0]);
    expect(curve.n).toEqual([3, 3, 3]);
    expect(curve.pairs).toBe(3);
  });

  it('counts a non-finite cost as +∞ instead of leaving the pair out, and follows decimated series', () => {
    const gap = lossDifferenceCurve([
      { a: { data: [3, null, 1] }, b: { data: [1, 1, 1] } },
      { a: { data: [5, 4, 3] }, b: { data: [1, 2, NaN] } },
    ]);
    expect(gap.n).toEqual([2, 2, 2]);
    expect(gap.nonFinite).toEqual([0, 1, 1]);
    // batch 2: differences 2 and +∞ (median +∞); batch 3: 0 and −∞ (median −∞)
    expect(gap.median).toEqual([3, Infinity, -Infinity]);
    const dec = lossDifferenceCurve([{ a: { data: [4, 2, 1], index: [0, 2, 4] }, b: { data: [1, 1, 1], index: [0, 2, 4] } }]);
    expect(dec.batch).toEqual([1, 3, 5]);
    expect(dec.median).toEqual([3, 1, 0]);
    // an index out of order reads the same batches; one decimated against one dense pairs where both have a value
    expect(lossDifferenceCurve([{ a: { data: [1, 2, 4], index: [4, 2, 0] }, b: { data: [1, 1, 1], index: [0, 2, 4] } }])).toEqual(dec);
    expect(lossDifferenceCurve([{ a: { data: [4, 2, 1], index: [0, 2, 4] }, b: { data: [1, 9, 1, 9, 1] } }]).batch).toEqual([1, 3, 5]);
    // both not finite: a tie, not a gap
    expect(lossDifferenceCurve([{ a: { data: [1, null] }, b: { data: [null, null] } }]).median).toEqual([-Infinity, 0]);
  });

  it('keeps a run that stopped at its divergence in the median at +∞ while its partner trains on', () => {
    const pairs = [
      { a: { data: [3, null], diverged: true }, b: { data: [1, 1, 1, 1] } },
      { a: { data: [2, 2, 2, 2] }, b: { data: [1, 1, 1, 1] } },
      { a: { data: [2, 2, 2, 2] }, b: { data: [1, 1, 1, 1] } },
    ];
    const c = lossDifferenceCurve(pairs);
    expect(c.n).toEqual([3, 3, 3, 3]);
    expect(c.nonFinite).toEqual([0, 1, 1, 1]);
    expect(c.median).toEqual([1, 1, 1, 1]);
    expect(c.hi).toEqual([1.5, Infinity, Infinity, Infinity]);
    // without the flag the run's missing batches are missing, not +∞: the pair leaves the median
    expect(lossDifferenceCurve([{ ...pairs[0], a: { data: [3, null] } }, pairs[1]]).n).toEqual([2, 2, 1, 1]);
  });

  it('decimates the curve to about maxPoints batches, keeping the last', () => {
    const p = (n: number) => ({ a: { data: Array.from({ length: n }, (_, i) => i) }, b: { data: new Array(n).fill(0) } });
    expect(lossDifferenceCurve([p(10)], { maxPoints: 4 }).batch).toEqual([1, 4, 7, 10]);
    expect(lossDifferenceCurve([p(11)], { maxPoints: 4 }).batch).toEqual([1, 4, 7, 10, 11]);
    expect(lossDifferenceCurve([p(11)], { maxPoints: 4 }).median).toEqual([0, 3, 6, 9, 10]);
  });
});
