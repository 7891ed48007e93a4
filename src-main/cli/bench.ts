/**
 * `nnlab bench`: training throughput of nnlab next to the seed's numpy version and the tfjs peer,
 * measured in the same command on the same machine, so the ratios mean something on a noisy
 * machine where absolute numbers do not.
 *
 * Honest by construction: every implementation runs in a process of its own (bench-agent.ts),
 * prepared and warmed up first, then all are timed in rounds, one slice each per round
 * (A B C …, in a new random order every round), so load that comes and goes hits each alike.
 * Each ratio is the median over rounds of that round's ratio, with its interquartile range; each
 * slice also records how much CPU the machine's other processes used meanwhile (bench-load.ts).
 *
 * - kernel rows: the trainer alone on 64 pre-generated random batches (as numpy is measured),
 *   per dtype and backend;
 * - task: the trainer drawing the sin/cos task's data itself (x ~ U[0,1), sin x, cos x per sample),
 *   as `nnlab train` does: the data costs about as much as the seed net's arithmetic;
 * - product: `nnlab train` as a user runs it (fresh task data, history, checkpoints, progress,
 *   saving into a temporary database), as (long run − short run) so process start-up cancels out;
 * - sweeps: runs/s of a 40-run seed-sized sweep through the lab on 1 and 2 trainer processes
 *   (bench-sweep.ts);
 * - store: writing a 1,000,000-point run and listing 10,000 runs (bench-store.ts); the runs table's
 *   filter, sort and groups over 10,000 runs (bench-table.ts);
 * - UI (--ui, or --ui-only): the Compare page of a 72- and a 500-run experiment complete in Chromium
 *   against nnlab serve (bench-ui.ts), and the network view's frame times while its slider scrubs
 *   a [1,64,64,2] run (bench-frames.ts; --ui-frames alone);
 * - tfjs-wasm, tfjs-cpu: the peer (bench-tfjs.ts), the same algorithm on the same batches, checked
 *   against nnlab before it is timed (tfjs-wasm: the faster of two forms); every row also gets its
 *   ratio to tfjs-wasm.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { now } from '../trainer/clock';
import { wasmSupported, wasmThreadsSupported } from '../trainer/wasm';
import { defaultThreads } from '../lab/threads';
import { benchStore, type StoreBenchFigure } from './bench-store';
import { benchTable } from './bench-table';
import { benchFrames, formatFrames } from './bench-frames';
import { benchUi, formatUi } from './bench-ui';
import { formatQueue, measureQueue, type QueueBench } from './bench-queue';
import { formatSweeps, measureSweeps, type SweepBench } from './bench-sweep';
import { BENCH_LR, type BenchAgent, NodeAgent, type NodeImpl, NumpyAgent, type NumpyInfo, ROOT, shuffled, type Workload } from './bench-agent';
import { LoadMeter, loadAverage, type LoadSample } from './bench-load';
import { parseNumber } from './spec-flags';
import { RunStore } from '../db';
import { fashionMnistHash } from '../data/fashion-mnist';
import { FASHION_MNIST } from '../trainer/tasks';
import { UsageError } from './usage';
import { stat, type Stat } from '../analysis/stats';

export { benchBatches, type Workload } from './bench-agent';

export const WORKLOADS: Workload[] = [
  { name: 'seed', shape: [1, 16, 2], batch: 32 },
  { name: 'medium', shape: [1, 64, 64, 2], batch: 64 },
  { name: 'wide', shape: [64, 256, 256, 10], batch: 128 },
  { name: 'mnist', shape: [784, 128, 10], batch: 64 },
];

/** FLOPs of one training step: forward, backward-data and weight-gradient products (as numpy_throughput.py). */
export function stepFlops(shape: readonly number[], batch: number): number {
  let macs = 0;
  for (let l = 0; l + 1 < shape.length; l++) macs += (shape[l] + 1) * shape[l + 1];
  let back = 0;
  for (let l = 1; l + 1 < shape.length; l++) back += shape[l] * shape[l + 1];
  return 2 * batch * (2 * macs + back);
}

/**
 * mnist's shape on the real data set: the product rows of mnist train `nnlab train --task
 * fashion-mnist` (softmax, cross-entropy, the task's settings) on the images, beside the trainer
 * on the same task in-process and the project's numpy version of the same network on the same
 * images (bench/numpy_seed.py), so those ratios compare like with like.
 */
export const FASHION_MNIST_WORKLOAD: Workload = { name: 'fashion-mnist', shape: [784, 128, 10], batch: 64, task: 'fashion-mnist' };

/**
 * The task `nnlab train` runs a workload with in the product rows, or null for none: the sin/cos
 * task for its shape (1 input, 2 outputs), a real-data workload's own task.
 */
export function productTask(w: Workload): string | null {
  if (w.task) return w.task;
  if (w.shape[0] === 1 && w.shape[w.shape.length - 1] === 2) return 'sincos';
  return null;
}

/**
 * The workloads with product rows: those with a task for their shape, and Fashion-MNIST for
 * mnist's; `missing` is why Fashion-MNIST is left out (its files are not installed), or null.
 */
export function productWorkloads(workloads: readonly Workload[], fashionMnistMissing: () => string | null = fashionMnistMissingReason): { workloads: Workload[]; missing: string | null } {
  const out = workloads.filter((w) => productTask(w) !== null);
  if (!workloads.some((w) => w.name === 'mnist')) return { workloads: out, missing: null };
  const missing = fashionMnistMissing();
  return missing === null ? { workloads: [...out, FASHION_MNIST_WORKLOAD], missing } : { workloads: out, missing };
}

/** Why Fashion-MNIST's files cannot be read here (one line), or null when they are there. */
function fashionMnistMissingReason(): string | null {
  try {
    fashionMnistHash();
    return null;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

/**
 * `nnlab train` as a user runs it, in a real process, saving into a temporary database: samples/s
 * as (long run − short run), so start-up cancels out. The long run is sized in `prepare` from a
 * first pair of runs so that its training takes about the slice.
 */
class ProductAgent implements BenchAgent {
  readonly pid = undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), 'nnlab-bench-product-'));
  private readonly rates = new Map<string, { w: Workload; samplesPerSecond: number }>();
  private static readonly SHORT = 50;
  /**
   * The long run trains at least this long, whatever the slice: the difference of two process
   * times carries the noise of two start-ups (~0.1–0.3 s on a busy machine; a real data set's
   * start-up is longer: reading and checking Fashion-MNIST's files, the test images evaluated at
   * the end, ~2 s quiet and 5–7 s of CPU under load, hence its longer minimum).
   */
  private static minSeconds(w: Workload): number {
    return w.task ? 4 : 1.5;
  }

  private run(w: Workload, batches: number): number {
    const cli = resolve(ROOT, 'out/main/cli.js');
    const t0 = now();
    // the sin/cos rows keep the bench's small learning rate; a real task trains with its own
    // settings, as a user runs it. One thread: as the rows it is compared with (numpy 1 BLAS
    // thread, the in-process trainer); seed-sized products never split anyway.
    const lr = w.task ? [] : ['--lr', String(BENCH_LR)];
    const args = [cli, 'train', '--task', productTask(w) ?? 'sincos', '--shape', w.shape.join(','), '--batch', String(w.batch), '--batches', String(batches), ...lr, '--threads', '1', '--no-progress', '--db', this.db];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`nnlab train failed: ${r.stderr}`);
    return now() - t0;
  }

  private get db(): string {
    return join(this.dir, 'bench.sqlite');
  }

  /**
   * A real-data workload's longest run as stored (the last of the longest): how many batches it
   * trained and the test accuracy it reached (the one a user reads), or null where there is none.
   */
  lastRun(w: Workload): { batches: number; accuracy: number | null; trainMs: number | null } | null {
    if (!w.task || !existsSync(this.db)) return null;
    const store = RunStore.open(this.db);
    try {
      const [last] = store.listRuns({ status: 'done' }).filter((r) => r.spec.task === w.task).sort((a, b) => (b.batchesRun ?? 0) - (a.batchesRun ?? 0) || b.id - a.id);
      return last ? { batches: last.batchesRun ?? 0, accuracy: last.testAccuracy, trainMs: last.trainMs } : null;
    } finally {
      store.close();
    }
  }

  /** Samples/s of the batches the long run has over the short one; NaN when start-up noise swallowed the difference (the round does not count). */
  private pair(w: Workload, long: number): number {
    const dt = this.run(w, long) - this.run(w, ProductAgent.SHORT);
    return dt > 0 ? ((long - ProductAgent.SHORT) * w.batch) / (dt / 1000) : NaN;
  }

  async prepare(workloads: readonly Workload[], warmupSeconds: number) {
    for (const w of workloads) {
      // a first estimate from a pair of runs, then one sized by it (the file cache warms up too)
      // (a big net's first estimate from fewer batches: 500 of mnist's shape take ~3 s)
      const first = ProductAgent.SHORT * (w.task ? 10 : 200);
      let sps = this.pair(w, first);
      if (!(sps > 0)) sps = this.pair(w, first * 10);
      if (!(sps > 0)) throw new Error(`nnlab train on ${w.name}: a long run took no longer than a short one (start-up noise); not timed`);
      sps = this.pair(w, this.longFor(w, sps, Math.max(warmupSeconds, ProductAgent.minSeconds(w)))) || sps;
      this.rates.set(w.name, { w, samplesPerSecond: sps });
    }
    return { notes: [], skipped: [] };
  }

  private longFor(w: Workload, samplesPerSecond: number, seconds: number): number {
    return Math.max(ProductAgent.SHORT * 10, Math.round((samplesPerSecond * seconds) / w.batch));
  }

  async measure(workload: string, seconds: number) {
    const entry = this.rates.get(workload);
    if (!entry) throw new Error(`product: workload ${workload} was not prepared`);
    return this.pair(entry.w, this.longFor(entry.w, entry.samplesPerSecond, Math.max(seconds, ProductAgent.minSeconds(entry.w))));
  }

  close() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A ratio's median over the rounds with its interquartile range. */
export interface Ratio {
  median: number;
  q1: number;
  q3: number;
  rounds: number;
}

export interface BenchRow {
  workload: string;
  shape: number[];
  batch: number;
  impl: string;
  /** Median over the rounds that gave a figure. */
  samplesPerSecond: number;
  gflops: number;
  /** Per-round ratios to the seed's numpy version with one BLAS thread, two, and to tfjs-wasm. */
  vsNumpy: Ratio | null;
  vsNumpy2: Ratio | null;
  vsTfjsWasm: Ratio | null;
  /** Threaded rows: per-round ratio to the same implementation on one thread. */
  vsOneThread: Ratio | null;
  /** Rounds that gave a figure (all, but for a product row whose long run start-up noise swallowed). */
  rounds: number;
}

export interface BenchLoad {
  /** Share of the machine's CPU time that other processes used during the timed slices (0–1). */
  others: Stat | null;
  steal: Stat | null;
  loadAverage: { start: number; end: number };
}

export interface BenchReport {
  machine: { node: string; platform: string; cpus: number; cpuModel: string };
  /** Why numpy is missing, if it is. */
  numpy: string | null;
  numpyInfo: (NumpyInfo & { removedEnv: string[] }) | null;
  rounds: number;
  sliceSeconds: number;
  load: BenchLoad;
  /** Why a peer row is missing (tfjs not installed, a check that failed), and what else to know. */
  notes: string[];
  rows: BenchRow[];
  sweeps: SweepBench[];
  /** Sweeps through a job queue (`--queue`), or null when not asked for. */
  queue: QueueBench | null;
  store: StoreBenchFigure[];
}

interface Impl {
  name: string;
  workloads: Workload[];
  agent: BenchAgent;
}

interface ImplPlan {
  name: string;
  workloads: Workload[];
  start: () => BenchAgent;
}

/** Every implementation the bench can time, each with how to start its agent. */
function implementations(workloads: readonly Workload[], options: { product: boolean; tfjs: boolean }, products: readonly Workload[] = []): ImplPlan[] {
  const plans: ImplPlan[] = [];
  const node = (name: string, impl: NodeImpl, ws: readonly Workload[] = workloads) => plans.push({ name, workloads: [...ws], start: () => new NodeAgent(impl) });
  // numpy also on the product rows' real data (one BLAS thread, as they train on one)
  const realData = options.product ? products.filter((w) => w.task) : [];
  plans.push({ name: 'numpy', workloads: [...workloads, ...realData], start: () => new NumpyAgent(1) });
  if (cpus().length > 1) plans.push({ name: 'numpy-2-threads', workloads: [...workloads], start: () => new NumpyAgent(2) });
  const kernels = wasmSupported() ? (['js', 'wasm'] as const) : (['js'] as const);
  for (const dtype of ['float64', 'float32'] as const) {
    for (const kernel of kernels) node(`nnlab-${kernel}-${dtype === 'float64' ? 'f64' : 'f32'}`, { kind: 'nnlab', dtype, kernel, data: 'batches' });
  }
  // the default for one run alone: every core (lab/threads.ts)
  const threads = defaultThreads(1);
  if (threads > 1 && wasmThreadsSupported()) {
    for (const dtype of ['float64', 'float32'] as const) node(`nnlab-wasm-${dtype === 'float64' ? 'f64' : 'f32'}-${threads}-threads`, { kind: 'nnlab', dtype, kernel: 'wasm', threads, data: 'batches' });
  }
  if (options.tfjs) {
    node('tfjs-wasm', { kind: 'tfjs', backend: 'wasm' });
    node('tfjs-cpu', { kind: 'tfjs', backend: 'cpu' });
  }
  if (options.product && products.length && existsSync(resolve(ROOT, 'out/main/cli.js'))) {
    // the same trainer drawing the task's data in-process, then `nnlab train`: the difference
    // between these two rows is the product's bookkeeping (history, checkpoints, progress, saving)
    node('nnlab-task-f64', { kind: 'nnlab', dtype: 'float64', kernel: wasmSupported() ? 'wasm' : 'js', data: 'task' }, products);
    plans.push({ name: 'nnlab-train-product', workloads: [...products], start: () => new ProductAgent() });
  }
  return plans;
}

/** The names `--impls` accepts (on this machine, with every part on). */
export function implementationNames(): string[] {
  return implementations(WORKLOADS, { product: true, tfjs: true }, productWorkloads(WORKLOADS, () => null).workloads).map((p) => p.name);
}

function ratio(values: number[]): Ratio | null {
  const s = stat(values);
  return s ? { median: s.median, q1: s.q1, q3: s.q3, rounds: s.n } : null;
}

export async function runBench(options: {
  seconds: number;
  rounds: number;
  workloads: Workload[];
  product: boolean;
  tfjs?: boolean;
  /** Time only these implementations (by row name). */
  impls?: string[];
  sweeps?: boolean;
  /** Also the sweeps through a job queue (bench-queue.ts: starts redis-server and local nnlab workers). */
  queue?: boolean;
  store?: boolean;
  log?: (s: string) => void;
}): Promise<BenchReport> {
  const { seconds, rounds, workloads } = options;
  const log = options.log ?? (() => {});
  const slice = seconds / rounds;
  const notes: string[] = [];
  const products = options.product ? productWorkloads(workloads) : { workloads: [], missing: null };
  if (products.missing) notes.push(`fashion-mnist product rows not timed: ${products.missing}`);
  const plans = implementations(workloads, { product: options.product, tfjs: options.tfjs !== false }, products.workloads).filter((p) => !options.impls || options.impls.includes(p.name));
  const impls: Impl[] = plans.map((p) => ({ name: p.name, workloads: p.workloads, agent: p.start() }));
  const meter = new LoadMeter();
  const loadStart = loadAverage();
  const samples: LoadSample[] = [];
  /** impl → workload → samples/s per round (NaN where a round's slice failed) */
  const measured = new Map<string, Map<string, number[]>>();
  let numpyError: string | null = null;
  let numpyInfo: BenchReport['numpyInfo'] = null;
  const timedImpls: Impl[] = [];
  try {
    // prepare one after another, so no warm-up runs beside another
    for (const impl of impls) {
      log(`${impl.name}: preparing and warming up…`);
      try {
        if (impl.agent instanceof NumpyAgent && !numpyInfo) numpyInfo = { ...(await impl.agent.info()), removedEnv: impl.agent.removedEnv };
        const { notes: n, skipped } = await impl.agent.prepare(impl.workloads, Math.min(1, Math.max(0.2, slice)));
        notes.push(...n.map((x) => (impl.name.startsWith('tfjs') && /^\w+: /.test(x) ? `${impl.name} layouts (samples/s in warm-up) ${x}` : x)));
        impl.workloads = impl.workloads.filter((w) => !skipped.includes(w.name));
        if (impl.workloads.length) timedImpls.push(impl);
      } catch (e) {
        const why = e instanceof Error ? e.message : String(e);
        if (impl.name.startsWith('numpy')) numpyError ??= `numpy baseline unavailable: ${why.split('\n')[0]}`;
        else notes.push(`${impl.name} not timed: ${why.split('\n')[0]}`);
      }
    }
    const slices = timedImpls.flatMap((impl) => impl.workloads.map((w) => ({ impl, w })));
    for (const { impl, w } of slices) {
      if (!measured.has(impl.name)) measured.set(impl.name, new Map());
      measured.get(impl.name)!.set(w.name, []);
    }
    for (let r = 0; r < rounds; r++) {
      log(`round ${r + 1}/${rounds}: ${slices.length} slices of ${slice.toFixed(2)} s…`);
      for (const { impl, w } of shuffled(slices, 1000 + r)) {
        meter.mark();
        const sps = await impl.agent.measure(w.name, slice);
        const load = meter.sample();
        if (load) samples.push(load);
        measured.get(impl.name)!.get(w.name)!.push(sps);
      }
    }
    // what a user of the real data set reads: the accuracy the last timed run reached, the time an epoch takes
    for (const impl of timedImpls) {
      if (!(impl.agent instanceof ProductAgent)) continue;
      for (const w of impl.workloads) {
        const last = impl.agent.lastRun(w);
        const sps = stat(measured.get(impl.name)?.get(w.name) ?? [])?.median;
        if (!last || !sps) continue;
        const epoch = (FASHION_MNIST.trainCount / sps).toFixed(1);
        const accuracy = last.accuracy === null ? 'no test accuracy' : `test accuracy ${last.accuracy.toFixed(3)}`;
        notes.push(`${w.name} through \`nnlab train --task ${w.task}\` (the task's settings: learning rate, He init; 1 thread): one epoch of its ${FASHION_MNIST.trainCount.toLocaleString('en-US')} training images takes ${epoch} s of training at the row's median samples/s (start-up, the test set's evaluation and saving not counted); its longest timed run reached ${accuracy} after ${last.batches.toLocaleString('en-US')} batches (${((last.batches * w.batch) / FASHION_MNIST.trainCount).toFixed(2)} epochs).`);
      }
    }
  } finally {
    for (const impl of impls) impl.agent.close();
  }
  const loadEnd = loadAverage();
  const perRound = (impl: string, w: string) => measured.get(impl)?.get(w) ?? null;
  const ratios = (impl: string, ref: string, w: string) => {
    const a = perRound(impl, w);
    const b = perRound(ref, w);
    return a && b ? ratio(a.map((x, r) => x / b[r])) : null;
  };
  const rows: BenchRow[] = [];
  for (const impl of timedImpls) {
    for (const w of impl.workloads) {
      const st = stat(perRound(impl.name, w.name)!);
      if (!st) {
        notes.push(`${impl.name} ${w.name}: no round gave a figure (start-up noise swallowed every difference), so it has no row`);
        continue;
      }
      if (st.n < rounds) notes.push(`${impl.name} ${w.name}: ${rounds - st.n} of ${rounds} rounds gave no figure (start-up noise swallowed the difference) and are left out`);
      const sps = st.median;
      rows.push({
        workload: w.name,
        shape: w.shape,
        batch: w.batch,
        impl: impl.name,
        samplesPerSecond: sps,
        gflops: (sps / w.batch) * stepFlops(w.shape, w.batch) * 1e-9,
        vsNumpy: ratios(impl.name, 'numpy', w.name),
        vsNumpy2: ratios(impl.name, 'numpy-2-threads', w.name),
        vsTfjsWasm: ratios(impl.name, 'tfjs-wasm', w.name),
        vsOneThread: /-\d+-threads$/.test(impl.name) ? ratios(impl.name, impl.name.replace(/-\d+-threads$/, ''), w.name) : null,
        rounds: st.n,
      });
    }
  }
  const sweeps = options.sweeps === false ? [] : await measureSweeps(cpus().length > 1 ? [1, 2] : [1], rounds, log);
  // the queue's sweeps are long (200 runs × 4 kinds): at most 3 rounds
  const queue = options.queue ? await measureQueue({ rounds: Math.min(3, rounds), log }) : null;
  if (options.store !== false) log('run store…');
  const store = options.store === false ? [] : [...(await benchStore()), ...benchTable()];
  return {
    machine: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' },
    numpy: numpyError,
    numpyInfo,
    rounds,
    sliceSeconds: slice,
    load: { others: stat(samples.map((s) => s.others)), steal: stat(samples.map((s) => s.steal)), loadAverage: { start: loadStart, end: loadEnd } },
    notes,
    rows,
    sweeps,
    queue,
    store,
  };
}

const x2 = (x: number) => `${x.toFixed(2)}×`;
const ratioCell = (r: Ratio | null) => (r === null ? '–' : `${x2(r.median)} [${r.q1.toFixed(2)}–${r.q3.toFixed(2)}]`);
const pct = (x: number) => `${(100 * x).toFixed(0)} %`;

/**
 * The product row next to the in-process row that does the same work (the trainer drawing the
 * task's own data): do their interquartile ranges overlap? The kernel row (pre-drawn random
 * batches) is shown too; on the seed net drawing the data costs about as much as the arithmetic.
 */
function agreement(report: BenchReport): string[] {
  const lines: string[] = [];
  for (const w of new Set(report.rows.filter((r) => r.impl === 'nnlab-train-product').map((r) => r.workload))) {
    const of = (impl: string) => report.rows.find((r) => r.workload === w && r.impl === impl)?.vsNumpy ?? null;
    const task = of('nnlab-task-f64');
    const product = of('nnlab-train-product');
    // the kernel row of the same shape: a real-data workload's is its shape's on random batches
    const kernelWorkload = w === FASHION_MNIST_WORKLOAD.name ? 'mnist' : w;
    const kernel = report.rows.find((r) => r.workload === kernelWorkload && r.impl === 'nnlab-wasm-f64')?.vsNumpy ?? null;
    if (!task || !product) continue;
    const overlap = Math.max(task.q1, product.q1) <= Math.min(task.q3, product.q3);
    lines.push(
      `${w} vs numpy: nnlab-task-f64 ${ratioCell(task)} and nnlab-train-product ${ratioCell(product)} (the same work in-process and through \`nnlab train\`): their interquartile ranges ${overlap ? 'overlap' : 'do not overlap'}${kernel ? `; nnlab-wasm-f64 on pre-drawn batches${kernelWorkload !== w ? ` (${kernelWorkload}: random data, squared error)` : ''} ${ratioCell(kernel)}` : ''}.`,
    );
  }
  return lines;
}

export function formatBench(report: BenchReport): string {
  const lines = [
    `| workload | impl | samples/s | GFLOP/s | vs numpy (1 BLAS thread) | vs numpy (2 BLAS threads) | vs tfjs-wasm | vs 1 thread |`,
    `|---|---|---:|---:|---:|---:|---:|---:|`,
    ...report.rows.map(
      (r) =>
        `| ${r.workload} [${r.shape.join(',')}] b${r.batch} | ${r.impl} | ${Math.round(r.samplesPerSecond).toLocaleString('en-US')} | ${r.gflops.toFixed(2)} | ${ratioCell(r.vsNumpy)} | ${ratioCell(r.vsNumpy2)} | ${ratioCell(r.vsTfjsWasm)} | ${ratioCell(r.vsOneThread)} |`,
    ),
  ];
  lines.push(
    '',
    `Ratios: the median over ${report.rounds} rounds of each round's ratio, [interquartile range]; samples/s: the median. Every implementation runs in a process of its own; a round times each for ${report.sliceSeconds.toFixed(2)} s, in a new random order every round.`,
  );
  const { others, steal, loadAverage: la } = report.load;
  const load = others
    ? `Machine load during the timed slices: other processes used ${pct(others.median)} of the ${report.machine.cpus} cores (median; worst slice ${pct(others.max)})${steal && steal.max > 0.005 ? `, the hypervisor stole ${pct(steal.median)} (worst ${pct(steal.max)})` : ''}; load average ${la.start.toFixed(2)} at the start, ${la.end.toFixed(2)} at the end.`
    : `Machine load: load average ${la.start.toFixed(2)} at the start, ${la.end.toFixed(2)} at the end (no per-slice CPU accounting on this platform).`;
  lines.push('', load);
  lines.push(...agreement(report).map((l) => `\n${l}`));
  if (report.sweeps.length) lines.push('', formatSweeps(report.sweeps));
  if (report.queue) lines.push('', formatQueue(report.queue));
  if (report.store.length) {
    lines.push('', '| run store (real SQLite file, WAL) | ms | target |', '|---|---:|---:|');
    for (const f of report.store) lines.push(`| ${f.name} | ${f.ms.toFixed(1)} | ${f.target === null ? '–' : `< ${f.target}`} |`);
  }
  if (report.numpy) lines.push('', report.numpy);
  const ni = report.numpyInfo;
  if (ni) {
    const removed = ni.removedEnv.length ? `; ${ni.removedEnv.join(', ')} removed from its environment` : '';
    lines.push('', `numpy ${ni.numpy}, ${ni.blas ?? 'BLAS unknown'}, kernel ${ni.core ?? `unknown${ni.coreError ? ` (${ni.coreError})` : ''}`}${removed}.`);
  }
  for (const n of report.notes) lines.push('', n);
  lines.push('', `${report.machine.platform}, ${report.machine.cpuModel}, Node ${report.machine.node}, ${report.machine.cpus} cores.`);
  return lines.join('\n');
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description("measure training speed next to the seed's numpy version and tfjs, interleaved in rounds (ratios are what count)")
    .option('--seconds <s>', 'timed seconds per implementation and workload, split over the rounds', '2.1')
    .option('--rounds <n>', 'rounds: each implementation is timed once per round, in a new order each round (ratios are medians over rounds)', '7')
    .option('--workloads <names>', `comma-separated subset of ${WORKLOADS.map((w) => w.name).join(',')}`)
    .option('--impls <names>', 'comma-separated subset of the implementations (row names, e.g. numpy,nnlab-wasm-f64)')
    .option('--no-product', 'skip the product-path measurement through `nnlab train`')
    .option('--no-tfjs', 'skip the tfjs peer (a dev dependency)')
    .option('--no-sweeps', 'skip the sweep measurement (40 runs on 1 and 2 trainer processes)')
    .option('--queue', 'also time sweeps through a job queue: the local pool vs 1, 2 and 4 nnlab workers via a Redis it starts (needs redis-server)')
    .option('--no-store', 'skip the run store measurement')
    .option('--ui', 'also time the Compare page of a 72- and a 500-run experiment in Chromium against nnlab serve (bench-ui.ts; needs playwright-core and Chromium)')
    .option('--ui-only', 'only the UI section (--ui), nothing else')
    .option('--ui-frames', "only the network view's frame times while scrubbing a [1,64,64,2] run (part of --ui)")
    .option('--json', 'print the report as JSON')
    .action(async (options: { seconds: string; rounds: string; workloads?: string; impls?: string; product: boolean; tfjs: boolean; sweeps: boolean; queue?: boolean; store: boolean; ui?: boolean; uiOnly?: boolean; uiFrames?: boolean; json?: boolean }) => {
      const log = options.json ? undefined : (s: string) => process.stderr.write(`${s}\n`);
      if (options.uiFrames) {
        const frames = await benchFrames(5, log);
        process.stdout.write(options.json ? `${JSON.stringify({ frames }, null, 2)}\n` : `${formatFrames(frames)}\n`);
        return;
      }
      if (options.uiOnly) {
        const ui = await benchUi(3, log);
        const frames = await benchFrames(5, log);
        process.stdout.write(options.json ? `${JSON.stringify({ ui, frames }, null, 2)}\n` : `${formatUi(ui)}\n\n${formatFrames(frames)}\n`);
        return;
      }
      const seconds = parseNumber(options.seconds, '--seconds') as number;
      const rounds = parseNumber(options.rounds, '--rounds') as number;
      if (!(seconds > 0)) throw new UsageError('--seconds: must be > 0');
      if (!(rounds >= 1 && Number.isInteger(rounds))) throw new UsageError('--rounds: must be a whole number ≥ 1');
      let workloads = WORKLOADS;
      if (options.workloads) {
        const names = options.workloads.split(',').map((s) => s.trim());
        const unknown = names.filter((n) => !WORKLOADS.some((w) => w.name === n));
        if (unknown.length) throw new UsageError(`--workloads: unknown workload '${unknown[0]}' (choose from ${WORKLOADS.map((w) => w.name).join(', ')})`);
        workloads = WORKLOADS.filter((w) => names.includes(w.name));
      }
      let impls: string[] | undefined;
      if (options.impls) {
        impls = options.impls.split(',').map((x) => x.trim());
        const known = implementationNames();
        const unknown = impls.filter((n) => !known.includes(n));
        if (unknown.length) throw new UsageError(`--impls: unknown implementation '${unknown[0]}' (choose from ${known.join(', ')})`);
      }
      const report = await runBench({ seconds, rounds, workloads, impls, product: options.product, tfjs: options.tfjs, sweeps: options.sweeps, queue: options.queue === true, store: options.store, log });
      const ui = options.ui ? await benchUi(3, log) : null;
      const frames = options.ui ? await benchFrames(5, log) : null;
      process.stdout.write(options.json ? `${JSON.stringify(ui ? { ...report, ui, frames } : report, null, 2)}\n` : `${formatBench(report)}${ui && frames ? `\n\n${formatUi(ui)}\n\n${formatFrames(frames)}` : ''}\n`);
    });
}
