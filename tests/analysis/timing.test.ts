import { describe, expect, it } from 'vitest';
import { stat } from '../../src-main/analysis/stats';
import { pickTiming, readTiming, summarizeTiming } from '../../src-main/analysis/timing';
import { DEFAULT_SPEC } from '../../src-main/trainer/spec';
import type { RepeatTiming, TimingMeasurement } from '../../src-main/trainer/timing';

describe('analysis/timing stat', () => {
  it('gives the median, the quartiles by linear interpolation, the IQR and the extremes (hand-computed)', () => {
    // sorted 1 2 3 4: median (2+3)/2; q1 at position 0.75 → 1 + 0.75·1; q3 at 2.25 → 3 + 0.25·1
    expect(stat([4, 1, 3, 2])).toEqual({ n: 4, median: 2.5, q1: 1.75, q3: 3.25, iqr: 1.5, min: 1, max: 4 });
    // an outlier moves neither the median nor the quartiles: q1 at position 1 → 2, q3 at 3 → 4
    expect(stat([3, 1, 100, 2, 4])).toEqual({ n: 5, median: 3, q1: 2, q3: 4, iqr: 2, min: 1, max: 100 });
    expect(stat([7])).toEqual({ n: 1, median: 7, q1: 7, q3: 7, iqr: 0, min: 7, max: 7 });
  });

  it('leaves out missing and non-finite values, and has nothing to say about none', () => {
    expect(stat([null, 2, NaN, undefined, 4, Infinity])).toEqual({ n: 2, median: 3, q1: 2.5, q3: 3.5, iqr: 1, min: 2, max: 4 });
    expect(stat([])).toBeNull();
    expect(stat([null, NaN])).toBeNull();
  });
});

function repeat(round: number, forward: number, backward: number, update: number, wallMs: number, msToTarget: number | null): RepeatTiming {
  return { round, position: round % 2, usPerSample: { forward, backward, update }, wallMs, batchesToTarget: msToTarget === null ? null : 120, msToTarget, finalCost: 0.05, status: 'done' };
}

/** A measurement of two repeats after one warm-up, to MSE 0.01, of these configurations. */
function twoRepeats(configs: TimingMeasurement['configs']): TimingMeasurement {
  return { configs, repeats: 2, warmup: 1, targetMse: 0.01, timingEvery: 1, clockOverheadUs: 0.03, totalMs: 100 };
}

describe('analysis/timing summarizeTiming', () => {
  it('gives no time to the target MSE of a configuration on another loss beside sse runs, and says why (nnlab time of sincos and circle read “task=circle reaches MSE 0.01” of a cross-entropy)', () => {
    const circle = { ...DEFAULT_SPEC, task: 'circle' as const, shape: [2, 8, 8, 2], loss: 'cross-entropy' as const, outputActivation: 'softmax' as const };
    const m = twoRepeats([
      { spec: DEFAULT_SPEC, kernel: 'js', batchesRun: 300, costsIdentical: true, repeats: [repeat(0, 1, 2, 0.5, 10, 4), repeat(1, 1, 2, 0.5, 10, 4)] },
      { spec: circle, kernel: 'js', batchesRun: 300, costsIdentical: true, repeats: [repeat(0, 2, 4, 1, 20, 8), repeat(1, 2, 4, 1, 22, 8)] },
    ]);
    const s = summarizeTiming(m);
    expect(s.configs.map((c) => [c.reached, c.msToTarget?.median ?? null, c.otherLoss ?? false])).toEqual([[2, 4, false], [0, null, true]]);
    // the wall times stay side by side: a millisecond is a millisecond
    expect(s.wallRatio[1]).toBeCloseTo(2.1, 10);
    expect(readTiming(s, ['sincos', 'circle'])).toBe('circle takes 2.1× the wall time of sincos per run (median 21 ms against 10 ms); sincos reaches MSE 0.01 after 4 ms (batch 120), circle trains on cross-entropy, whose loss per sample is no MSE: no time to MSE 0.01.');
    // one loss: every configuration timed to the target, as before
    const one = summarizeTiming({ ...m, configs: [m.configs[1], { ...m.configs[1], spec: { ...circle, activation: 'tanh' } }] });
    expect(one.configs.map((c) => c.reached)).toEqual([2, 2]);
  });

  it('reads the target of configurations on cross-entropy alone in their loss, and names it so (two circle configurations read “circle reaches MSE 0.01”)', () => {
    const circle = { ...DEFAULT_SPEC, task: 'circle' as const, shape: [2, 8, 8, 2], loss: 'cross-entropy' as const, outputActivation: 'softmax' as const };
    const m = twoRepeats([
      { spec: circle, kernel: 'js', batchesRun: 300, costsIdentical: true, repeats: [repeat(0, 1, 2, 0.5, 10, 4), repeat(1, 1, 2, 0.5, 10, 4)] },
      { spec: { ...circle, activation: 'tanh' }, kernel: 'js', batchesRun: 300, costsIdentical: true, repeats: [repeat(0, 1, 2, 0.5, 10, null), repeat(1, 1, 2, 0.5, 10, null)] },
    ]);
    expect(readTiming(summarizeTiming(m), ['relu', 'tanh'])).toBe('tanh and relu take about the same wall time per run (median 10 ms against 10 ms); relu reaches cross-entropy 0.01 per sample after 4 ms (batch 120), tanh does not reach cross-entropy 0.01 per sample within 300 batches.');
  });

  it('summarises every phase, the per-sample total, wall time and time to target per configuration', () => {
    const m: TimingMeasurement = {
      configs: [
        {
          spec: DEFAULT_SPEC,
          kernel: 'wasm-simd-f64',
          batchesRun: 300,
          costsIdentical: true,
          repeats: [repeat(0, 1, 2, 0.5, 10, 4), repeat(1, 3, 2, 0.5, 12, 5), repeat(2, 2, 2, 0.5, 11, null), repeat(3, 4, 2, 0.5, 30, 6)],
        },
        {
          spec: { ...DEFAULT_SPEC, activation: 'sigmoid' },
          kernel: 'wasm-simd-f64',
          batchesRun: 300,
          costsIdentical: false,
          repeats: [repeat(0, 2, 4, 1, 20, null), repeat(1, 2, 4, 1, 22, null), repeat(2, 2, 4, 1, 24, null), repeat(3, 2, 4, 1, 26, null)],
        },
      ],
      repeats: 4,
      warmup: 1,
      targetMse: 0.01,
      timingEvery: 1,
      clockOverheadUs: 0.03,
      totalMs: 200,
    };
    const s = summarizeTiming(m);
    expect(s.differs).toEqual(['activation']);
    const [relu, sigmoid] = s.configs;
    expect(relu.label).toBe('activation=relu');
    // forward 1 2 3 4 → median 2.5, IQR 1.75–3.25
    expect(relu.forward).toEqual({ n: 4, median: 2.5, q1: 1.75, q3: 3.25, iqr: 1.5, min: 1, max: 4 });
    expect(relu.backward).toMatchObject({ median: 2, iqr: 0 });
    // per-sample sums 3.5 5.5 4.5 6.5 → sorted 3.5 4.5 5.5 6.5
    expect(relu.perSample).toMatchObject({ median: 5, q1: 4.25, q3: 5.75 });
    // wall 10 12 11 30 → sorted 10 11 12 30: median 11.5, q1 10.75, q3 16.5
    expect(relu.wallMs).toEqual({ n: 4, median: 11.5, q1: 10.75, q3: 16.5, iqr: 5.75, min: 10, max: 30 });
    // three of four reached the target: 4 5 6
    expect(relu.reached).toBe(3);
    expect(relu.msToTarget).toMatchObject({ n: 3, median: 5, q1: 4.5, q3: 5.5 });
    expect(relu.batchesToTarget).toBe(120);
    expect(relu.costsIdentical).toBe(true);
    expect(sigmoid.reached).toBe(0);
    expect(sigmoid.msToTarget).toBeNull();
    expect(sigmoid.costsIdentical).toBe(false);
    // sigmoid median wall 23 vs relu 11.5
    expect(s.wallRatio).toEqual([1, 2]);
  });

  it('reads a stored measurement, whose non-finite numbers came back as null', () => {
    const stored = JSON.parse(
      JSON.stringify({
        configs: [{ spec: DEFAULT_SPEC, kernel: 'js', batchesRun: 3, costsIdentical: true, repeats: [{ ...repeat(0, NaN, 1, 1, 5, null), finalCost: NaN, status: 'diverged' }] }],
        repeats: 1,
        warmup: 0,
        targetMse: 0.01,
        timingEvery: 1,
        clockOverheadUs: 0.02,
        totalMs: 5,
      }),
    );
    const s = summarizeTiming(stored);
    expect(s.configs[0].forward).toBeNull();
    expect(s.configs[0].perSample).toBeNull();
    expect(s.configs[0].backward).toMatchObject({ median: 1 });
    expect(s.configs[0].diverged).toBe(1);
    expect(s.configs[0].finalCost).toBeNull();
  });
});

describe('analysis/timing pickTiming', () => {
  const t = (id: number, configKeys: string[]) => ({ id, configKeys });
  const at = (batches: number, ...keys: string[]) => keys.map((key) => ({ key, batches }));

  it('picks the newest timing that covers the most of the compared configurations, and none with a stranger', () => {
    const compared = at(300, 'relu', 'sigmoid');
    const a = t(1, ['relu', 'sigmoid']);
    const b = t(2, ['relu']);
    const c = t(3, ['relu', 'other']);
    const d = t(4, ['relu', 'sigmoid']);
    expect(pickTiming([b, a, c], compared)?.id).toBe(1);
    expect(pickTiming([d, b, a], compared)?.id).toBe(4);
    expect(pickTiming([c], compared)).toBeNull();
    expect(pickTiming([b], at(300, 'relu'))?.id).toBe(2);
    expect(pickTiming([], compared)).toBeNull();
  });

  it('prefers the timing of the configurations the reading compares (the fewest batches) over a newer one of the longer runs', () => {
    // a preset (300 batches, timed as #1) compared with its 10×-batches sweep (timed later as #2):
    // the reading compares the 300-batch runs, so its speed figure and the panel are #1's
    const compared = [...at(300, 'relu/300', 'sigmoid/300'), ...at(3000, 'relu/3000', 'sigmoid/3000')];
    const short = t(1, ['relu/300', 'sigmoid/300']);
    const long = t(2, ['relu/3000', 'sigmoid/3000']);
    expect(pickTiming([long, short], compared)?.id).toBe(1);
    // one that times all four covers the reading's two as well, and more
    expect(pickTiming([long, short, t(3, ['relu/300', 'sigmoid/300', 'relu/3000', 'sigmoid/3000'])], compared)?.id).toBe(3);
    // only the longer runs timed: that is the timing there is
    expect(pickTiming([long], compared)?.id).toBe(2);
  });
});
