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
 * a classification run says its accuracy (testAccuracy, and majorityShare for its baseline).
 * Pure data and functions, no imports but types.
 */
import type { TaskKind } from './tasks';

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

/** The named fields of a run's scores, as `--json` and `runs list --json` write them (see the file header). */
export type NamedScores = {
  finalLoss: number | null;
  testLoss: number | null;
  testMetric: number | null;
  baseline: number | null;
} & ({ finalMse: number | null; testMse: number | null; baselineMse: number | null } | { testAccuracy: number | null; majorityShare: number | null });

export function runMetrics(r: GenericScores): NamedScores {
  const generic = { finalLoss: r.finalLoss, testLoss: r.testLoss, testMetric: r.testMetric, baseline: r.baseline };
  return r.kind === 'classification'
    ? { ...generic, testAccuracy: r.testMetric, majorityShare: r.baseline }
    : { ...generic, finalMse: r.finalLoss, testMse: r.testMetric, baselineMse: r.baseline };
}
