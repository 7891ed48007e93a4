/**
 * What a run learned on its test set (analysis/learned): the confusion matrix against counts made
 * by hand, its rows as shares, the examples shown first (misclassified, most confidently wrong
 * first), and predicted vs actual thinned evenly with the count of what is shown.
 */
import { describe, expect, it } from 'vitest';
import { confusionMatrix, examplesToShow, predictedVsActual } from '../../src-main/analysis/learned';

/** One-hot rows of classes. */
const oneHot = (classes: number[], k: number) => Float64Array.from(classes.flatMap((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))));
/** Softmax-like rows: `p` on the predicted class, the rest spread. */
const probs = (pred: number[], p: number[], k: number) => Float64Array.from(pred.flatMap((c, i) => Array.from({ length: k }, (_, j) => (j === c ? p[i] : (1 - p[i]) / (k - 1)))));

describe('analysis/learned', () => {
  it('counts true × predicted classes, and each row as shares of its true class', () => {
    const truth = [0, 0, 0, 1, 1, 2, 2, 2, 2];
    const pred = [0, 1, 0, 1, 1, 2, 0, 2, 2];
    const c = confusionMatrix(probs(pred, pred.map(() => 0.7), 4), oneHot(truth, 4), 4);
    expect(c.counts).toEqual([
      [2, 1, 0, 0],
      [0, 2, 0, 0],
      [1, 0, 3, 0],
      [0, 0, 0, 0],
    ]);
    expect(c.shares[0]).toEqual([2 / 3, 1 / 3, 0, 0]);
    expect(c.shares[2]).toEqual([0.25, 0, 0.75, 0]);
    // a class without a test example has no shares (not zeros: nothing was counted)
    expect(c.shares[3]).toEqual([null, null, null, null]);
    expect(c.correct).toBe(7);
    expect(c.total).toBe(9);
    expect(() => confusionMatrix(new Float64Array(3), new Float64Array(4), 2)).toThrow(RangeError);
  });

  it('shows misclassified examples first, most confidently wrong first, then correct ones in order', () => {
    const truth = [0, 1, 2, 0, 1, 2];
    const pred = [0, 2, 2, 1, 1, 0];
    const conf = [0.9, 0.6, 0.8, 0.95, 0.5, 0.6];
    const { examples, misclassified } = examplesToShow(probs(pred, conf, 3), oneHot(truth, 3), 3, 5);
    expect(misclassified).toBe(3);
    expect(examples.map((e) => e.index)).toEqual([3, 1, 5, 0, 2]);
    expect(examples[0]).toEqual({ index: 3, trueClass: 0, predicted: 1, confidence: 0.95 });
    expect(examplesToShow(probs(pred, conf, 3), oneHot(truth, 3), 3, 2).examples.map((e) => e.index)).toEqual([3, 1]);
  });

  it('pairs actual and predicted values per output, every k-th example past the bound, and says how many it shows', () => {
    const n = 10;
    const targets = Float64Array.from({ length: 2 * n }, (_, i) => i);
    const estimates = targets.map((v) => v + 0.5);
    const all = predictedVsActual(estimates, targets, 2, 100);
    expect(all).toMatchObject({ total: 10, shown: 10 });
    expect(all.points[0][3]).toEqual([6, 6.5]);
    expect(all.points[1][3]).toEqual([7, 7.5]);
    const few = predictedVsActual(estimates, targets, 2, 4);
    expect(few).toMatchObject({ total: 10, shown: 4 });
    expect(few.points[0].map((p) => p[0])).toEqual([0, 6, 12, 18]);
  });
});
