/**
 * v3: runs.train_ms (from timing.trainMs); lists go newest first by id, so the status and
 * experiment indexes become one-column (their implicit rowid tail gives the order) and the
 * created_at indexes go.
 */
import type { Migration } from './migration';

export const addTrainMs: Migration = {
  version: 3,
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN train_ms REAL;
      UPDATE runs SET train_ms = json_extract(timing, '$.trainMs') WHERE timing IS NOT NULL;
      DROP INDEX runs_created;
      DROP INDEX experiments_created;
      DROP INDEX runs_status;
      CREATE INDEX runs_status ON runs (status);
      DROP INDEX runs_experiment;
      CREATE INDEX runs_experiment ON runs (experiment_id);
    `);
  },
};
