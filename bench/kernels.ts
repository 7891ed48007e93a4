/**
 * Kernel and whole-network speed of the JS (blocked) and WebAssembly SIMD backends.
 *
 *   node_modules/.bin/tsx bench/kernels.ts [--quick] [--only=kernels|network]
 *
 * 1. GFLOP/s of each layer product (forward, backwardData, weightGrad) for a few layer sizes:
 *    JS blocked loops (float64) vs wasm float64 vs wasm float32, and the opt-in relaxed-SIMD
 *    (fused multiply-add) build of each where the runtime has it.
 * 2. Samples/s of whole training steps through `Trainer` (sgd, 64 pre-generated random batches,
 *    cycled) for the bench workloads, with each backend, each in a fresh process: V8 compiles the
 *    trainer's shared JS loops (activations, update, batch fill) for the typed arrays they have
 *    seen, so running the float32 workloads first slows the float64 ones in the same process.
 *
 * One thread. Each figure is the best of many short (~3 ms) timed repetitions, so that a
 * repetition a busy machine interrupted does not count (on a shared 2-core machine, longer
 * repetitions varied by ±50 %).
 */
import { spawnSync } from 'node:child_process';
import type { FloatArray } from '../src-main/trainer/activations';
import { arraySource, type BatchSource } from '../src-main/trainer/data';
import type { LayerKernels } from '../src-main/trainer/kernels';
import { type BackendFactory, type Dtype, jsBackend } from '../src-main/trainer/network';
import { createRng } from '../src-main/trainer/prng';
import { parseRunSpec, type RunSpec } from '../src-main/trainer/spec';
import { Trainer } from '../src-main/trainer/trainer';
import { enableRelaxedSimd } from '../src-main/wasm-features';
import { wasmBackend, wasmFmaBackend, wasmFmaSupported, wasmSupported } from '../src-main/trainer/wasm';

enableRelaxedSimd();

const quick = process.argv.includes('--quick');
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const only = arg('only');
const child = arg('child'); // "<workload index>:<variant index>": measure one network, print samples/s
const REP_MS = 3;
const REPS = quick ? 20 : 80;

/** Best time (ms) of one call of `step(n)`, which does n units of work, over REPS repetitions of ~REP_MS. */
function bestMsPerUnit(step: (n: number) => void): number {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    step(n);
    const dt = performance.now() - t0;
    if (dt >= REP_MS) break;
    n = dt > REP_MS / 8 ? Math.ceil((n * REP_MS) / dt) : n * 4;
  }
  let best = Infinity;
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    step(n);
    best = Math.min(best, performance.now() - t0);
  }
  return best / n;
}

function repeat(fn: () => void): (n: number) => void {
  return (n) => {
    for (let i = 0; i < n; i++) fn();
  };
}

// ---- 1. kernels -------------------------------------------------------------------------------

interface Variant {
  label: string;
  dtype: Dtype;
  backend: BackendFactory;
}

const VARIANTS: Variant[] = [
  { label: 'js-blocked f64', dtype: 'float64', backend: jsBackend },
  { label: 'wasm f64', dtype: 'float64', backend: wasmBackend },
  { label: 'wasm f32', dtype: 'float32', backend: wasmBackend },
  ...(wasmFmaSupported()
    ? ([
        { label: 'wasm-fma f64', dtype: 'float64', backend: wasmFmaBackend },
        { label: 'wasm-fma f32', dtype: 'float32', backend: wasmFmaBackend },
      ] as Variant[])
    : []),
];

const LAYERS: [number, number, number][] = [
  [32, 1, 16],
  [64, 64, 64],
  [128, 256, 256],
  [64, 784, 128],
];

type KernelName = 'forward' | 'backwardData' | 'weightGrad';
const KERNELS: KernelName[] = ['forward', 'backwardData', 'weightGrad'];

function kernelGflops(v: Variant, B: number, nIn: number, nOut: number): Record<KernelName, number> {
  const nIn1 = nIn + 1;
  const lengths = [B * nIn1, nOut * nIn1, B * nOut, B * nOut, B * nIn, nOut * nIn1];
  const { kernels, allocator } = v.backend(v.dtype, lengths.reduce((s, n) => s + n, 0), lengths.length);
  const [prev, W, d, pre, dPrev, G] = lengths.map((n) => allocator(v.dtype, n));
  const rng = createRng(7);
  const fill = (a: FloatArray) => {
    for (let i = 0; i < a.length; i++) a[i] = rng.normal(0, 1);
  };
  [prev, W, d].forEach(fill);
  const k: LayerKernels = kernels;
  const gflops = (flops: number, fn: () => void) => flops / (bestMsPerUnit(repeat(fn)) * 1e6);
  return {
    forward: gflops(2 * B * nIn1 * nOut, () => k.forward(pre, prev, W, B, nIn1, nOut)),
    backwardData: gflops(2 * B * nIn * nOut, () => k.backwardData(dPrev, d, W, B, nIn, nOut)),
    weightGrad: gflops(2 * B * nIn1 * nOut, () => k.weightGrad(G, d, prev, B, nIn1, nOut)),
  };
}

// ---- 2. whole network ---------------------------------------------------------------------------

interface Workload {
  name: string;
  shape: number[];
  batchSize: number;
}

const WORKLOADS: Workload[] = [
  { name: 'seed', shape: [1, 16, 2], batchSize: 32 },
  { name: 'medium', shape: [1, 64, 64, 2], batchSize: 64 },
  { name: 'wide', shape: [64, 256, 256, 10], batchSize: 128 },
  { name: 'mnist', shape: [784, 128, 10], batchSize: 64 },
];

const CYCLE = 64;

/** 64 random batches, cycled: inputs and targets U[0, 1). */
function cyclingSource(nIn: number, nOut: number, rows: number): BatchSource {
  const rng = createRng(11);
  const inputs = Float64Array.from({ length: CYCLE * rows * nIn }, () => rng.uniform());
  const targets = Float64Array.from({ length: CYCLE * rows * nOut }, () => rng.uniform());
  const src = arraySource(inputs, targets, nIn, nOut);
  return { fill: (index, acts) => src.fill(index % CYCLE, acts) };
}

/**
 * A spec for any shape: validated on a shape that fits the sincos task, then given the real shape
 * (the Trainer does not re-validate). Small learning rate so random targets do not diverge.
 */
function workloadSpec(w: Workload, dtype: Dtype, batches: number): RunSpec {
  const base = parseRunSpec({ shape: [1, 16, 2], batchSize: w.batchSize, batches, dtype, learningRate: 0.001, checkpoints: 0 });
  return { ...base, shape: w.shape };
}

/** Floating-point operations of the three products for one training sample. */
function flopsPerSample(shape: number[]): number {
  let f = 0;
  for (let l = 0; l + 1 < shape.length; l++) {
    const nIn = shape[l];
    const nOut = shape[l + 1];
    f += 2 * 2 * (nIn + 1) * nOut; // forward + weight gradient
    if (l > 0) f += 2 * nIn * nOut; // input gradient (the input layer needs none)
  }
  return f;
}

function samplesPerSecond(w: Workload, v: Variant): number {
  const batches = 100_000;
  const make = () =>
    new Trainer(workloadSpec(w, v.dtype, batches), {
      backend: v.backend,
      source: cyclingSource(w.shape[0], w.shape[w.shape.length - 1], w.batchSize),
      stopOnDivergence: false,
      timingEvery: 0,
    });
  let trainer = make();
  /** Makes room for n more batches (n < batches): a fresh trainer if this one has too few left. */
  const ensure = (n: number) => {
    if (trainer.batchesDone + n > batches) trainer = make();
  };
  // warm-up: ~300 ms, so the JIT has optimized the trainer's loops
  for (let t0 = performance.now(); performance.now() - t0 < 300; ) {
    ensure(16);
    trainer.run(16);
  }
  let n = 1;
  for (;;) {
    ensure(n);
    const t0 = performance.now();
    trainer.run(n);
    const dt = performance.now() - t0;
    if (dt >= REP_MS || n >= batches / 4) break;
    n = Math.min(batches / 4, dt > REP_MS / 8 ? Math.ceil((n * REP_MS) / dt) : n * 4);
  }
  let best = Infinity;
  for (let r = 0; r < REPS; r++) {
    ensure(n);
    const t0 = performance.now();
    trainer.run(n);
    best = Math.min(best, performance.now() - t0);
  }
  return (n * w.batchSize) / (best / 1000);
}

// ---- report -----------------------------------------------------------------------------------

const lpad = (s: string, n: number) => s.padStart(n);
const rpad = (s: string, n: number) => s.padEnd(n);

function rate(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)}M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return x.toFixed(0);
}

/** Ratio columns: each wasm variant against JS, and each fma variant against its plain SIMD twin. */
const RATIOS: [string, number, number][] = [
  ['f64 ×js', 1, 0],
  ['f32 ×js', 2, 0],
  ...(VARIANTS.length > 3
    ? ([
        ['fma/simd f64', 3, 1],
        ['fma/simd f32', 4, 2],
      ] as [string, number, number][])
    : []),
];
const ratioHeader = () => RATIOS.map(([h]) => lpad(h, 14)).join('');
const ratioCells = (xs: number[]) => RATIOS.map(([, a, b]) => lpad(`${(xs[a] / xs[b]).toFixed(2)}×`, 14)).join('');

function reportKernels(): void {
  console.log('Layer kernels, GFLOP/s');
  console.log(`${rpad('(B, nIn, nOut)', 16)}${rpad('kernel', 14)}${VARIANTS.map((v) => lpad(v.label, 16)).join('')}${ratioHeader()}`);
  for (const [B, nIn, nOut] of LAYERS) {
    const results = VARIANTS.map((v) => kernelGflops(v, B, nIn, nOut));
    for (const k of KERNELS) {
      const cells = results.map((r) => lpad(r[k].toFixed(2), 16)).join('');
      const ratios = ratioCells(results.map((r) => r[k]));
      console.log(`${rpad(`(${B}, ${nIn}, ${nOut})`, 16)}${rpad(k, 14)}${cells}${ratios}`);
    }
  }
}

function reportNetworks(): void {
  console.log('Whole training steps through Trainer (sgd, 64 cycled random batches): samples/s (GFLOP/s of the three products)');
  console.log(`${rpad('workload', 28)}${VARIANTS.map((v) => lpad(v.label, 20)).join('')}${ratioHeader()}`);
  WORKLOADS.forEach((w, wi) => {
    const rates = VARIANTS.map((_, vi) => measureInChild(wi, vi));
    const fps = flopsPerSample(w.shape);
    const cells = rates.map((r) => lpad(`${rate(r)} (${((r * fps) / 1e9).toFixed(1)})`, 20)).join('');
    const ratios = ratioCells(rates);
    console.log(`${rpad(`${w.name} [${w.shape.join(',')}] b${w.batchSize}`, 28)}${cells}${ratios}`);
  });
}

/** Runs this script again as `--child=w:v` (same node and loader flags) and reads its samples/s. */
function measureInChild(wi: number, vi: number): number {
  const args = [...process.execArgv, process.argv[1], `--child=${wi}:${vi}`, ...(quick ? ['--quick'] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const value = Number(r.stdout.trim());
  if (r.status !== 0 || !Number.isFinite(value)) throw new Error(`child ${wi}:${vi} failed: ${r.stderr || r.stdout}`);
  return value;
}

if (!wasmSupported()) {
  console.error('WebAssembly SIMD is not available in this runtime');
  process.exit(1);
}
if (child !== undefined) {
  const [wi, vi] = child.split(':').map(Number);
  console.log(samplesPerSecond(WORKLOADS[wi], VARIANTS[vi]));
} else {
  console.log(`node ${process.version}; best of ${REPS} repetitions of ~${REP_MS} ms each\n`);
  if (only !== 'network') reportKernels();
  if (only === undefined) console.log('');
  if (only !== 'kernels') reportNetworks();
}
