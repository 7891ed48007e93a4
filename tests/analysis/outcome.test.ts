import { describe, expect, it } from 'vitest';
import { classify, countOutcomes, learnedAtError, notCountedText, outcomeMeaning, outcomeOf, outcomeText, r2Of, scoreOf, skillOf } from '../../src-main/analysis/outcome';
import { wilsonInterval } from '../../src-main/analysis/stats';

const base = 0.0806;
const done = (testMse: number | null) => ({ status: 'done' as const, testMse, baselineMse: base });

describe('analysis/outcome', () => {
  it('scores a regression run by r² on the test grid, 1 − testMse / baselineMse', () => {
    expect(r2Of(0.00806, base)).toBeCloseTo(0.9, 12);
    expect(r2Of(base, base)).toBe(0);
    expect(r2Of(1, base)).toBeCloseTo(1 - 1 / 0.0806, 12);
    expect(r2Of(null, base)).toBeNull();
    expect(r2Of(NaN, base)).toBeNull();
    expect(r2Of(0.01, 0)).toBeNull();
    expect(scoreOf(done(0.00806))).toEqual({ metric: 'r2', value: r2Of(0.00806, base) });
  });

  it('scores a classification run by skill over the majority class, with r² null', () => {
    expect(skillOf(0.9, 0.5)).toBeCloseTo(0.8, 12);
    expect(skillOf(0.5, 0.5)).toBe(0);
    expect(skillOf(0.4, 0.5)).toBeCloseTo(-0.2, 12);
    expect(skillOf(1, 1)).toBeNull();
    const run = { status: 'done' as const, testMse: null, baselineMse: null, testAccuracy: 0.95, majorityShare: 0.5 };
    expect(scoreOf(run).metric).toBe('skill');
    expect(scoreOf(run).value).toBeCloseTo(0.9, 12);
    expect(outcomeOf(run)).toMatchObject({ outcome: 'learned', r2: null });
  });

  it('classes a score: learned at the threshold and above, underfit above 0, learned nothing at 0 and below, diverged when not finite', () => {
    expect(classify(0.9)).toBe('learned');
    expect(classify(0.8999)).toBe('underfit');
    expect(classify(1e-9)).toBe('underfit');
    expect(classify(0)).toBe('learned-nothing');
    expect(classify(-11)).toBe('learned-nothing');
    expect(classify(null)).toBe('diverged');
    expect(classify(0.5, 0.5)).toBe('learned');
  });

  it('gives an outcome only to runs that trained to the end or diverged: the machinery’s stops are none', () => {
    expect(outcomeOf(done(0.001))?.outcome).toBe('learned');
    expect(outcomeOf({ status: 'diverged', testMse: 0.001, baselineMse: base })?.outcome).toBe('diverged');
    expect(outcomeOf(done(null))?.outcome).toBe('diverged');
    for (const status of ['queued', 'running', 'cancelled', 'interrupted', 'failed'] as const) expect(outcomeOf({ status, testMse: 0.001, baselineMse: base })).toBeNull();
  });

  it('counts every class with its Wilson interval, and lists the runs not counted apart', () => {
    const runs = [...Array.from({ length: 8 }, () => done(0.001)), ...Array.from({ length: 12 }, () => done(1)), { status: 'interrupted' as const, testMse: null, baselineMse: base }, { status: 'interrupted' as const, testMse: null, baselineMse: base }];
    const c = countOutcomes(runs);
    expect(c.n).toBe(20);
    expect(outcomeText(c)).toBe('8 learned, 0 underfit, 12 learned nothing of 20');
    const w = wilsonInterval(8, 20);
    expect(c.intervals.learned).toEqual([w.low, w.high]);
    expect(outcomeText(c, { intervals: true })).toBe(`8 learned (${Math.round(100 * w.low)} %–${Math.round(100 * w.high)} %), 0 underfit (0 %–16 %), 12 learned nothing (39 %–78 %) of 20`);
    expect(notCountedText(c)).toBe('2 not counted: interrupted');
    const mixed = countOutcomes([...runs, { status: 'failed' as const, testMse: null, baselineMse: base }]);
    expect(notCountedText(mixed)).toBe('3 not counted: 2 interrupted, 1 ended in an error');
    expect(notCountedText(countOutcomes([done(0.001)]))).toBeNull();
    // diverged only shows when some did
    expect(outcomeText(countOutcomes([done(null)]))).toBe('0 learned, 0 underfit, 0 learned nothing, 1 diverged of 1');
  });

  it('says what each class means in the run’s own metric, with the threshold it was classed at when known', () => {
    expect(outcomeMeaning('learned', 'r2', 0.9)).toBe('finished with r² ≥ 0.9: at least 90 % less error than the best constant predictor');
    expect(outcomeMeaning('learned', 'skill', 0.95)).toBe('finished with skill ≥ 0.95: at least 95 % less error than always answering the training set’s majority class');
    expect(outcomeMeaning('underfit', 'r2', 0.8)).toBe('finished, better than the best constant predictor (r² > 0) but short of learned (r² ≥ 0.8)');
    expect(outcomeMeaning('underfit', 'skill')).toBe('finished, better than always answering the training set’s majority class (skill > 0) but short of the learned threshold');
    for (const metric of ['r2', 'skill'] as const) expect(outcomeMeaning('learned-nothing', metric)).toMatch(metric === 'r2' ? /test MSE .* \(r² ≤ 0\)/ : /test accuracy .* \(skill ≤ 0\)/);
    expect(outcomeMeaning('diverged', 'skill')).toBe('its cost or its test outputs are not finite numbers: it diverged');
  });

  it('takes a learned-at threshold in (0, 1] only', () => {
    expect(learnedAtError(0.9)).toBeNull();
    expect(learnedAtError(1)).toBeNull();
    for (const bad of [0, -0.1, 1.5, NaN, '0.9']) expect(learnedAtError(bad)).toMatch(/above 0 and at most 1/);
  });
});
