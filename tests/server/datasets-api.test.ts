/**
 * The API's data sets: a CSV uploaded as its bytes (browser mode) or read from the path the
 * desktop's dialog chose, stored once by the file's sha256, listed with size, rows and columns;
 * a malformed file refused as data naming its line and column; a browser page may not name a path
 * on the lab's machine; and a run started on a stored data set trains on it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { skipUnlessRequired } from '../helpers/ci';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlers, dispatch } from '../../src-main/api/handlers';
import { createTestLab, type TestLab } from '../helpers/lab';
import { tempDir } from '../db/helpers';

let t: TestLab;
let browser: ReturnType<typeof createHandlers>;
let desktop: ReturnType<typeof createHandlers>;

/** A CSV with a BOM and CRLF line ends (the hash is of these bytes, not of decoded text). */
const rows = ['\ufeffx,y,label'];
for (let i = 0; i < 60; i++) rows.push(`${(i / 30 - 1).toFixed(3)},${Math.sin(i).toFixed(4)},${i % 2 ? 'odd' : 'even'}`);
const bytes = Buffer.from(`${rows.join('\r\n')}\r\n`, 'utf8');
const sha = createHash('sha256').update(bytes).digest('hex');

const ok = async (h: ReturnType<typeof createHandlers>, name: string, req: unknown) => {
  const r = await dispatch(h, name, req);
  expect(r.status, JSON.stringify(r.result)).toBe(200);
  return JSON.parse(JSON.stringify((r.result as { ok: true; value: unknown }).value));
};

beforeAll(() => {
  t = createTestLab();
  browser = createHandlers(t.lab, { database: t.file });
  desktop = createHandlers(t.lab, { database: t.file, desktop: { openFile: async () => ({ path: null }) } });
});

afterAll(async () => {
  await t.close();
});

describe('api: datasets', () => {
  it('stores an uploaded file once by the sha256 of its bytes, and lists it with its columns', async () => {
    const first = await ok(browser, 'datasets/import', { name: 'points.csv', base64: bytes.toString('base64') });
    expect(first).toMatchObject({ created: true, dataset: { sha256: sha, name: 'points.csv', rows: 60, bytes: bytes.length } });
    expect(first.dataset.columns.map((c: { name: string }) => c.name)).toEqual(['x', 'y', 'label']);
    expect(first.dataset.values).toBeUndefined();
    expect((await ok(browser, 'datasets/import', { name: 'again.csv', base64: bytes.toString('base64') })).created).toBe(false);
    const { datasets } = await ok(browser, 'datasets/list', {});
    expect(datasets).toHaveLength(1);
    expect(datasets[0]).toMatchObject({ sha256: sha, name: 'points.csv', rows: 60, runs: 0 });
  });

  it('refuses a malformed file as data naming its line and column, and stores nothing', async () => {
    const r = await dispatch(browser, 'datasets/import', { name: 'bad.csv', base64: Buffer.from('a,b\n1,2\n3\n').toString('base64') });
    expect(r.status).toBe(400);
    expect(r.result).toEqual({ ok: false, error: { name: 'RequestError', field: 'file', message: 'bad.csv: line 3, column 2: 1 field where the header has 2' } });
    const empty = await dispatch(browser, 'datasets/import', { name: 'empty.csv', base64: '' });
    expect(empty.result).toMatchObject({ ok: false, error: { field: 'file', message: 'empty.csv: line 1: the file is empty: a CSV needs a header row and at least one data row' } });
    expect((await ok(browser, 'datasets/list', {})).datasets).toHaveLength(1);
  });

  it('reads a path only in the desktop app (a browser page may not name files on the lab’s machine)', async () => {
    const file = join(tempDir(), 'on-disk.csv');
    writeFileSync(file, 'u,v\n1,2\n3,4\n5,7\n');
    const r = await dispatch(browser, 'datasets/import', { path: file });
    expect(r.status).toBe(400);
    expect(r.result).toMatchObject({ ok: false, error: { field: 'path' } });
    const d = await ok(desktop, 'datasets/import', { path: file });
    expect(d).toMatchObject({ created: true, dataset: { name: 'on-disk.csv', rows: 3 } });
    const both = await dispatch(desktop, 'datasets/import', { path: file, name: 'x.csv', base64: '' });
    expect(both.status).toBe(400);
  });

  it('trains a run on a stored data set, named by its hash, in a trainer process', async () => {
    const { runId } = await ok(browser, 'runs/start', { spec: { dataset: sha, inputColumns: ['x', 'y'], labelColumn: 'label', batches: 50 } });
    const done = await t.lab.wait(runId);
    expect(done?.status, done?.error ?? '').toBe('done');
    const { run } = await ok(browser, 'runs/get', { id: runId });
    expect(run.spec).toMatchObject({ task: 'csv', dataset: sha, shape: [2, 16, 2] });
    expect(run.kind).toBe('classification');
    expect(run.testAccuracy).toBeGreaterThanOrEqual(0);
    expect((await ok(browser, 'datasets/list', {})).datasets.find((d: { sha256: string }) => d.sha256 === sha).runs).toBe(1);
    // a spec that names a missing column is refused before a run is made
    const bad = await dispatch(browser, 'runs/start', { spec: { dataset: sha, inputColumns: ['zz'], labelColumn: 'label' } });
    expect(bad.result).toMatchObject({ ok: false, error: { name: 'SpecError', field: 'inputColumns', message: "inputColumns: line 1: no column named 'zz' (the header has x, y, label)" } });
  });

  it('takes a data set by its short hash, as Data and nnlab data list show it, in a run and in a sweep’s base and grid (the Sweep form refused the 12 digits the app shows: “64 hex digits”)', async () => {
    const short = sha.slice(0, 12);
    const { runId } = await ok(browser, 'runs/start', { spec: { dataset: short, inputColumns: ['x', 'y'], labelColumn: 'label', batches: 5 } });
    const sweep = await ok(browser, 'sweeps/start', { sweep: { base: { task: 'csv', inputColumns: ['x', 'y'], labelColumn: 'label', batches: 5 }, grid: { dataset: [short], learningRate: [0.1, 1] }, replicates: 1 } });
    const base = await ok(browser, 'sweeps/start', { sweep: { base: { dataset: short.slice(0, 6), inputColumns: ['x', 'y'], labelColumn: 'label', batches: 5 }, grid: { learningRate: [0.5] }, replicates: 1 } });
    await t.lab.idle();
    for (const id of [runId, ...sweep.runIds, ...base.runIds]) {
      const { run } = await ok(browser, 'runs/get', { id });
      expect([run.status, run.spec.dataset]).toEqual(['done', sha]);
    }
    // a prefix no data set has is refused naming the field
    const none = await dispatch(browser, 'sweeps/start', { sweep: { base: { task: 'csv', inputColumns: ['x'], labelColumn: 'label' }, grid: { dataset: ['abcdef123456'] }, replicates: 1 } });
    expect(none.result).toMatchObject({ ok: false, error: { name: 'SpecError', field: 'dataset', message: "dataset: no data set in this database has a hash that starts with 'abcdef123456' (Data lists them)" } });
  });

  it('names the data set field when a csv spec has none or names one that is not here', async () => {
    for (const spec of [{ task: 'csv' }, { task: 'csv', shape: [1, 16, 2] }]) {
      const none = await dispatch(browser, 'runs/start', { spec });
      expect(none.status).toBe(400);
    expect(none.result).toMatchObject({ ok: false, error: { name: 'SpecError', field: 'dataset', message: expect.stringMatching(/^dataset: choose a data set: .*import a CSV in Data/) } });
    }
    const gone = await dispatch(browser, 'runs/start', { spec: { task: 'csv', dataset: 'f'.repeat(64), inputColumns: ['x'], labelColumn: 'label' } });
    expect(gone.result).toMatchObject({ ok: false, error: { field: 'dataset', message: `dataset: there is no data set ${'f'.repeat(64)} in this database (import it in Data, or nnlab data import FILE.csv)` } });
  });

  it('previews the initial network of a csv spec on its data set, and says why Fashion-MNIST has none', async () => {
    const p = await ok(browser, 'spec/preview', { spec: { dataset: sha, inputColumns: ['x', 'y'], labelColumn: 'label' } });
    expect(p.units).toEqual([16, 2]);
    expect(p.deadAtInit).toHaveLength(2);
    const fm = await dispatch(browser, 'spec/preview', { spec: { task: 'fashion-mnist', dataset: 'a'.repeat(64) } });
    expect(fm.result).toMatchObject({ ok: false, error: { message: expect.stringContaining('784 inputs') } });
  });

  it('describes the task a spec’s task settings make, whatever its shape says (spec/task: what the New run form fits its network to)', async () => {
    const task = async (spec: object) => (await ok(browser, 'spec/task', { spec })).task;
    expect(await task({ task: 'expression', target: 'x1*x2; x1 + x2; x1', shape: [1, 16, 2], loss: 'cross-entropy' })).toEqual({
      name: 'expression',
      kind: 'regression',
      inputs: 2,
      outputs: 3,
      defaults: { shape: [2, 16, 3], loss: 'sse', outputActivation: 'seed' },
      // it draws fresh samples for every batch: no training set bounds the batch
      trainSamples: null,
    });
    // the training set the form fits its batch to: 60 rows, trainFraction 0.25
    expect(await task({ task: 'csv', dataset: sha, inputColumns: ['x'], labelColumn: 'label', shape: [5, 5], trainFraction: 0.25 })).toMatchObject({ kind: 'classification', inputs: 1, outputs: 2, defaults: { shape: [1, 16, 2], loss: 'cross-entropy', outputActivation: 'softmax' }, trainSamples: 15 });
    expect(await task({ task: 'circle' })).toMatchObject({ inputs: 2, outputs: 2, defaults: { shape: [2, 8, 8, 2] }, trainSamples: 250 });
    // not known yet: a csv task without a data set of this database
    expect(await task({ task: 'csv' })).toBeNull();
    const bad = await dispatch(browser, 'spec/task', { spec: { task: 'expression', target: 'x +' } });
    expect(bad.result).toMatchObject({ ok: false, error: { field: 'target' } });
  });

  it('says before a run when its output layer cannot reach the targets (the seed’s relu under x^2 − 1), and nothing when it can', async () => {
    const below = await ok(browser, 'spec/preview', { spec: { target: 'x^2 - 1' } });
    expect(below.outOfReach).toMatch(/^the output layer is relu \(the seed’s rule: the hidden activation\), which never goes below 0, but the target x\^2 - 1 reaches −1 \(\d+ of \d+ test points .*\(Output layer: linear\)$/);
    for (const spec of [{}, { target: 'x^2 - 1', outputActivation: 'linear' }, { task: 'circle' }, { dataset: sha, inputColumns: ['x', 'y'], labelColumn: 'label' }]) {
      expect((await ok(browser, 'spec/preview', { spec })).outOfReach, JSON.stringify(spec)).toBeNull();
    }
  });

  it('previews a spec that gives epochs (as the New run form sends Fashion-MNIST’s 5) as it previews one that gives batches', async () => {
    const fm = await dispatch(browser, 'spec/preview', { spec: { task: 'fashion-mnist', dataset: 'a'.repeat(64), epochs: 5, batchSize: 64 } });
    expect(fm.result).toMatchObject({ ok: false, error: { message: expect.stringContaining('784 inputs') } });
    const byEpochs = await ok(browser, 'spec/preview', { spec: { dataset: sha, inputColumns: ['x', 'y'], labelColumn: 'label', epochs: 3 } });
    const byBatches = await ok(browser, 'spec/preview', { spec: { dataset: sha, inputColumns: ['x', 'y'], labelColumn: 'label', batches: 40 } });
    expect(byEpochs).toEqual(byBatches);
    const circle = await ok(browser, 'spec/preview', { spec: { task: 'circle', epochs: 2 } });
    expect(circle.units).toEqual([8, 8, 2]);
    // the spec is still checked: epochs on a task that draws its samples is refused on its field
    const drawn = await dispatch(browser, 'spec/preview', { spec: { task: 'sincos', epochs: 2 } });
    expect(drawn.result).toMatchObject({ ok: false, error: { field: 'epochs' } });
  });

  it('refuses Fashion-MNIST where its files are missing as the task field, with the line that says how to install them', async () => {
    const before = process.env.NNLAB_FASHION_MNIST;
    process.env.NNLAB_FASHION_MNIST = join(tempDir(), 'nowhere');
    try {
      const r = await dispatch(browser, 'runs/start', { spec: { task: 'fashion-mnist' } });
      expect(r.status).toBe(400);
      expect(r.result).toMatchObject({ ok: false, error: { name: 'SpecError', field: 'task', message: expect.stringMatching(/^task: Fashion-MNIST is not installed: no .*nowhere.*dataset-fashion-mnist/) } });
    } finally {
      if (before === undefined) delete process.env.NNLAB_FASHION_MNIST;
      else process.env.NNLAB_FASHION_MNIST = before;
    }
  });
});

describe('api: what a run learned on its test set (runs/learned)', () => {
  it('gives a csv classification run’s confusion matrix over its test rows, with the label’s classes', async () => {
    const { runId } = await ok(browser, 'runs/start', { spec: { dataset: sha, inputColumns: ['x', 'y'], labelColumn: 'label', batches: 40 } });
    expect((await t.lab.wait(runId))?.status).toBe('done');
    const v = await ok(browser, 'runs/learned', { id: runId });
    expect(v).toMatchObject({ kind: 'classification', task: 'csv', outputNames: ['even', 'odd'], testPoints: 30, images: null, predicted: null });
    const { run } = await ok(browser, 'runs/get', { id: runId });
    // the matrix's diagonal is the run's own test accuracy
    expect(v.confusion.total).toBe(30);
    expect(v.confusion.correct / v.confusion.total).toBeCloseTo(run.testAccuracy, 12);
    expect(v.confusion.counts.flat().reduce((a: number, b: number) => a + b, 0)).toBe(30);
  });

  it('gives a csv regression run’s predicted vs actual values, the same numbers as its stored test outputs', async () => {
    const { runId } = await ok(browser, 'runs/start', { spec: { dataset: sha, inputColumns: ['x'], targetColumns: ['y'], batches: 40 } });
    expect((await t.lab.wait(runId))?.status).toBe('done');
    const v = await ok(browser, 'runs/learned', { id: runId });
    expect(v).toMatchObject({ kind: 'regression', outputNames: ['y'], testPoints: 30, confusion: null });
    expect(v.predicted).toMatchObject({ total: 30, shown: 30 });
    const { series } = await ok(browser, 'runs/series', { id: runId, names: ['testEstimates', 'testTargets'] });
    expect(v.predicted.points[0].map((p: number[]) => p[1])).toEqual(series.testEstimates.data);
    expect(v.predicted.points[0].map((p: number[]) => p[0])).toEqual(series.testTargets.data);
    expect((await dispatch(browser, 'runs/learned', { id: 99999 })).status).toBe(404);
  });

  const installed = existsSync('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz');
  const skip = skipUnlessRequired(installed ? null : 'Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)', 'fashion-mnist', 'linux');
  it.skipIf(skip !== null)(`shows a Fashion-MNIST run’s test images from the files it trained on, misclassified first, with true and predicted labels${skip ? ` — skipped: ${skip}` : ''}`, { timeout: 300_000 }, async () => {
    const { runId } = await ok(browser, 'runs/start', { spec: { task: 'fashion-mnist', batches: 30, checkpoints: 1 } });
    const done = await t.lab.wait(runId);
    expect(done?.status, done?.error ?? '').toBe('done');
    const v = await ok(browser, 'runs/learned', { id: runId, images: 12 });
    expect(v).toMatchObject({ kind: 'classification', task: 'fashion-mnist', testPoints: 10_000, imagesNote: null, outputNames: expect.arrayContaining(['T-shirt/top', 'Ankle boot']) });
    expect(v.confusion.total).toBe(10_000);
    // the images are the official test file's, read here on their own (not through nnlab's reader)
    const pixels = gunzipSync(readFileSync('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz'));
    const labels = gunzipSync(readFileSync('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz'));
    expect(v.images).toMatchObject({ width: 28, height: 28 });
    expect(v.images.examples).toHaveLength(12);
    expect(v.images.misclassified).toBe(10_000 - v.confusion.correct);
    for (const e of v.images.examples) {
      expect(Buffer.from(e.pixels, 'base64').equals(pixels.subarray(16 + e.index * 784, 16 + (e.index + 1) * 784))).toBe(true);
      expect(e.trueClass).toBe(labels[8 + e.index]);
    }
    // misclassified first (a 30-batch network misses plenty), most confidently wrong first
    const wrong = v.images.examples.filter((e: { trueClass: number; predicted: number }) => e.trueClass !== e.predicted);
    expect(wrong.length).toBe(Math.min(12, v.images.misclassified));
    const conf = wrong.map((e: { confidence: number }) => e.confidence);
    expect(conf).toEqual([...conf].sort((a, b) => b - a));
  });
});
