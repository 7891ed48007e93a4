/**
 * The store under faults a desktop meets: another program holding the write lock, a recovery
 * journal of results that could not be written. Real SQLite files, a real second process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase, RunStore, SCHEMA_VERSION } from '../../src-main/db';
import { holdLock } from '../helpers/faults';
import { sha256, tempDir, train } from './helpers';

function storeWithRuns(dir: string, runs = 3): string {
  const file = path.join(dir, 'runs.sqlite');
  const store = RunStore.open(file);
  const { spec, result } = train({ batches: 50 });
  for (let i = 0; i < runs; i++) store.finishRun(store.createRun({ ...spec, initSeed: i + 1 }), result);
  store.close();
  return file;
}

describe('db/open: opening never writes when there is nothing to write', () => {
  it('opens and lists a current database while another program holds the write lock', async () => {
    const file = storeWithRuns(tempDir());
    const lock = await holdLock(file);
    try {
      // a short busy timeout: a write attempt would fail at once with SQLITE_BUSY
      const store = new RunStore(openDatabase(file, { busyTimeoutMs: 50 }));
      expect(store.listRuns()).toHaveLength(3);
      expect(migrate(store.db)).toEqual([]);
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      store.close();
    } finally {
      await lock.release();
    }
  });

  it('leaves the database file byte-identical when it is opened and closed', () => {
    const file = storeWithRuns(tempDir());
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const hash = sha256(file);
    RunStore.open(file).close();
    expect(sha256(file)).toBe(hash);
  });
});
