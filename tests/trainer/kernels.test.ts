import { describe, expect, it } from 'vitest';
import { blockedKernels, naiveKernels } from '../../src-main/trainer/kernels';
import { createRng } from '../../src-main/trainer/prng';

function random(n: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n }, () => rng.normal(0, 1));
}

describe('trainer/kernels', () => {
  const sizes = [1, 3, 4, 5, 17];
  it('blocked kernels agree with the naive reference bit for bit on odd sizes', () => {
    for (const B of sizes) for (const nIn of sizes) for (const nOut of sizes) {
      const nIn1 = nIn + 1;
      const prev = random(B * nIn1, 1), W = random(nOut * nIn1, 2), d = random(B * nOut, 3);
      const a = new Float64Array(B * nOut), b = new Float64Array(B * nOut);
      naiveKernels.forward(a, prev, W, B, nIn1, nOut);
      blockedKernels.forward(b, prev, W, B, nIn1, nOut);
      expect(b).toEqual(a);
      const da = new Float64Array(B * nIn), db = new Float64Array(B * nIn).fill(7);
      naiveKernels.backwardData(da, d, W, B, nIn, nOut);
      blockedKernels.backwardData(db, d, W, B, nIn, nOut);
      expect(db).toEqual(da);
      const ga = new Float64Array(nOut * nIn1), gb = new Float64Array(nOut * nIn1).fill(7);
      naiveKernels.weightGrad(ga, d, prev, B, nIn1, nOut);
      blockedKernels.weightGrad(gb, d, prev, B, nIn1, nOut);
      expect(gb).toEqual(ga);
    }
  });
});
