/**
 * Threads for one big run: the kernels split over worker_threads on a shared memory give the
 * same bits as one thread — every product, every block shape, whole training runs — and the
 * default thread count follows the cores the running trainers leave free.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { FloatArray } from '../../src-main/trainer/activations';
import type { LayerKernels } from '../../src-main/trainer/kernels';
import type { BackendFactory, Dtype } from '../../src-main/trainer/network';
import { createRng } from '../../src-main/trainer/prng';
import { parseRunSpec, type RunSpec } from '../../src-main/trainer/spec';
import { Trainer } from '../../src-main/trainer/trainer';
import { backendFor } from '../../src-main/trainer/backends';
import { type KernelThreads, wasmBackend, wasmFmaBackend, wasmThreadedBackend } from '../../src-main/trainer/wasm';
import { enableRelaxedSimd } from '../../src-main/wasm-features';
import { closeKernelThreads, kernelThreads } from '../../src-main/worker/kernel-threads';
import { defaultThreads } from '../../src-main/lab/threads';
import { wasmFmaSkipNote, wasmThreadsSkipNote } from '../helpers/wasm';

enableRelaxedSimd();
// say why a part is skipped, and fail under CI=true where it should run (tests/helpers/ci.ts)
const noThreads = wasmThreadsSkipNote();
const noFma = wasmFmaSkipNote();

afterAll(() => closeKernelThreads());

/** The three products and an SGD step on random data, in one backend's memory: all outputs, copied out. */
function products(backend: BackendFactory, dtype: Dtype, B: number, nIn: number, nOut: number): Float64Array[] {
  const nIn1 = nIn + 1;
  const lengths = [B * nIn1, nOut * nIn1, B * nOut, B * nOut, B * nIn, nOut * nIn1, nOut * nIn1];
  const { kernels, allocator } = backend(dtype, lengths.reduce((s, n) => s + n, 0), lengths.length);
  const [prev, W, d, pre, dPrev, G, w] = lengths.map((n) => allocator(dtype, n));
  const rng = createRng(B * 1000 + nIn * 10 + nOut);
  for (const a of [prev, W, d, w]) for (let i = 0; i < a.length; i++) a[i] = rng.normal(0, 1);
  pre.fill(NaN);
  dPrev.fill(NaN);
  G.fill(NaN);
  const k: LayerKernels = kernels;
  k.forward(pre, prev, W, B, nIn1, nOut);
  k.backwardData(dPrev, d, W, B, nIn, nOut);
  k.weightGrad(G, d, prev, B, nIn1, nOut);
  k.sgd!(w, G, w.length, 0.1, B);
  return [pre, dPrev, G, w].map((a: FloatArray) => Float64Array.from(a));
}

/** Index of the first element whose bits differ (Object.is: NaN equals NaN, 0 differs from −0), or −1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

describe.skipIf(noThreads !== null)(`worker/kernel-threads${noThreads ? ` (skipped: ${noThreads})` : ''}`, () => {
  const two = kernelThreads(2)!;
  const three = kernelThreads(3)!;

  it('gives one helper for two threads and none for one', () => {
    expect(two.helpers).toBe(1);
    expect(three.helpers).toBe(2);
    expect(kernelThreads(1)).toBeNull();
  });

  // Blocks by columns (wide outputs), by rows (narrow ones), narrow inputs (weightGrad stored
  // transposed; forward's packed panels for a 1-D input), odd sizes and tile remainders.
  const SHAPES: [number, number, number][] = [
    [64, 784, 128],
    [128, 64, 256],
    [37, 130, 17],
    [33, 1, 64],
    [64, 3, 63],
    [9, 257, 10],
    [128, 256, 10],
    [5, 2, 3000],
  ];
  const cases: [string, Dtype, boolean][] = [
    ['float64', 'float64', false],
    ['float32', 'float32', false],
    ['float64 fma', 'float64', true],
    ['float32 fma', 'float32', true],
  ];
  for (const [label, dtype, fma] of cases) {
    it.skipIf(fma && noFma !== null)(`${label}${fma && noFma ? ` (skipped: ${noFma})` : ''}: every product and the SGD step, split into blocks on 2 and 3 threads, are the same bits as on one`, () => {
      for (const [B, nIn, nOut] of SHAPES) {
        const one = products(fma ? wasmFmaBackend : wasmBackend, dtype, B, nIn, nOut);
        for (const threads of [two, three] as KernelThreads[]) {
          // minMacs 0: every product is split, however small
          const split = products(wasmThreadedBackend(threads, fma, { minMacs: 0, minWeights: 0 }), dtype, B, nIn, nOut);
          ['forward', 'backwardData', 'weightGrad', 'sgd'].forEach((name, i) => {
            expect(firstDifference(one[i], split[i]), `${name} (${B}, ${nIn}, ${nOut}) on ${threads.helpers + 1} threads`).toBe(-1);
          });
        }
      }
    });
  }

  function run(spec: RunSpec, backend: BackendFactory): Trainer {
    const t = new Trainer(spec, { backend });
    t.run(spec.batches);
    return t;
  }

  it('trains whole runs bit for bit as one thread: the wide and mnist shapes, float64 and float32, every optimizer', () => {
    const specs = [
      parseRunSpec({ shape: [1, 16, 2], batches: 50 }),
      { ...parseRunSpec({ batches: 6, batchSize: 128, learningRate: 0.01 }), shape: [64, 256, 256, 10] },
      { ...parseRunSpec({ batches: 6, batchSize: 64, learningRate: 0.01, optimizer: 'adam' }), shape: [784, 128, 10] },
      { ...parseRunSpec({ batches: 6, batchSize: 50, learningRate: 0.01, dtype: 'float32', optimizer: 'momentum' }), shape: [784, 128, 10] },
    ] as RunSpec[];
    for (const spec of specs) {
      const a = run(spec, backendFor('auto'));
      const b = run(spec, backendFor('auto', two));
      const label = `${spec.shape.join(',')} ${spec.dtype} ${spec.optimizer}`;
      expect(b.kernels.name, label).toBe(a.kernels.name);
      expect(firstDifference(a.costHistory, b.costHistory), `${label}: cost history`).toBe(-1);
      expect(firstDifference(Float64Array.from(a.params.flat), Float64Array.from(b.params.flat)), `${label}: weights`).toBe(-1);
    }
  });

  it('keeps several runs apart on the same helpers (each run its own memory)', () => {
    const spec = { ...parseRunSpec({ batches: 4, batchSize: 64, learningRate: 0.01 }), shape: [784, 128, 10] } as RunSpec;
    const backend = backendFor('wasm', two);
    const x = new Trainer(spec, { backend });
    const y = new Trainer({ ...spec, initSeed: 2 }, { backend });
    const ref = run({ ...spec, initSeed: 2 }, backendFor('wasm'));
    for (let i = 0; i < spec.batches; i++) {
      x.step();
      y.step();
    }
    expect(firstDifference(ref.costHistory, y.costHistory)).toBe(-1);
  });
});

describe('lab/threads defaultThreads', () => {
  it('gives each running trainer an equal share of the cores, counting its own thread, at least 1', () => {
    expect(defaultThreads(1, 2)).toBe(2);
    expect(defaultThreads(2, 2)).toBe(1);
    expect(defaultThreads(3, 2)).toBe(1);
    expect(defaultThreads(1, 1)).toBe(1);
    expect(defaultThreads(2, 8)).toBe(4);
    expect(defaultThreads(0, 4)).toBe(4);
  });
});
