/**
 * Momentum and Adam checked against two independent implementations: the project's numpy
 * reference (tests/reference/nn_reference.py, PyTorch's documented update rules on the seed's
 * batch-mean gradient) at 1e-10 in float64, and tfjs's own optimizers (tf.train.momentum,
 * tf.train.adam) on tfjs's autodiff gradient of the same network, at float32's precision. Both
 * fail when Adam's bias correction is dropped or momentum is written as an average
 * (v = μv + (1 − μ)g): see the closing note of issue 10 for the mutation run.
 */
import { describe, expect, it } from 'vitest';
import type * as TF from '@tensorflow/tfjs';
import { loadTfjs } from '../../src-main/cli/bench-tfjs';
import { createRng } from '../../src-main/trainer/prng';
import { parseReplaySpec, replay, type ReplaySpecInput } from '../../src-main/trainer/replay';
import { oracleSkipNote, randomOracleSpec, runReferenceAll, worstViolation } from '../helpers/oracle';

const skip = oracleSkipNote();

type Opt = Pick<ReplaySpecInput, 'optimizer' | 'momentum' | 'beta1' | 'beta2' | 'adamEpsilon'>;

/** Optimizer settings, defaults and others (a swapped beta1/beta2 or a lost epsilon shows at the others). */
const SETTINGS: Opt[] = [
  { optimizer: 'momentum' },
  { optimizer: 'momentum', momentum: 0.5 },
  { optimizer: 'adam' },
  { optimizer: 'adam', beta1: 0.8, beta2: 0.95, adamEpsilon: 1e-4 },
];

describe('trainer optimizers against the numpy reference (PyTorch’s rules)', () => {
  it.skipIf(skip !== null)(`momentum and Adam match at 1e-10 over random networks, activations and settings${skip ? ` (skipped: ${skip})` : ''}`, () => {
    const specs: ReplaySpecInput[] = [];
    let seed = 500;
    for (const opt of SETTINGS) {
      for (const activation of ['relu', 'sigmoid', 'tanh'] as const) {
        const s = randomOracleSpec(seed++, { activation, initMean: 'zero' });
        // Adam's steps are lr-sized whatever the gradient: keep them small enough not to diverge
        specs.push({ ...s, ...opt, learningRate: opt.optimizer === 'adam' ? 0.01 : s.learningRate * 0.5 });
      }
    }
    // and once with a regulariser and a linear output (the penalty's gradient goes through the optimizer too)
    specs.push({ ...randomOracleSpec(seed++, { activation: 'tanh', initMean: 'zero', outputActivation: 'linear', l2: 0.01 }), optimizer: 'adam', learningRate: 0.01 });
    const ours = specs.map((s) => replay(parseReplaySpec(s)));
    const theirs = runReferenceAll(specs);
    specs.forEach((s, i) => {
      expect(ours[i].costHistory.length, `spec ${i}`).toBe(s.inputs.length);
      expect(worstViolation(theirs[i], ours[i], 1e-10, 1e-12), `spec ${i}: ${JSON.stringify({ ...s, initialWeights: undefined, inputs: undefined, targets: undefined })}`).toBeNull();
    });
    // the optimizers really ran: each differs from plain SGD on the same batches
    const sgd = replay(parseReplaySpec({ ...specs[0], optimizer: 'sgd' }));
    expect(worstViolation(sgd.finalWeights, ours[0].finalWeights, 1e-6, 1e-9)).not.toBeNull();
  });

  it('takes a step by hand: momentum accumulates the gradient, Adam’s first step is lr · sign(g)', () => {
    // a [1, 1] linear net fed input 0, so only the bias weight w moves: output w, target 1, the
    // batch-mean gradient of the seed's rule g = w − 1 (−1 at the start)
    const spec = (opt: Opt, batches: number) => ({
      shape: [1, 1],
      activation: 'linear' as const,
      learningRate: 0.1,
      initialWeights: [[[0, 0]]],
      inputs: Array.from({ length: batches }, () => [[0]]),
      targets: Array.from({ length: batches }, () => [[1]]),
      ...opt,
    });
    // momentum 0.5, lr 0.1: b₁ = g₁ = −1, w₁ = 0.1; g₂ = −0.9, b₂ = 0.5 · (−1) − 0.9 = −1.4, w₂ = 0.24
    // (as an average, b₂ = 0.5 · (−0.5) + 0.5 · (−0.9): another number)
    const m = replay(parseReplaySpec(spec({ optimizer: 'momentum', momentum: 0.5 }, 2)));
    expect(m.finalWeights[0][0][0]).toBeCloseTo(0.1 + 0.1 * (0.5 * 1 + 0.9), 12);
    // Adam, t = 1: m̂ = g, v̂ = g², so the step is lr · g / (|g| + ε): the bias correction makes the
    // first step lr (without it, m / √v = 0.1 g / (0.0316 |g|): 3.16 × lr)
    const a = replay(parseReplaySpec(spec({ optimizer: 'adam' }, 1)));
    expect(a.finalWeights[0][0][0]).toBeCloseTo(0.1 / (1 + 1e-8), 12);
  });
});

/** tfjs in float32 on its own autodiff: the same network, loss Σerr² / (2 · batch) so its gradient is the seed's batch-mean one. */
async function tfjsFinalWeights(tf: typeof TF, s: ReplaySpecInput): Promise<number[][][]> {
  const act = (z: TF.Tensor2D) => (s.activation === 'sigmoid' ? tf.sigmoid(z) : s.activation === 'tanh' ? tf.tanh(z) : z);
  const W = s.initialWeights.map((w) => tf.variable(tf.tensor2d(w)));
  const opt =
    s.optimizer === 'momentum'
      ? tf.train.momentum(s.learningRate, s.momentum ?? 0.9)
      : tf.train.adam(s.learningRate, s.beta1 ?? 0.9, s.beta2 ?? 0.999, s.adamEpsilon ?? 1e-8);
  for (let b = 0; b < s.inputs.length; b++) {
    const x = tf.tensor2d(s.inputs[b]);
    const y = tf.tensor2d(s.targets[b]);
    opt.minimize(() => {
      let out: TF.Tensor2D = x;
      W.forEach((w) => {
        const withBias = tf.concat([tf.ones([out.shape[0], 1]), out], 1) as TF.Tensor2D;
        // the seed's output mode: the output layer has the hidden activation too
        out = act(tf.matMul(withBias, w, false, true));
      });
      return tf.div(tf.sum(tf.square(tf.sub(out, y))), 2 * s.inputs[b].length) as TF.Scalar;
    });
    x.dispose();
    y.dispose();
  }
  const out = await Promise.all(W.map((w) => w.array()));
  W.forEach((w) => w.dispose());
  opt.dispose();
  return out as number[][][];
}

const loaded = await loadTfjs();

describe.skipIf(typeof loaded === 'string')(`trainer optimizers against tfjs’s${typeof loaded === 'string' ? ` (skipped: ${loaded})` : ''}`, () => {
  it('tf.train.momentum and tf.train.adam end where nnlab ends, to float32’s precision', async () => {
    const { tf } = loaded as Exclude<typeof loaded, string>;
    await tf.setBackend('cpu');
    await tf.ready();
    const rng = createRng(7, 7);
    for (const opt of SETTINGS) {
      for (const activation of ['sigmoid', 'tanh'] as const) {
        // a small net, 20 batches of 8, weights and data drawn here
        const shape = [2, 6, 2];
        const initialWeights = shape.slice(1).map((n, l) => Array.from({ length: n }, () => Array.from({ length: shape[l] + 1 }, () => rng.normal(0, 0.5))));
        const inputs = Array.from({ length: 20 }, () => Array.from({ length: 8 }, () => [rng.uniform(), rng.uniform()]));
        const targets = inputs.map((b) => b.map(([u, v]) => [0.5 + 0.3 * Math.sin(3 * u), 0.5 + 0.3 * Math.cos(2 * v)]));
        const s: ReplaySpecInput = { shape, activation, learningRate: opt.optimizer === 'adam' ? 0.05 : 0.5, initialWeights, inputs, targets, ...opt };
        const ours = replay(parseReplaySpec(s)).finalWeights;
        const theirs = await tfjsFinalWeights(tf, s);
        const moved = worstViolation(initialWeights, ours, 1e-3, 1e-3);
        expect(moved, `${opt.optimizer} ${activation}: the weights moved`).not.toBeNull();
        expect(worstViolation(theirs, ours, 2e-4, 2e-5), `${JSON.stringify(opt)} ${activation}`).toBeNull();
      }
    }
  });
});
