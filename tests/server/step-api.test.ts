/**
 * Step-through through the API (issue 15), with a real lab, real trainer processes and a real
 * database: runs/start {paused} and runs/control {pause, step, resume}. A run stepped 1 and 10
 * batches, paused mid-run and resumed is stored with the same bits as the same run started
 * straight; a step on a finished run is a message, not a trace; bad requests name the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch, toWireEvent } from '../../src-main/api/handlers';
import type { WireStepAnswer } from '../../src-main/api/contract';
import type { LabEvent } from '../../src-main/lab/service';
import { createTestLab, type TestLab } from '../helpers/lab';

let t: TestLab;
let handlers: ReturnType<typeof createHandlers>;
const spec = { batches: 300, checkpoints: 6 };

type Result<T> = { status: number; ok: boolean; value: T; error: { name: string; message: string; field?: string } };
/** One call through dispatch, its answer through JSON as the HTTP API sends it. */
async function call<T>(name: string, req: unknown): Promise<Result<T>> {
  const r = await dispatch(handlers, name, req);
  const body = JSON.parse(JSON.stringify(r.result)) as { ok: boolean; value: T; error: Result<T>['error'] };
  return { status: r.status, ...body };
}
const control = (req: unknown) => call<WireStepAnswer>('runs/control', req);

/** Resolves with the first event that matches (among those already seen, or the next ones). */
function eventOf(match: (e: LabEvent) => boolean): Promise<LabEvent> {
  const seen = t.events.find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => {
    const off = t.lab.on((e) => {
      if (!match(e)) return;
      off();
      resolve(e);
    });
  });
}

const bits = (a: ArrayLike<number>) => Buffer.from(Float64Array.from(a).buffer).toString('base64');
const stored = (id: number) => {
  const s = t.store.getSeries(id);
  return { cost: bits(s.cost.data), finalWeights: bits(s.finalWeights.data), testEstimates: bits(s.testEstimates.data), weights: bits(t.store.getWeightCheckpoints(id)!.weights) };
};

beforeAll(() => {
  t = createTestLab();
  handlers = createHandlers(t.lab, { database: t.file });
});
afterAll(async () => {
  await t.close();
});

describe('api: runs/control (step-through of a live run)', () => {
  let straight: number;

  it('steps a run started paused 1 batch, then 10, pauses and resumes it: stored with the same bits as the run started straight', async () => {
    const s = await call<{ runId: number }>('runs/start', { spec });
    expect(s.status).toBe(200);
    straight = s.value.runId;
    await t.lab.wait(straight);
    const costs = t.store.getSeries(straight, ['cost']).cost.data;

    const r = await call<{ runId: number }>('runs/start', { spec, paused: true });
    const id = r.value.runId;
    const ev = await eventOf((e) => e.type === 'run/paused' && e.runId === id);
    expect(ev).toMatchObject({ batchesDone: 0, batches: 300 });
    // its wire form: the cost of no batch is null, not NaN
    expect(toWireEvent(ev)).toMatchObject({ type: 'run/paused', cost: null });

    // a pause of a paused run answers at once, with the weights at batch 0 (the first weight checkpoint)
    const at0 = await control({ id, action: 'pause' });
    expect(at0.status).toBe(200);
    expect(at0.value.state).toBe('paused');
    if (at0.value.state !== 'paused') return;
    expect([at0.value.at.batchesDone, at0.value.at.cost]).toEqual([0, null]);
    const n = t.store.getSeries(straight, ['finalWeights']).finalWeights.data.length;
    expect(bits(at0.value.at.weights as number[])).toBe(bits(t.store.getWeightCheckpoints(straight)!.weights.subarray(0, n)));
    expect(typeof at0.value.at.testLoss).toBe('number');

    const at1 = await control({ id, action: 'step' });
    expect(at1.value).toMatchObject({ state: 'paused', at: { batchesDone: 1, cost: costs[0] } });
    const at11 = await control({ id, action: 'step', batches: 10 });
    expect(at11.value).toMatchObject({ state: 'paused', at: { batchesDone: 11, cost: costs[10] } });
    if (at1.value.state !== 'paused' || at11.value.state !== 'paused') return;
    expect(bits(at11.value.at.weights as number[])).not.toBe(bits(at1.value.at.weights as number[]));
    expect(t.lab.pausedAt(id)?.batchesDone).toBe(11);

    expect((await control({ id, action: 'resume' })).value).toEqual({ state: 'running' });
    expect(t.events.some((e) => e.type === 'run/resumed' && e.runId === id)).toBe(true);
    // a pause while it runs stops it after the chunk it is in (or finds it ended: 289 batches are quick)
    const mid = await control({ id, action: 'pause' });
    expect(mid.status).toBe(200);
    if (mid.value.state === 'paused') {
      expect(mid.value.at.cost).toBe(costs[mid.value.at.batchesDone - 1]);
      expect((await control({ id, action: 'resume' })).value.state).toMatch(/running|ended/);
    } else expect(mid.value).toMatchObject({ state: 'ended', status: 'done' });

    const done = await t.lab.wait(id);
    expect(done?.status ?? t.store.getRun(id)!.status).toBe('done');
    expect(t.store.getRun(id)!.status).toBe('done');
    expect(stored(id)).toEqual(stored(straight));
  });

  it('a step that runs past the last batch answers how the run ended', async () => {
    const { value } = await call<{ runId: number }>('runs/start', { spec: { batches: 5, checkpoints: 1 }, paused: true });
    await eventOf((e) => e.type === 'run/paused' && e.runId === value.runId);
    const end = await control({ id: value.runId, action: 'step', batches: 100 });
    expect(end.status).toBe(200);
    expect(end.value).toEqual({ state: 'ended', status: 'done', error: null });
  });

  it('a step on a finished run is a message (409), not a trace', async () => {
    const r = await control({ id: straight, action: 'step', batches: 1 });
    expect(r.status).toBe(409);
    expect(r.error).toEqual({ name: 'UnavailableError', message: `run #${straight} has ended (done): there is nothing left to pause, step or resume` });
    const gone = await control({ id: 999, action: 'pause' });
    expect(gone.status).toBe(404);
    expect(gone.error.message).toBe('there is no run 999');
  });

  it('refuses a bad request naming the field: batches out of range or on a pause, an unknown action', async () => {
    for (const [req, field] of [
      [{ id: 1, action: 'step', batches: 0 }, 'batches'],
      [{ id: 1, action: 'step', batches: 1_000_001 }, 'batches'],
      [{ id: 1, action: 'step', batches: 2.5 }, 'batches'],
      [{ id: 1, action: 'pause', batches: 3 }, 'batches'],
      [{ id: 1, action: 'jump' }, 'action'],
      [{ id: 1, action: 'step', steps: 3 }, 'steps'],
      [{ action: 'step' }, 'id'],
    ] as const) {
      const r = await control(req);
      expect(r.status, JSON.stringify(req)).toBe(400);
      expect(r.error.field, JSON.stringify(req)).toBe(field);
    }
    const paused = await call('runs/start', { spec, paused: 'yes' });
    expect([paused.status, paused.error.field]).toEqual([400, 'paused']);
  });
});
