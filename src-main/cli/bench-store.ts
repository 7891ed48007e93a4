/**
 * Run store speed, on a real SQLite file in a temp directory (WAL, synchronous NORMAL).
 *
 * 1. Storing a run with a 1,000,000-point cost history (finishRun: every series and the final
 *    fields in one transaction), target < 100 ms. The run is really trained (1,000,000 batches
 *    of 1 sample, shape [1, 4, 2]). Seven stores into one database: the median, and the mean,
 *    which includes the WAL checkpoints that some commits trigger (SQLite's auto-checkpoint copies
 *    the log into the database file every ~16 MB).
 * 2. Listing 10,000 runs with their summary fields (listRuns: spec parsed, final metrics,
 *    timing.trainMs, no series), target < 200 ms; median of five.
 * 3. The cost of weight checkpoints (issue 15): storing the seed run and a [1,64,64,2] run (300
 *    batches, 21 checkpoints) with and without them, median of 7 each, and their bytes.
 * Part of `nnlab bench` (`--no-store` leaves it out).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunStore } from '../db';
import { parseRunSpec, type RunSpec } from '../trainer/spec';
import { type RunResult, Trainer } from '../trainer/trainer';
import { median } from '../analysis/stats';

export interface StoreBenchFigure {
  name: string;
  ms: number;
  /** The target in ms (null: a cost measured, no target). */
  target: number | null;
}

/** Median ms to store `result` (7 stores into one database), each a fresh run of the spec. */
function storeMs(store: RunStore, spec: RunSpec, result: RunResult): number {
  const ms: number[] = [];
  for (let i = 0; i < 7; i++) {
    const id = store.createRun({ ...spec, initSeed: i + 1 });
    ms.push(timeMs(() => store.finishRun(id, result)));
  }
  return median(ms);
}

/** What weight checkpoints add to storing a run: ms with and without them, and their bytes. */
export function weightCheckpointFigures(dir: string): StoreBenchFigure[] {
  const store = RunStore.open(path.join(dir, 'weights.sqlite'));
  try {
    return [
      ['the seed run [1,16,2]', [1, 16, 2]],
      ['a [1,64,64,2] run', [1, 64, 64, 2]],
    ].flatMap(([label, shape]) => {
      const { spec, result } = train({ shape, batches: 300, checkpoints: 20 });
      const w = result.weightCheckpoints!;
      const { weightCheckpoints: _w, ...without } = result;
      const kb = ((w.weights.byteLength + 8 * w.batches.length) / 1024).toFixed(1);
      // interleaved, so a load change hits both alike
      const a = storeMs(store, spec, without);
      const b = storeMs(store, spec, result);
      return [
        { name: `store ${label} without weight checkpoints (median of 7)`, ms: a, target: null },
        { name: `store ${label} with weight checkpoints: ${w.batches.length} × ${result.finalWeights.length} weights, ${kb} KiB (median of 7)`, ms: b, target: null },
      ];
    });
  } finally {
    store.close();
  }
}


function timeMs(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function train(input: Record<string, unknown>) {
  const spec = parseRunSpec(input);
  const trainer = new Trainer(spec);
  trainer.run(Number.MAX_SAFE_INTEGER);
  return { spec, result: trainer.result() };
}

export async function benchStore(): Promise<StoreBenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlab-bench-store-'));
  try {
    const figures: StoreBenchFigure[] = [];

    const big = train({ batches: 1_000_000, batchSize: 1, shape: [1, 4, 2] });
    const bigStore = RunStore.open(path.join(dir, 'big.sqlite'));
    const stores: number[] = [];
    for (let i = 0; i < 7; i++) {
      const id = bigStore.createRun({ ...big.spec, initSeed: i + 1 });
      stores.push(timeMs(() => bigStore.finishRun(id, big.result)));
    }
    bigStore.close();
    figures.push({ name: 'store a run with a 1,000,000-point cost history (median of 7)', ms: median(stores), target: 100 });
    figures.push({
      name: `store a run with a 1,000,000-point cost history (mean of 7 with WAL checkpoints; worst ${Math.max(...stores).toFixed(0)} ms)`,
      ms: stores.reduce((a, b) => a + b, 0) / stores.length,
      target: 100,
    });

    const small = train({ batches: 300 });
    const store = RunStore.open(path.join(dir, 'many.sqlite'));
    const ids = store.createRuns(Array.from({ length: 10_000 }, (_, i) => ({ ...small.spec, initSeed: i + 1 })));
    store.transaction(() => {
      for (const id of ids) store.finishRun(id, small.result);
    });
    let listed = 0;
    const lists: number[] = [];
    for (let i = 0; i < 5; i++) lists.push(timeMs(() => (listed = store.listRuns().length)));
    store.close();
    if (listed !== 10_000) throw new Error(`listed ${listed} runs, expected 10000`);
    figures.push({ name: 'list 10,000 runs with their summary fields (median of 5)', ms: median(lists), target: 200 });
    figures.push(...weightCheckpointFigures(dir));
    return figures;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
