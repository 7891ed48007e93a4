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
  writeSyntheticRun(file, BIG_SHAPE, MAX_BATCHES);
}

/** A run of `batches` batches on `shape` with the big run's formulas, stored as run #1 of a new database at `file`. */
export function writeSyntheticRun(file: string, shape: number[], batches: number): void {
  const store = openRunStore(file);
  const spec = parseRunSpec({ shape, batches });
  const template = new Trainer(parseRunSpec({ batches: 20 }));
  template.run(20);
  const small = template.result();
  const costHistory = new Float64Array(batches);
  for (let i = 0; i < costHistory.length; i++) costHistory[i] = bigCost(i);
  const mseHistory = costHistory.map((c) => c / spec.batchSize);
  const finalWeights = new Float64Array(weightCount(shape));
  for (let i = 0; i < finalWeights.length; i++) finalWeights[i] = bigWeight(i);
  const cps = small.checkpoints.batches.length;
  const layers = shape.length - 1;
  const none = Array.from({ length: layers }, () => []);
  const result: RunResult = {
    ...small,
    batchesRun: batches,
    costHistory,
    mseHistory,
    finalCost: costHistory[batches - 1],
    finalMse: mseHistory[batches - 1],
    finalWeights,
    checkpoints: { ...small.checkpoints, gradNorms: new Float64Array(cps * layers).fill(0.5) },
    // none kept: the checkpoints' weights are not what these runs are about (the trainer keeps none for the big run: one entry of 49 M weights is over its 64 MiB budget)
    weightCheckpoints: { batches: [], weights: new Float64Array(0), checkpoints: cps },
    diagnostics: { ...small.diagnostics, atInit: { ...small.diagnostics.atInit, dead: none }, atEnd: { ...small.diagnostics.atEnd, dead: none } },
  };
  store.finishRun(store.createRun(spec), result);
  store.close();
}
