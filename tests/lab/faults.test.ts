/**
 * The lab under faults: another program's lock across heartbeats and saves, trainer processes
 * that hang. Real trainer processes, a real second process holding the lock.
 */
import { describe, expect, it } from 'vitest';
import { FAULT_TEST_TIMEOUT_MS, holdLock, sigstopSkipNote, waitUntil } from '../helpers/faults';
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
      await waitUntil('five heartbeats skipped under the lock', () => t.lab.writes.lockSkips >= skips + 5);
      await lock.release();
      const done = await t.lab.wait(id);
      expect(done).toMatchObject({ status: 'done', saved: 'saved', notSaved: null });
      expect(t.store.getStatus(id)).toBe('done');
      expect(lines.filter((l) => /could not|lost/.test(l))).toEqual([]);
    } finally {
      await t.close();
    }
  }, FAULT_TEST_TIMEOUT_MS);
});

const noSigstop = sigstopSkipNote();

describe.skipIf(noSigstop !== null)(`lab/pool: hung trainer processes${noSigstop ? ` (skipped: ${noSigstop})` : ''}`, () => {
  it('a trainer process stopped with SIGSTOP is noticed, killed and handled like a dead one; the next run trains on a new process', async () => {
    const lines: string[] = [];
    // 10 s: a trainer process starved of CPU on a loaded machine still says it is alive well inside it
    const t = createTestLab({ trainerHangMs: 10_000, log: (l) => lines.push(l) });
    try {
      const progress = nextEvent(t.lab, (e) => e.type === 'run/progress');
      const id = t.lab.startRun({ batches: 5_000_000 });
      const ended = t.lab.wait(id);
      await progress;
      const stopped = t.processes[0];
      // a hung process is the machinery's fault: the lab retries the run once (lab/service.ts); the
      // retry, as long as the first attempt, is cancelled here once it runs
      const retry = nextEvent(t.lab, (e) => e.type === 'run/started' && e.runId === id);
      process.kill(stopped.pid!, 'SIGSTOP');
      await retry;
      t.lab.cancel(id);
      const done = await ended;
      expect(lines.some((l) => l.startsWith(`the trainer process ${stopped.pid} stopped responding: no sign of life for`) && l.includes('(the limit is 10 s), so it was killed'))).toBe(true);
      // the crash path decides the status (interrupted and retried, or failed); it is never left running
      expect(done?.status).not.toBe('running');
      expect(t.store.getStatus(id)).not.toMatch(/queued|running/);
      // the stopped process is gone (SIGKILL reaches a stopped process)
      await waitUntil(`the stopped process ${stopped.pid} to be gone`, () => {
        try {
          process.kill(stopped.pid!, 0);
          return false;
        } catch {
          return true;
        }
      });
      const next = t.lab.startRun({ batches: 50 });
      expect(await t.lab.wait(next)).toMatchObject({ status: 'done', saved: 'saved' });
      expect(t.processes.length).toBeGreaterThan(1);
    } finally {
      await t.close();
    }
  }, FAULT_TEST_TIMEOUT_MS);
});
