import { describe, expect, it } from 'vitest';
import { quantileSorted } from '@main/analysis/stats';
import { batchesToTarget, checkpointRowOffset, decimate, ema, meanBand, toPoints, xOf } from '../../../src-renderer/src/lib/series';

const quantile = (xs: number[], q: number) => quantileSorted([...xs].sort((a, b) => a - b), q);

describe('renderer/lib/series', () => {
  describe('ema', () => {
    it('returns the values unchanged with weight 0', () => {
      expect(ema([3, 1, 2], 0)).toEqual([3, 1, 2]);
    });

    it('is debiased: a constant series stays constant from the first point', () => {
      for (const v of ema([5, 5, 5, 5], 0.9)) expect(v).toBeCloseTo(5, 12);
    });

    it('matches the hand-computed average', () => {
      // w = 0.5: s1 = 0.5·2 = 1 → 1/(1−0.5) = 2; s2 = 0.5·1 + 0.5·4 = 2.5 → 2.5/(1−0.25) = 10/3
      const out = ema([2, 4], 0.5);
      expect(out[0]).toBeCloseTo(2, 12);
      expect(out[1]).toBeCloseTo(10 / 3, 12);
    });

    it('keeps gaps as gaps without moving the average', () => {
      const out = ema([2, null, 4], 0.5);
      expect(out[1]).toBeNull();
      expect(out[2]).toBeCloseTo(10 / 3, 12);
    });
  });

  describe('decimate', () => {
    const pts = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: Math.sin(i / 10) + (i === 500 ? 50 : 0) }));

    it('keeps short series as they are', () => {
      expect(decimate(pts.slice(0, 10), 100)).toEqual(pts.slice(0, 10));
    });

    it('returns at most about maxPoints points, first and last kept, in x order', () => {
      const d = decimate(pts, 100);
      expect(d.length).toBeLessThanOrEqual(100);
      expect(d.length).toBeGreaterThan(50);
      expect(d[0]).toEqual(pts[0]);
      expect(d[d.length - 1]).toEqual(pts[999]);
      for (let i = 1; i < d.length; i++) expect(d[i].x).toBeGreaterThan(d[i - 1].x);
    });

    it('keeps a spike (the highest point of its bucket)', () => {
      expect(decimate(pts, 100).some((p) => p.x === 500)).toBe(true);
    });

    it('keeps a gap in a bucket as a null point', () => {
      const withGap = pts.map((p) => (p.x === 700 ? { x: 700, y: null } : p));
      expect(decimate(withGap, 100).some((p) => p.y === null)).toBe(true);
    });

    it('ends on points whose x is not a number (bucketing by x looped forever on a NaN x: its bucket equalled none)', () => {
      const odd = pts.map((p) => (p.x === 300 || p.x === 301 ? { ...p, x: NaN } : p));
      const d = decimate(odd, 100);
      // about 100: the NaN points are a bucket of their own, and split the bucket they stand in
      expect(d.length).toBeLessThanOrEqual(106);
      expect(d.length).toBeGreaterThan(50);
      expect(d[d.length - 1]).toEqual(pts[999]);
      expect(decimate([...pts.slice(0, 999), { x: NaN, y: 1 }], 100).length).toBeLessThanOrEqual(100);
    });
  });

  describe('x axis', () => {
    const s = { batchSize: 32, msPerBatch: 2 };
    it('maps batches to samples and seconds', () => {
      expect(xOf('batch', 10, s)).toBe(10);
      expect(xOf('samples', 10, s)).toBe(320);
      expect(xOf('seconds', 10, s)).toBeCloseTo(0.02, 12);
      expect(xOf('seconds', 10, { batchSize: 32, msPerBatch: null })).toBeNull();
    });

    it('places decimated points at their batch numbers (1-based)', () => {
      expect(toPoints([1, 2, 3], [0, 5, 9], 'batch', s).map((p) => p.x)).toEqual([1, 6, 10]);
    });
  });

  describe('meanBand', () => {
    const curves = [
      [{ x: 1, y: 1 }, { x: 2, y: 10 }],
      [{ x: 1, y: 3 }, { x: 2, y: null }],
      [{ x: 1, y: 5 }, { x: 2, y: 20 }],
    ];

    it('takes the mean and sd over the curves with a value, clipped to their range', () => {
      const b = meanBand(curves, 'mean');
      expect(b.x).toEqual([1, 2]);
      expect(b.mean).toEqual([3, 15]);
      expect(b.n).toEqual([3, 2]);
      expect(b.lo[0]).toBeCloseTo(1, 12); // 3 − 2 = 1, the lowest curve
      expect(b.hi[0]).toBeCloseTo(5, 12);
      expect(b.lo[1]).toBeCloseTo(10, 12); // 15 − 7.07 clipped to 10
    });

    it('takes the median and quartiles', () => {
      const b = meanBand(curves, 'median');
      expect(b.mean[0]).toBe(3);
      expect(b.lo[0]).toBe(2);
      expect(b.hi[0]).toBe(4);
    });

    it('counts zeros as values, and non-finite values as +∞ when asked (a gap stays a gap)', () => {
      const z = [
        [{ x: 1, y: 0 }, { x: 2, y: 0 }],
        [{ x: 1, y: 0 }, { x: 2, y: Infinity }],
        [{ x: 1, y: 4 }, { x: 2, y: null }],
      ];
      const drop = meanBand(z, 'median');
      expect(drop.mean).toEqual([0, 0]);
      expect(drop.n).toEqual([3, 1]);
      expect(drop.zeros).toEqual([2, 1]);
      const worst = meanBand(z, 'median', { nonFinite: 'worst' });
      expect(worst.n).toEqual([3, 2]);
      expect(worst.nonFinite).toEqual([0, 1]);
      expect(worst.mean).toEqual([0, Infinity]);
      expect(meanBand(z, 'mean', { nonFinite: 'worst' }).mean).toEqual([4 / 3, Infinity]);
    });
  });

  it('computes quantiles as numpy does (linear)', () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
  });

  describe('batchesToTarget', () => {
    it('finds the first full window whose mean is at or below the target', () => {
      const v = [10, 8, 6, 4, 2, 1, 1, 1];
      expect(batchesToTarget(v, 3, 2)).toBe(5); // (4 + 2) / 2 = 3
      expect(batchesToTarget(v, 0.5, 2)).toBeNull();
    });

    it('never counts a window with a missing value', () => {
      expect(batchesToTarget([1, null, 1, 1], 2, 2)).toBe(4);
    });
  });

  it('finds a checkpoint row in a whole series or in the page that holds it, and nowhere else', () => {
    // 3 checkpoints × 2 points × 2 outputs
    const whole = { shape: [3, 2, 2], data: Array.from({ length: 12 }, (_, i) => i), length: 12 };
    expect(checkpointRowOffset(whole, 0)).toBe(0);
    expect(checkpointRowOffset(whole, 2)).toBe(8);
    expect(checkpointRowOffset(whole, 3)).toBeNull();
    const last = { shape: [3, 2, 2], from: 8, data: [8, 9, 10, 11], length: 12 };
    expect(checkpointRowOffset(last, 2)).toBe(0);
    expect(checkpointRowOffset(last, 1)).toBeNull();
    expect(checkpointRowOffset({ ...whole, index: [0, 11] }, 0)).toBeNull();
    expect(checkpointRowOffset({ shape: [12], data: whole.data, length: 12 }, 0)).toBeNull();
  });
});
