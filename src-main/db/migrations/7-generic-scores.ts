/**
 * v7: a run's scores under generic names, for every kind of task (trainer/metrics.ts): final_mse
 * becomes final_loss (the last batch's loss per sample), test_mse test_metric (MSE per sample, or
 * accuracy for a classification run), baseline_mse baseline (the constant predictor's value of that
 * metric); new test_loss (loss per sample on the test set) and penalty (the regularisers' term of
 * the final weights). Every earlier run is a regression trained with sse and no regulariser, so its
 * test loss is its test MSE and its penalty 0: both are filled in for the runs that have scores.
 */
import type { Migration } from './migration';

export const addGenericScores: Migration = {
  version: 7,
  up(db) {
    db.exec(`
      ALTER TABLE runs RENAME COLUMN final_mse TO final_loss;
      ALTER TABLE runs RENAME COLUMN test_mse TO test_metric;
      ALTER TABLE runs RENAME COLUMN baseline_mse TO baseline;
      ALTER TABLE runs ADD COLUMN test_loss REAL;
      ALTER TABLE runs ADD COLUMN penalty REAL;
      UPDATE runs SET test_loss = test_metric, penalty = 0 WHERE batches_run IS NOT NULL OR final_cost IS NOT NULL;
    `);
  },
};
