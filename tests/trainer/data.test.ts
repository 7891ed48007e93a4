/** Batch sources: explicit arrays fill the input activations (after the bias column) and the targets exactly. */
import { describe, expect, it } from 'vitest';
import { arraySource } from '../../src-main/trainer/data';
import { createActivations, createLayout } from '../../src-main/trainer/network';
import { createRng } from '../../src-main/trainer/prng';

describe('trainer/data arraySource', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype}: fills every batch row by row after a bias column of ones, narrow and wide inputs, batches in any order`, () => {
      for (const [nIn, nOut, rows] of [[1, 2, 32], [15, 3, 7], [16, 1, 5], [17, 4, 64], [784, 10, 64]]) {
        const batches = 3;
        const rng = createRng(nIn);
        const inputs = Float64Array.from({ length: batches * rows * nIn }, () => rng.normal(0, 1));
        const targets = Float64Array.from({ length: batches * rows * nOut }, () => rng.normal(0, 1));
        const acts = createActivations(createLayout([nIn, 5, nOut]), rows, dtype);
        const source = arraySource(inputs, targets, nIn, nOut);
        for (const b of [2, 0, 1, 2, 0]) {
          source.fill(b, acts);
          const x = acts.outs[0];
          const want = dtype === 'float32' ? Float32Array : Float64Array;
          for (let r = 0; r < rows; r++) {
            expect(x[r * (nIn + 1)], `bias of row ${r}`).toBe(1);
            const row = Array.from(x.subarray(r * (nIn + 1) + 1, (r + 1) * (nIn + 1)));
            expect(row, `(${nIn}, ${rows}) batch ${b} row ${r}`).toEqual(Array.from(want.from(inputs.subarray((b * rows + r) * nIn, (b * rows + r + 1) * nIn))));
          }
          expect(Array.from(acts.targets)).toEqual(Array.from(want.from(targets.subarray(b * rows * nOut, (b + 1) * rows * nOut))));
        }
      }
    });
  }
});
