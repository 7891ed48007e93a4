import { describe, expect, it } from 'vitest';
import { groupByConfig } from '../../src-main/analysis/groups';
import { stat, wilsonInterval } from '../../src-main/analysis/stats';
import { summary } from '../renderer/helpers/fake-lab';

describe('analysis/groups: replicate groups with their outcome classes (as the app shows them)', () => {
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

  it('counts outcome classes over the runs with one, and the medians over them; a diverged run’s test MSE is +∞', () => {
    const runs = [
      summary(1, {}, { testMse: 0.001 }), // r² 0.988: learned
      summary(2, {}, { testMse: 0.05 }), // r² 0.38: underfit
      summary(3, {}, { testMse: 1 }), // r² −11.4: learned nothing
      summary(4, {}, { status: 'diverged', testMse: null }),
      summary(5, {}, { status: 'interrupted', testMse: null }),
      summary(6, {}, { status: 'running', testMse: null }),
    ];
    const [g] = groupByConfig(runs);
    expect(g.outcomes.counts).toEqual({ learned: 1, underfit: 1, 'learned-nothing': 1, diverged: 1 });
    expect(g.outcomes).toMatchObject({ n: 4, pending: 1, notCounted: { interrupted: 1 }, notCountedTotal: 1 });
    // test MSE 0.001, 0.05, 1, +∞: median (0.05 + 1) / 2
    expect(g.testMse!.median).toBeCloseTo(0.525, 12);
    expect(g.testMse!.max).toBe(Infinity);
    expect(g.medianR2).toBeCloseTo(((1 - 0.05 / 0.0806) + (1 - 1 / 0.0806)) / 2, 12);
    // the threshold moves the classes
    expect(groupByConfig(runs, { learnedAt: 0.3 })[0].outcomes.counts).toMatchObject({ learned: 2, underfit: 0 });
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
