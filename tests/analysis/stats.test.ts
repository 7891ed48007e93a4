import { describe, expect, it } from 'vitest';
import { batchesToTarget, bootstrapMedianCI, median, quantileSorted, stat, wilsonInterval } from '../../src-main/analysis/stats';

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

  it('gives the infinity next to it rather than NaN when interpolating', () => {
    expect(quantileSorted([1, Infinity], 0.5)).toBe(Infinity);
    expect(quantileSorted([-Infinity, 5], 0.5)).toBe(-Infinity);
    expect(quantileSorted([-Infinity, 1, 2], 0.75)).toBe(1.5);
  });

  it('summarises with missing and non-finite values as +∞ when asked (a diverged run is the worst, not absent)', () => {
    expect(stat([1, null, 3, NaN])).toMatchObject({ n: 2, median: 2 });
    expect(stat([1, null, 3, NaN], { worst: true })).toMatchObject({ n: 4, median: Infinity, min: 1, max: Infinity });
    expect(stat([1, 2, null], { worst: true })).toMatchObject({ n: 3, median: 2 });
    expect(stat([undefined, 2], { worst: true })).toMatchObject({ n: 1, median: 2 });
  });

  it('finds the first batch whose 10-batch mean is at or below a target; a non-finite value never counts', () => {
    const v = [10, 8, 6, 4, 2, 1, 1, 1];
    expect(batchesToTarget(v, 3, 2)).toBe(5);
    expect(batchesToTarget([1, null, 1, 1], 2, 2)).toBe(4);
    expect(batchesToTarget([1, NaN, 1], 5, 3)).toBeNull();
  });
});
