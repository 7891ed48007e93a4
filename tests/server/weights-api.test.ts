/** The API's runs/weights: a run's weight checkpoints over the wire, paged, null for a run without them, errors as data. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src-main/api/handlers';
import type { WireWeightCheckpoints } from '../../src-main/api/contract';
import { parseRunSpec } from '../../src-main/trainer/spec';
import { Trainer, type RunResult } from '../../src-main/trainer/trainer';
import * as ort from 'onnxruntime-node';
import { createTestLab, type TestLab } from '../helpers/lab';

let t: TestLab;
let handlers: ReturnType<typeof createHandlers>;
let result: RunResult;
const weights = async (req: unknown) => {
  const r = await dispatch(handlers, 'runs/weights', req);
  return { status: r.status, value: JSON.parse(JSON.stringify(r.result)) as { ok: boolean; value: { weights: WireWeightCheckpoints | null }; error?: { message: string; field?: string } } };
};

beforeAll(() => {
  t = createTestLab();
  handlers = createHandlers(t.lab, { database: t.file });
  const spec = parseRunSpec({ batches: 30, checkpoints: 3 });
  const trainer = new Trainer(spec);
  trainer.run(1e9);
  result = trainer.result();
  t.store.finishRun(t.store.createRun(spec), result);
  t.store.createRun(spec); // #2: queued, no result yet
});

afterAll(async () => {
  await t.close();
});

describe('api: runs/exportNetwork', () => {
  it('answers the numpy script as text and the ONNX model as base64, each named for the run', async () => {
    const py = await dispatch(handlers, 'runs/exportNetwork', { id: 1, format: 'numpy' });
    expect(py.status).toBe(200);
    const file = (py.result as { ok: true; value: { fileName: string; mediaType: string; text: string } }).value;
    expect([file.fileName, file.mediaType]).toEqual(['nnlab-run-1.py', 'text/x-python']);
    expect(file.text.startsWith('"""Run #1 of nnlab')).toBe(true);
    const model = (await dispatch(handlers, 'runs/exportNetwork', { id: 1, format: 'onnx' })).result as { ok: true; value: { fileName: string; base64: string } };
    expect(model.value.fileName).toBe('nnlab-run-1.onnx');
    const session = await ort.InferenceSession.create(Buffer.from(model.value.base64, 'base64'));
    expect(session.inputNames).toEqual(['x']);
    await session.release();
  });

  it('refuses a run without a trained network, and an unknown format, naming the field', async () => {
    const queued = await dispatch(handlers, 'runs/exportNetwork', { id: 2, format: 'weights' });
    expect(queued.status).toBe(400);
    expect(queued.result).toMatchObject({ ok: false, error: { field: 'id', message: 'run #2 has no trained network (status queued)' } });
    const bad = await dispatch(handlers, 'runs/exportNetwork', { id: 1, format: 'tflite' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.result)).toMatch(/format/);
  });
});

describe('api: runs/weights', () => {
  it('answers every kept checkpoint’s flat weights, the last the final weights exactly (through JSON)', async () => {
    const r = await weights({ id: 1 });
    expect(r.status).toBe(200);
    const w = r.value.value.weights!;
    expect(w).toMatchObject({ batches: [0, 10, 20, 30], weightCount: 66, checkpoints: 4, thinned: false, maxBytes: 64 * 1024 * 1024, from: 0 });
    expect(w.weights).toHaveLength(4);
    expect(w.weights[3]).toEqual(Array.from(result.finalWeights));
  });

  it('pages: from and count', async () => {
    const w = (await weights({ id: 1, from: 2, count: 1 })).value.value.weights!;
    expect(w.from).toBe(2);
    expect(w.weights).toEqual([Array.from(result.weightCheckpoints!.weights.subarray(2 * 66, 3 * 66))]);
    expect((await weights({ id: 1, from: 9 })).value.value.weights!.weights).toEqual([]);
  });

  it('answers null for a run without them, and refuses a bad request naming the field', async () => {
    expect((await weights({ id: 2 })).value.value.weights).toBeNull();
    const bad = await weights({ id: 1, from: -1 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.value)).toMatch(/from/);
    expect((await weights({ id: 99 })).status).toBe(404);
  });
});
