/**
 * The CLI under the faults a desktop meets: another program holding the database's write lock,
 * a full disk, read-only files and folders, a deleted -wal file. Real processes, real files; each
 * checks what was saved against what was reported saved.
 */
import { describe, expect, it } from 'vitest';
import { nnlab } from '../helpers/cli';
import { holdLock } from '../helpers/faults';
import { tempDbPath } from '../helpers/lab';

describe('cli under another program’s lock', () => {
  it('lists the runs of a current database while another program holds the write lock', async () => {
    const db = tempDbPath();
    expect(nnlab(['train', '--batches', '20', '--db', db]).status).toBe(0);
    const lock = await holdLock(db);
    try {
      const list = nnlab(['runs', 'list', '--json', '--db', db]);
      expect(list.stderr).toBe('');
      expect(list.status).toBe(0);
      expect(JSON.parse(list.stdout)).toHaveLength(1);
    } finally {
      await lock.release();
    }
  });
});
