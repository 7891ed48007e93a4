import { describe, expect, it } from 'vitest';
import { backendFor } from '../../src-main/trainer/backends';
import { parseRunSpec } from '../../src-main/trainer/spec';
import { batchesToTarget, measureTiming } from '../../src-main/trainer/timing';
import { Trainer } from '../../src-main/trainer/trainer';

describe('trainer/timing batchesToTarget', () => {
  it('finds the first batch whose trailing mean is at or below the target (hand-computed)', () => {
    // trailing means of 2: 4.5 3.5 2.5 → the 4th batch
    expect(batchesToTarget([5, 4, 3, 2, 1], 3, 2)).toBe(4);
    expect(batchesToTarget([5, 4, 3, 2, 1], 0.5, 2)).toBeNull();
    // a history shorter than the window uses its whole length
    expect(batchesToTarget([0.5, 0.5], 1, 10)).toBe(2);
    // a non-finite value in the window counts as infinitely bad
    expect(batchesToTarget([NaN, 0, 0, 0], 1, 2)).toBe(3);
    expect(batchesToTarget([], 1)).toBeNull();
  });
});

describe('trainer/timing measureTiming', () => {
  it('times every batch of every repeat, interleaving the configurations, and finds the same costs in every repeat', async () => {
    const relu = parseRunSpec({ batches: 60 });
    const sigmoid = parseRunSpec({ batches: 60, activation: 'sigmoid' });
    const progress: number[] = [];
    const m = await measureTiming([relu, sigmoid], { repeats: 3, warmup: 1, targetMse: 0.05, backend: backendFor('js'), onProgress: (d) => progress.push(d) });
    expect(m).not.toBeNull();
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(m!.configs.map((c) => c.repeats.length)).toEqual([3, 3]);
    // the order rotates: relu first in rounds 0 and 2 (after one warm-up round), sigmoid first in round 1
    expect(m!.configs[0].repeats.map((r) => r.position)).toEqual([1, 0, 1]);
    expect(m!.configs[1].repeats.map((r) => r.position)).toEqual([0, 1, 0]);
    for (const c of m!.configs) {
      expect(c.kernel).toMatch(/^js/);
      expect(c.costsIdentical).toBe(true);
      for (const r of c.repeats) {
        // positive and finite; never an absolute speed
        for (const v of [r.usPerSample.forward, r.usPerSample.backward, r.usPerSample.update, r.wallMs]) expect(v).toBeGreaterThan(0);
        // the phases are a part of the wall time
        expect(((r.usPerSample.forward + r.usPerSample.backward + r.usPerSample.update) * 60 * 32) / 1000).toBeLessThanOrEqual(r.wallMs);
        if (r.msToTarget !== null) expect(r.msToTarget).toBeLessThanOrEqual(r.wallMs);
      }
    }
    // the same trainer, untimed, gives the same final cost (timing does not change the arithmetic)
    const plain = new Trainer(relu, { backend: backendFor('js'), timingEvery: 0 });
    plain.run(60);
    expect(m!.configs[0].repeats[0].finalCost).toBe(plain.result().finalCost);
    expect(m!.clockOverheadUs).toBeGreaterThanOrEqual(0);
  });

  it('stops when cancelled', async () => {
    let calls = 0;
    const m = await measureTiming([parseRunSpec({ batches: 20 })], { repeats: 5, warmup: 0, targetMse: 0.01, cancelled: () => ++calls > 3 });
    expect(m).toBeNull();
  });
});
