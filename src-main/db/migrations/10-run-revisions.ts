/**
 * v10: runs.rev — a run row's revision, so a reader that keeps every run's summary (the runs
 * table, db/query-runs.ts) can tell which rows changed since it listed them and read only those
 * again, instead of every stored spec after any write. Triggers keep it, whoever writes (this
 * process, a trainer, the CLI, a queue worker): every UPDATE of a run adds 1; an INSERT draws a
 * random revision, so a run created under the id of a deleted one (INTEGER PRIMARY KEY reuses the
 * highest id) does not pass for it; a change of the run's queue job (its `remote` mark in the
 * summary) touches the run. A drawn revision is below 2^52, so with every later update it stays an
 * exact JavaScript number (better-sqlite3 reads integers as doubles). Only the run's own row is written: no counter row that every
 * heartbeat would write too. Earlier rows start at 0 (no reader has listed them yet).
 */
import type { Migration } from './migration';

export const addRunRevisions: Migration = {
  version: 10,
  up(db) {
    db.exec(`
      ALTER TABLE runs ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
      CREATE TRIGGER runs_rev_insert AFTER INSERT ON runs
        BEGIN UPDATE runs SET rev = abs(random() % 4503599627370496) + 1 WHERE id = NEW.id; END;
      CREATE TRIGGER runs_rev_update AFTER UPDATE ON runs WHEN NEW.rev = OLD.rev
        BEGIN UPDATE runs SET rev = OLD.rev + 1 WHERE id = NEW.id; END;
      CREATE TRIGGER queue_jobs_rev_insert AFTER INSERT ON queue_jobs
        BEGIN UPDATE runs SET rev = rev + 1 WHERE id = NEW.run_id; END;
      CREATE TRIGGER queue_jobs_rev_update AFTER UPDATE ON queue_jobs
        BEGIN UPDATE runs SET rev = rev + 1 WHERE id IN (OLD.run_id, NEW.run_id); END;
      CREATE TRIGGER queue_jobs_rev_delete AFTER DELETE ON queue_jobs
        BEGIN UPDATE runs SET rev = rev + 1 WHERE id = OLD.run_id; END;
    `);
  },
};
