/**
 * `nnlab bench`: training throughput of nnlab next to the seed's numpy version, measured in the
 * same command on the same machine, so the ratios mean something on a noisy machine where
 * absolute numbers do not. Every figure is the median of repeats after a warm-up.
 *
 * - kernel: the trainer alone on 64 pre-generated random batches (as numpy is measured), per
 *   dtype and backend;
 * - task: the trainer drawing the sin/cos task's data itself (x ~ U[0,1), sin x, cos x per sample),
 *   as `nnlab train` does: the data costs about as much as the seed net's arithmetic;
 * - product: `nnlab train` as a user runs it (fresh task data, history, checkpoints, progress),
 *   as (long run − short run) so process start-up cancels out;
 * - sweeps: runs/s of a 40-run seed-sized sweep through the lab on 1 and 2 trainer processes
 *   (bench-sweep.ts);
 * - store: writing a 1,000,000-point run and listing 10,000 runs (bench-store.ts);
 * - tfjs-wasm, tfjs-cpu: the peer (bench-tfjs.ts), the same algorithm on the same batches, checked
 *   against nnlab before it is timed (tfjs-wasm: the faster of two forms); every row also gets its
 *   ratio to tfjs-wasm.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { now } from '../trainer/clock';
import { arraySource } from '../trainer/data';
import { autoBackend } from '../trainer/backends';
import { type Activations, jsBackend, type BackendFactory, type Dtype } from '../trainer/network';
import { createRng } from '../trainer/prng';
import { DEFAULT_SPEC, type RunSpec } from '../trainer/spec';
import { Trainer } from '../trainer/trainer';
import { wasmBackend, wasmSupported } from '../trainer/wasm';
import { benchStore, type StoreBenchFigure } from './bench-store';
import { formatSweeps, measureSweeps, type SweepBench } from './bench-sweep';
import { type BenchBatches, checkTfjs, loadTfjs, measureTfjs, type TfLayout } from './bench-tfjs';
import { parseNumber } from './spec-flags';
import { UsageError } from './usage';
import { median } from '../analysis/stats';

export interface Workload {
  name: string;
  shape: number[];
  batch: number;
}

export const WORKLOADS: Workload[] = [
  { name: 'seed', shape: [1, 16, 2], batch: 32 },
  { name: 'medium', shape: [1, 64, 64, 2], batch: 64 },
  { name: 'wide', shape: [64, 256, 256, 10], batch: 128 },
  { name: 'mnist', shape: [784, 128, 10], batch: 64 },
];

const ROOT = resolve(__dirname, '../..');

/** FLOPs of one training step: forward, backward-data and weight-gradient products (as numpy_throughput.py). */
export function stepFlops(shape: readonly number[], batch: number): number {
  let macs = 0;
  for (let l = 0; l + 1 < shape.length; l++) macs += (shape[l] + 1) * shape[l + 1];
  let back = 0;
  for (let l = 1; l + 1 < shape.length; l++) back += shape[l] * shape[l + 1];
  return 2 * batch * (2 * macs + back);
}


/** Learning rate of every timed implementation (small, so random targets do not diverge). */
const BENCH_LR = 0.01;

/** 64 random batches, inputs and targets U[0, 1) (as numpy_seed.py draws its own), cycled by every timed implementation. */
export function benchBatches(w: Workload): BenchBatches {
  const rng = createRng(0);
  const nb = 64;
  const nIn = w.shape[0];
  const nOut = w.shape[w.shape.length - 1];
  const xs = Float64Array.from({ length: nb * w.batch * nIn }, () => rng.uniform());
  const ys = Float64Array.from({ length: nb * w.batch * nOut }, () => rng.uniform());
  return { shape: w.shape, batch: w.batch, nb, xs, ys };
}

/** Samples/s of the trainer alone (random data, relu, no checkpoints, no timing samples). */
export function measureKernel(w: Workload, dtype: Dtype, backend: BackendFactory, seconds: number, repeats: number, data: 'batches' | 'task' = 'batches'): number {
  const { nb, xs, ys } = benchBatches(w);
  const cycle = arraySource(xs, ys, w.shape[0], w.shape[w.shape.length - 1]);
  // The trainer does not re-validate: a shape that does not fit a task is fine for timing.
  const spec: RunSpec = { ...DEFAULT_SPEC, shape: w.shape, batchSize: w.batch, batches: 1e9, learningRate: BENCH_LR, checkpoints: 0, dtype };
  // 'task': the trainer draws the sin/cos task's data itself, as `nnlab train` does
  const source = data === 'task' ? undefined : { fill: (i: number, acts: Activations) => cycle.fill(i % nb, acts) };
  const trainer = new Trainer(spec, { source, timingEvery: 0, backend });
  const t0 = now();
  while (now() - t0 < Math.min(300, (seconds * 1000) / 4) || trainer.batchesDone < 10) trainer.run(5); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = now();
    const before = trainer.batchesDone;
    while (now() - start < (seconds * 1000) / repeats) trainer.run(10);
    rates.push(((trainer.batchesDone - before) * w.batch) / ((now() - start) / 1000));
  }
  return median(rates);
}

/** Samples/s of the seed's numpy version per workload (python3, one BLAS thread). */
export function measureNumpy(workloads: Workload[], seconds: number, repeats: number): Map<string, number> | string {
  const script = resolve(ROOT, 'bench/numpy_seed.py');
  const args = [script, String(seconds), String(repeats), ...workloads.map((w) => `${w.name}:${w.shape.join(',')}:${w.batch}`)];
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  const r = spawnSync('python3', args, { encoding: 'utf8', env });
  if (r.error || r.status !== 0) return `numpy baseline unavailable: ${r.error?.message ?? r.stderr.trim().split('\n').pop()}`;
  const out = new Map<string, number>();
  for (const line of r.stdout.trim().split('\n')) {
    const j = JSON.parse(line) as { workload: string; samples_per_s: number };
    out.set(j.workload, j.samples_per_s);
  }
  return out;
}

/** Samples/s through `nnlab train` (a real process), as (long − short) to cancel start-up. */
export function measureProduct(w: Workload, seconds: number, repeats: number): number {
  const cli = resolve(ROOT, 'out/main/cli.js');
  const run = (batches: number) => {
    const t0 = now();
    const r = spawnSync(process.execPath, [cli, 'train', '--shape', w.shape.join(','), '--batch', String(w.batch), '--batches', String(batches), '--lr', '0.01', '--no-progress'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`nnlab train failed: ${r.stderr}`);
    return now() - t0;
  };
  // size the long run from a quick estimate with the kernel `nnlab train` picks, so it lasts about
  // `seconds` (sized from the JS loops, it was 4× too short on medium and start-up noise showed)
  const estimate = measureKernel(w, 'float64', autoBackend, 0.3, 1);
  const short = 50;
  const long = Math.max(short * 10, Math.round((estimate * seconds) / w.batch));
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const dt = run(long) - run(short);
    rates.push(((long - short) * w.batch) / (dt / 1000));
  }
  return median(rates);
}

export interface BenchRow {
  workload: string;
  shape: number[];
  batch: number;
  impl: string;
  samplesPerSecond: number;
  gflops: number;
  vsNumpy: number | null;
  vsTfjsWasm: number | null;
}

export interface BenchReport {
  machine: { node: string; platform: string; cpus: number };
  numpy: string | null;
  /** Why a peer row is missing (tfjs not installed, a check that failed), if one is. */
  notes: string[];
  rows: BenchRow[];
  sweeps: SweepBench[];
  store: StoreBenchFigure[];
}

export async function runBench(options: {
  seconds: number;
  repeats: number;
  workloads: Workload[];
  product: boolean;
  tfjs?: boolean;
  sweeps?: boolean;
  store?: boolean;
  log?: (s: string) => void;
}): Promise<BenchReport> {
  const { seconds, repeats, workloads } = options;
  const log = options.log ?? (() => {});
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const tfjsLayouts: string[] = [];
  log('numpy (seed algorithm, float64, 1 thread)…');
  const numpy = measureNumpy(workloads, seconds, repeats);
  const add = (w: Workload, impl: string, sps: number) => {
    const base = typeof numpy === 'string' ? undefined : numpy.get(w.name);
    rows.push({ workload: w.name, shape: w.shape, batch: w.batch, impl, samplesPerSecond: sps, gflops: (sps / w.batch) * stepFlops(w.shape, w.batch) * 1e-9, vsNumpy: base ? sps / base : null, vsTfjsWasm: null });
  };
  if (typeof numpy !== 'string') for (const w of workloads) add(w, 'numpy', numpy.get(w.name)!);
  const backends: [string, BackendFactory][] = [['js', jsBackend]];
  if (wasmSupported()) backends.push(['wasm', wasmBackend]);
  // float64 first for every backend: JS kernels used with Float32Array later turn polymorphic
  for (const dtype of ['float64', 'float32'] as const) {
    for (const [name, backend] of backends) {
      for (const w of workloads) {
        log(`nnlab ${name} ${dtype} ${w.name}…`);
        add(w, `nnlab-${name}-${dtype === 'float64' ? 'f64' : 'f32'}`, measureKernel(w, dtype, backend, seconds, repeats));
      }
    }
  }
  if (options.tfjs !== false) {
    log('tfjs (loading)…');
    const loaded = await loadTfjs();
    if (typeof loaded === 'string') notes.push(loaded);
    else {
      const { tf } = loaded;
      notes.push(...loaded.notes);
      for (const backend of loaded.backends) {
        await tf.setBackend(backend);
        await tf.ready();
        // tfjs-wasm: both ways of writing the backward products, the faster one is the row (explicit
        // transposes win on real layers, matMul's flags on the tiny seed net: measured either way)
        const layouts: TfLayout[] = backend === 'wasm' ? ['transpose', 'flags'] : ['transpose'];
        for (const w of workloads) {
          const b = benchBatches(w);
          const timed: [TfLayout, number][] = [];
          for (const layout of layouts) {
            log(`tfjs-${backend} (${layout}) ${w.name}…`);
            const wrong = checkTfjs(tf, b, BENCH_LR, layout);
            if (wrong) notes.push(`tfjs-${backend} (${layout}) ${w.name} not timed: its first steps differ from nnlab's (${wrong})`);
            else timed.push([layout, measureTfjs(tf, b, BENCH_LR, seconds, repeats, layout)]);
          }
          if (timed.length === 0) continue;
          timed.sort((x, y) => y[1] - x[1]);
          add(w, `tfjs-${backend}`, timed[0][1]);
          if (timed.length > 1) {
            const all = timed.map(([layout, sps]) => `${layout} ${Math.round(sps).toLocaleString('en-US')}`).join(', ');
            tfjsLayouts.push(`${w.name}: ${all}`);
          }
        }
      }
    }
  }
  if (options.product && existsSync(resolve(ROOT, 'out/main/cli.js'))) {
    for (const w of workloads.filter((x) => x.shape[0] === 1 && x.shape[x.shape.length - 1] === 2)) {
      // the same trainer drawing the task's data in-process, then `nnlab train`: the difference
      // between these two rows is the product's bookkeeping (history, checkpoints, progress, saving)
      log(`nnlab trainer with the task's data ${w.name}…`);
      add(w, 'nnlab-task-f64', measureKernel(w, 'float64', autoBackend, seconds, repeats, 'task'));
      log(`nnlab train (product path) ${w.name}…`);
      add(w, 'nnlab-train-product', measureProduct(w, seconds, repeats));
    }
  }
  const sweeps = options.sweeps === false ? [] : await measureSweeps(cpus().length > 1 ? [1, 2] : [1], repeats >= 3 ? 3 : repeats, log);
  if (options.store !== false) log('run store…');
  const store = options.store === false ? [] : await benchStore();
  if (tfjsLayouts.length) notes.push(`tfjs-wasm is the faster of its two forms of the backward products (samples/s; transpose: tf.transpose then matMul, flags: matMul's transpose flags): ${tfjsLayouts.join('; ')}.`);
  for (const r of rows) {
    const peer = rows.find((x) => x.workload === r.workload && x.impl === 'tfjs-wasm');
    r.vsTfjsWasm = peer ? r.samplesPerSecond / peer.samplesPerSecond : null;
  }
  return {
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length },
    numpy: typeof numpy === 'string' ? numpy : null,
    notes,
    rows,
    sweeps,
    store,
  };
}

const ratio = (x: number | null) => (x === null ? '–' : `${x.toFixed(2)}×`);

export function formatBench(report: BenchReport): string {
  const lines = [
    `| workload | impl | samples/s | GFLOP/s | vs numpy | vs tfjs-wasm |`,
    `|---|---|---:|---:|---:|---:|`,
    ...report.rows.map(
      (r) =>
        `| ${r.workload} [${r.shape.join(',')}] b${r.batch} | ${r.impl} | ${Math.round(r.samplesPerSecond).toLocaleString('en-US')} | ${r.gflops.toFixed(2)} | ${ratio(r.vsNumpy)} | ${ratio(r.vsTfjsWasm)} |`,
    ),
  ];
  if (report.sweeps.length) lines.push('', formatSweeps(report.sweeps));
  if (report.store.length) {
    lines.push('', '| run store (real SQLite file, WAL) | ms | target |', '|---|---:|---:|');
    for (const f of report.store) lines.push(`| ${f.name} | ${f.ms.toFixed(1)} | < ${f.target} |`);
  }
  if (report.numpy) lines.push('', report.numpy);
  for (const n of report.notes) lines.push('', n);
  lines.push('', `${report.machine.platform}, Node ${report.machine.node}, ${report.machine.cpus} cores; median of repeats after warm-up.`);
  return lines.join('\n');
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description("measure training speed next to the seed's numpy version, in one run (ratios are what count)")
    .option('--seconds <s>', 'time per measurement', '1.5')
    .option('--repeats <n>', 'repeats per measurement (the median is reported)', '5')
    .option('--workloads <names>', `comma-separated subset of ${WORKLOADS.map((w) => w.name).join(',')}`)
    .option('--no-product', 'skip the product-path measurement through `nnlab train`')
    .option('--no-tfjs', 'skip the tfjs peer (a dev dependency)')
    .option('--no-sweeps', 'skip the sweep measurement (40 runs on 1 and 2 trainer processes)')
    .option('--no-store', 'skip the run store measurement')
    .option('--json', 'print the report as JSON')
    .action(async (options: { seconds: string; repeats: string; workloads?: string; product: boolean; tfjs: boolean; sweeps: boolean; store: boolean; json?: boolean }) => {
      const seconds = parseNumber(options.seconds, '--seconds') as number;
      const repeats = parseNumber(options.repeats, '--repeats') as number;
      if (!(seconds > 0)) throw new UsageError('--seconds: must be > 0');
      if (!(repeats >= 1 && Number.isInteger(repeats))) throw new UsageError('--repeats: must be a whole number ≥ 1');
      let workloads = WORKLOADS;
      if (options.workloads) {
        const names = options.workloads.split(',').map((s) => s.trim());
        const unknown = names.filter((n) => !WORKLOADS.some((w) => w.name === n));
        if (unknown.length) throw new UsageError(`--workloads: unknown workload '${unknown[0]}' (choose from ${WORKLOADS.map((w) => w.name).join(', ')})`);
        workloads = WORKLOADS.filter((w) => names.includes(w.name));
      }
      const report = await runBench({ seconds, repeats, workloads, product: options.product, tfjs: options.tfjs, sweeps: options.sweeps, store: options.store, log: options.json ? undefined : (s) => process.stderr.write(`${s}\n`) });
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatBench(report)}\n`);
    });
}
