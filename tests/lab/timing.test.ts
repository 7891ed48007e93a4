import { afterEach, describe, expect, it } from 'vitest';
import { summarizeTiming } from '../../src-main/analysis/timing';
import { configKey } from '../../src-main/db';
import type { LabEvent } from '../../src-main/lab/service';
import { parseRunSpec, SpecError } from '../../src-main/trainer/spec';
import { createTestLab, nextEvent, type TestLab } from '../helpers/lab';

let t: TestLab | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

const label = (e: LabEvent) => (e.type.startsWith('timing/') ? e.type : `${e.type} #${(e as { runId: number }).runId}`);

describe('lab/timing', () => {
  it('keeps a run and a timing apart when their ids are the same number', async () => {
    t = createTestLab();
    const runId = t.lab.startRun({ batches: 20_000_000 });
    await nextEvent(t.lab, (e) => e.type === 'run/progress' && e.runId === runId);
    // the timing waits for the run (a timing runs alone), and gets the lab's first job id
    const { jobId } = t.lab.startTiming({ specs: [{ batches: 20 }], repeats: 1, warmup: 0 });
    expect(jobId).toBe(runId);
    expect(t.lab.cancelTiming(jobId)).toBe(true);
    expect(await t.lab.waitTiming(jobId)).toMatchObject({ status: 'cancelled' });
    expect(t.lab.timingsActive()).toEqual([]);
    // the run trains on: cancelling the timing did not reach it, and cancelling the run does not reach a timing
    const { jobId: second } = t.lab.startTiming({ specs: [{ batches: 20 }], repeats: 1, warmup: 0 });
    expect(t.lab.cancel(runId)).toBe(true);
    expect((await t.lab.wait(runId))?.status).toBe('cancelled');
    expect(await t.lab.waitTiming(second)).toMatchObject({ status: 'done' });
  });

  it('times two configurations in a trainer process and stores the measurement with where it was taken', async () => {
    t = createTestLab();
    const relu = { batches: 80 };
    const sigmoid = { batches: 80, activation: 'sigmoid' };
    const { jobId } = t.lab.startTiming({ specs: [relu, sigmoid], repeats: 4, warmup: 1, targetMse: 0.05 });
    const keys = [configKey(parseRunSpec(relu)), configKey(parseRunSpec(sigmoid))];
    expect(t.lab.timingsActive()).toEqual([{ jobId, name: 'activation=relu vs activation=sigmoid', configKeys: keys, experimentId: null, state: 'queued', done: 0, total: 10 }]);
    const done = await t.lab.waitTiming(jobId);
    expect(t.lab.timingsActive()).toEqual([]);
    expect(done).toMatchObject({ jobId, status: 'done', error: null });
    const types = t.events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['timing/queued', 'timing/started']);
    expect(types[types.length - 1]).toBe('timing/finished');
    expect(t.events.filter((e) => e.type === 'timing/progress').length).toBeGreaterThan(0);
    const stored = t.store.getTiming(done!.timingId!)!;
    expect(stored.name).toBe('activation=relu vs activation=sigmoid');
    expect(stored.configKeys).toEqual(keys);
    expect(stored.environment).toMatchObject({ concurrentJobs: 0 });
    expect(stored.environment.cpus).toBeGreaterThan(0);
    expect(stored.environment.runtime).toMatch(/^node /);
    const s = summarizeTiming(stored.measurement);
    expect(s.configs.map((c) => [c.label, c.n, c.costsIdentical])).toEqual([
      ['activation=relu', 4, true],
      ['activation=sigmoid', 4, true],
    ]);
    for (const c of s.configs) {
      for (const st of [c.forward, c.backward, c.update, c.wallMs]) {
        expect(st!.median).toBeGreaterThan(0);
        expect(st!.q1).toBeLessThanOrEqual(st!.median);
        expect(st!.median).toBeLessThanOrEqual(st!.q3);
      }
    }
    expect(t.store.listRuns()).toEqual([]); // repeats are not runs
  });

  it('runs a timing alone: after the run before it, and before the run after it', async () => {
    t = createTestLab({ poolSize: 2 });
    const before = t.lab.startRun({ batches: 3000 });
    const { jobId } = t.lab.startTiming({ specs: [{ batches: 100 }], repeats: 2, warmup: 0 });
    const after = t.lab.startRun({ batches: 50 });
    await t.lab.idle();
    // starts are announced as the pool dispatches (finishes a moment later, once stored)
    const order = t.events.filter((e) => e.type === 'run/started' || e.type === 'timing/started' || e.type === 'timing/progress').map(label);
    const progress = order.filter((x) => x === 'timing/progress').length;
    expect(progress).toBeGreaterThan(0);
    expect(order).toEqual([`run/started #${before}`, 'timing/started', ...Array<string>(progress).fill('timing/progress'), `run/started #${after}`]);
    // and when it started, nothing else was training
    expect(t.store.listTimings()[0].environment.concurrentJobs).toBe(0);
    expect(await t.lab.waitTiming(jobId)).toBeNull(); // ended
  });

  it('times a sweep’s configurations after its runs when the sweep asks for it (the relu-vs-sigmoid exercise does)', async () => {
    t = createTestLab({ poolSize: 2 });
    const started = t.lab.startSweep({ base: { batches: 40 }, grid: { activation: ['relu', 'sigmoid'] }, replicates: 3, timing: { repeats: 2, warmup: 0 } });
    expect(started.timingJobId).toBeGreaterThan(0);
    const done = await t.lab.waitTiming(started.timingJobId!);
    expect(done?.status).toBe('done');
    const timing = t.store.getTiming(done!.timingId!)!;
    expect(timing.experimentId).toBe(started.experimentId);
    const runs = t.store.listRuns({ experimentId: started.experimentId, order: 'oldest' });
    expect(timing.configKeys).toEqual([runs[0].configKey, runs[3].configKey]);
    // the replicates' first seeds
    expect(timing.measurement.configs.map((c) => [c.spec.activation, c.spec.initSeed])).toEqual([
      ['relu', runs[0].initSeed],
      ['sigmoid', runs[3].initSeed],
    ]);
    expect(runs.every((r) => r.status === 'done')).toBe(true);
    expect(timing.environment.concurrentJobs).toBe(0);
    expect(t.store.listTimings({ experimentId: started.experimentId })).toHaveLength(1);
  });

  it('cancels a timing and stores nothing', async () => {
    t = createTestLab();
    const { jobId } = t.lab.startTiming({ specs: [{ batches: 2_000_000 }], repeats: 3, warmup: 0 });
    await nextEvent(t.lab, (e) => e.type === 'timing/started');
    expect(t.lab.cancelTiming(jobId)).toBe(true);
    expect(await t.lab.waitTiming(jobId)).toMatchObject({ status: 'cancelled', timingId: null });
    expect(t.store.listTimings()).toEqual([]);
    expect(t.lab.cancelTiming(jobId)).toBe(false);
  });

  it('refuses bad requests at the boundary, naming the field', () => {
    t = createTestLab();
    expect(() => t!.lab.startTiming({ specs: [{}, { activation: 'swish' }] })).toThrow(/^specs\[1\]\.activation: /);
    expect(() => t!.lab.startTiming({ specs: [] })).toThrow(SpecError);
    expect(() => t!.lab.startTiming({ specs: [{}], repeats: 0 })).toThrow(/^repeats: /);
    expect(() => t!.lab.startTiming({ specs: [{}], warmup: -1 })).toThrow(/^warmup: /);
    expect(() => t!.lab.startTiming({ specs: [{}], targetMse: 0 })).toThrow(/^targetMse: /);
  });
});

describe('lab/verify in a trainer process', () => {
  it('replays a saved run, stores the check, and finds an injected one-ulp change at its batch', async () => {
    t = createTestLab();
    const id = t.lab.startRun({ batches: 120, activation: 'sigmoid' });
    await t.lab.wait(id);
    const report = await t.lab.verify(id);
    expect(report).toMatchObject({ runId: id, verdict: 'identical', firstDifferentBatch: null, batches: 120 });
    expect(t.store.getRun(id)!.verification).toMatchObject({ runId: id, verdict: 'identical', firstDifferentBatch: null, batches: 120 });
    const blob = t.store.db.prepare("SELECT data FROM run_series WHERE run_id = ? AND name = 'cost'").pluck().get(id) as Buffer;
    const bytes = new Uint8Array(blob);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    view.setBigUint64(77 * 8, view.getBigUint64(77 * 8, true) + 1n, true);
    t.store.db.prepare("UPDATE run_series SET data = ? WHERE run_id = ? AND name = 'cost'").run(Buffer.from(bytes), id);
    expect(await t.lab.verify(id)).toMatchObject({ verdict: 'differs', firstDifferentBatch: 77 });
    expect(t.store.getRun(id)!.verification).toMatchObject({ verdict: 'differs', firstDifferentBatch: 77 });
  });

  it('says why it cannot check a run without a cost history', async () => {
    t = createTestLab();
    const id = t.lab.startRun({ batches: 10 });
    t.lab.cancel(id);
    await t.lab.wait(id);
    await expect(t.lab.verify(id)).rejects.toThrow(/no stored cost history/);
    await expect(t.lab.verify(99)).rejects.toThrow(/there is no run 99/);
  });
});
