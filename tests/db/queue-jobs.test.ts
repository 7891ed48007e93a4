import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore, type TrainedBy } from '../../src-main/db';
import { tempDir, train } from './helpers';

const QUEUE = { name: 'nnlab', redis: 'redis://10.0.0.5:6379/0' };
const BY: TrainedBy = { worker: 'w1', host: 'box', pid: 7, appVersion: '0.1.0', runtime: 'node 20.19.0', platform: 'linux', arch: 'x64', kernel: 'wasm-simd-f64' };

function openStore(): RunStore {
  return RunStore.open(path.join(tempDir(), 'queue.sqlite'), { appVersion: '9.9.9-test' });
}

describe('db/store: runs sent to a job queue', () => {
  it('records them queued with no owner, marked remote, each with its job id and options', () => {
    const store = openStore();
    const { spec } = train();
    const exp = store.createExperiment({ name: 'q', kind: 'sweep' });
    const rows = store.createQueuedRuns([spec, { ...spec, initSeed: 3 }], { experimentId: exp, queue: QUEUE, jobOptions: { kernel: 'auto' }, jobIdOf: (id) => `run-${id}-x` });
    expect(rows.map((r) => r.jobId)).toEqual(rows.map((r) => `run-${r.runId}-x`));
    const list = store.listRuns({ experimentId: exp, order: 'oldest' });
    expect(list.map((r) => [r.status, r.owner, r.remote])).toEqual([
      ['queued', null, { ...QUEUE, worker: null }],
      ['queued', null, { ...QUEUE, worker: null }],
    ]);
    // crash recovery leaves them alone: the queue holds them, not a process
    expect(store.reapOrphans({ isAlive: () => false, staleMs: 0, now: Date.now() + 1e9 })).toEqual([]);
    expect(store.waitingInQueue(QUEUE).map((w) => [w.runId, w.jobId, w.spec.initSeed, w.options])).toEqual(rows.map((r, i) => [r.runId, r.jobId, i ? 3 : spec.initSeed, { kernel: 'auto' }]));
    expect(store.waitingInQueue({ ...QUEUE, name: 'other' })).toEqual([]);
    expect(store.queuesWaiting()).toEqual([{ ...QUEUE, runs: 2 }]);
    // a local run is not remote
    expect(store.getRun(store.createRun(spec))!.remote).toBeNull();
    store.close();
  });

  it('stores a collected result exactly once, with the worker that trained it and its times', () => {
    const store = openStore();
    const { spec, result } = train();
    const [{ runId }] = store.createQueuedRuns([spec], { queue: QUEUE, jobOptions: {}, jobIdOf: () => 'run-1-a' });
    expect(store.storeQueuedResult(runId, result, { trainedBy: { ...BY, appVersion: '0.2.0' }, startedAt: 1000, finishedAt: 2000 })).toBe(true);
    expect(store.storeQueuedResult(runId, result, { trainedBy: { ...BY, worker: 'w2' }, startedAt: 3000, finishedAt: 4000 })).toBe(false);
    const run = store.getRun(runId)!;
    expect(run).toMatchObject({ status: 'done', startedAt: 1000, finishedAt: 2000, appVersion: '0.2.0', remote: { ...QUEUE, worker: 'w1' }, trainedBy: { ...BY, appVersion: '0.2.0' } });
    expect(store.getSeries(runId, ['cost']).cost.data).toEqual(result.costHistory);
    expect(store.waitingInQueue(QUEUE)).toEqual([]);
    expect(store.failQueuedRun(runId, 'failed', 'late failure')).toBe(false);
    expect(store.getStatus(runId)).toBe('done');
    store.close();
  });

  it('fails or cancels a queued run once, and drops a result that comes after', () => {
    const store = openStore();
    const { spec, result } = train();
    const [a, b] = store.createQueuedRuns([spec, spec], { queue: QUEUE, jobOptions: {}, jobIdOf: (id) => `run-${id}-b` });
    expect(store.failQueuedRun(a.runId, 'failed', 'failed twice on worker w1: boom', BY)).toBe(true);
    expect(store.getRun(a.runId)).toMatchObject({ status: 'failed', error: 'failed twice on worker w1: boom', trainedBy: BY });
    expect(store.failQueuedRun(b.runId, 'cancelled', 'cancelled before it finished')).toBe(true);
    expect(store.storeQueuedResult(b.runId, result, { trainedBy: BY, startedAt: 1, finishedAt: 2 })).toBe(false);
    expect(store.getRun(b.runId)).toMatchObject({ status: 'cancelled', trainedBy: null });
    expect(store.getSeries(b.runId)).toEqual({});
    // a run deleted meanwhile: nothing to store, nothing thrown
    store.deleteRun(a.runId);
    expect(store.storeQueuedResult(a.runId, result, { trainedBy: BY, startedAt: 1, finishedAt: 2 })).toBe(false);
    expect(store.db.prepare('SELECT count(*) FROM queue_jobs').pluck().get()).toBe(1);
    store.close();
  });

  it('finds the runs waiting in a queue through its index', () => {
    const store = openStore();
    const plan = (store.db.prepare(`EXPLAIN QUERY PLAN SELECT q.run_id FROM queue_jobs q JOIN runs r ON r.id = q.run_id
      WHERE q.queue_name = ? AND q.redis = ? AND r.status IN ('queued', 'running')`).all('nnlab', 'x') as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan).toMatch(/SEARCH q USING (COVERING )?INDEX queue_jobs_queue/);
    expect(plan).toMatch(/SEARCH r USING INTEGER PRIMARY KEY/);
    store.close();
  });
});
