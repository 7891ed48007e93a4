/**
 * The streamed exports (cli/export.ts) against the whole documents they stand for: the same CSV
 * rows and the same JSON, for a short run and for a run whose series span several stored chunks.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore, SERIES_CHUNK_VALUES } from '../../src-main/db';
import { csvPieces, jsonPieces } from '../../src-main/cli/export';
import { fieldMeta, SPEC_KEYS } from '../../src-main/trainer/spec-fields';
import { WEIGHT_CHECKPOINT_BYTES } from '../../src-main/trainer/trainer';
import { tempDir, train } from '../db/helpers';
import { nnlab } from '../helpers/cli';

function storeWith(batches: number[]): RunStore {
  const store = RunStore.open(path.join(tempDir(), 'runs.sqlite'));
  for (const b of batches) {
    const { spec, result } = train({ batches: b });
    result.costHistory[1] = NaN;
    store.finishRun(store.createRun(spec), result);
  }
  return store;
}

describe('cli/export', () => {
  it('streams the same JSON document as JSON.stringify of the whole export, across chunk boundaries', () => {
    const store = storeWith([30, 2 * SERIES_CHUNK_VALUES + 5]);
    const at = new Date('2026-01-02T03:04:05.000Z');
    const text = [...jsonPieces(store, [1, 2], at)].join('');
    const whole = {
      format: 'nnlab-runs',
      version: 1,
      exportedAt: at.toISOString(),
      runs: [1, 2].map((id) => {
        const run = store.getRun(id)!;
        const series = store.getSeries(id);
        const kept = run.series.filter((s) => s.name !== 'weights' && s.name !== 'weightBatches');
        const w = store.getWeightCheckpoints(id)!;
        const weightCheckpoints = { batches: w.batches, weights: w.batches.map((_, k) => Array.from(w.weights.subarray(k * w.weightCount, (k + 1) * w.weightCount))), checkpoints: w.checkpoints, thinned: w.thinned, maxBytes: WEIGHT_CHECKPOINT_BYTES };
        return { ...run, series: Object.fromEntries(kept.map((s) => [s.name, { shape: series[s.name].shape, data: Array.from(series[s.name].data) }])), weightCheckpoints };
      }),
    };
    expect(text).toBe(`${JSON.stringify(whole)}\n`);
    expect(JSON.parse(text).runs[1].series.cost.data).toHaveLength(2 * SERIES_CHUNK_VALUES + 5);
    store.close();
  });

  it('streams weightCheckpoints whose rows span stored chunks, each row bit for bit, the last finalWeights', () => {
    const store = RunStore.open(path.join(tempDir(), 'runs.sqlite'));
    // 31 rows of 4418 weights: 136,958 values, past one chunk
    const { spec, result } = train({ shape: [1, 64, 64, 2], batches: 30, checkpoints: 30 });
    store.finishRun(store.createRun(spec), result);
    expect(result.weightCheckpoints!.weights.length).toBeGreaterThan(SERIES_CHUNK_VALUES);
    const w = JSON.parse([...jsonPieces(store, [1])].join('')).runs[0].weightCheckpoints;
    expect(w.weights).toHaveLength(31);
    const stored = store.getWeightCheckpoints(1)!;
    const bits = (a: ArrayLike<number>) => Buffer.from(Float64Array.from(a).buffer).toString('hex');
    for (let k = 0; k < 31; k++) expect(bits(w.weights[k])).toBe(bits(stored.weights.subarray(k * 4418, (k + 1) * 4418)));
    expect(bits(w.weights[30])).toBe(bits(result.finalWeights));
    store.close();
  });

  it('streams one CSV row per run and batch, with cost, derived MSE and the spec columns', () => {
    const store = storeWith([2 * SERIES_CHUNK_VALUES + 3]);
    const lines = [...csvPieces(store, [1])].join('').trimEnd().split('\n');
    const columns = SPEC_KEYS.filter((k) => fieldMeta(k).csv);
    expect(lines[0]).toBe(['run_id', 'status', 'batch', 'cost', 'mse', ...columns, 'app_version', 'kernel'].join(','));
    const run = store.getRun(1)!;
    expect(lines[1].split(',').slice(-2)).toEqual([run.appVersion, run.kernel ?? '']);
    expect(lines).toHaveLength(2 * SERIES_CHUNK_VALUES + 4);
    const cost = store.getSeries(1, ['cost', 'mse']);
    for (const b of [0, 1, SERIES_CHUNK_VALUES - 1, SERIES_CHUNK_VALUES, 2 * SERIES_CHUNK_VALUES + 2]) {
      const cells = lines[b + 1].split(',');
      expect(cells.slice(0, 3)).toEqual(['1', 'done', String(b)]);
      expect(cells[3]).toBe(Number.isFinite(cost.cost.data[b]) ? String(cost.cost.data[b]) : '');
      expect(cells[4]).toBe(Number.isFinite(cost.mse.data[b]) ? String(cost.mse.data[b]) : '');
    }
    store.close();
  });

  it('says --out’s default once in its help (it read “(default: stdout) (default: \"-\")”), and writes to stdout without it', () => {
    const help = nnlab(['runs', 'export', '--help']).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--out <file> write to this file (default: stdout, as - is) --db');
    const db = path.join(tempDir(), 'runs.sqlite');
    expect(nnlab(['train', '--batches', '5', '--no-progress', '--db', db]).status).toBe(0);
    const out = nnlab(['runs', 'export', '1', '--db', db]);
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ format: 'nnlab-runs', runs: [{ id: 1 }] });
  });

  it('refuses a run id given twice (runs export 1 1 wrote every row of run #1 twice), naming it, exit 2', () => {
    const db = path.join(tempDir(), 'runs.sqlite');
    expect(nnlab(['train', '--batches', '5', '--no-progress', '--db', db]).status).toBe(0);
    for (const args of [['export', '1', '#1', '--format', 'csv'], ['compare', '1', '1'], ['delete', '1', '1']]) {
      const r = nnlab(['runs', ...args, '--db', db]);
      expect([r.status, r.stdout, r.stderr]).toEqual([2, '', "nnlab: run ids: #1 is given twice ('1', '#1'): give each run once\n".replace("'#1'", args[2] === '#1' ? "'#1'" : "'1'")]);
    }
    expect(nnlab(['runs', 'show', '1', '--db', db]).status).toBe(0);
  });
});
