/** Backprop against central finite differences, for every activation and output mode. */
import { describe, expect, it } from 'vitest';
import { ACTIVATION_NAMES } from '../../src-main/trainer/activations';
import { arraySource } from '../../src-main/trainer/data';
import { createRng } from '../../src-main/trainer/prng';
import { DEFAULT_SPEC, type RunSpec } from '../../src-main/trainer/spec';
import { Trainer } from '../../src-main/trainer/trainer';

function makeTrainer(activation: RunSpec['activation'], outputActivation: RunSpec['outputActivation']): Trainer {
  const shape = [2, 5, 4, 3];
  const rows = 6;
  const rng = createRng(7);
  const inputs = Float64Array.from({ length: rows * 2 }, () => rng.uniform() * 2 - 1);
  const targets = Float64Array.from({ length: rows * 3 }, () => rng.uniform());
  const initialWeights = shape.slice(1).map((n, l) => Array.from({ length: n }, () => Array.from({ length: shape[l] + 1 }, () => rng.normal(0.05, 0.6))));
  const spec: RunSpec = { ...DEFAULT_SPEC, shape, activation, outputActivation, batchSize: rows, batches: 1, initialWeights, checkpoints: 0 };
  return new Trainer(spec, { source: arraySource(inputs, targets, 2, 3), timingEvery: 0 });
}

describe('trainer/trainer gradients', () => {
  for (const activation of ACTIVATION_NAMES) {
    for (const mode of ['seed', 'linear'] as const) {
      it(`match finite differences for ${activation} with ${mode} output`, () => {
        const t = makeTrainer(activation, mode);
        t.gradients(0);
        const analytic = Float64Array.from(t.grads.flat); // Σ over the batch of dCost/dW / 2 (cost = Σ err²)
        const w = t.params.flat;
        const h = 1e-6;
        let worst = 0;
        for (let i = 0; i < w.length; i++) {
          const w0 = w[i];
          w[i] = w0 + h;
          const up = t.gradients(0);
          w[i] = w0 - h;
          const down = t.gradients(0);
          w[i] = w0;
          const numeric = (up - down) / (2 * h) / 2; // d(Σ err²)/dW = 2·Σ d·out
          const err = Math.abs(numeric - analytic[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[i]));
          worst = Math.max(worst, err);
        }
        // relu/leaky relu kinks are avoided by the random draw; 1e-5 relative is round-off of the differences
        expect(worst).toBeLessThan(1e-5);
      });
    }
  }
});
