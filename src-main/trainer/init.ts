/**
 * Initial weights. `normal` is the seed's: every weight, bias column included, ~ Normal(mean, eps).
 * `xavier` (Glorot) and `he` draw Normal(0, σ) with σ = sqrt(2 / (fanIn + fanOut)) and
 * sqrt(2 / fanIn), bias column zero. Draws go layer by layer in row-major order from the
 * init stream, so two specs with the same shape and initSeed start from the same draw.
 */
import type { FloatArray } from './activations';
import { createRng, STREAM } from './prng';
import type { Layout } from './network';
import { fromNested } from './network';
import type { RunSpec } from './spec';

export function initWeights(spec: RunSpec, layout: Layout, out: FloatArray): void {
  if (spec.initialWeights) {
    fromNested(layout, spec.initialWeights, out);
    return;
  }
  const rng = createRng(spec.initSeed, STREAM.init);
  const { shape } = layout;
  for (let l = 0; l < layout.layers; l++) {
    const fanIn = shape[l];
    const fanOut = shape[l + 1];
    const cols = fanIn + 1;
    const off = layout.weightOffsets[l];
    for (let j = 0; j < fanOut; j++) {
      for (let k = 0; k < cols; k++) {
        let w: number;
        if (spec.init === 'normal') w = rng.normal(spec.initMean, spec.eps);
        else {
          const std = spec.init === 'xavier' ? Math.sqrt(2 / (fanIn + fanOut)) : Math.sqrt(2 / fanIn);
          const v = rng.normal(0, std);
          w = k === 0 ? 0 : v; // draw anyway so the stream stays aligned across init kinds
        }
        out[off + j * cols + k] = w;
      }
    }
  }
}
