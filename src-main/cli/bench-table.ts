/**
 * Runs table speed (issue 18): the lab's 'runs/table' answer (api/handlers runsTablePage: the
 * store's listing with the query's SQL pushdown, then analysis/ query, sort, groups) over a real
 * SQLite file of 10,000 finished runs, target < 200 ms each: filter by a query, sort by a score,
 * group by a field with its aggregates (outcome classes, medians), and all three at once. The runs
 * are a lab's mix: 3 activations × 2 init means × 2 learning rates × 2 optimizers, each trained
 * once for real and stored for many seeds, in 4 experiments, a tenth of them tagged. Each request
 * three ways (benchTable): the first answer after the database changed, asked again with nothing
 * changed (a person typing a query), and the first answer of a store just opened. Median of 5 of
 * each. Part of `nnlab bench`
 * (`--no-store` leaves it out, with the store's figures).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runsTablePage } from '../api/handlers';
import { RunStore } from '../db';
import { median } from '../analysis/stats';
import { parseRunSpec, type RunSpec } from '../trainer/spec';
import { Trainer } from '../trainer/trainer';
import type { ApiRequest } from '../api/contract';
import type { StoreBenchFigure } from './bench-store';

/** The table requests timed, with what each must answer (checked, so a fast wrong answer is no figure). */
export const TABLE_REQUESTS: { name: string; req: ApiRequest<'runs/table'> }[] = [
  { name: 'filter: activation = relu and r2 < 0.5', req: { where: 'activation = relu and r2 < 0.5' } },
  { name: 'sort by r² (best first)', req: { sort: 'r2', desc: true } },
  { name: 'group by activation (outcome classes, medians of every shown column)', req: { group: 'activation' } },
  { name: 'all three: tag:baseline or lr = 1, sorted by test MSE, grouped by init mean', req: { where: 'tag:baseline or lr = 1', sort: 'testMse', desc: false, group: 'initMean' } },
];

const CONFIGS: Partial<RunSpec>[] = (['relu', 'sigmoid', 'tanh'] as const).flatMap((activation) =>
  [0, -0.1].flatMap((initMean) => [0.5, 1].flatMap((learningRate) => (['sgd', 'momentum'] as const).map((optimizer) => ({ activation, initMean, learningRate, optimizer, batches: 200 })))),
);

/** A store of `n` finished runs as described above, in `file`. */
export function fillTableStore(file: string, n: number): RunStore {
  const store = RunStore.open(file);
  const trained = CONFIGS.map((c) => {
    const spec = parseRunSpec(c);
    const t = new Trainer(spec);
    t.run(Number.MAX_SAFE_INTEGER);
    return { spec, result: t.result() };
  });
  const experiments = [1, 2, 3, 4].map((k) => store.createExperiment({ name: `sweep ${k}`, kind: 'sweep' }));
  store.transaction(() => {
    for (let i = 0; i < n; i++) {
      const { spec, result } = trained[i % trained.length];
      const [id] = store.createRuns([{ ...spec, initSeed: i + 1 }], { experimentId: experiments[i % experiments.length] });
      store.finishRun(id, result);
      if (i % 10 === 0) store.updateRun(id, { tags: ['baseline'] });
    }
  });
  return store;
}

/** Wall time and this process's CPU time of one call, in ms (on a loaded machine the CPU time is what the work itself costs). */
function timeMs(fn: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

export interface TableBenchFigure extends StoreBenchFigure {
  /** Median CPU time of this process over the same calls. */
  cpuMs: number;
  /** Runs the request matched (every figure is of a real answer). */
  matched: number;
}

/** When a figure's answer is asked for (TABLE_WHEN, in the figures' order). */
export const TABLE_WHEN = ['after a change', 'asked again', 'first answer after opening'] as const;

/**
 * Times each of TABLE_REQUESTS over a store of `n` runs (10,000 for the bench), interleaved round
 * by round so the machine's load falls on all alike:
 * - after a change: a run's notes written just before (untimed), the kept listing brought up to
 *   date (only the changed run read again, db/query-runs.ts);
 * - asked again: nothing changed, the kept listing as it is;
 * - first answer after opening: a second connection opened just before (untimed), which keeps no
 *   listing: the answer reads a projected listing (every run's spec, status and scores, and only
 *   the other columns the request reads; whole summaries for the page it returns), as the app's
 *   and `nnlab serve`'s first table after start and every `nnlab runs list --where` do.
 */
export function benchTable(n = 10_000, rounds = 5): TableBenchFigure[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlab-bench-table-'));
  try {
    const file = path.join(dir, 'table.sqlite');
    const store = fillTableStore(file, n);
    try {
      return TABLE_REQUESTS.flatMap(({ name, req }) => {
        runsTablePage(store, req); // statements prepared, SQLite's pages cached
        const times = TABLE_WHEN.map(() => [] as { wall: number; cpu: number }[]);
        const pages = TABLE_WHEN.map(() => runsTablePage(store, req));
        for (let i = 0; i < rounds; i++) {
          store.updateRun(1 + (i % n), { notes: `bench ${i}` });
          times[0].push(timeMs(() => (pages[0] = runsTablePage(store, req))));
          times[1].push(timeMs(() => (pages[1] = runsTablePage(store, req))));
          const opened = RunStore.open(file);
          try {
            times[2].push(timeMs(() => (pages[2] = runsTablePage(opened, req))));
          } finally {
            opened.close();
          }
        }
        return TABLE_WHEN.map((when, k) => {
          if (pages[k].allTotal !== n) throw new Error(`the table counted ${pages[k].allTotal} runs, expected ${n}`);
          if (pages[k].total !== pages[0].total) throw new Error(`${when}: the table matched ${pages[k].total} runs, after a change ${pages[0].total}`);
          const cpuMs = median(times[k].map((t) => t.cpu));
          return { name: `${n.toLocaleString('en-US')} runs, ${name}, ${when} (median of ${rounds}; CPU ${cpuMs.toFixed(0)} ms)`, ms: median(times[k].map((t) => t.wall)), cpuMs, target: 200, matched: pages[k].total };
        });
      });
    } finally {
      store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
