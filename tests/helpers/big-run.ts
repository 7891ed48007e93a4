/**
 * A run at the spec's maximum, written from synthetic series rather than trained (training one
 * takes hours): MAX_BATCHES batches (a 160 MB cost history) on a network of about 49 M weights
 * (a 392 MB finalWeights), stored through RunStore.finishRun as a trained one would be. The
 * values are a formula of their index, so any exported point can be checked.
 */
import { openRunStore } from '../../src-main/db';
import { MAX_BATCHES, parseRunSpec, weightCount } from '../../src-main/trainer/spec';
import { type RunResult, Trainer } from '../../src-main/trainer/trainer';

export const BIG_SHAPE = [1, 7000, 7000, 2];
export const BIG_WEIGHTS = weightCount(BIG_SHAPE);

/** Cost of batch i, and weight i, of the big run. */
export const bigCost = (i: number) => 32 / (1 + i / 1000) + (i % 7) * 1e-9;
export const bigWeight = (i: number) => ((i % 1000) - 500) / 5000;

/** Writes the big run as run #1 of a new database at `file`. */
export function writeMaxRun(file: string): void {
  const store = openRunStore(file);
  const spec = parseRunSpec({ shape: BIG_SHAPE, batches: MAX_BATCHES });
  const template = new Trainer(parseRunSpec({ batches: 20 }));
  template.run(20);
  const small = template.result();
  const costHistory = new Float64Array(MAX_BATCHES);
  for (let i = 0; i < costHistory.length; i++) costHistory[i] = bigCost(i);
  const mseHistory = costHistory.map((c) => c / spec.batchSize);
  const finalWeights = new Float64Array(BIG_WEIGHTS);
  for (let i = 0; i < finalWeights.length; i++) finalWeights[i] = bigWeight(i);
  const cps = small.checkpoints.batches.length;
  const layers = BIG_SHAPE.length - 1;
  const result: RunResult = {
    ...small,
    batchesRun: MAX_BATCHES,
    costHistory,
    mseHistory,
    finalCost: costHistory[MAX_BATCHES - 1],
    finalMse: mseHistory[MAX_BATCHES - 1],
    finalWeights,
    checkpoints: { ...small.checkpoints, gradNorms: new Float64Array(cps * layers).fill(0.5) },
    diagnostics: { ...small.diagnostics, atInit: { ...small.diagnostics.atInit, dead: [[], [], []] }, atEnd: { ...small.diagnostics.atEnd, dead: [[], [], []] } },
  };
  store.finishRun(store.createRun(spec), result);
  store.close();
}
