import { fork } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configKey, isProcessAlive, RunStore, StoreError, type Owner } from '../../src-main/db';
import { SpecError } from '../../src-main/trainer/spec';
import { tempDir, train } from './helpers';

function openStore(name = 'runs.sqlite', clock?: () => number): RunStore {
  return RunStore.open(path.join(tempDir(), name), { appVersion: '9.9.9-test', clock });
}

describe('db/store: runs and series', () => {
  it('stores a finished run and reads every series back exactly', () => {
    const store = openStore();
    const { spec, result } = train({ shape: [1, 8, 8, 2], checkpoints: 5, initSeed: 7, dataSeed: 9 });
    const exp = store.createExperiment({ name: 'one', kind: 'comparison', definition: { note: 'x' }, now: 50 });
    const id = store.createRun(spec, { experimentId: exp, now: 100, tags: ['a'] });
    expect(store.getStatus(id)).toBe('queued');
    expect(store.markRunning(id, { host: 'h', pid: 42 }, 200)).toBe(true);
    store.finishRun(id, result, undefined, { now: 300 });

    const run = store.getRun(id)!;
    expect(run).toMatchObject({
      id,
      experimentId: exp,
      status: 'done',
      spec,
      configKey: configKey(spec),
      initSeed: 7,
      dataSeed: 9,
      appVersion: '9.9.9-test',
      createdAt: 100,
      startedAt: 200,
      finishedAt: 300,
      owner: { host: 'h', pid: 42 },
      heartbeatAt: 200,
      batchesRun: 20,
      finalCost: result.finalCost,
      finalMse: result.finalMse,
      testMse: result.testMse,
      baselineMse: result.baselineMse,
      failed: result.failed,
      kernel: result.kernel,
      trainMs: result.timing.trainMs,
      error: null,
      notes: '',
      tags: ['a'],
    });
    expect(run.diagnostics).toEqual(JSON.parse(JSON.stringify(result.diagnostics)));
    expect(run.timing?.trainMs).toBe(result.timing.trainMs);

    const s = store.getSeries(id);
    expect(Object.keys(s).sort()).toEqual(
      ['checkpointBatches', 'checkpointMetrics', 'cost', 'estimates', 'finalWeights', 'gradNorms', 'mse', 'testEstimates', 'testInputs', 'testTargets', 'viewInputs', 'weightBatches', 'weights'].sort(),
    );
    const expected: Record<string, [Float64Array, number[]]> = {
      cost: [result.costHistory, [20]],
      mse: [result.mseHistory, [20]],
      checkpointBatches: [Float64Array.from(result.checkpoints.batches), [6]],
      estimates: [result.checkpoints.estimates, [6, 30, 2]],
      gradNorms: [result.checkpoints.gradNorms, [6, 3]],
      testInputs: [result.testInputs, [30, 1]],
      testEstimates: [result.testEstimates, [30, 2]],
      testTargets: [result.testTargets, [30, 2]],
      viewInputs: [result.viewInputs, [30, 1]],
      checkpointMetrics: [result.checkpoints.metrics, [6, 5]],
      finalWeights: [result.finalWeights, [16 + 72 + 18]],
      weightBatches: [Float64Array.from(result.weightCheckpoints!.batches), [6]],
      weights: [result.weightCheckpoints!.weights, [6, 16 + 72 + 18]],
    };
    for (const [name, [data, shape]] of Object.entries(expected)) {
      const got = s[name];
      expect(got.data, name).toBeInstanceOf(Float64Array);
      expect(got.data.byteOffset, name).toBe(0);
      expect(got.shape, name).toEqual(shape);
      expect(got.length, name).toBe(data.length);
      // bit for bit, NaN included (gradNorms at batch 0)
      expect(Buffer.from(got.data.buffer).equals(Buffer.from(data.buffer, data.byteOffset, data.byteLength)), name).toBe(true);
    }
    // mse is derived from cost on read, unless the result's mse is something else
    expect(run.series.find((x) => x.name === 'mse')).toMatchObject({ derived: true, length: 20 });
    expect(Object.keys(store.getSeries(id, ['mse']))).toEqual(['mse']);
    expect(Object.keys(store.getSeries(id, ['gradNorms', 'nope']))).toEqual(['gradNorms']);
    expect(store.getSeries(12345)).toEqual({});
    store.close();
  });

  it('stores a classification run’s scores by its kind’s names, and its boundary grid with its sizes', () => {
    const store = RunStore.open(path.join(tempDir(), 'classify.sqlite'));
    const { spec, result } = train({ task: 'circle', learningRate: 0.1, batches: 60, checkpoints: 3, l2: 0.001 });
    const id = store.createRun(spec);
    store.finishRun(id, result);
    const run = store.getRun(id)!;
    expect(run).toMatchObject({
      kind: 'classification',
      finalCost: result.finalCost,
      finalLoss: result.finalLoss,
      testLoss: result.testLoss,
      testMetric: result.testAccuracy,
      testAccuracy: result.testAccuracy,
      baseline: result.majorityShare,
      majorityShare: result.majorityShare,
      finalMse: null,
      testMse: null,
      baselineMse: null,
      penalty: result.penalty,
    });
    expect(run.penalty).toBeGreaterThan(0);
    const s = store.getSeries(id, ['viewInputs', 'estimates', 'checkpointMetrics', 'testInputs']);
    expect(s.viewInputs.shape).toEqual([25, 25, 2]);
    expect(s.estimates.shape).toEqual([4, 625, 2]);
    expect(s.checkpointMetrics.shape).toEqual([4, 5]);
    expect(s.testInputs.shape).toEqual([250, 2]);
    // a regression run says its scores by the seed's names, and none of classification's
    const r = train();
    const rid = store.createRun(r.spec);
    store.finishRun(rid, r.result);
    expect(store.getRun(rid)).toMatchObject({ kind: 'regression', finalMse: r.result.finalMse, testMse: r.result.testMse, baselineMse: r.result.baselineMse, testAccuracy: null, majorityShare: null, penalty: 0 });
    store.close();
  });

  it('stores an mse series that is not cost / batchSize as given', () => {
    const store = openStore();
    const { spec, result } = train();
    const odd = { ...result, mseHistory: result.mseHistory.map((m) => m * 2) };
    const id = store.createRun(spec);
    store.finishRun(id, odd);
    expect(store.getRun(id)!.series.find((x) => x.name === 'mse')!.derived).toBeUndefined();
    expect(store.getSeries(id, ['mse']).mse.data).toEqual(odd.mseHistory);
    store.close();
  });

  it('stores a diverged run: Infinity kept, NaN read back as null', () => {
    const store = openStore();
    const { spec, result } = train({ activation: 'linear', outputActivation: 'linear', learningRate: 50, batches: 300 });
    expect(result.status).toBe('diverged');
    const id = store.createRun(spec);
    store.finishRun(id, result);
    const run = store.getRun(id)!;
    expect(run.status).toBe('diverged');
    expect(run.finalCost).toBe(Number.isNaN(result.finalCost) ? null : result.finalCost);
    expect(run.diagnostics?.divergedAtBatch).toBe(result.diagnostics.divergedAtBatch);
    expect(store.getSeries(id, ['cost']).cost.data).toEqual(result.costHistory);
    store.close();
  });

  it('writes series and final status in one transaction: a failure leaves neither', () => {
    const store = openStore();
    const { spec, result } = train();
    const id = store.createRun(spec);
    store.markRunning(id, { host: 'h', pid: 1 });
    store.db.exec(`CREATE TEMP TRIGGER boom BEFORE INSERT ON run_series WHEN NEW.name = 'gradNorms'
      BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`);
    expect(() => store.finishRun(id, result)).toThrow(/disk on fire/);
    expect(store.getStatus(id)).toBe('running');
    expect(store.getSeries(id)).toEqual({});
    store.db.exec('DROP TRIGGER boom');
    store.finishRun(id, result);
    expect(store.getStatus(id)).toBe('done');
    expect(() => store.finishRun(999, result)).toThrow(StoreError);
    store.close();
  });

  it('writes an outcome with a result as ONE change of its run row (rev + 1), the same record as its start and finish written apart', () => {
    const store = openStore();
    const { spec, result } = train({ shape: [1, 8, 8, 2], checkpoints: 5 });
    const [a, b, c, gone] = store.createRuns([spec, spec, spec, spec], { now: 100 });
    const rev = (id: number) => store.db.prepare('SELECT rev FROM runs WHERE id = ?').pluck().get(id) as number;
    const before = rev(a);
    store.deleteRun(gone);
    expect(store.recordOutcomes([
      { runId: a, status: 'done', error: null, result, startedAt: 150, finishedAt: 300 },
      { runId: gone, status: 'done', error: null, result, startedAt: 150, finishedAt: 300 },
    ], [spec, spec])).toEqual([true, false]);
    // the lab's sweeps write a run every few ms: its start, fields and end are one UPDATE, not three
    expect(rev(a)).toBe(before + 1);
    // the same as the start and the finish written one after the other
    store.db.prepare('UPDATE runs SET started_at = 150 WHERE id = ?').run(b);
    store.finishRun(b, result, 'done', { now: 300 });
    expect({ ...store.getRun(a)!, id: 0 }).toEqual({ ...store.getRun(b)!, id: 0 });
    expect(store.getSeries(a)).toEqual(store.getSeries(b));
    // a start already written is kept; without a start (queued to the end), none is made up
    store.markRunning(c, { host: 'h', pid: 1 }, 120);
    expect(store.recordOutcome({ runId: c, status: 'done', error: null, result, startedAt: 150, finishedAt: 300 }, spec)).toBe(true);
    expect(store.getRun(c)!.startedAt).toBe(120);
    expect(store.getRun(gone)).toBeUndefined();
    expect(store.db.prepare('SELECT count(*) FROM run_series WHERE run_id = ?').pluck().get(gone)).toBe(0);
    store.close();
  });

  it('validates specs at the boundary, naming the field', () => {
    const store = openStore();
    const { spec } = train();
    expect(() => store.createRun({ ...spec, learningRate: -1 })).toThrow(SpecError);
    expect(() => store.createRun({ ...spec, shape: [3, 2] })).toThrow(/shape/);
    expect(store.countRuns()).toBe(0);
    store.close();
  });

  it('creates 200 runs, finishes them with real results, and reads every series back', () => {
    const store = openStore();
    const base = train().spec;
    const specs = Array.from({ length: 200 }, (_, i) => ({ ...base, activation: i % 2 ? ('sigmoid' as const) : ('relu' as const), initSeed: i + 1 }));
    const exp = store.createExperiment({ name: 'two hundred', kind: 'replicates' });
    const ids = store.createRuns(specs, { experimentId: exp });
    expect(ids).toHaveLength(200);
    const results = new Map<number, ReturnType<typeof train>['result']>();
    ids.forEach((id, i) => {
      expect(store.markRunning(id, { host: 'h', pid: 1 })).toBe(true);
      const { result } = train(specs[i]);
      results.set(id, result);
      store.finishRun(id, result);
    });
    for (const id of ids) {
      const r = results.get(id)!;
      const s = store.getSeries(id);
      expect(s.cost.data).toEqual(r.costHistory);
      expect(s.mse.data).toEqual(r.mseHistory);
      expect(s.estimates.data).toEqual(r.checkpoints.estimates);
      expect(s.finalWeights.data).toEqual(r.finalWeights);
      expect(store.getRun(id)!.finalCost).toBe(r.finalCost);
    }
    expect(store.countRuns({ experimentId: exp, status: 'done' })).toBe(200);
    const groups = new Set(store.listRuns({ experimentId: exp }).map((r) => r.configKey));
    expect(groups.size).toBe(2);
    expect(store.listExperiments()[0].runCounts).toEqual({ done: 200 });
    store.close();
  });

  it('lists 10,000 runs with summary fields, filtered and paged', () => {
    let t = 1_000_000;
    const store = openStore('many.sqlite', () => t++);
    const { spec, result } = train();
    const a = store.createExperiment({ name: 'a', kind: 'sweep' });
    const specs = Array.from({ length: 10_000 }, (_, i) => ({ ...spec, initSeed: i + 1, learningRate: i % 3 === 0 ? 0.5 : 1 }));
    const ids = store.createRuns(specs.slice(0, 4000), { experimentId: a });
    ids.push(...store.createRuns(specs.slice(4000)));
    store.transaction(() => {
      ids.forEach((id, i) => {
        if (i % 10 === 0) store.failRun(id, 'failed', `boom ${i}`);
        else if (i % 10 !== 1) store.finishRun(id, result);
      });
    });
    store.updateRun(ids[1234], { notes: 'the interesting one', tags: ['keep', 'plot'] });

    const all = store.listRuns();
    expect(all).toHaveLength(10_000);
    expect(all[0].id).toBe(ids[9999]);
    expect(all[9999].id).toBe(ids[0]);
    const done = all.find((r) => r.status === 'done')!;
    expect(done).toMatchObject({ finalCost: result.finalCost, finalMse: result.finalMse, kernel: result.kernel, failed: result.failed });
    expect(done.spec.learningRate).toBeGreaterThan(0);
    expect(all.find((r) => r.id === ids[10])).toMatchObject({ status: 'failed', error: 'boom 10', finalCost: null });
    expect('timing' in done || 'diagnostics' in done).toBe(false);

    expect(store.listRuns({ limit: 25, offset: 25 }).map((r) => r.id)).toEqual(all.slice(25, 50).map((r) => r.id));
    expect(store.listRuns({ order: 'oldest', limit: 3 }).map((r) => r.id)).toEqual(ids.slice(0, 3));
    expect(store.countRuns()).toBe(10_000);
    expect(store.countRuns({ experimentId: a })).toBe(4000);
    expect(store.countRuns({ status: 'failed' })).toBe(1000);
    expect(store.countRuns({ status: ['failed', 'queued'] })).toBe(2000);
    expect(store.listRuns({ status: 'queued', experimentId: a }).every((r) => r.status === 'queued' && r.experimentId === a)).toBe(true);
    expect(store.listRuns({ search: 'INTERESTING' }).map((r) => r.id)).toEqual([ids[1234]]);
    expect(store.listRuns({ search: 'plot' }).map((r) => r.id)).toEqual([ids[1234]]);
    expect(store.countRuns({ search: 'boom 99' })).toBe(11); // failed runs are every 10th: boom 990, boom 9900 … 9990
    expect(store.countRuns({ search: '100%' })).toBe(0);
    expect(store.countRuns({ configKey: configKey({ ...spec, learningRate: 0.5 }) })).toBe(3334);
    store.close();
  });

  it('edits notes and tags, deletes runs with their series, and experiments with or without their runs', () => {
    const store = openStore();
    const { spec, result } = train();
    const e1 = store.createExperiment({ name: 'e1', kind: 'sweep' });
    const e2 = store.createExperiment({ name: 'e2', kind: 'replicates' });
    const [r1, r2] = store.createRuns([spec, spec], { experimentId: e1 });
    const [r3] = store.createRuns([spec], { experimentId: e2 });
    store.finishRun(r1, result);
    expect(store.updateRun(r1, { notes: 'n', tags: ['x'] })).toBe(true);
    expect(store.getRun(r1)).toMatchObject({ notes: 'n', tags: ['x'] });
    expect(store.updateRun(r1, { tags: [] })).toBe(true);
    expect(store.getRun(r1)).toMatchObject({ notes: 'n', tags: [] });
    expect(store.updateRun(4242, { notes: 'n' })).toBe(false);

    expect(store.deleteRun(r1)).toBe(true);
    expect(store.deleteRun(r1)).toBe(false);
    expect(store.db.prepare('SELECT count(*) FROM run_series').pluck().get()).toBe(0);

    expect(store.deleteExperiment(e2, { keepRuns: true })).toBe(true);
    expect(store.getRun(r3)!.experimentId).toBeNull();
    expect(store.deleteExperiment(e1)).toBe(true);
    expect(store.getRun(r2)).toBeUndefined();
    expect(store.listExperiments()).toEqual([]);
    expect(store.listRuns().map((r) => r.id)).toEqual([r3]);
    store.close();
  });

  it('moves runs through their lifecycle: only queued runs start, heartbeats only touch active runs', () => {
    const store = openStore();
    const { spec } = train();
    const [a, b, c] = store.createRuns([spec, spec, spec]);
    const owner: Owner = { host: 'h', pid: 5 };
    expect(store.markRunning(a, owner, 10)).toBe(true);
    expect(store.markRunning(a, owner, 11)).toBe(false);
    expect(store.failRun(b, 'cancelled', null, 12)).toBe(true);
    expect(store.markRunning(b, owner, 13)).toBe(false);
    expect(store.heartbeat([a, b, c, 999], 20)).toBe(2); // a running, c queued
    expect(store.getRun(a)).toMatchObject({ status: 'running', startedAt: 10, heartbeatAt: 20 });
    expect(store.getRun(b)).toMatchObject({ status: 'cancelled', finishedAt: 12, heartbeatAt: null });
    expect(store.failRun(a, 'failed', 'trainer process killed (SIGKILL)', 30)).toBe(true);
    expect(store.getRun(a)).toMatchObject({ status: 'failed', error: 'trainer process killed (SIGKILL)', finishedAt: 30 });
    // a finished run keeps its outcome
    expect(store.failRun(a, 'interrupted', 'late', 31)).toBe(false);
    expect(store.failRun(b, 'failed', 'late', 31)).toBe(false);
    expect(store.getRun(a)).toMatchObject({ status: 'failed', error: 'trainer process killed (SIGKILL)', finishedAt: 30 });
    expect(store.failRun(999, 'failed', 'x')).toBe(false);
    expect(store.heartbeat([], 40)).toBe(0);
    store.close();
  });
});

describe('db/store: reapOrphans', () => {
  it('interrupts runs whose owner is gone, and never a live owner with a fresh heartbeat', () => {
    const store = openStore();
    const { spec, result } = train();
    const now = 1_000_000;
    const staleMs = 30_000;
    const here = 'this-host';
    const alive = new Set([100, 101]);
    const asked: number[] = [];
    const isAlive = (pid: number) => {
      asked.push(pid);
      return alive.has(pid);
    };
    const make = (status: 'queued' | 'running', owner: Owner | null, heartbeatAt: number | null) => {
      const id = store.createRun(spec, { status, owner, now: now - 100_000 });
      store.db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?').run(heartbeatAt, id);
      return id;
    };
    const fresh = now - 1_000;
    const stale = now - 31_000;
    const deadHere = make('running', { host: here, pid: 200 }, fresh);
    const liveHere = make('running', { host: here, pid: 100 }, fresh);
    const liveHereEdge = make('running', { host: here, pid: 101 }, now - staleMs);
    const otherFresh = make('running', { host: 'other', pid: 200 }, fresh);
    const otherStale = make('running', { host: 'other', pid: 100 }, stale);
    const liveHereStale = make('running', { host: here, pid: 100 }, stale); // e.g. a reused pid
    const queuedDeadOwner = make('queued', { host: here, pid: 201 }, fresh);
    const queuedLiveOwner = make('queued', { host: here, pid: 101 }, fresh);
    const queuedNoOwner = make('queued', null, null);
    const doneDeadOwner = make('running', { host: here, pid: 202 }, stale);
    store.finishRun(doneDeadOwner, result);

    const reaped = store.reapOrphans({ host: here, isAlive, staleMs, now });
    expect(reaped.map((r) => r.id).sort((x, y) => x - y)).toEqual([deadHere, otherStale, liveHereStale, queuedDeadOwner].sort((x, y) => x - y));
    // only owners on this host are looked up, and only for active runs (not other's 100 and 200, not done 202)
    // (a look without the write lock, then again inside the transaction)
    const passes = asked.filter((p) => p === 201).length;
    expect(passes).toBeGreaterThan(0);
    expect(asked.sort()).toEqual([100, 100, 101, 101, 200, 201].flatMap((p) => Array(passes).fill(p)).sort());

    const byId = new Map(reaped.map((r) => [r.id, r]));
    expect(byId.get(deadHere)!.reason).toMatch(/process 200 on this-host, is no longer running/);
    expect(byId.get(otherStale)!.reason).toMatch(/process 100 on other, stopped responding \(no heartbeat for 31 s; the limit is 30 s\)/);
    expect(byId.get(queuedDeadOwner)!.previousStatus).toBe('queued');
    for (const r of reaped) expect(store.getRun(r.id)).toMatchObject({ status: 'interrupted', error: r.reason, finishedAt: now });
    for (const id of [liveHere, liveHereEdge, otherFresh]) expect(store.getStatus(id)).toBe('running');
    expect(store.getStatus(queuedLiveOwner)).toBe('queued');
    expect(store.getStatus(queuedNoOwner)).toBe('queued');
    expect(store.getStatus(doneDeadOwner)).toBe('done');

    // a second pass finds nothing new; an owner that was only slow still gets its result stored
    expect(store.reapOrphans({ host: here, isAlive, staleMs, now })).toEqual([]);
    store.finishRun(liveHereStale, result);
    expect(store.getRun(liveHereStale)).toMatchObject({ status: 'done', error: null });
    store.close();
  });

  it('tells live processes from exited ones', async () => {
    expect(isProcessAlive(process.pid)).toBe(true);
    const child = fork(path.join(import.meta.dirname, 'fixtures', 'idle.mjs'), [], { stdio: 'ignore' });
    const pid = child.pid!;
    await new Promise((resolve) => child.once('message', resolve));
    expect(isProcessAlive(pid)).toBe(true);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(isProcessAlive(pid)).toBe(false);
    expect(isProcessAlive(-1)).toBe(false);

    // and with the real check, a run owned by that dead process is reaped
    const store = openStore();
    const id = store.createRun(train().spec, { status: 'running', owner: { host: 'h', pid } });
    const other = store.createRun(train().spec, { status: 'running', owner: { host: 'h', pid: process.pid } });
    expect(store.reapOrphans({ host: 'h', staleMs: 60_000 }).map((r) => r.id)).toEqual([id]);
    expect(store.getStatus(other)).toBe('running');
    store.close();
  });
});

describe('db/store: identical runs', () => {
  it('finds the saved runs a spec would repeat: same configuration key, seeds and app version, done or diverged', () => {
    const dir = tempDir();
    const store = RunStore.open(path.join(dir, 'runs.sqlite'), { appVersion: '9.9.9-test' });
    const { spec, result } = train({ batches: 20 });
    const done = store.createRun(spec);
    store.finishRun(done, result);
    // not identical: other seeds, another field, still queued, cancelled
    const otherSeed = store.createRun({ ...spec, initSeed: spec.initSeed + 1 });
    store.finishRun(otherSeed, result);
    const otherRate = store.createRun({ ...spec, learningRate: 0.5 });
    store.finishRun(otherRate, result);
    store.createRun(spec);
    const cancelled = store.createRun(spec);
    store.failRun(cancelled, 'cancelled', null);
    const again = store.createRun(spec);
    store.finishRun(again, result);
    expect(store.identicalRuns(spec).map((r) => r.id)).toEqual([done, again]);
    // a field written out at its default is the same configuration (config-key.ts leaves defaults out)
    expect(store.identicalRuns({ ...spec, noise: 0 }).map((r) => r.id)).toEqual([done, again]);
    store.close();
    // another app version may train differently: its runs are not offered
    const next = RunStore.open(path.join(dir, 'runs.sqlite'), { appVersion: '9.9.10-test' });
    expect(next.identicalRuns(spec)).toEqual([]);
    next.close();
  });
});
