/**
 * What a run learned on its test set, from the outputs and targets the store keeps for every
 * test example (series testEstimates and testTargets, one row per example): the confusion matrix
 * of a classification (counts, and each row as shares of its true class), the examples to show
 * first (misclassified ones, most confidently wrong first), and a regression's predicted vs actual
 * values, thinned evenly to a bounded number of points that says how many it shows. Pure: the
 * CLI's summary, the API (runs/learned) and the app read these, one definition of each.
 */
import { classOf } from '../trainer/tasks';

export interface Confusion {
  /** counts[t][p]: test examples of true class t predicted as p. */
  counts: number[][];
  /** Each row as shares of its true class (a class with no example: a row of nulls). */
  shares: (number | null)[][];
  /** Examples on the diagonal, and all of them. */
  correct: number;
  total: number;
}

/** The confusion matrix of `outputs` classes over the rows of estimates and one-hot (or class-probability) targets. */
export function confusionMatrix(estimates: ArrayLike<number>, targets: ArrayLike<number>, outputs: number): Confusion {
  const total = outputs > 0 ? Math.floor(targets.length / outputs) : 0;
  if (estimates.length !== targets.length) throw new RangeError(`${estimates.length} outputs for ${targets.length} targets`);
  const counts = Array.from({ length: outputs }, () => new Array<number>(outputs).fill(0));
  let correct = 0;
  for (let r = 0; r < total; r++) {
    const t = classOf(targets, r, outputs);
    const p = classOf(estimates, r, outputs);
    counts[t][p]++;
    if (t === p) correct++;
  }
  const shares = counts.map((row) => {
    const n = row.reduce((a, b) => a + b, 0);
    return row.map((c) => (n > 0 ? c / n : null));
  });
  return { counts, shares, correct, total };
}

export interface Example {
  /** The row of the test set (for Fashion-MNIST, the image's index in the official test file). */
  index: number;
  trueClass: number;
  predicted: number;
  /** The network's output for its predicted class (a softmax's probability). */
  confidence: number;
}

/**
 * Up to `max` test examples to show: the misclassified ones first, most confidently wrong first,
 * then correct ones in test-set order. Also how many are misclassified in all.
 */
export function examplesToShow(estimates: ArrayLike<number>, targets: ArrayLike<number>, outputs: number, max: number): { examples: Example[]; misclassified: number } {
  const total = outputs > 0 ? Math.floor(targets.length / outputs) : 0;
  const wrong: Example[] = [];
  const right: Example[] = [];
  for (let r = 0; r < total; r++) {
    const trueClass = classOf(targets, r, outputs);
    const predicted = classOf(estimates, r, outputs);
    const e = { index: r, trueClass, predicted, confidence: estimates[r * outputs + predicted] };
    if (predicted !== trueClass) wrong.push(e);
    else if (right.length < max) right.push(e);
  }
  wrong.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
  return { examples: [...wrong, ...right].slice(0, Math.max(0, max)), misclassified: wrong.length };
}

export interface PredictedActual {
  /** Per output: the points shown, as [actual, predicted] pairs. */
  points: [number, number][][];
  /** Test examples in all, and those shown (every k-th when there are more than the bound). */
  total: number;
  shown: number;
}

/** A regression's predicted vs actual values of each output, every k-th example when there are more than `maxPoints`. */
export function predictedVsActual(estimates: ArrayLike<number>, targets: ArrayLike<number>, outputs: number, maxPoints: number): PredictedActual {
  const total = outputs > 0 ? Math.floor(targets.length / outputs) : 0;
  const stride = Math.max(1, Math.ceil(total / Math.max(1, maxPoints)));
  const points = Array.from({ length: outputs }, () => [] as [number, number][]);
  let shown = 0;
  for (let r = 0; r < total; r += stride, shown++) {
    for (let k = 0; k < outputs; k++) points[k].push([targets[r * outputs + k], estimates[r * outputs + k]]);
  }
  return { points, total, shown };
}
