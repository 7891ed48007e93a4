/**
 * Real runs for the table and query tests: specs trained in-process by the trainer, stored in a
 * temp SQLite file, and read back as the lab lists them (RunStore.listRuns), together with a
 * cancelled run, a queued one and runs in an experiment with tags and notes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRunStore, type RunStore } from '../../../src-main/db';
import type { RunSummary } from '../../../src-main/db/types';
import { parseRunSpec } from '../../../src-main/trainer/spec';
import { Trainer } from '../../../src-main/trainer/trainer';

export interface StoredRuns {
  store: RunStore;
  runs: RunSummary[];
  experimentId: number;
  close(): void;
}

const CONFIGS: { spec: Record<string, unknown>; tags?: string[]; notes?: string; inExperiment?: boolean }[] = [
  { spec: {}, tags: ['baseline'], notes: 'the seed' },
  { spec: { activation: 'sigmoid' }, inExperiment: true },
  { spec: { activation: 'sigmoid', initSeed: 3 }, inExperiment: true },
  { spec: { initMean: '-eps' }, inExperiment: true, tags: ['exercise'] },
  { spec: { initMean: '-eps', initSeed: 5 }, inExperiment: true, tags: ['exercise'] },
  { spec: { activation: 'tanh', learningRate: 0.5 }, notes: 'retry with a smaller step' },
  { spec: { activation: 'relu', learningRate: 0.5, eps: 0.5, initMean: '-eps' } },
  { spec: { optimizer: 'adam', learningRate: 0.01, batches: 200 }, tags: ['baseline', 'adam'] },
  { spec: { activation: 'linear', learningRate: 3 } },
  { spec: { task: 'circle', batches: 200 }, tags: ['Über'] },
  { spec: { task: 'xor', batches: 50, activation: 'sigmoid' } },
];

/** Trains and stores the runs (about a second), plus a cancelled and a queued run. */
export function storedRuns(): StoredRuns {
  const file = join(mkdtempSync(join(tmpdir(), 'nnlab-table-')), 'lab.sqlite');
  const store = openRunStore(file);
  const experimentId = store.createExperiment({ name: 'init-mean', kind: 'sweep' });
  for (const c of CONFIGS) {
    const spec = parseRunSpec(c.spec);
    const id = store.createRun(spec, { experimentId: c.inExperiment ? experimentId : null, tags: c.tags, notes: c.notes });
    const trainer = new Trainer(spec);
    trainer.run(Number.MAX_SAFE_INTEGER);
    store.finishRun(id, trainer.result());
  }
  const cancelled = store.createRun(parseRunSpec({ activation: 'sigmoid' }), { experimentId });
  store.failRun(cancelled, 'cancelled', null);
  store.createRun(parseRunSpec({ activation: 'leakyRelu' }));
  return { store, runs: store.listRuns(), experimentId, close: () => store.close() };
}
