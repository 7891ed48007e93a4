/**
 * v11: run_spec_checks — a derived, rebuildable record that a run's stored spec text, at its spec
 * version, was read by a given checker (db/store.ts SPEC_CHECKER: this nnlab's version and spec
 * schema) and found to be already in its checked form (parsing it with the schema gives exactly
 * what JSON.parse gives). A listing then skips the schema's parse for that run. The row holds a
 * copy of the text it vouches for, and vouches only while that copy is byte-for-byte the run's
 * spec, at the same spec version, for the same checker: a spec changed in any way, a row garbled,
 * or another nnlab reading the file, and the run is checked again as before. Never the source of
 * truth: deleting any or all rows loses nothing. A deleted run's row goes with it (trigger). The
 * table starts empty; readers fill it.
 */
import type { Migration } from './migration';

export const addSpecChecks: Migration = {
  version: 11,
  up(db) {
    db.exec(`
      CREATE TABLE run_spec_checks (
        run_id INTEGER PRIMARY KEY,
        spec TEXT NOT NULL,
        spec_version INTEGER NOT NULL,
        checker TEXT NOT NULL
      );
      CREATE TRIGGER runs_spec_checks_delete AFTER DELETE ON runs
        BEGIN DELETE FROM run_spec_checks WHERE run_id = OLD.id; END;
    `);
  },
};
