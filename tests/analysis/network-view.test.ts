/** analysis/network-view: which edges are drawn, which units are dead and since when, and the output as the sum of the last hidden layer's pieces. */
import { describe, expect, it } from 'vitest';
import { edgesOf, forwardAll, incomingOf, piecesOf, unitColumn, unitHealth, unitPictures, viewPointsOf, WEIGHT_QUANTILES, weightBands } from '../../src-main/analysis/network-view';
import { median } from '../../src-main/analysis/stats';
import { outputFunctionName } from '../../src-main/trainer/activations';
import { parseRunSpec, type RunSpecInput } from '../../src-main/trainer/spec';
import { gridPoints, linspace, resolveTask } from '../../src-main/trainer/tasks';
import { Trainer } from '../../src-main/trainer/trainer';

function trained(input: RunSpecInput) {
  const spec = parseRunSpec(input);
  const t = new Trainer(spec);
  t.run(1e9);
  const r = t.result();
  const w = r.weightCheckpoints!;
  const n = r.finalWeights.length;
  const rows = w.batches.map((_, k) => w.weights.subarray(k * n, (k + 1) * n));
  return { spec, r, rows, batches: w.batches, hidden: spec.activation, output: outputFunctionName(spec.outputActivation, spec.activation) };
}

describe('analysis/network-view', () => {
  it('builds the output from the last hidden layer’s pieces: bias + Σ pieces is the pre-activation, and its output is the network’s estimate, to 1e-12', () => {
    for (const input of [{}, { activation: 'tanh', outputActivation: 'linear', shape: [1, 6, 5, 2] }, { activation: 'sigmoid' }] as RunSpecInput[]) {
      const { spec, r, hidden, output } = trained({ batches: 100, ...input });
      for (let out = 0; out < 2; out++) {
        const p = piecesOf(spec.shape, r.finalWeights, hidden, output, r.testInputs, out);
        expect(p.pieces).toHaveLength(spec.shape[spec.shape.length - 2]);
        for (let i = 0; i < p.sum.length; i++) {
          expect(Math.abs(p.sum[i] - p.pre[i])).toBeLessThan(1e-12);
          expect(Math.abs(p.output[i] - r.testEstimates[i * 2 + out])).toBeLessThan(1e-12);
        }
      }
      // and every unit's forward pass matches the trainer's estimates
      const all = forwardAll(spec.shape, r.finalWeights, hidden, output, r.testInputs);
      all.outs[spec.shape.length - 1].forEach((v, i) => expect(Math.abs(v - r.testEstimates[i])).toBeLessThan(1e-12));
    }
  });

  it('marks the units of exercise 1’s failed run (init mean −eps) dead, since batch 0 for those dead at init, as the trainer’s diagnostics count them', () => {
    const { spec, r, rows, batches, hidden, output } = trained({ initMean: -0.1, checkpoints: 10 });
    const task = resolveTask(spec.task, spec);
    const view = linspace(task.box[0][0], task.box[0][1], 101);
    const last = rows.length - 1;
    const health = unitHealth(spec.shape, rows, batches, last, hidden, output, view);
    const dead = health[0].flatMap((u, j) => (u.dead ? [j] : []));
    expect(dead).toEqual(r.diagnostics.atEnd.dead[0]);
    expect(dead.length).toBeGreaterThan(0);
    const atInit = new Set(r.diagnostics.atInit.dead[0]);
    for (const j of dead) if (atInit.has(j)) expect(health[0][j].deadSince).toBe(0);
    for (const u of health[0]) if (!u.dead) expect(u.deadSince).toBeNull();
    // at init (checkpoint 0), the units dead then
    const first = unitHealth(spec.shape, rows, batches, 0, hidden, output, view);
    expect(first[0].flatMap((u, j) => (u.dead ? [j] : []))).toEqual(r.diagnostics.atInit.dead[0]);
  });

  it('dates a unit that dies during training to the first checkpoint from which it stays dead', () => {
    // a relu unit alive at checkpoint 0, dead at 1 and 2: its deadSince is batch 10; one dead only at 2 is since 20
    const shape = [1, 2, 1];
    const alive = [0.5, 1, 0.5, 1, 0, 1, 1, 0];
    const rows = [alive, [-5, -1, 0.5, 1, 0, 1, 1, 0], [-5, -1, -5, -1, 0, 1, 1, 0]];
    const h = unitHealth(shape, rows, [0, 10, 20], 2, 'relu', 'linear', linspace(0, 1, 11));
    expect(h[0].map((u) => u.deadSince)).toEqual([10, 20]);
    expect(unitHealth(shape, rows, [0, 10, 20], 1, 'relu', 'linear', linspace(0, 1, 11))[0].map((u) => u.deadSince)).toEqual([10, null]);
  });

  it('gives a unit’s card its bias and incoming weights: bias + Σ w · (the layer below) is its pre-activation at every view point', () => {
    const { spec, r, hidden, output } = trained({ batches: 50, shape: [1, 5, 4, 2] });
    const view = viewPointsOf([[0, 1]])!;
    const all = forwardAll(spec.shape, r.finalWeights, hidden, output, view);
    for (let l = 1; l < spec.shape.length; l++)
      for (let j = 0; j < spec.shape[l]; j++) {
        const { bias, weights } = incomingOf(spec.shape, r.finalWeights, l - 1, j);
        expect(weights).toHaveLength(spec.shape[l - 1]);
        const pre = unitColumn(all.pres, spec.shape, l, j);
        for (let p = 0; p < all.points; p++) {
          let z = bias;
          weights.forEach((w, i) => (z += w * all.outs[l - 1][p * spec.shape[l - 1] + i]));
          expect(Math.abs(z - pre[p])).toBeLessThan(1e-12);
        }
      }
    // a hand-made net: unit 2 of layer 1 of [2, 3, 1] reads its bias then one weight per input
    expect(incomingOf([2, 3, 1], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 0, 2)).toEqual({ bias: 6, weights: [7, 8] });
    expect(incomingOf([2, 3, 1], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 1, 0)).toEqual({ bias: 9, weights: [10, 11, 12] });
  });

  it('views a 1-D task at 101 points of its domain, a 2-D one on the 25 × 25 grid the trainer draws its boundary on, and no picture for more inputs', () => {
    expect(Array.from(viewPointsOf([[-1, 2]])!)).toEqual(Array.from(linspace(-1, 2, 101)));
    const task = resolveTask('circle', parseRunSpec({ task: 'circle' }));
    expect(task.view.grid).toEqual([25, 25]);
    expect(Array.from(viewPointsOf(task.box)!)).toEqual(Array.from(task.view.inputs));
    expect(Array.from(viewPointsOf(task.box)!)).toEqual(Array.from(gridPoints(task.box, [25, 25])));
    expect(viewPointsOf([[0, 1], [0, 1], [0, 1]])).toBeNull();
  });

  it('pictures each unit of a 2-D run over the plane at every kept checkpoint: the output units’ heatmaps are the trainer’s own estimates on its view grid, to 1e-12', () => {
    const { spec, r, rows, hidden, output } = trained({ task: 'circle', shape: [2, 5, 3, 2], batches: 80, checkpoints: 4, learningRate: 0.1 });
    const task = resolveTask(spec.task, spec);
    const view = viewPointsOf(task.box)!;
    expect(Array.from(r.viewInputs)).toEqual(Array.from(view));
    const per = (view.length / 2) * 2;
    expect(rows).toHaveLength(r.checkpoints.batches.length);
    rows.forEach((row, k) => {
      const pics = unitPictures(spec.shape, row, hidden, output, view);
      expect(pics.map((p) => [p.layer, p.values.length, p.more])).toEqual([
        [1, 5, 0],
        [2, 3, 0],
        [3, 2, 0],
      ]);
      const last = pics[2];
      let worst = 0;
      for (let p = 0; p < 625; p++) for (let o = 0; o < 2; o++) worst = Math.max(worst, Math.abs(last.values[o][p] - r.checkpoints.estimates[k * per + p * 2 + o]));
      expect(worst).toBeLessThan(1e-12);
      // one scale per layer, covering every pictured unit
      for (const layer of pics) expect(layer.values.every((v) => v.every((x) => x >= layer.lo && x <= layer.hi))).toBe(true);
    });
    // a big layer pictures its first units and counts the rest
    const big = unitPictures([1, 40, 1], new Float64Array(40 * 2 + 41), 'relu', 'linear', linspace(0, 1, 5), 32);
    expect([big[0].values.length, big[0].more, big[0].lo, big[0].hi]).toEqual([32, 8, 0, 0]);
  });

  it('gives each layer’s weight distribution over training, biases left out: quantiles of the layer’s weights at every kept checkpoint', () => {
    // [1, 2, 1]: layer 0 holds weights 2 and −4 (biases 1, 3), layer 1 holds 6 and 7 (bias 5)
    const [a, b] = weightBands([1, 2, 1], [[1, 2, 3, -4, 5, 6, 7]]);
    expect([a.layer, a.count, b.layer, b.count]).toEqual([0, 2, 1, 2]);
    expect(Array.from(a.quantiles)).toEqual([-4, -3.7, -2.5, -1, 0.5, 1.7, 2].map((x) => expect.closeTo(x, 12)));
    expect(Array.from(b.quantiles)).toEqual([6, 6.05, 6.25, 6.5, 6.75, 6.95, 7].map((x) => expect.closeTo(x, 12)));
    // a trained run: at every checkpoint each layer's median is the median of its weights as the network holds them
    const { spec, rows } = trained({ shape: [1, 6, 5, 2], batches: 60, checkpoints: 3 });
    const bands = weightBands(spec.shape, rows);
    const Q = WEIGHT_QUANTILES.length;
    rows.forEach((row, k) =>
      bands.forEach((band) => {
        const weights = Array.from({ length: spec.shape[band.layer + 1] }, (_, j) => incomingOf(spec.shape, row, band.layer, j).weights).flat();
        expect(band.quantiles[k * Q + 3]).toBeCloseTo(median(weights), 15); // (a + b) / 2 against a + (b − a) / 2: the last bit may differ
        expect(band.quantiles[k * Q]).toBe(Math.min(...weights));
        expect(band.quantiles[k * Q + Q - 1]).toBe(Math.max(...weights));
      }),
    );
    // training moves them: the first layer's spread at the end is not its spread at init
    expect(bands[0].quantiles[(rows.length - 1) * Q + 5] - bands[0].quantiles[(rows.length - 1) * Q + 1]).not.toBe(bands[0].quantiles[5] - bands[0].quantiles[1]);
  });

  it('draws every weight of a small net, and only the largest |w| of a big one, saying how many it left out', () => {
    const small = edgesOf([1, 2, 1], [0.1, -0.2, 0.3, 0.4, 9, -0.5, 0.6]);
    expect(small.edges.map((e) => [e.layer, e.from, e.to, e.w])).toEqual([
      [0, 0, 0, -0.2],
      [0, 0, 1, 0.4],
      [1, 0, 0, -0.5],
      [1, 1, 0, 0.6],
    ]);
    expect(small.hidden).toBe(0);
    const shape = [1, 64, 64, 2];
    const n = 64 * 2 + 64 * 65 + 2 * 65;
    const flat = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * (i % 7));
    const big = edgesOf(shape, flat, 400);
    expect(big.edges).toHaveLength(400);
    expect(big.hidden).toBe(64 + 64 * 64 + 2 * 64 - 400);
    const drawn = new Set(big.edges.map((e) => e.w));
    // nothing left out is larger than the smallest drawn
    const biases = new Set([0, ...Array.from({ length: 64 }, (_, j) => 2 * j), ...Array.from({ length: 64 }, (_, j) => 128 + 65 * j), 128 + 64 * 65, 128 + 64 * 65 + 65]);
    for (let i = 0; i < n; i++) if (!biases.has(i) && !drawn.has(flat[i])) expect(Math.abs(flat[i])).toBeLessThanOrEqual(big.minShown);
  });
});

describe('analysis/network-view edgesOf and forwardAll, as fast as scrubbing needs', () => {
  /** The edges as edgesOf first chose them: every edge as an object, sorted by |w| then position. */
  function edgesNaive(shape: readonly number[], flat: ArrayLike<number>, maxEdges: number) {
    const all: { layer: number; from: number; to: number; w: number }[] = [];
    let o = 0;
    for (let l = 0; l + 1 < shape.length; l++) {
      const cols = shape[l] + 1;
      for (let j = 0; j < shape[l + 1]; j++) for (let k = 1; k < cols; k++) all.push({ layer: l, from: k - 1, to: j, w: flat[o + j * cols + k] });
      o += shape[l + 1] * cols;
    }
    if (all.length <= maxEdges) return all;
    return all
      .map((e, i) => ({ e, i }))
      .sort((a, b) => Math.abs(b.e.w) - Math.abs(a.e.w) || a.i - b.i)
      .slice(0, maxEdges)
      .sort((a, b) => a.i - b.i)
      .map((x) => x.e);
  }

  it('chooses the same edges as sorting every edge object did, ties and NaN included', () => {
    const shape = [1, 64, 64, 2];
    const n = 64 * 2 + 64 * 65 + 2 * 65;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    for (const make of [() => rand(), () => Math.round(rand() * 4) / 4, () => (rand() > 0.9 ? NaN : rand())]) {
      const flat = Float64Array.from({ length: n }, make);
      for (const max of [10, 400, 5000]) {
        const got = edgesOf(shape, flat, max);
        const want = edgesNaive(shape, flat, max);
        expect(got.edges).toEqual(want);
        expect(got.hidden).toBe(Math.max(0, 4288 - max));
      }
    }
  });

  it('gives the same forward for the same weights and view points, computed once', () => {
    const shape = [1, 8, 2];
    const flat = Float64Array.from({ length: 8 * 2 + 2 * 9 }, (_, i) => Math.sin(i));
    const view = viewPointsOf([[0, 1]])!;
    const a = forwardAll(shape, flat, 'relu', 'linear', view);
    expect(forwardAll(shape, flat, 'relu', 'linear', view)).toBe(a);
    // another net, other weights, other points: computed afresh
    const b = forwardAll(shape, flat, 'tanh', 'linear', view);
    expect(b).not.toBe(a);
    expect(b.outs[1]).not.toEqual(a.outs[1]);
    const other = Float64Array.from(flat);
    const c = forwardAll(shape, other, 'relu', 'linear', view);
    expect(c).not.toBe(a);
    expect(c).toEqual(a);
    expect(forwardAll(shape, flat, 'relu', 'linear', Float64Array.from(view))).toEqual(a);
  });
});
