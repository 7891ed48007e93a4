/**
 * `nnlab serve` under faults, as a real process: another program's lock, a read-only database,
 * oversized and malformed requests, a run at the spec's maximum size. It must never end with a
 * stack trace, and every refusal names its cause.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { holdLock, runStatuses, startServe, waitForDb } from '../helpers/faults';
import { tempDbPath } from '../helpers/lab';

const NO_STACK = /Error:|at .*\.js:\d+|internal error/;

describe('nnlab serve under another program’s lock', () => {
  it('keeps serving and training while heartbeats and saves meet a held lock; every queued run is saved after it is released', async () => {
    const db = tempDbPath();
    const serve = await startServe(['--db', db], { env: { NNLAB_HEARTBEAT_MS: '20' } });
    try {
      const sweep = await serve.call<{ runIds: number[] }>('sweeps/start', { sweep: { base: { batches: 400_000 }, replicates: 3 } });
      expect(sweep.status).toBe(200);
      await waitForDb(db, (d) => runStatuses(d).running);
      const lock = await holdLock(db);
      await serve.cli.waitFor(/is locked by another program; waiting up to 60 s to write run/);
      // the server answers while it waits: reading needs no lock
      const status = await serve.call<{ running: number }>('lab/status');
      expect(status.status).toBe(200);
      await lock.release();
      for (;;) {
        const s = await serve.call<{ queued: number; running: number }>('lab/status');
        if (s.body.value!.queued === 0 && s.body.value!.running === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const list = await serve.call<{ runs: { status: string }[] }>('runs/list');
      expect(list.body.value!.runs.map((r) => r.status)).toEqual(Array(3).fill('done'));
    } finally {
      const end = await serve.stop();
      expect(end.stderr).not.toMatch(NO_STACK);
    }
    const check = new Database(db, { readonly: true });
    expect(runStatuses(check)).toEqual({ done: 3 });
    check.close();
  });
});
