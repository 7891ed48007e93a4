/**
 * Bench agents: every implementation `nnlab bench` times runs in a process of its own and waits
 * for requests, so the bench can interleave them in rounds (A B C, C A B, …) and drifting load
 * from the machine's neighbours hits each alike. One process per implementation also keeps V8's
 * view of one implementation's loops (typed-array classes, tfjs's code) out of another's.
 *
 * - NodeAgent: `nnlab bench-agent` (a hidden command of the built CLI) forked with an IPC channel;
 *   it runs nnlab's trainer (a dtype, a kernel, a thread count, random batches or the task's own
 *   data) or tfjs on one backend.
 * - NumpyAgent: `python3 bench/numpy_seed.py --serve` with the BLAS thread count set, JSON lines
 *   over stdin/stdout.
 *
 * A request is "prepare these workloads" (build the network and batches, warm up: not timed) or
 * "measure workload w for about s seconds" (samples/s). Each workload's network keeps training
 * from request to request. Every message is validated on receipt, both ways.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { z } from 'zod';
import { backendFor } from '../trainer/backends';
import { now } from '../trainer/clock';
import { arraySource } from '../trainer/data';
import type { Activations } from '../trainer/network';
import { createRng } from '../trainer/prng';
import { DEFAULT_SPEC, parseRunSpec, type RunSpec } from '../trainer/spec';
import { dataContext, NO_TABLES, taskFor } from '../data/sources';
import { fashionMnistDir } from '../data/fashion-mnist';
import { Trainer } from '../trainer/trainer';
import { kernelThreads } from '../worker/kernel-threads';
import { checkTfjs, loadTfjs, type TfBackend, TfWorkload, type TfLayout, type BenchBatches } from './bench-tfjs';

export const ROOT = resolve(__dirname, '../..');

export const WorkloadSchema = z.object({
  name: z.string(),
  shape: z.array(z.int().positive()).min(2),
  batch: z.int().positive(),
  /**
   * Real data: the workload trains on this task's own data with the task's loss and settings (the
   * Fashion-MNIST images, softmax and cross-entropy), wherever it is timed (`nnlab train`, the
   * trainer in-process, numpy). Without it: random batches and the seed's squared error.
   */
  task: z.literal('fashion-mnist').optional(),
});
export type Workload = z.infer<typeof WorkloadSchema>;

/** What a Node agent runs. */
export const NodeImplSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('nnlab'),
    dtype: z.enum(['float64', 'float32']),
    kernel: z.enum(['js', 'wasm']),
    /** Threads (the wasm kernels split large products over them). */
    threads: z.int().min(1).max(64).default(1),
    /** 'batches': 64 pre-drawn random batches, cycled (as numpy is timed); 'task': the task's own data, drawn per batch (the sin/cos task's, or the workload's `task`). */
    data: z.enum(['batches', 'task']),
  }),
  z.object({ kind: z.literal('tfjs'), backend: z.enum(['wasm', 'cpu']) }),
]);
export type NodeImpl = z.input<typeof NodeImplSchema>;

const ToAgentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('prepare'), impl: NodeImplSchema, workloads: z.array(WorkloadSchema), warmupSeconds: z.number().positive() }),
  z.object({ type: z.literal('measure'), workload: z.string(), seconds: z.number().positive() }),
]);
type ToAgent = z.output<typeof ToAgentSchema>;
type ToAgentInput = z.input<typeof ToAgentSchema>;

const FromAgentSchema = z.discriminatedUnion('type', [
  /** `skipped`: workloads this implementation cannot time, and why (a failed check, tfjs missing). */
  z.object({ type: z.literal('prepared'), notes: z.array(z.string()), skipped: z.array(z.string()) }),
  z.object({ type: z.literal('measured'), samplesPerSecond: z.number().positive() }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
type FromAgent = z.infer<typeof FromAgentSchema>;

/** Learning rate of every timed implementation (small, so random targets do not diverge). */
export const BENCH_LR = 0.01;

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

/** Fisher–Yates with the bench's own seeded generator: a different order every round, the same every run. */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rng = createRng(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---- the agent's side ---------------------------------------------------------------------------

interface Timed {
  /** Samples/s over about `seconds` of whole steps. */
  measure(seconds: number): number;
}

/** nnlab's trainer on one workload (relu, no checkpoints, no timing samples), kept across requests. */
function nnlabWorkload(impl: Extract<z.output<typeof NodeImplSchema>, { kind: 'nnlab' }>, w: Workload): Timed {
  const backend = backendFor(impl.kernel, kernelThreads(impl.threads));
  let trainer: Trainer;
  if (w.task) {
    // the task's own data and settings, as `nnlab train --task` resolves them (images read and checked here)
    const parsed = parseRunSpec({ task: w.task, shape: w.shape, batchSize: w.batch, batches: 1, checkpoints: 0, dtype: impl.dtype }, { data: dataContext(() => undefined) });
    const spec: RunSpec = { ...parsed, batches: 1e9 };
    trainer = new Trainer(spec, { task: taskFor(parsed, NO_TABLES), timingEvery: 0, backend });
  } else {
    const { nb, xs, ys } = benchBatches(w);
    const cycle = arraySource(xs, ys, w.shape[0], w.shape[w.shape.length - 1]);
    // The trainer does not re-validate: a shape that does not fit a task is fine for timing.
    const spec: RunSpec = { ...DEFAULT_SPEC, shape: w.shape, batchSize: w.batch, batches: 1e9, learningRate: BENCH_LR, checkpoints: 0, dtype: impl.dtype };
    const source = impl.data === 'task' ? undefined : { fill: (i: number, acts: Activations) => cycle.fill(i % nb, acts) };
    trainer = new Trainer(spec, { source, timingEvery: 0, backend });
  }
  return {
    measure(seconds) {
      const start = now();
      const before = trainer.batchesDone;
      let dt = 0;
      // chunks of whole steps, doubled while a chunk takes under 1 ms: a slow step (a big net)
      // cannot overshoot the slice much, and the clock costs nothing next to a tiny one
      for (let k = 1; dt < seconds * 1000; ) {
        const t = now();
        trainer.run(k);
        const end = now();
        if (end - t < 1) k *= 2;
        dt = end - start;
      }
      return ((trainer.batchesDone - before) * w.batch) / (dt / 1000);
    },
  };
}

function warmUp(t: Timed, seconds: number): void {
  t.measure(seconds);
}

/** The agent's loop (`nnlab bench-agent`): answers requests on the IPC channel until the bench goes away. */
export function runAgent(): Promise<void> {
  const send = (m: FromAgent): void => {
    process.send?.(m);
  };
  const timed = new Map<string, Timed>();
  let busy: Promise<void> = Promise.resolve();

  async function handle(msg: ToAgent): Promise<void> {
    if (msg.type === 'measure') {
      const t = timed.get(msg.workload);
      if (!t) return send({ type: 'error', message: `workload ${msg.workload} was not prepared` });
      return send({ type: 'measured', samplesPerSecond: t.measure(msg.seconds) });
    }
    const { impl, workloads, warmupSeconds } = msg;
    const notes: string[] = [];
    const skipped: string[] = [];
    if (impl.kind === 'nnlab') {
      for (const w of workloads) {
        const t = nnlabWorkload(impl, w);
        warmUp(t, warmupSeconds);
        timed.set(w.name, t);
      }
      return send({ type: 'prepared', notes, skipped });
    }
    const loaded = await loadTfjs();
    if (typeof loaded === 'string') return send({ type: 'prepared', notes: [loaded], skipped: workloads.map((w) => w.name) });
    const { tf } = loaded;
    if (!loaded.backends.includes(impl.backend)) {
      return send({ type: 'prepared', notes: [...loaded.notes, `tfjs-${impl.backend} did not initialise`], skipped: workloads.map((w) => w.name) });
    }
    await tf.setBackend(impl.backend);
    await tf.ready();
    notes.push(...loaded.notes);
    // tfjs-wasm: both ways of writing the backward products, the faster one (after warm-up) is
    // the row (explicit transposes win on real layers, matMul's flags on the tiny seed net)
    const layouts: TfLayout[] = impl.backend === 'wasm' ? ['transpose', 'flags'] : ['transpose'];
    for (const w of workloads) {
      const b = benchBatches(w);
      const candidates: [TfLayout, TfWorkload, number][] = [];
      for (const layout of layouts) {
        const wrong = checkTfjs(tf, b, BENCH_LR, layout);
        if (wrong) {
          notes.push(`tfjs-${impl.backend} (${layout}) ${w.name} not timed: its first steps differ from nnlab's (${wrong})`);
          continue;
        }
        const t = new TfWorkload(tf, b, BENCH_LR, layout);
        warmUp(t, warmupSeconds);
        candidates.push([layout, t, t.measure(warmupSeconds)]);
      }
      if (candidates.length === 0) {
        skipped.push(w.name);
        continue;
      }
      candidates.sort((x, y) => y[2] - x[2]);
      timed.set(w.name, candidates[0][1]);
      for (const [, t] of candidates.slice(1)) t.dispose();
      if (candidates.length > 1) notes.push(`${w.name}: ${candidates.map(([layout, , sps]) => `${layout} ${Math.round(sps).toLocaleString('en-US')}`).join(', ')}`);
    }
    return send({ type: 'prepared', notes, skipped });
  }

  return new Promise((done) => {
    process.on('disconnect', () => done());
    process.on('message', (raw) => {
      const parsed = ToAgentSchema.safeParse(raw);
      if (!parsed.success) {
        send({ type: 'error', message: `bench agent: invalid request: ${parsed.error.issues[0]?.message}` });
        return;
      }
      busy = busy.then(() =>
        handle(parsed.data).catch((e: unknown) => {
          send({ type: 'error', message: e instanceof Error ? e.message : String(e) });
        }),
      );
    });
  });
}

// ---- the bench's side ---------------------------------------------------------------------------

export interface BenchAgent {
  readonly pid: number | undefined;
  /** Builds and warms up each workload; returns notes and the workloads it cannot time. */
  prepare(workloads: readonly Workload[], warmupSeconds: number): Promise<{ notes: string[]; skipped: string[] }>;
  measure(workload: string, seconds: number): Promise<number>;
  close(): void;
}

/** Requests answered in order over one channel: a queue of pending replies. */
class Replies<T> {
  private readonly pending: { resolve: (v: T) => void; reject: (e: Error) => void }[] = [];
  private failed: Error | null = null;

  wait(): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  answer(v: T): void {
    this.pending.shift()?.resolve(v);
  }

  fail(e: Error): void {
    this.failed ??= e;
    for (const p of this.pending.splice(0)) p.reject(e);
  }
}

function expect<T extends FromAgent['type']>(m: FromAgent, type: T): Extract<FromAgent, { type: T }> {
  if (m.type === 'error') throw new Error(m.message);
  if (m.type !== type) throw new Error(`bench agent: expected ${type}, got ${m.type}`);
  return m as Extract<FromAgent, { type: T }>;
}

/** A Node agent: the built CLI's hidden `bench-agent` command, forked. */
export class NodeAgent implements BenchAgent {
  private readonly child: ChildProcess;
  private readonly replies = new Replies<FromAgent>();
  private stderr = '';

  constructor(private readonly impl: NodeImpl) {
    this.child = fork(resolve(ROOT, 'out/main/cli.js'), ['bench-agent'], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.child.on('message', (raw) => {
      const parsed = FromAgentSchema.safeParse(raw);
      if (parsed.success) this.replies.answer(parsed.data);
      else this.replies.fail(new Error(`bench agent: invalid reply: ${parsed.error.issues[0]?.message}`));
    });
    this.child.on('exit', (code, signal) => this.replies.fail(new Error(`bench agent exited (${signal ?? code})${this.stderr ? `: ${this.stderr.trim().split('\n').pop()}` : ''}`)));
  }

  get pid() {
    return this.child.pid;
  }

  private request(m: ToAgentInput): Promise<FromAgent> {
    const reply = this.replies.wait();
    this.child.send(m);
    return reply;
  }

  async prepare(workloads: readonly Workload[], warmupSeconds: number) {
    const r = expect(await this.request({ type: 'prepare', impl: this.impl, workloads: [...workloads], warmupSeconds }), 'prepared');
    return { notes: r.notes, skipped: r.skipped };
  }

  async measure(workload: string, seconds: number) {
    return expect(await this.request({ type: 'measure', workload, seconds }), 'measured').samplesPerSecond;
  }

  close() {
    if (this.child.connected) this.child.disconnect();
  }
}

const NumpyReplySchema = z.union([
  z.object({ error: z.string() }),
  z.object({ samples_per_s: z.number().positive() }),
  z.object({ ok: z.literal(true) }),
  z.object({ numpy: z.string(), blas: z.string().optional(), core: z.string().optional(), threads: z.int().optional(), coreError: z.string().optional() }),
]);
type NumpyReply = z.infer<typeof NumpyReplySchema>;

export interface NumpyInfo {
  numpy: string;
  blas?: string;
  core?: string;
  threads?: number;
  coreError?: string;
}

/**
 * The seed's numpy version as an agent, with `threads` BLAS threads. OPENBLAS_CORETYPE and
 * OPENBLAS_L2_SIZE, which some machines set for older OpenBLAS builds and which slow a current
 * one, are removed from this process's environment only; the report says which kernel ("core")
 * OpenBLAS then ran, and what the variables were.
 */
export class NumpyAgent implements BenchAgent {
  private readonly child: ChildProcess;
  private readonly replies = new Replies<NumpyReply>();
  private stderr = '';
  readonly removedEnv: string[] = [];

  constructor(threads: number) {
    const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
    for (const name of ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE']) {
      if (env[name] !== undefined) this.removedEnv.push(`${name}=${env[name]}`);
      delete env[name];
    }
    this.child = spawn('python3', [resolve(ROOT, 'bench/numpy_seed.py'), '--serve'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.child.on('error', (e) => this.replies.fail(e));
    this.child.on('exit', (code) => this.replies.fail(new Error(`numpy agent exited (${code})${this.stderr ? `: ${this.stderr.trim().split('\n').pop()}` : ''}`)));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        this.replies.fail(new Error(`numpy agent: not JSON: ${line.slice(0, 80)}`));
        return;
      }
      const parsed = NumpyReplySchema.safeParse(json);
      if (parsed.success) this.replies.answer(parsed.data);
      else this.replies.fail(new Error(`numpy agent: invalid reply: ${line.slice(0, 80)}`));
    });
  }

  get pid() {
    return this.child.pid;
  }

  private async request(m: Record<string, unknown>): Promise<NumpyReply> {
    const reply = this.replies.wait();
    this.child.stdin!.write(`${JSON.stringify(m)}\n`);
    const r = await reply;
    if ('error' in r) throw new Error(`numpy agent: ${r.error}`);
    return r;
  }

  async info(): Promise<NumpyInfo> {
    const r = await this.request({ op: 'info' });
    if (!('numpy' in r)) throw new Error('numpy agent: expected its info');
    return r;
  }

  async prepare(workloads: readonly Workload[], warmupSeconds: number) {
    const notes: string[] = [];
    const skipped: string[] = [];
    for (const w of workloads) {
      const prepare = { op: 'prepare', workload: w.name, shape: w.shape, batch: w.batch, warmup: warmupSeconds };
      if (!w.task) {
        await this.request(prepare);
        continue;
      }
      // real data: numpy reads the same files nnlab does; files it cannot read cost this row only
      try {
        await this.request({ ...prepare, task: w.task, dir: fashionMnistDir() });
      } catch (e) {
        notes.push(`numpy ${w.name} not timed: ${(e as Error).message}`);
        skipped.push(w.name);
      }
    }
    return { notes, skipped };
  }

  async measure(workload: string, seconds: number) {
    const r = await this.request({ op: 'measure', workload, seconds });
    if (!('samples_per_s' in r)) throw new Error('numpy agent: expected samples/s');
    return r.samples_per_s;
  }

  close() {
    this.child.stdin?.end();
  }
}

export type { TfBackend };
