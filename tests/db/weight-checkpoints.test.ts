/** db/store weight checkpoints: stored with a run's series, read back bit for bit, thinning said, older results without them. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRunStore } from '../../src-main/db';
import { createLayout } from '../../src-main/trainer/network';
import { Trainer } from '../../src-main/trainer/trainer';
import { parseRunSpec } from '../../src-main/trainer/spec';
import { tempDir, train } from './helpers';

const bits = (a: ArrayLike<number>) => Array.from(new Uint8Array(Float64Array.from(a).buffer));

describe('db/store weight checkpoints', () => {
  it('stores the weights at each kept checkpoint and reads them back bit for bit, the last row the final weights', () => {
    const store = openRunStore(path.join(tempDir(), 'w.sqlite'));
    const { spec, result } = train({ batches: 40, checkpoints: 4 });
    const id = store.createRun(spec);
    store.finishRun(id, result);
    const w = store.getWeightCheckpoints(id)!;
    expect(w.batches).toEqual([0, 10, 20, 30, 40]);
    expect([w.weightCount, w.checkpoints, w.thinned]).toEqual([result.finalWeights.length, 5, false]);
    expect(bits(w.weights)).toEqual(bits(result.weightCheckpoints!.weights));
    expect(bits(w.weights.subarray(4 * w.weightCount))).toEqual(bits(store.getSeries(id, ['finalWeights']).finalWeights.data));
    expect(store.getRun(id)!.series.find((s) => s.name === 'weights')?.shape).toEqual([5, w.weightCount]);
    store.close();
  });

  it('says when the checkpoints were thinned, and not for a run that only stopped early', () => {
    const store = openRunStore(path.join(tempDir(), 'w.sqlite'));
    const spec = parseRunSpec({ batches: 40, checkpoints: 20 });
    const thin = new Trainer(spec, { weightCheckpointBytes: 4 * 8 * createLayout(spec.shape).weightCount });
    thin.run(1e9);
    const a = store.createRun(spec);
    store.finishRun(a, thin.result());
    expect(store.getWeightCheckpoints(a)).toMatchObject({ batches: [0, 20, 40], checkpoints: 21, thinned: true });
    const early = new Trainer(spec);
    early.run(7);
    const b = store.createRun(spec);
    store.finishRun(b, early.result(), 'cancelled');
    expect(store.getWeightCheckpoints(b)).toMatchObject({ batches: [0, 2, 4, 6, 7], checkpoints: 21, thinned: false });
    store.close();
  });

  it('has none for a result of an nnlab before weight checkpoints (a job queue’s older worker)', () => {
    const store = openRunStore(path.join(tempDir(), 'w.sqlite'));
    const { spec, result } = train({ batches: 10 });
    const { weightCheckpoints: _dropped, ...older } = result;
    const id = store.createRun(spec);
    store.finishRun(id, older);
    expect(store.getWeightCheckpoints(id)).toBeNull();
    expect(store.getRun(id)!.series.map((s) => s.name)).not.toContain('weights');
    store.close();
  });
});
