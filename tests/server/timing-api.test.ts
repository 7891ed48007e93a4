/** The API's timing and re-run calls: validated like every request, answered from the lab. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src-main/api/handlers';
import type { TimingRecord, Verification, VerifyReport } from '../../src-main/db/types';
import { createTestLab, nextEvent, type TestLab } from '../helpers/lab';

let t: TestLab;
let handlers: ReturnType<typeof createHandlers>;

beforeAll(() => {
  t = createTestLab();
  handlers = createHandlers(t.lab, { database: t.file });
});

afterAll(async () => {
  await t.close();
});

const call = (name: string, req: unknown) => dispatch(handlers, name, req);

describe('api: runs/verify', () => {
  it('validates the request, says which run is missing, and re-runs a saved run', async () => {
    expect(await call('runs/verify', { id: 'one' })).toMatchObject({ status: 400, result: { ok: false, error: { name: 'RequestError', field: 'id' } } });
    expect(await call('runs/verify', { id: 41 })).toMatchObject({ status: 404, result: { ok: false, error: { message: 'there is no run 41' } } });
    const id = t.lab.startRun({ batches: 60 });
    await t.lab.wait(id);
    const r = await call('runs/verify', { id });
    expect(r.status).toBe(200);
    const value = (r.result as { ok: true; value: { report: VerifyReport; verification: Verification } }).value;
    expect(value.report).toMatchObject({ runId: id, verdict: 'identical', batches: 60 });
    expect(value.verification).toMatchObject({ runId: id, verdict: 'identical', batches: 60 });
    // the run carries its latest check
    const got = await call('runs/get', { id });
    expect((got.result as { ok: true; value: { run: { verification: Verification } } }).value.run.verification.verdict).toBe('identical');
  });

  it('answers 409 for a run with nothing to compare', async () => {
    const id = t.store.createRun({ ...t.store.getRun(1)!.spec });
    t.store.failRun(id, 'failed', 'broke before it trained');
    expect(await call('runs/verify', { id })).toMatchObject({ status: 409, result: { ok: false, error: { name: 'UnavailableError' } } });
  });
});

describe('api: timings', () => {
  it('refuses bad requests with the field named', async () => {
    expect(await call('timings/start', { specs: [] })).toMatchObject({ status: 400, result: { error: { field: 'specs' } } });
    expect(await call('timings/start', { specs: [{}], repeats: 0 })).toMatchObject({ status: 400, result: { error: { field: 'repeats' } } });
    expect(await call('timings/start', { specs: [{}, { activation: 'swish' }] })).toMatchObject({ status: 400, result: { error: { name: 'SpecError', field: 'specs[1].activation' } } });
    expect(await call('timings/get', { id: 5 })).toMatchObject({ status: 404 });
  });

  it('starts a timing, lists it while it runs, and finds it by configuration when it is stored', async () => {
    const finished = nextEvent(t.lab, (e) => e.type === 'timing/finished');
    const r = await call('timings/start', { specs: [{ batches: 30 }, { batches: 30, activation: 'tanh' }], repeats: 2, warmup: 0 });
    const { jobId } = (r.result as { ok: true; value: { jobId: number } }).value;
    const active = await call('timings/active', {});
    expect((active.result as { ok: true; value: { jobs: { jobId: number }[] } }).value.jobs.map((j) => j.jobId)).toEqual([jobId]);
    const end = await finished;
    expect(end).toMatchObject({ type: 'timing/finished', jobId, status: 'done' });
    const timingId = (end as { timingId: number }).timingId;
    const got = (await call('timings/get', { id: timingId })).result as { ok: true; value: { timing: TimingRecord } };
    expect(got.value.timing.name).toBe('activation=relu vs activation=tanh');
    const list = (await call('timings/list', { configKeys: [got.value.timing.configKeys[1]] })).result as { ok: true; value: { timings: TimingRecord[] } };
    expect(list.value.timings.map((x) => x.id)).toEqual([timingId]);
    expect(await call('timings/delete', { id: timingId })).toMatchObject({ result: { ok: true, value: { deleted: true } } });
    expect(await call('timings/cancel', { jobId })).toMatchObject({ result: { ok: true, value: { cancelled: false } } });
  });
});
