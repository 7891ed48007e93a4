import { afterEach, describe, expect, it } from 'vitest';
import { countOutcomes, notCountedText } from '../../src-main/analysis/outcome';
import { SpecError } from '../../src-main/trainer/spec';
import { WritePath } from '../../src-main/db/write-path';
import { createTestLab, nextEvent, type TestLab } from '../helpers/lab';
import type { LabEvent } from '../../src-main/lab/service';

let t: TestLab | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

describe('lab/service', () => {
  it('trains a run in a trainer process and stores its result and series', async () => {
    t = createTestLab();
    const id = t.lab.startRun({ batches: 100 });
    expect(t.store.getRun(id)!.status).toBe('queued');
    const done = await t.lab.wait(id);
    expect(done?.status).toBe('done');
    const run = t.store.getRun(id)!;
    expect(run.status).toBe('done');
    expect(run.batchesRun).toBe(100);
    expect(run.owner?.pid).toBe(process.pid);
    const series = t.store.getSeries(id);
    expect(series.cost.data).toHaveLength(100);
    expect(series.cost.data[99]).toBe(run.finalCost);
    expect(t.events.map((e) => e.type)).toEqual(expect.arrayContaining(['run/queued', 'run/started', 'run/finished']));
  });

  it('starts its trainer processes ahead of the first run when warmed, and runs on them', async () => {
    t = createTestLab({ poolSize: 2 });
    await t.lab.warm();
    expect(t.processes).toHaveLength(2);
    await t.lab.warm(); // already warm: no more processes
    expect(t.processes).toHaveLength(2);
    const ids = [t.lab.startRun({ batches: 50 }), t.lab.startRun({ batches: 50, initSeed: 3 })];
    await t.lab.idle();
    for (const id of ids) expect(t.store.getRun(id)!.status).toBe('done');
    expect(t.processes).toHaveLength(2);
  });

  it('writes the outcome of its last training run at once, and groups those that end while others train', async () => {
    // a burst's wait for company far longer than the test's timeout: only the lab's `last` ends it
    t = createTestLab({ writePath: (store) => new WritePath(store, { log: () => {}, groupMs: 600_000 }) });
    const sizes: number[] = [];
    const original = t.store.recordOutcomes.bind(t.store);
    t.store.recordOutcomes = (o, specs) => {
      sizes.push(o.length);
      return original(o, specs);
    };
    // a run alone after a quiet spell: written at once
    expect((await t.lab.wait(t.lab.startRun({ batches: 30 })))?.saved).toBe('saved');
    // a run alone right after another: no other run trains, so it does not wait for company
    expect((await t.lab.wait(t.lab.startRun({ batches: 30, initSeed: 2 })))?.saved).toBe('saved');
    expect(sizes).toEqual([1, 1]);
    // a sweep on one process: each outcome after the first waits for the runs still training; the last one ends the wait
    const { runIds } = t.lab.startSweep({ grid: {}, replicates: 4, base: { batches: 30 } });
    await t.lab.idle();
    for (const id of runIds) expect(t.store.getRun(id)!.status).toBe('done');
    expect(sizes).toEqual([1, 1, 4]);
  }, 60_000);

  it('rejects a bad spec at the boundary, naming the field, and stores nothing', () => {
    t = createTestLab();
    expect(() => t!.lab.startRun({ learningRate: -1 })).toThrow(SpecError);
    expect(() => t!.lab.startRun({ shape: [] })).toThrow(/^shape: /);
    expect(() => t!.lab.startRun({ activation: 'swish' })).toThrow(/^activation: /);
    expect(() => t!.lab.startRun({ shape: [1, 40000, 40000, 2] })).toThrow(/^shape: .*cap/);
    expect(t.store.listRuns()).toHaveLength(0);
  });

  it('retries a run whose trainer process is SIGKILLed, once, in another process: the same row, the same bits, the first reason kept; the queue goes on', async () => {
    t = createTestLab();
    const spec = { batches: 200_000 };
    const victim = t.lab.startRun(spec);
    const ended = t.lab.wait(victim);
    const next = t.lab.startRun({ batches: 50 });
    const nextEnded = t.lab.wait(next);
    await nextEvent(t.lab, (e) => e.type === 'run/progress' && e.runId === victim);
    const requeued = nextEvent(t.lab, (e) => e.type === 'run/queued' && e.runId === victim);
    process.kill(t.processes[0].pid!, 'SIGKILL');
    await requeued;
    const done = await ended;
    expect(done?.status).toBe('done');
    const row = t.store.getRun(victim)!;
    expect(row.status).toBe('done');
    expect(row.error).toMatch(/^retried in another trainer process after the first died \(.*killed by SIGKILL.*\)$/);
    expect(t.store.listRuns()).toHaveLength(2); // the same row, no copy
    expect((await nextEnded)?.status).toBe('done');
    expect(t.processes.length).toBeGreaterThanOrEqual(2); // the pool replaced the dead process
    // the retry trained from the same seeds: bit for bit the run an undisturbed process trains
    const again = t.lab.startRun(spec);
    expect((await t.lab.wait(again))?.status).toBe('done');
    expect(Array.from(t.store.getSeries(victim, ['cost']).cost.data)).toEqual(Array.from(t.store.getSeries(again, ['cost']).cost.data));
  });

  it('does not blame a configuration for a killed trainer: a sweep of 4 seeds with one process killed counts 4 outcomes and 0 failures', async () => {
    t = createTestLab();
    const { runIds } = t.lab.startSweep({ base: { batches: 100_000 }, replicates: 4 });
    await nextEvent(t.lab, (e) => e.type === 'run/progress' && e.runId === runIds[0]);
    process.kill(t.processes[0].pid!, 'SIGKILL');
    await t.lab.idle();
    const runs = runIds.map((id) => t!.store.getRun(id)!);
    expect(runs.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
    const counts = countOutcomes(runs);
    expect(counts.n).toBe(4);
    expect(counts.notCountedTotal).toBe(0);
    expect(counts.counts['learned-nothing'] + counts.counts.diverged).toBe(runs.filter((r) => (r.testMse ?? Infinity) >= (r.baselineMse ?? 0)).length);
  });

  it('fails a run whose trainer process dies twice, with both reasons, and counts it in no rate', async () => {
    t = createTestLab();
    const victim = t.lab.startRun({ batches: 5_000_000 });
    const ended = t.lab.wait(victim);
    await nextEvent(t.lab, (e) => e.type === 'run/progress' && e.runId === victim);
    const retried = nextEvent(t.lab, (e) => e.type === 'run/started' && e.runId === victim);
    process.kill(t.processes[0].pid!, 'SIGKILL');
    await retried;
    await nextEvent(t.lab, (e) => e.type === 'run/progress' && e.runId === victim);
    process.kill(t.processes[t.processes.length - 1].pid!, 'SIGKILL');
    const end = await ended;
    expect(end?.status).toBe('failed');
    const row = t.store.getRun(victim)!;
    expect(row.error).toMatch(/^the trainer process died twice: first .*killed by SIGKILL.*; then .*killed by SIGKILL/);
    const counts = countOutcomes([row]);
    expect(counts).toMatchObject({ n: 0, notCounted: { failed: 1 } });
    expect(notCountedText(counts)).toBe('1 not counted: ended in an error');
  });

  it('cancels a running run promptly and keeps its partial history', async () => {
    t = createTestLab();
    const id = t.lab.startRun({ batches: 20_000_000 });
    const progress = (await nextEvent(t.lab, (e) => e.type === 'run/progress' && e.runId === id)) as Extract<LabEvent, { type: 'run/progress' }>;
    expect(t.lab.cancel(id)).toBe(true);
    const end = await t.lab.wait(id);
    expect(end?.status).toBe('cancelled');
    // prompt means the trainer process answered the cancel itself, between two chunks of batches,
    // with its partial result: one that ignored it would be killed after the grace period, and
    // a killed process leaves no result, no history and a replacement process behind
    expect(end?.result).not.toBeNull();
    const run = t.store.getRun(id)!;
    expect(run.status).toBe('cancelled');
    expect(run.batchesRun).toBeGreaterThanOrEqual(progress.batchesDone);
    expect(run.batchesRun).toBeLessThan(20_000_000);
    expect(t.store.getSeries(id).cost.data.length).toBe(run.batchesRun);
    const next = t.lab.startRun({ batches: 20 });
    expect((await t.lab.wait(next))?.status).toBe('done');
    expect(t.processes).toHaveLength(1);
  });

  it('cancels a queued run before it starts', async () => {
    t = createTestLab();
    const first = t.lab.startRun({ batches: 200 });
    const queued = t.lab.startRun({ batches: 200 });
    expect(t.lab.cancel(queued)).toBe(true);
    expect((await t.lab.wait(queued))?.status).toBe('cancelled');
    expect((await t.lab.wait(first))?.status).toBe('done');
  });

  it('throttles progress to at most 30 messages per second per run', async () => {
    t = createTestLab();
    const id = t.lab.startRun({ batches: 400_000 });
    const t0 = performance.now();
    await t.lab.wait(id);
    const seconds = (performance.now() - t0) / 1000;
    const progress = t.events.filter((e) => e.type === 'run/progress' && e.runId === id);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.length / seconds).toBeLessThanOrEqual(30);
  });

  it('completes 200 queued runs on a pool of 2 with every series stored and readable', async () => {
    t = createTestLab({ poolSize: 2 });
    const { experimentId, runIds } = t.lab.startSweep({ base: { batches: 30 }, grid: { activation: ['relu', 'sigmoid'] }, replicates: 100 });
    expect(runIds).toHaveLength(200);
    await t.lab.idle();
    const runs = t.store.listRuns({ experimentId });
    expect(runs).toHaveLength(200);
    expect(runs.every((r) => r.status === 'done')).toBe(true);
    for (const id of runIds) expect(t.store.getSeries(id, ['cost']).cost.data).toHaveLength(30);
  });

  it('replicates a run with seeds its configuration has not used', async () => {
    t = createTestLab();
    const id = t.lab.startRun({ batches: 20, initSeed: 5, dataSeed: 9 });
    await t.lab.wait(id);
    const { runIds } = t.lab.replicate(id, 3);
    await t.lab.idle();
    const specs = runIds.map((r) => t!.store.getRun(r)!.spec);
    expect(specs.map((s) => s.initSeed)).toEqual([6, 7, 8]);
    expect(specs.map((s) => s.dataSeed)).toEqual([10, 11, 12]);
    expect(new Set(runIds.map((r) => t!.store.getRun(r)!.configKey))).toEqual(new Set([t.store.getRun(id)!.configKey]));
  });

  it('marks runs still queued or training as interrupted when the lab closes', async () => {
    t = createTestLab();
    const id = t.lab.startRun({ batches: 20_000_000 });
    const queued = t.lab.startRun({ batches: 10 });
    await nextEvent(t.lab, (e) => e.type === 'run/started' && e.runId === id);
    await t.lab.close();
    expect(t.store.getRun(id)!.status).toBe('interrupted');
    expect(t.store.getRun(queued)!.status).toBe('interrupted');
  });
});
