/**
 * The lab under faults: another program's lock across heartbeats and saves, trainer processes
 * that hang. Real trainer processes, a real second process holding the lock.
 */
import { describe, expect, it } from 'vitest';
import { holdLock } from '../helpers/faults';
import { createTestLab, nextEvent } from '../helpers/lab';

describe('lab/service under another program’s lock', () => {
  it('heartbeats skip a held lock without throwing out of the timer, and the run is saved once it is released', async () => {
    const lines: string[] = [];
    const t = createTestLab({ heartbeatMs: 20, log: (l) => lines.push(l) });
    try {
      const started = nextEvent(t.lab, (e) => e.type === 'run/started');
      const id = t.lab.startRun({ batches: 400_000 });
      await started;
      const lock = await holdLock(t.file);
      const skips = t.lab.writes.lockSkips;
      while (t.lab.writes.lockSkips < skips + 5) await new Promise((r) => setTimeout(r, 20));
      await lock.release();
      const done = await t.lab.wait(id);
      expect(done).toMatchObject({ status: 'done', saved: 'saved', notSaved: null });
      expect(t.store.getStatus(id)).toBe('done');
      expect(lines.filter((l) => /could not|lost/.test(l))).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
