/**
 * v6: queue_jobs — runs sent to a job queue (nnlab sweep --queue): the queue, its Redis server's
 * URL without credentials, the job id, the job's options (to send it again), and who trained the
 * run. A new table, so the runs of a v5 database are untouched.
 */
import type { Migration } from './migration';

export const addQueueJobs: Migration = {
  version: 6,
  up(db) {
    db.exec(`
      CREATE TABLE queue_jobs (
        run_id INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
        job_id TEXT NOT NULL UNIQUE,
        queue_name TEXT NOT NULL,
        redis TEXT NOT NULL,
        options TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(options)),
        enqueued_at INTEGER NOT NULL,
        trained_by TEXT CHECK (trained_by IS NULL OR json_valid(trained_by))
      );
      CREATE INDEX queue_jobs_queue ON queue_jobs (queue_name, redis);
    `);
  },
};
