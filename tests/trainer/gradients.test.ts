/**
 * Backprop against central finite differences: for every activation and output mode under the
 * seed's sse, for every loss with every output layer it takes, and with the l1/l2 regularisers.
 * What is checked is the batch-mean gradient the optimizer steps along (G / rows after the
 * regularisers' term), against gradientScale × d/dW (cost / rows + penalty).
 */
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES, type OutputMode } from '../../src-main/trainer/activations';
import { arraySource } from '../../src-main/trainer/data';
import type { LossName } from '../../src-main/trainer/losses';
import { createRng } from '../../src-main/trainer/prng';
import { DEFAULT_SPEC, type RunSpec } from '../../src-main/trainer/spec';
import { Trainer } from '../../src-main/trainer/trainer';

interface Case {
  activation: RunSpec['activation'];
  outputActivation: OutputMode;
  loss?: LossName;
  l1?: number;
  l2?: number;
}

function makeTrainer(c: Case): Trainer {
  const shape = [2, 5, 4, 3];
  const rows = 6;
  const rng = createRng(7);
  const inputs = Float64Array.from({ length: rows * 2 }, () => rng.uniform() * 2 - 1);
  // cross-entropy with softmax takes one class per row; everything else any targets in [0, 1]
  const oneHot = c.loss === 'cross-entropy' && c.outputActivation === 'softmax';
  const targets = oneHot ? Float64Array.from({ length: rows * 3 }, (_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0)) : Float64Array.from({ length: rows * 3 }, () => rng.uniform());
  const initialWeights = shape.slice(1).map((n, l) => Array.from({ length: n }, () => Array.from({ length: shape[l] + 1 }, () => rng.normal(0.05, 0.6))));
  const spec: RunSpec = { ...DEFAULT_SPEC, shape, activation: c.activation, outputActivation: c.outputActivation, loss: c.loss ?? 'sse', l1: c.l1 ?? 0, l2: c.l2 ?? 0, batchSize: rows, batches: 1, initialWeights, checkpoints: 0 };
  return new Trainer(spec, { source: arraySource(inputs, targets, 2, 3), timingEvery: 0 });
}

/** Largest relative difference between the trainer's batch-mean gradient and finite differences of its objective. */
function worstDifference(c: Case): number {
  const t = makeTrainer(c);
  const rows = 6;
  const objective = () => t.gradients(0) / rows + t.penalty();
  t.gradients(0);
  t.addPenaltyGradient();
  const analytic = Float64Array.from(t.grads.flat, (g) => g / rows);
  const w = t.params.flat;
  const h = 1e-6;
  let worst = 0;
  for (let i = 0; i < w.length; i++) {
    const w0 = w[i];
    w[i] = w0 + h;
    const up = objective();
    w[i] = w0 - h;
    const down = objective();
    w[i] = w0;
    const numeric = (t.loss.gradientScale * (up - down)) / (2 * h);
    const err = Math.abs(numeric - analytic[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[i]));
    worst = Math.max(worst, err);
  }
  return worst;
}

describe('trainer/trainer gradients', () => {
  for (const activation of ACTIVATION_NAMES) {
    for (const mode of ['seed', 'linear', 'sigmoid', 'softmax'] as const) {
      it(`match finite differences for ${activation} with ${mode} output under sse`, () => {
        // relu/leaky relu kinks are avoided by the random draw; 1e-5 relative is round-off of the differences
        expect(worstDifference({ activation, outputActivation: mode })).toBeLessThan(1e-5);
      });
    }
    for (const mode of ['sigmoid', 'softmax'] as const) {
      it(`match finite differences for ${activation} with ${mode} output under cross-entropy`, () => {
        expect(worstDifference({ activation, outputActivation: mode, loss: 'cross-entropy' })).toBeLessThan(1e-5);
      });
    }
  }

  for (const loss of ['sse', 'cross-entropy'] as const) {
    for (const reg of [{ l2: 0.3 }, { l1: 0.05 }, { l1: 0.02, l2: 0.1 }]) {
      it(`match finite differences of loss + penalty with ${JSON.stringify(reg)} under ${loss}`, () => {
        expect(worstDifference({ activation: 'tanh', outputActivation: loss === 'sse' ? 'linear' : 'softmax', loss, ...reg })).toBeLessThan(1e-5);
      });
    }
  }

  it('leave the bias column out of the regularisers', () => {
    const t = makeTrainer({ activation: 'tanh', outputActivation: 'linear', l1: 0.5, l2: 0.5 });
    t.gradients(0);
    const before = Float64Array.from(t.grads.flat);
    t.addPenaltyGradient();
    const cols = [3, 6, 5]; // inputs + 1 of each layer
    let offset = 0;
    for (let l = 0; l < 3; l++) {
      const units = [5, 4, 3][l];
      for (let j = 0; j < units; j++) {
        const at = offset + j * cols[l];
        expect(t.grads.flat[at]).toBe(before[at]);
        expect(t.grads.flat[at + 1]).not.toBe(before[at + 1]);
      }
      offset += units * cols[l];
    }
  });
});
