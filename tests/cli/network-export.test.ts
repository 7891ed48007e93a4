/**
 * `nnlab runs export`: the JSON export's weight checkpoints (issue 15), and the network exports
 * (issue 16) run by outside runtimes: python3 on the numpy file (estimates to 1e-12, the retrained
 * cost history to 1e-10), onnxruntime-node on the ONNX model (to 1e-6 · max(|estimate|, 1e-2)) and
 * Debian's onnx checker, over every task kind, loss, hidden and output function and optimizer.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { RunStore } from '../../src-main/db';
import { networkExport, ONNX_IR_VERSION, ONNX_OPSET } from '../../src-main/cli/network-export';
import { parseRunSpec, type RunSpecInput } from '../../src-main/trainer/spec';
import { Trainer, type RunResult } from '../../src-main/trainer/trainer';
import { nnlab } from '../helpers/cli';
import { tempDbPath } from '../helpers/lab';

const bits = (a: number[]) => Array.from(new Uint8Array(Float64Array.from(a).buffer));

describe('cli/runs export --format json', () => {
  it('gives weightCheckpoints: batches and flat weights per checkpoint, the last equal to finalWeights bit for bit', () => {
    const db = tempDbPath();
    expect(nnlab(['train', '--batches', '40', '--checkpoints', '4', '--db', db]).status).toBe(0);
    const r = nnlab(['runs', 'export', '1', '--format', 'json', '--db', db]);
    expect(r.stderr).toBe('');
    const run = JSON.parse(r.stdout).runs[0];
    const w = run.weightCheckpoints;
    expect(w).toMatchObject({ batches: [0, 10, 20, 30, 40], checkpoints: 5, thinned: false, maxBytes: 67108864 });
    expect(w.weights).toHaveLength(5);
    expect(w.weights.every((row: number[]) => row.length === 66)).toBe(true);
    expect(bits(w.weights[4])).toEqual(bits(run.series.finalWeights.data));
    expect(w.weights[0]).not.toEqual(w.weights[4]);
    // given once, not again among the series
    expect(Object.keys(run.series)).not.toContain('weights');
    expect(nnlab(['runs', 'show', '1', '--db', db]).stdout).toContain('weights kept at 5 points of training (batches 0, 10, 20, 30, 40)\n');
  });
});

/** Runs of every kind the trainer has: tasks (1-D and 2-D regression, classification), losses, hidden and output functions, optimizers, penalties. */
const CASES: Record<string, RunSpecInput> = {
  'the seed (sincos, relu, seed output, sse, sgd)': {},
  'sigmoid hidden, linear output, momentum, l1 and l2': { activation: 'sigmoid', outputActivation: 'linear', optimizer: 'momentum', learningRate: 0.1, l1: 1e-4, l2: 1e-3 },
  'tanh on circle, softmax cross-entropy, adam': { task: 'circle', shape: [2, 8, 2], activation: 'tanh', outputActivation: 'softmax', loss: 'cross-entropy', optimizer: 'adam', learningRate: 0.01 },
  'leakyRelu on spiral, sigmoid cross-entropy': { task: 'spiral', shape: [2, 6, 5, 2], activation: 'leakyRelu', outputActivation: 'sigmoid', loss: 'cross-entropy', learningRate: 0.5 },
  'linear on bump, seed output': { task: 'bump', shape: [1, 4, 1], activation: 'linear', learningRate: 0.2 },
  'relu on xor, softmax with sse': { task: 'xor', shape: [2, 8, 2], outputActivation: 'softmax', learningRate: 0.5 },
};

let dir: string;
let store: RunStore;
const runs = new Map<string, { id: number; result: RunResult }>();

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'nnlab-netexport-'));
  store = RunStore.open(path.join(dir, 'runs.sqlite'));
  for (const [name, input] of Object.entries(CASES)) {
    const spec = parseRunSpec({ batches: 40, checkpoints: 4, ...input });
    const t = new Trainer(spec);
    t.run(1e9);
    const result = t.result();
    const id = store.createRun(spec);
    store.finishRun(id, result);
    runs.set(name, { id, result });
  }
});

afterAll(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function python(args: string[], exe = 'python3') {
  const r = spawnSync(exe, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Largest |a − b| / max(|b|, floor) over two equal-length lists. */
function worst(a: number[], b: number[], floor: number): number {
  expect(a).toHaveLength(b.length);
  return Math.max(...a.map((x, i) => Math.abs(x - b[i]) / Math.max(Math.abs(b[i]), floor)));
}

describe.each(Object.keys(CASES))('network exports: %s', (name) => {
  it('numpy: python3 FILE prints the test estimates (inputs, then outputs, repr) equal to nnlab’s to 1e-12; --retrain gives the cost history to 1e-10', () => {
    const { id, result } = runs.get(name)!;
    const file = path.join(dir, `run-${id}.py`);
    fs.writeFileSync(file, networkExport(store, id, 'numpy'));
    const r = python([file]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => l.split(' ').map(Number));
    const nIn = result.testInputs.length / lines.length;
    expect(lines.length * nIn).toBe(result.testInputs.length);
    expect(lines.flatMap((l) => l.slice(0, nIn))).toEqual(Array.from(result.testInputs));
    expect(worst(lines.flatMap((l) => l.slice(nIn)), Array.from(result.testEstimates), 1)).toBeLessThan(1e-12);

    const retrained = python([file, '--retrain']);
    expect(retrained.stderr).toBe('');
    expect(retrained.status).toBe(0);
    const costs = retrained.stdout.trimEnd().split('\n').map(Number);
    expect(costs).toHaveLength(result.batchesRun);
    expect(worst(costs, Array.from(result.costHistory), 1)).toBeLessThan(1e-10);
  });

  it('onnx: onnxruntime-node gives nnlab’s estimates within 1e-6 · max(|estimate|, 1e-2), and the onnx checker accepts the model', async () => {
    const { id, result } = runs.get(name)!;
    const model = networkExport(store, id, 'onnx') as Uint8Array;
    const session = await ort.InferenceSession.create(model);
    expect([session.inputNames, session.outputNames]).toEqual([['x'], ['y']]);
    const spec = store.getRun(id)!.spec;
    const nIn = spec.shape[0];
    const points = result.testInputs.length / nIn;
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from(result.testInputs), [points, nIn]) });
    expect(out.y.dims).toEqual([points, spec.shape[spec.shape.length - 1]]);
    const got = Array.from(out.y.data as Float32Array);
    const want = Array.from(result.testEstimates);
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i]), `value ${i}`).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(want[i]), 1e-2));
    // N is dynamic: one row works too
    const one = await session.run({ x: new ort.Tensor('float32', Float32Array.from(result.testInputs.subarray(0, nIn)), [1, nIn]) });
    expect(one.y.dims[0]).toBe(1);
    await session.release();

    const file = path.join(dir, `run-${id}.onnx`);
    fs.writeFileSync(file, model);
    const check = python(['-c', `import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m, full_check=True); print(m.ir_version, m.opset_import[0].version)`, file], CHECKER_PYTHON);
    expect(check.stderr).toBe('');
    expect(check.stdout.trim()).toBe(`${ONNX_IR_VERSION} ${ONNX_OPSET}`);
  });

  it('weights: the JSON names shape, functions, loss and dtype, and its layers rebuild finalWeights exactly', () => {
    const { id, result } = runs.get(name)!;
    const w = JSON.parse(networkExport(store, id, 'weights') as string);
    const spec = store.getRun(id)!.spec;
    expect(w).toMatchObject({ format: 'nnlab-network', version: 1, run: id, shape: spec.shape, loss: spec.loss, dtype: spec.dtype, hiddenActivation: spec.activation });
    expect(bits(w.layers.flat(2))).toEqual(bits(Array.from(result.finalWeights)));
    expect(w.testEstimates.flat()).toEqual(Array.from(result.testEstimates));
  });
});

/** Debian's python3 has python3-onnx (the checker); a pyenv python3 first on PATH may not. */
const CHECKER_PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

describe('cli/runs export: network formats on the command line', () => {
  it('writes each format with --out, and refuses several ids and an unknown format, exit 2', () => {
    const db = tempDbPath();
    expect(nnlab(['train', '--batches', '20', '--db', db]).status).toBe(0);
    for (const format of ['weights', 'numpy', 'onnx']) {
      const out = path.join(dir, `cli.${format}`);
      const r = nnlab(['runs', 'export', '1', '--format', format, '--out', out, '--db', db]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(fs.statSync(out).size).toBeGreaterThan(100);
    }
    const two = nnlab(['runs', 'export', '1', '2', '--format', 'onnx', '--db', db]);
    expect([two.status, two.stderr]).toEqual([2, expect.stringContaining('--format onnx: exports one run')]);
    const bad = nnlab(['runs', 'export', '1', '--format', 'tflite', '--db', db]);
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringContaining("--format: expected json, csv, weights, numpy, onnx, got 'tflite'")]);
  });

  it('numpy of a run on a stored CSV and of an expression run: --retrain retrains on the run’s own batches (was an internal error and a stack trace)', () => {
    const db = tempDbPath();
    const csv = path.join(dir, 'plane.csv');
    const lines = ['a,b,y'];
    for (let i = 0; i < 40; i++) lines.push(`${(i % 7) / 7},${(i % 5) / 5},${(0.5 * (i % 7)) / 7 - (0.3 * (i % 5)) / 5 + 0.2}`);
    fs.writeFileSync(csv, `${lines.join('\n')}\n`);
    expect(nnlab(['train', '--data', csv, '--inputs', 'a,b', '--targets', 'y', '--standardize', '--batches', '30', '--no-progress', '--db', db]).status).toBe(0);
    expect(nnlab(['train', '--target', 'x^2 - 0.5', '--output-activation', 'linear', '--batches', '30', '--no-progress', '--db', db]).status).toBe(0);
    for (const id of [1, 2]) {
      const file = path.join(dir, `cli-run-${id}.py`);
      const r = nnlab(['runs', 'export', String(id), '--format', 'numpy', '--out', file, '--db', db]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const costHistory = (JSON.parse(nnlab(['runs', 'export', String(id), '--db', db]).stdout).runs[0].series.cost.data as number[]);
      const retrained = python([file, '--retrain']);
      expect(retrained.stderr).toBe('');
      const costs = retrained.stdout.trimEnd().split('\n').map(Number);
      expect(worst(costs, costHistory, 1)).toBeLessThan(1e-10);
    }
    // the CSV run's files had no test inputs (a stored table's run keeps none): python3 FILE printed nothing,
    // the weights JSON had 20 estimates beside 0 inputs; now the inputs its network read (standardised here)
    const series = JSON.parse(nnlab(['runs', 'export', '1', '--db', db]).stdout).runs[0].series;
    const estimates = series.testEstimates.data as number[];
    const weights = JSON.parse(nnlab(['runs', 'export', '1', '--format', 'weights', '--db', db]).stdout);
    expect(weights.testInputs).toHaveLength(20);
    expect(weights.testEstimates.flat()).toEqual(estimates);
    const printed = python([path.join(dir, 'cli-run-1.py')]).stdout.trimEnd().split('\n').map((l) => l.split(' ').map(Number));
    expect(printed).toHaveLength(20);
    expect(printed.map((l) => l.slice(0, 2))).toEqual(weights.testInputs);
    expect(worst(printed.map((l) => l[2]), estimates, 1)).toBeLessThan(1e-12);
  });

  it('refuses a run that has no trained network yet, naming it', () => {
    const queued = store.createRun(parseRunSpec({}));
    expect(() => networkExport(store, queued, 'numpy')).toThrow(`run #${queued} has no trained network (status queued)`);
  });
});
