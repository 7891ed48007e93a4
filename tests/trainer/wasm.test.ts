import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, type FloatArray } from '../../src-main/trainer/activations';
import { naiveKernels } from '../../src-main/trainer/kernels';
import { type Dtype, jsBackend } from '../../src-main/trainer/network';
import { createRng } from '../../src-main/trainer/prng';
import { parseRunSpec, type RunSpec } from '../../src-main/trainer/spec';
import { Trainer } from '../../src-main/trainer/trainer';
import { backendFor } from '../../src-main/trainer/backends';
import { decodeBase64, wasmBackend, wasmFmaBackend } from '../../src-main/trainer/wasm';
import { enableRelaxedSimd } from '../../src-main/wasm-features';
import { wasmFmaSkipNote, wasmSkipNote } from '../helpers/wasm';

// as the CLI and trainer processes do, before anything compiles a kernel module
enableRelaxedSimd();
const noWasm = wasmSkipNote();
const noFma = wasmFmaSkipNote();

const SIZES = [1, 3, 5, 17, 63];

function fillRandom(a: FloatArray, seed: number): void {
  const rng = createRng(seed);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal(0, 1);
}

/** float64: |a − b| ≤ 1e-12·(1 + |a|); float32: ≤ 1e-4·(1 + |a|). Returns the first offender. */
function mismatch(ref: ArrayLike<number>, got: ArrayLike<number>, n: number, tol: number): string | null {
  for (let i = 0; i < n; i++) {
    const a = ref[i];
    const b = got[i];
    if (!(Math.abs(a - b) <= tol * (1 + Math.abs(a)))) return `[${i}] expected ${a}, got ${b}`;
  }
  return null;
}

/**
 * Views of one wasm backend's memory, each starting shift + 1 elements into a 16-byte aligned
 * array (so shifts 0 … lanes − 1 give every alignment an element can have), with sentinel-filled
 * guard elements either side.
 */
function arena(dtype: Dtype, lengths: number[], shift: number, backend = wasmBackend) {
  const arrays = lengths.length;
  const elements = lengths.reduce((s, n) => s + n + shift + 2, 0);
  const { kernels, allocator } = backend(dtype, elements, arrays);
  const views = lengths.map((n) => {
    const whole = allocator(dtype, n + shift + 2);
    whole.fill(-12345);
    return { whole, view: whole.subarray(shift + 1, shift + 1 + n) };
  });
  return { kernels, views };
}

function checkGuards(whole: FloatArray, view: FloatArray, label: string): void {
  const start = view.byteOffset / view.BYTES_PER_ELEMENT - whole.byteOffset / whole.BYTES_PER_ELEMENT;
  for (let i = 0; i < start; i++) expect(whole[i], `${label}: guard before`).toBe(-12345);
  for (let i = start + view.length; i < whole.length; i++) expect(whole[i], `${label}: guard after`).toBe(-12345);
}

function checkKernels(dtype: Dtype, B: number, nIn: number, nOut: number, shift: number, fma = false): void {
  const tol = dtype === 'float64' ? 1e-12 : 1e-4;
  const nIn1 = nIn + 1;
  const { kernels, views } = arena(dtype, [B * nIn1, nOut * nIn1, B * nOut, B * nOut, B * nIn, nOut * nIn1], shift, fma ? wasmFmaBackend : wasmBackend);
  const [prev, W, d, pre, dPrev, G] = views.map((v) => v.view);
  fillRandom(prev, 1 + B);
  fillRandom(W, 2 + nIn);
  fillRandom(d, 3 + nOut);
  const label = `${dtype} B=${B} nIn=${nIn} nOut=${nOut} shift=${shift}`;
  expect(kernels.name).toBe(`wasm-${fma ? 'fma' : 'simd'}-${dtype === 'float64' ? 'f64' : 'f32'}`);

  const refPre = new Float64Array(B * nOut);
  naiveKernels.forward(refPre, prev, W, B, nIn1, nOut);
  pre.fill(7);
  kernels.forward(pre, prev, W, B, nIn1, nOut);
  expect(mismatch(refPre, pre, B * nOut, tol), `${label} forward`).toBeNull();

  const refDPrev = new Float64Array(B * nIn);
  naiveKernels.backwardData(refDPrev, d, W, B, nIn, nOut);
  dPrev.fill(7);
  kernels.backwardData(dPrev, d, W, B, nIn, nOut);
  expect(mismatch(refDPrev, dPrev, B * nIn, tol), `${label} backwardData`).toBeNull();

  const refG = new Float64Array(nOut * nIn1);
  naiveKernels.weightGrad(refG, d, prev, B, nIn1, nOut);
  G.fill(7);
  kernels.weightGrad(G, d, prev, B, nIn1, nOut);
  expect(mismatch(refG, G, nOut * nIn1, tol), `${label} weightGrad`).toBeNull();

  views.forEach((v, i) => checkGuards(v.whole, v.view, `${label} array ${i}`));
}

/** A run with the wasm kernels against the JS reference: |a − b| ≤ 1e-10·|a| + 1e-12 (the issue's float64 bound). */
function compareRuns(spec: RunSpec, backend = wasmBackend, kernel = 'wasm-simd-f64'): void {
  const jsTrainer = new Trainer(spec, { backend: jsBackend });
  expect(jsTrainer.run(spec.batches)).toBe(spec.batches);
  const wasmTrainer = new Trainer(spec, { backend });
  wasmTrainer.run(spec.batches);
  const a = jsTrainer.result();
  const b = wasmTrainer.result();
  expect(b.kernel).toBe(kernel);
  expect(b.batchesRun).toBe(a.batchesRun);
  expect(b.status).toBe(a.status);
  const within = (x: number, y: number) => Math.abs(x - y) <= 1e-10 * Math.abs(x) + 1e-12;
  for (let i = 0; i < a.costHistory.length; i++) {
    if (!within(a.costHistory[i], b.costHistory[i])) expect.fail(`cost of batch ${i}: js ${a.costHistory[i]}, ${kernel} ${b.costHistory[i]}`);
  }
  for (let i = 0; i < a.finalWeights.length; i++) {
    if (!within(a.finalWeights[i], b.finalWeights[i])) expect.fail(`final weight ${i}: js ${a.finalWeights[i]}, ${kernel} ${b.finalWeights[i]}`);
  }
}

describe.skipIf(noWasm !== null)(`trainer/wasm${noWasm ? ` (skipped: ${noWasm})` : ''}`, () => {
  it('decodes base64 like the standard decoder', () => {
    const rng = createRng(9);
    for (const n of [0, 1, 2, 3, 4, 5, 100]) {
      const raw = Uint8Array.from({ length: n }, () => Math.floor(rng.uniform() * 256));
      const text = Buffer.from(raw).toString('base64');
      expect(decodeBase64(text)).toEqual(raw);
      expect(decodeBase64(text.replace(/=+$/, ''))).toEqual(raw);
    }
    expect(() => decodeBase64('ab$d')).toThrow(/invalid base64/);
  });

  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype} kernels match the naive reference on odd sizes`, () => {
      for (const B of SIZES) for (const nIn of SIZES) for (const nOut of SIZES) checkKernels(dtype, B, nIn, nOut, 0);
    });

    it(`${dtype} kernels work on views at every offset from a 16-byte boundary`, () => {
      const lanes = dtype === 'float64' ? 2 : 4;
      for (let shift = 0; shift < lanes; shift++) {
        for (const [B, nIn, nOut] of [[1, 1, 1], [3, 5, 17], [17, 63, 5], [63, 17, 3], [5, 3, 63], [8, 16, 8]]) checkKernels(dtype, B, nIn, nOut, shift);
      }
    });
  }

  it('packs the weights of a narrow input layer in panels when they exceed the scratch area', () => {
    // forward packs Wᵀ when nIn + 1 is under two vectors; 64 KiB of scratch holds ~2700 units of 3 inputs (f64)
    checkKernels('float64', 5, 2, 3000, 1);
    checkKernels('float32', 5, 6, 2500, 1);
  });

  it('copies panels of wide matrices to the scratch area', () => {
    // splatForm copies a panel when ≥ 16 rows reuse it and its rows are ≥ 1 KiB apart
    for (const shift of [0, 1]) {
      checkKernels('float64', 17, 130, 17, shift);
      checkKernels('float32', 19, 261, 33, shift);
    }
  });

  it('uses views of one memory, 16-byte aligned, and refuses to overflow it', () => {
    const { allocator } = wasmBackend('float64', 10, 3);
    const a = allocator('float64', 3);
    const b = allocator('float64', 0);
    const c = allocator('float64', 7);
    expect(a.buffer).toBe(c.buffer);
    for (const v of [a, b, c]) expect(v.byteOffset % 16).toBe(0);
    expect(c.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 24);
    const f32 = wasmBackend('float32', 5, 1);
    expect(f32.allocator('float32', 5)).toBeInstanceOf(Float32Array);
    expect(() => f32.allocator('float32', 1 << 20)).toThrow(RangeError);
  });

  it('falls back to the JS kernels for arrays outside its memory and checks sizes', () => {
    const { kernels, allocator } = wasmBackend('float64', 100, 3);
    const prev = Float64Array.from([1, 2, 3, 1, 4, 5]);
    const W = Float64Array.from([0.5, 1, -1]);
    const pre = new Float64Array(2);
    kernels.forward(pre, prev, W, 2, 3, 1);
    expect(Array.from(pre)).toEqual([-0.5, -0.5]);
    const wPrev = allocator('float64', 6);
    const wW = allocator('float64', 3);
    const wPre = allocator('float64', 1);
    wPrev.set(prev);
    wW.set(W);
    expect(() => kernels.forward(wPre, wPrev, wW, 2, 3, 1)).toThrow(RangeError);
  });

  /** Random values with zeros, −0, NaN and ±∞ sprinkled in (the cases where relu's forms could differ). */
  function fillSpecial(a: FloatArray, seed: number): void {
    fillRandom(a, seed);
    const special = [0, -0, NaN, Infinity, -Infinity, 1e-310, -1e-310];
    for (let i = 0; i < a.length; i += 7) a[i] = special[(i / 7) % special.length];
  }

  /** Same values, and the same sign of zero (toEqual treats 0 and −0 as equal in typed arrays? be explicit). */
  function sameBits(ref: FloatArray, got: FloatArray, label: string): void {
    for (let i = 0; i < ref.length; i++) {
      if (!Object.is(ref[i], got[i])) expect.fail(`${label} [${i}]: expected ${Object.is(ref[i], -0) ? '-0' : ref[i]}, got ${Object.is(got[i], -0) ? '-0' : got[i]}`);
    }
  }

  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype} activation passes and the SGD step give the JS table's bits on odd sizes and unaligned views`, () => {
      const lanes = dtype === 'float64' ? 2 : 4;
      const make = (n: number) => (dtype === 'float64' ? new Float64Array(n) : new Float32Array(n));
      for (const name of ['relu', 'leakyRelu', 'linear'] as const) {
        for (let shift = 0; shift < lanes; shift++) {
          for (const [rows, cols] of [[1, 1], [3, 5], [17, 3], [5, 63], [63, 17], [4, 8]]) {
            for (const [stride, offset] of [[cols + 1, 1], [cols, 0], [cols + 3, 2]]) {
              const label = `${dtype} ${name} rows=${rows} cols=${cols} stride=${stride} offset=${offset} shift=${shift}`;
              const n = rows * cols;
              const outLen = (rows - 1) * stride + offset + cols;
              const { kernels, views } = arena(dtype, [n, outLen, n], shift);
              const [pre, out, delta] = views.map((v) => v.view);
              const act = kernels.activations?.[name];
              expect(act, `${label}: the wasm backend has this activation`).toBeDefined();
              fillSpecial(pre, rows * 31 + cols);
              fillSpecial(delta, rows + cols * 13);
              out.fill(9);
              const refOut = make(outLen).fill(9);
              const refDelta = make(n);
              refDelta.set(delta);
              ACTIVATIONS[name].forward(pre, refOut, rows, cols, stride, offset);
              act!.forward(pre, out, rows, cols, stride, offset);
              sameBits(refOut, out, `${label} forward`);
              ACTIVATIONS[name].backward(pre, refDelta, n);
              act!.backward(pre, delta, n);
              sameBits(refDelta, delta, `${label} backward`);
              views.forEach((v, i) => checkGuards(v.whole, v.view, `${label} array ${i}`));
            }
          }
        }
      }
      for (let shift = 0; shift < lanes; shift++) {
        // batch sizes that are powers of two take a multiply instead of the division: same bits
        for (const n of [1, 3, 5, 17, 63, 64]) for (const rows of [33, 1, 2, 64, 128, 2 ** 20, 3, 1000]) {
          const { kernels, views } = arena(dtype, [n, n], shift);
          const [w, g] = views.map((v) => v.view);
          fillRandom(w, n);
          fillSpecial(g, n + 1);
          const ref = make(n);
          ref.set(w);
          for (let i = 0; i < n; i++) ref[i] -= (0.37 * g[i]) / rows;
          kernels.sgd!(w, g, n, 0.37, rows);
          sameBits(ref, w, `${dtype} sgd n=${n} rows=${rows} shift=${shift}`);
          views.forEach((v, i) => checkGuards(v.whole, v.view, `${dtype} sgd n=${n} array ${i}`));
        }
      }
    });
  }

  it('trains leaky relu and linear-output networks with the same bits as the JS activations', () => {
    // the products are the same wasm kernels in both runs; only where the activations run differs
    for (const dtype of ['float64', 'float32'] as const) {
      for (const over of [{ activation: 'leakyRelu' }, { outputActivation: 'linear' }, {}]) {
        const spec = parseRunSpec({ shape: [1, 17, 5, 2], batches: 40, batchSize: 7, dtype, ...over });
        const a = new Trainer(spec, { backend: wasmBackend });
        const plain: typeof wasmBackend = (dt, el, ar) => {
          const be = wasmBackend(dt, el, ar);
          return { allocator: be.allocator, kernels: { ...be.kernels, activations: undefined, sgd: undefined } };
        };
        const b = new Trainer(spec, { backend: plain });
        a.run(spec.batches);
        b.run(spec.batches);
        expect(a.costHistory, `${dtype} ${JSON.stringify(over)}`).toEqual(b.costHistory);
        expect(a.result().finalWeights).toEqual(b.result().finalWeights);
      }
    }
  });

  it('trains the seed spec like the JS backend (float64)', () => {
    compareRuns(parseRunSpec({}));
  });

  it('trains a [1, 64, 64, 2] network like the JS backend (float64)', () => {
    compareRuns(parseRunSpec({ shape: [1, 64, 64, 2], learningRate: 0.1, batches: 50 }));
  });

  it('trains in float32', () => {
    const spec = parseRunSpec({ shape: [1, 64, 64, 2], learningRate: 0.1, batches: 50, dtype: 'float32' });
    const a = new Trainer(spec, { backend: jsBackend });
    a.run(spec.batches);
    const b = new Trainer(spec, { backend: wasmBackend });
    b.run(spec.batches);
    expect(b.result().kernel).toBe('wasm-simd-f32');
    expect(mismatch(a.costHistory, b.costHistory, spec.batches, 1e-3)).toBeNull();
  });
});

describe.skipIf(noFma !== null)(`trainer/wasm relaxed SIMD (wasm-fma, opt-in)${noFma ? ` (skipped: ${noFma})` : ''}`, () => {
  for (const dtype of ['float64', 'float32'] as const) {
    it(`${dtype} fma kernels match the naive reference on odd sizes and unaligned views`, () => {
      for (const B of SIZES) for (const nIn of SIZES) for (const nOut of SIZES) checkKernels(dtype, B, nIn, nOut, 0, true);
      const lanes = dtype === 'float64' ? 2 : 4;
      for (let shift = 1; shift < lanes; shift++) {
        for (const [B, nIn, nOut] of [[3, 5, 17], [17, 63, 5], [63, 17, 3], [17, 130, 17], [5, 2, 3000]]) checkKernels(dtype, B, nIn, nOut, shift, true);
      }
    });
  }

  it('trains within 1e-10·|a| + 1e-12 of the JS reference (float64)', () => {
    compareRuns(parseRunSpec({}), wasmFmaBackend, 'wasm-fma-f64');
    compareRuns(parseRunSpec({ shape: [1, 64, 64, 2], learningRate: 0.1, batches: 200 }), wasmFmaBackend, 'wasm-fma-f64');
    compareRuns(parseRunSpec({ shape: [1, 33, 17, 2], batches: 100, batchSize: 13, activation: 'tanh' }), wasmFmaBackend, 'wasm-fma-f64');
  });

  it('is chosen only by name: auto and wasm keep the plain SIMD kernels', () => {
    const name = (choice: 'auto' | 'wasm' | 'wasm-fma') => backendFor(choice)('float64', 10, 1).kernels.name;
    expect(name('auto')).toBe('wasm-simd-f64');
    expect(name('wasm')).toBe('wasm-simd-f64');
    expect(name('wasm-fma')).toBe('wasm-fma-f64');
  });
});
