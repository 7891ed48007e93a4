import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src-main/db/types';
import { bootstrapMedianCI, groupByConfig, median, quantileSorted, runFailed, wilsonInterval } from '../../src-main/analysis/stats';

function run(over: Partial<RunSummary>): RunSummary {
  return { id: 1, status: 'done', configKey: 'a', initSeed: 1, dataSeed: 1, finalCost: 1, failed: false, trainMs: 1, ...over } as RunSummary;
}

describe('analysis/stats', () => {
  it('computes Wilson intervals as by hand', () => {
    // k = 19, n = 20: p = 0.95; centre = (0.95 + 1.9208/20) / (1 + 3.8415/20) = 0.8772; half = 0.1045
    const w = wilsonInterval(19, 20);
    expect(w.low).toBeCloseTo(0.7639, 4);
    expect(w.high).toBeCloseTo(0.9911, 4);
    const zero = wilsonInterval(0, 10);
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('takes medians and quantiles', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
    expect(quantileSorted([1, Infinity, Infinity], 0.75)).toBe(Infinity); // not ∞ − ∞
  });

  it('gives a reproducible bootstrap interval around the median', () => {
    const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const a = bootstrapMedianCI(xs, { seed: 7 });
    expect(bootstrapMedianCI(xs, { seed: 7 })).toEqual(a);
    expect(a.low).toBeLessThanOrEqual(5.5);
    expect(a.high).toBeGreaterThanOrEqual(5.5);
    expect(a.low).toBeGreaterThanOrEqual(1);
    expect(bootstrapMedianCI([2, 2, 2])).toEqual({ low: 2, high: 2 });
  });

  it('counts failures: learned nothing, diverged or crashed; groups by configuration', () => {
    expect(runFailed({ status: 'done', failed: true })).toBe(true);
    expect(runFailed({ status: 'diverged', failed: null })).toBe(true);
    expect(runFailed({ status: 'done', failed: false })).toBe(false);
    expect(runFailed({ status: 'queued', failed: null })).toBeNull();
    const groups = groupByConfig([run({ configKey: 'x', finalCost: 3 }), run({ configKey: 'y' }), run({ configKey: 'x', failed: true, finalCost: 1 }), run({ configKey: 'x', status: 'cancelled' })]);
    expect(groups.map((g) => g.key)).toEqual(['x', 'y']);
    expect(groups[0]).toMatchObject({ finished: 2, failedCount: 1, medianFinalCost: 2 });
  });
});
