/**
 * The metric of each kind of task, one definition for the trainer's result, the store's summary,
 * the CLI (`--json`, `runs list --json`) and the app:
 *
 *   regression       MSE per sample on the test set (squared error summed over the outputs,
 *                    averaged over the points), against the best constant predictor's MSE;
 *   classification   accuracy on the test set (the share of points whose largest output is their
 *                    class), against the share of the training set's majority class.
 *
 * Every run has the generic fields (finalLoss, testLoss, testMetric, baseline); a regression run
 * also says them by the seed's names (finalMse, testMse, baselineMse: the loss is always sse),
 * a classification run says its accuracy (testAccuracy, and majorityShare for its baseline); the
 * names of the other kind are null.
 * Pure data and functions, no imports but types.
 */
import type { TaskKind } from './tasks';

/** Columns of a run's checkpoint scores (Checkpoints.metrics, the checkpointMetrics series), in order. */
export const CHECKPOINT_METRICS = ['trainLoss', 'testLoss', 'trainMetric', 'testMetric', 'penalty'] as const;

export interface MetricInfo {
  /** The metric's name in text. */
  label: string;
  /** Which way is better. */
  higherIsBetter: boolean;
  /** What the baseline is. */
  baselineLabel: string;
  /** Shown as a percentage (a fraction), or as a number. */
  percent: boolean;
}

export const METRICS: Readonly<Record<TaskKind, MetricInfo>> = {
  regression: { label: 'test MSE per sample', higherIsBetter: false, baselineLabel: 'the best constant predictor', percent: false },
  classification: { label: 'test accuracy', higherIsBetter: true, baselineLabel: 'the majority class', percent: true },
};

/** A run's scores in the generic form (the trainer's result, a stored summary). */
export interface GenericScores {
  kind: TaskKind;
  finalLoss: number | null;
  testLoss: number | null;
  testMetric: number | null;
  baseline: number | null;
}

/**
 * A run's scores by every name (see the file header): the generic ones, the regression names
 * (null for a classification run) and the classification names (null for a regression run).
 */
export interface NamedScores {
  finalLoss: number | null;
  testLoss: number | null;
  testMetric: number | null;
  baseline: number | null;
  finalMse: number | null;
  testMse: number | null;
  baselineMse: number | null;
  testAccuracy: number | null;
  majorityShare: number | null;
}

export function runMetrics(r: GenericScores): NamedScores {
  const regression = r.kind === 'regression';
  return {
    finalLoss: r.finalLoss,
    testLoss: r.testLoss,
    testMetric: r.testMetric,
    baseline: r.baseline,
    finalMse: regression ? r.finalLoss : null,
    testMse: regression ? r.testMetric : null,
    baselineMse: regression ? r.baseline : null,
    testAccuracy: regression ? null : r.testMetric,
    majorityShare: regression ? null : r.baseline,
  };
}
