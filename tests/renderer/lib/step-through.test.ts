/** lib/step-through: the paused points a page keeps (in batch order, bounded) and what the last move changed. */
import { describe, expect, it } from 'vitest';
import { lastMove, MAX_STEP_POINTS, MAX_STEP_VALUES, pointOf, type StepPoint, viewBoxOf, viewOf, withPoint } from '../../../src-renderer/src/lib/step-through';
import { DEFAULT_SPEC, parseRunSpec } from '@main/trainer/spec';

const at = (batch: number, weights: number[] | null = [batch]) => pointOf({ batchesDone: batch, batches: 100, cost: batch ? 0.5 : null, testLoss: 0.25, testMetric: null, weights });

describe('lib/step-through', () => {
  it('reads a wire answer: nulls stay null in the numbers, NaN in the weights', () => {
    const p = pointOf({ batchesDone: 3, batches: 10, cost: null, testLoss: 1, testMetric: null, weights: [1, null] });
    expect(p).toMatchObject({ batch: 3, batches: 10, cost: null, testLoss: 1, testMetric: null });
    expect(Array.from(p.weights!)).toEqual([1, NaN]);
  });

  it('judges and draws an expression run over its own domain (x^2 − 1 over [−1, 1] was viewed over [0, 1])', () => {
    const span = (v: Float64Array | null, inputs: number, i: number) => {
      const xs = Array.from(v!).filter((_, k) => k % inputs === i);
      return [Math.min(...xs), Math.max(...xs)];
    };
    const one = parseRunSpec({ target: 'x^2 - 1', domain: [-1, 1] });
    expect(span(viewOf(one), 1, 0)).toEqual([-1, 1]);
    const two = parseRunSpec({ target: 'x1 * x2', domain: [-2, 3] });
    expect([span(viewOf(two), 2, 0), span(viewOf(two), 2, 1)]).toEqual([[-2, 3], [-2, 3]]);
    // a built-in task keeps its own box
    expect(span(viewOf(parseRunSpec({ task: 'bump' })), 1, 0)).toEqual([-1, 1]);
    expect(span(viewOf(DEFAULT_SPEC), 1, 0)).toEqual([0, 1]);
  });

  it('judges a table’s run over the box its stored view points span, and not at all before it has them (it used [0, 1] per input)', () => {
    const spec = { ...DEFAULT_SPEC, task: 'csv' as const, shape: [2, 16, 2] };
    expect(viewOf(spec)).toBeNull();
    // a run's stored view points, (points, inputs) row-major
    const stored = [-1.5, -0.25, -1.5, 0.75, 2, -0.25, 2, 0.75, null, 5];
    const box = viewBoxOf(stored, 2);
    // a null is skipped; every value counts for its input
    expect(box).toEqual([[-1.5, 2], [-0.25, 5]]);
    const v = viewOf(spec, viewBoxOf(stored.slice(0, 8), 2))!;
    expect(viewBoxOf(Array.from(v), 2)).toEqual([[-1.5, 2], [-0.25, 0.75]]);
    expect(viewBoxOf([], 2)).toBeNull();
  });

  it('keeps the points in batch order, a point at a kept batch replacing it, the oldest dropped beyond the bounds', () => {
    let ps: StepPoint[] = [];
    for (const b of [0, 11, 1]) ps = withPoint(ps, at(b));
    expect(ps.map((p) => p.batch)).toEqual([0, 1, 11]);
    ps = withPoint(ps, at(11, [7]));
    expect(ps.map((p) => [p.batch, p.weights![0]])).toEqual([[0, 0], [1, 1], [11, 7]]);
    for (let b = 12; b < 12 + MAX_STEP_POINTS; b++) ps = withPoint(ps, at(b));
    expect(ps).toHaveLength(MAX_STEP_POINTS);
    expect(ps[0].batch).toBe(12);
    // weights: at most MAX_STEP_VALUES values over the points, but the newest point always stays
    const big = (batch: number): StepPoint => ({ ...at(batch, null), weights: new Float64Array(MAX_STEP_VALUES / 2 + 1) });
    ps = withPoint(withPoint([], big(1)), big(2));
    expect(ps.map((p) => p.batch)).toEqual([2]);
  });

  it('says what the last move changed: from the point before to the last, with the weights’ change', () => {
    const spec = parseRunSpec(DEFAULT_SPEC);
    const n = spec.shape[1] * 2 + spec.shape[2] * (spec.shape[1] + 1);
    const w0 = Array.from({ length: n }, (_, i) => i / n);
    const w1 = w0.map((w, i) => (i === 5 ? w + 0.5 : w));
    expect(lastMove(spec, [at(0, w0)])).toBeNull();
    const m = lastMove(spec, [at(0, w0), at(1, w1)])!;
    expect([m.from.batch, m.to.batch]).toEqual([0, 1]);
    expect(m.change).toMatchObject({ changed: 1, count: n, largest: [{ layer: 0, from: 0, to: 2, before: w0[5], after: w1[5] }] });
    // without weights (a network too big to send): the costs, no weight change
    expect(lastMove(spec, [at(0, null), at(1, null)])!.change).toBeNull();
  });
});
