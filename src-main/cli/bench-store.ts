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
 * Part of `nnlab bench` (`--no-store` leaves it out).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RunStore } from '../db';
import { parseRunSpec } from '../trainer/spec';
import { Trainer } from '../trainer/trainer';
import { median } from '../analysis/stats';

export interface StoreBenchFigure {
  name: string;
  ms: number;
  target: number;
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
    return figures;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
