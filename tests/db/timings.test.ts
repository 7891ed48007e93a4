import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configKey, RunStore, type TimingEnvironment } from '../../src-main/db';
import { tempDir, train } from './helpers';

const ENV: TimingEnvironment = { platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'test cpu', runtime: 'node 20', loadAverage: { start: 0.5, end: 0.7 }, concurrentJobs: 0 };

function openStore(): RunStore {
  return RunStore.open(path.join(tempDir(), 'runs.sqlite'), { appVersion: '9.9.9-test', clock: () => 1234 });
}

describe('db/store: re-run checks', () => {
  it('keeps every check of a run and gives the latest with the run; they go with the run', () => {
    const store = openStore();
    const { spec, result } = train();
    const id = store.createRun(spec);
    store.finishRun(id, result);
    expect(store.getRun(id)!.verification).toBeNull();
    store.saveVerification({ runId: id, verdict: 'differs', firstDifferentBatch: 7, maxRelativeDifference: 2e-16, batches: 20, verifiedAt: 10, appVersion: '9.9.9-test', kernel: 'js-blocked' });
    store.saveVerification({ runId: id, verdict: 'identical', firstDifferentBatch: null, maxRelativeDifference: NaN, batches: 20, verifiedAt: 20, appVersion: '9.9.9-test', kernel: 'js-blocked' });
    expect(store.getRun(id)!.verification).toEqual({ runId: id, verdict: 'identical', firstDifferentBatch: null, maxRelativeDifference: null, batches: 20, verifiedAt: 20, appVersion: '9.9.9-test', kernel: 'js-blocked' });
    expect(store.db.prepare('SELECT count(*) FROM verifications').pluck().get()).toBe(2);
    expect(() => store.saveVerification({ runId: id, verdict: 'bogus' as 'identical', firstDifferentBatch: null, maxRelativeDifference: 0, batches: 1, verifiedAt: 1, appVersion: '', kernel: '' })).toThrow(/CHECK/);
    store.deleteRun(id);
    expect(store.db.prepare('SELECT count(*) FROM verifications').pluck().get()).toBe(0);
    store.close();
  });
});

describe('db/store: timings', () => {
  it('stores a measurement as given, non-finite numbers as null, and finds it by experiment or by configuration', () => {
    const store = openStore();
    const { spec } = train();
    const sigmoid = { ...spec, activation: 'sigmoid' as const };
    const exp = store.createExperiment({ name: 'relu vs sigmoid', kind: 'sweep' });
    const a = store.saveTiming({ experimentId: exp, name: 'first', kernel: 'js-blocked', configKeys: [configKey(spec), configKey(sigmoid)], measurement: { repeats: 3, clockOverheadUs: NaN, configs: [] }, environment: ENV });
    const b = store.saveTiming({ experimentId: null, name: 'second', kernel: 'js-blocked', configKeys: [configKey(sigmoid)], measurement: { repeats: 5, configs: [] }, environment: ENV });
    expect(store.getTiming(a)).toEqual({
      id: a,
      experimentId: exp,
      name: 'first',
      createdAt: 1234,
      appVersion: '9.9.9-test',
      kernel: 'js-blocked',
      configKeys: [configKey(spec), configKey(sigmoid)],
      measurement: { repeats: 3, clockOverheadUs: null, configs: [] },
      environment: ENV,
    });
    expect(store.listTimings().map((t) => t.id)).toEqual([b, a]);
    expect(store.listTimings({ experimentId: exp }).map((t) => t.id)).toEqual([a]);
    expect(store.listTimings({ configKeys: [configKey(spec)] }).map((t) => t.id)).toEqual([a]);
    expect(store.listTimings({ configKeys: [configKey(sigmoid), 'nothing'] }).map((t) => t.id)).toEqual([b, a]);
    expect(store.listTimings({ configKeys: [] })).toEqual([]);
    expect(store.listTimings({ limit: 1 }).map((t) => t.id)).toEqual([b]);
    // deleting the experiment keeps the timing, detached
    store.deleteExperiment(exp);
    expect(store.getTiming(a)!.experimentId).toBeNull();
    expect(store.deleteTiming(a)).toBe(true);
    expect(store.getTiming(a)).toBeUndefined();
    store.close();
  });
});
