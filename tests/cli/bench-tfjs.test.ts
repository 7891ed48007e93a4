/** The bench's tfjs peer: it computes the seed's algorithm (checked against nnlab) and frees its tensors. */
import { describe, expect, it } from 'vitest';
import { benchBatches } from '../../src-main/cli/bench-agent';
import { checkTfjs, loadTfjs, TfWorkload } from '../../src-main/cli/bench-tfjs';

const loaded = await loadTfjs();

describe.skipIf(typeof loaded === 'string')(`bench: tfjs peer${typeof loaded === 'string' ? ` (skipped: ${loaded})` : ''}`, () => {
  const { tf, backends } = loaded as Exclude<typeof loaded, string>;
  const workload = { name: 'small', shape: [3, 9, 5, 2], batch: 7 };

  it('loads the wasm backend from the package files', () => {
    expect(backends).toEqual(['wasm', 'cpu']);
  });

  for (const backend of ['wasm', 'cpu'] as const) {
    it(`${backend}: matches nnlab's first steps in both layouts, and is timed without leaking tensors`, async () => {
      await tf.setBackend(backend);
      await tf.ready();
      const b = benchBatches(workload);
      expect(checkTfjs(tf, b, 0.01)).toBeNull();
      expect(checkTfjs(tf, b, 0.01, 'flags')).toBeNull();
      const before = tf.memory().numTensors;
      const timed = new TfWorkload(tf, b, 0.01);
      expect(timed.measure(0.05)).toBeGreaterThan(0);
      timed.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('catches a peer that computes something else', async () => {
    await tf.setBackend('cpu');
    const b = benchBatches(workload);
    // relu' replaced by 1: the forward pass and first cost agree, the updates do not
    const wrongDerivative = { ...tf, step: (x: Parameters<typeof tf.step>[0]) => tf.onesLike(x) } as typeof tf;
    expect(checkTfjs(wrongDerivative, b, 0.01)).toMatch(/cost of step 2|weight/);
    // the weights' rows read the wrong way round: the very first cost differs
    const wrongForward = { ...tf, matMul: ((a, w, ta, tb) => tf.matMul(a, w, ta, tb).reverse(1)) as typeof tf.matMul } as typeof tf;
    expect(checkTfjs(wrongForward, b, 0.01)).toMatch(/cost of step 1/);
  });
});
