import { fork } from 'node:child_process';
import path from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { configKey, openDatabase, RunStore } from '../../src-main/db';
import { tempDir, train } from './helpers';

interface WriterDone {
  done: true;
  written: number;
  errors: string[];
}

const CHILD_RUNS = 300;

/**
 * This process creates, starts, heartbeats, finishes, lists and reaps runs while a forked
 * process (fixtures/writer.mjs, plain better-sqlite3) writes runs with 256 KB series in a loop.
 */
async function twoWriters(busyTimeoutMs?: number) {
  const file = path.join(tempDir(), 'shared.sqlite');
  const store = new RunStore(openDatabase(file, busyTimeoutMs === undefined ? {} : { busyTimeoutMs }));
  const { spec, result } = train({ batches: 2000 });
  const child = fork(path.join(import.meta.dirname, 'fixtures', 'writer.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let ready = false;
  let done: WriterDone | null = null;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.on('message', (m: { ready?: true } & Partial<WriterDone>) => {
    if (m.ready) ready = true;
    if (m.done) done = m as WriterDone;
  });
  child.send({ file, spec: JSON.stringify(spec), configKey: configKey(spec), runs: CHILD_RUNS, blobBytes: 256 * 1024, busyTimeoutMs });
  while (!ready) await yieldToEvents();

  const mine: number[] = [];
  const errors: unknown[] = [];
  let overlapped = 0;
  while (!done) {
    try {
      const [id] = store.createRuns([{ ...spec, initSeed: mine.length + 1 }]);
      store.markRunning(id, { host: 'test', pid: process.pid });
      store.heartbeat([id]);
      store.finishRun(id, result);
      mine.push(id);
      const theirs = store.countRuns({ search: 'writer' });
      if (theirs > 0 && theirs < CHILD_RUNS) overlapped++;
      store.listRuns({ limit: 20 });
      store.getSeries(id, ['cost']);
      store.reapOrphans({ host: 'test', staleMs: 60_000 });
    } catch (e) {
      errors.push(e);
    }
    await yieldToEvents();
  }
  return { store, result, mine, errors, overlapped, child: done as WriterDone, exitCode: await exited };
}

describe('db/store: two processes at once', () => {
  it('a second process writing in a loop while this one writes and reads: no SQLITE_BUSY surfaces', async () => {
    const { store, result, mine, errors, overlapped, child, exitCode } = await twoWriters();
    expect(exitCode).toBe(0);
    expect(child.errors).toEqual([]);
    expect(errors).toEqual([]);
    expect(child.written).toBe(CHILD_RUNS);
    expect(overlapped).toBeGreaterThan(5);

    // everything both wrote is there, series intact
    expect(store.countRuns()).toBe(mine.length + CHILD_RUNS);
    expect(store.countRuns({ status: 'done' })).toBe(mine.length + CHILD_RUNS);
    for (const id of mine) expect(store.getSeries(id, ['cost']).cost.data).toEqual(result.costHistory);
    const theirs = store.listRuns({ search: 'writer' });
    expect(theirs).toHaveLength(CHILD_RUNS);
    for (const r of theirs.slice(0, 10)) expect(store.getSeries(r.id, ['cost']).cost.length).toBe(32 * 1024);
    expect(store.db.pragma('quick_check', { simple: true })).toBe('ok');
    store.close();
  });

  it('(control) the same load without a busy timeout does hit SQLITE_BUSY, so the test above has contention', async () => {
    const { store, errors, child } = await twoWriters(0);
    const busy = [...child.errors, ...errors.map(String)].filter((m) => /SQLITE_BUSY|database is locked/.test(m));
    expect(busy.length).toBeGreaterThan(0);
    store.close();
  });
});
