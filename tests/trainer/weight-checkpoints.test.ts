/** trainer/trainer WeightCheckpoints: the weights at every kept checkpoint, bounded per run, the last one the final weights. */
import { describe, expect, it } from 'vitest';
import { createLayout } from '../../src-main/trainer/network';
import { parseRunSpec, type RunSpecInput } from '../../src-main/trainer/spec';
import { keptWeightCheckpoints, Trainer, WEIGHT_CHECKPOINT_BYTES, type TrainerOptions } from '../../src-main/trainer/trainer';

function trained(input: RunSpecInput, options: TrainerOptions = {}, batches = Number.MAX_SAFE_INTEGER) {
  const spec = parseRunSpec(input);
  const t = new Trainer(spec, options);
  t.run(batches);
  return { spec, t, r: t.result() };
}

/** The flat weights of a fresh trainer of the same spec trained `batches` batches. */
function weightsAt(input: RunSpecInput, batches: number): Float64Array {
  const t = new Trainer(parseRunSpec(input));
  t.run(batches);
  return Float64Array.from(t.params.flat);
}

const bits = (a: ArrayLike<number>) => Array.from(new Uint8Array(Float64Array.from(a).buffer));

describe('trainer/trainer weight checkpoints', () => {
  it('keeps the weights at every checkpoint of the seed run, each equal to a run trained to that batch, the last equal to finalWeights bit for bit', () => {
    const input = { batches: 60, checkpoints: 6 };
    const { r } = trained(input);
    const w = r.weightCheckpoints!;
    const n = r.finalWeights.length;
    expect(w.batches).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect(w.batches).toEqual(r.checkpoints.batches);
    expect(w.checkpoints).toBe(7);
    expect(w.weights.length).toBe(7 * n);
    for (const [k, b] of w.batches.entries()) expect(bits(w.weights.subarray(k * n, (k + 1) * n))).toEqual(bits(weightsAt(input, b)));
    expect(bits(w.weights.subarray(6 * n))).toEqual(bits(r.finalWeights));
    // the entries differ: training moved the weights
    expect(bits(w.weights.subarray(0, n))).not.toEqual(bits(r.finalWeights));
  });

  it('keeps fewer, evenly spaced checkpoints (the first and the last always) when they would exceed the budget', () => {
    const input = { batches: 40, checkpoints: 20 };
    const n = createLayout(parseRunSpec(input).shape).weightCount;
    // room for 5 entries of 8·n bytes: 4 checkpoints and the spare entry
    const { r } = trained(input, { weightCheckpointBytes: 5 * 8 * n + 7 });
    const w = r.weightCheckpoints!;
    expect(w.batches).toEqual([0, 14, 26, 40]);
    expect(w.checkpoints).toBe(21);
    expect(bits(w.weights.subarray(3 * n))).toEqual(bits(r.finalWeights));
    expect(bits(w.weights.subarray(n, 2 * n))).toEqual(bits(weightsAt(input, 14)));
  });

  it('chooses the kept checkpoints evenly (pure)', () => {
    expect(keptWeightCheckpoints(21, 100, 100 * 22)).toHaveLength(21);
    // 20 of 21: one checkpoint left out, the spacing rounded
    const twenty = keptWeightCheckpoints(21, 100, 100 * 21);
    expect(twenty).toHaveLength(20);
    expect([twenty[0], twenty[19]]).toEqual([0, 20]);
    expect(new Set(twenty).size).toBe(20);
    expect(keptWeightCheckpoints(21, 100, 300)).toEqual([0, 20]);
    expect(keptWeightCheckpoints(21, 100, 200)).toEqual([20]);
    expect(keptWeightCheckpoints(21, 100, 199)).toEqual([]);
  });

  it('bounds a run to 64 MiB: a [1,1024,1024,1] net (8.4 MB of weights) keeps 6 of 21 checkpoints, the seed net (66 weights) all of them', () => {
    const big = 1024 * 2 + 1024 * 1025 + 1025;
    expect(keptWeightCheckpoints(21, 8 * big, WEIGHT_CHECKPOINT_BYTES)).toEqual([0, 4, 8, 12, 16, 20]);
    expect(keptWeightCheckpoints(21, 8 * 66, WEIGHT_CHECKPOINT_BYTES)).toHaveLength(21);
    expect(WEIGHT_CHECKPOINT_BYTES).toBe(64 * 1024 * 1024);
  });

  it('ends with the weights where a run stopped between checkpoints (a diverged run, or one stopped early)', () => {
    const input = { batches: 100, checkpoints: 4, activation: 'linear' as const, learningRate: 3 };
    const { r } = trained(input);
    expect(r.status).toBe('diverged');
    const w = r.weightCheckpoints!;
    const n = r.finalWeights.length;
    expect(w.batches[w.batches.length - 1]).toBe(r.batchesRun);
    expect(r.checkpoints.batches).not.toContain(r.batchesRun);
    expect(bits(w.weights.subarray((w.batches.length - 1) * n))).toEqual(bits(r.finalWeights));
    expect(w.batches.slice(0, -1)).toEqual(r.checkpoints.batches.filter((b) => b < r.batchesRun));

    const stopped = trained({ batches: 100, checkpoints: 4 }, {}, 37).r.weightCheckpoints!;
    expect(stopped.batches).toEqual([0, 25, 37]);
  });

  it('keeps float32 runs’ weights as the float64 of the same values', () => {
    const { r } = trained({ batches: 30, checkpoints: 3, dtype: 'float32' });
    const w = r.weightCheckpoints!;
    const n = r.finalWeights.length;
    expect(bits(w.weights.subarray(3 * n))).toEqual(bits(r.finalWeights));
    expect(Array.from(w.weights.subarray(n, 2 * n)).every((x) => Math.fround(x) === x)).toBe(true);
  });
});
