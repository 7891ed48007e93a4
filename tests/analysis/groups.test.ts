import { describe, expect, it } from 'vitest';
import { failureRate, groupByConfig, runFailed, stat, wilsonInterval } from '../../src-main/analysis/stats';
import { summary } from '../renderer/helpers/fake-lab';

describe('analysis/stats: groups and failure rates (as the app shows them)', () => {
  it('groups runs by configKey in order of first appearance', () => {
    const runs = [summary(1), summary(2, { activation: 'sigmoid' }), summary(3, { initSeed: 9 }), summary(4, { activation: 'sigmoid', initSeed: 9 })];
    const g = groupByConfig(runs);
    expect(g.map((x) => x.runs.map((r) => r.id))).toEqual([
      [1, 3],
      [2, 4],
    ]);
    expect(g.map((x) => x.index)).toEqual([0, 1]);
    expect(g.map((x) => x.example.id)).toEqual([1, 2]);
  });

  it('counts a run as failed when it learned nothing, diverged or broke; not while it has no outcome', () => {
    expect(runFailed({ status: 'done', failed: false })).toBe(false);
    expect(runFailed({ status: 'done', failed: true })).toBe(true);
    expect(runFailed({ status: 'diverged', failed: null })).toBe(true);
    expect(runFailed({ status: 'failed', failed: null })).toBe(true);
    for (const status of ['queued', 'running', 'cancelled', 'interrupted'] as const) expect(runFailed({ status, failed: null })).toBeNull();
  });

  it('says "k of n seeds failed" over the runs with an outcome', () => {
    const runs = [
      summary(1, {}, { failed: true }),
      summary(2, {}, { status: 'diverged', failed: null }),
      summary(3),
      summary(4, {}, { status: 'running', failed: null }),
      summary(5, {}, { status: 'cancelled', failed: null }),
    ];
    const f = failureRate(runs);
    expect(f).toMatchObject({ failed: 2, n: 3, pending: 2, text: '2 of 3 seeds failed' });
    expect(failureRate([summary(1)]).text).toBe('0 of 1 seed failed');
    expect(failureRate([]).interval).toBeNull();
    const [lo, hi] = failureRate(runs).interval!;
    expect(lo).toBeCloseTo(wilsonInterval(2, 3).low, 12);
    expect(hi).toBeCloseTo(wilsonInterval(2, 3).high, 12);
  });

  it('computes the Wilson 95 % interval', () => {
    // 19 of 20: centre (0.95 + 1.9208/20) / (1 + 3.8416/20), half-width from the score formula
    const { low: lo, high: hi } = wilsonInterval(19, 20);
    expect(lo).toBeCloseTo(0.7639, 3);
    expect(hi).toBeCloseTo(0.9911, 3);
    const { low: lo0, high: hi0 } = wilsonInterval(0, 10);
    expect(lo0).toBe(0);
    expect(hi0).toBeCloseTo(0.2775, 3);
  });

  it('summarises finite values by median and quartiles', () => {
    expect(stat([null, 3, 1, Infinity, 2])).toEqual({ median: 2, q1: 1.5, q3: 2.5, n: 3, iqr: 1, min: 1, max: 3 });
    expect(stat([null])).toBeNull();
  });
});
