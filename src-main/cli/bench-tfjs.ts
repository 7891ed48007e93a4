/**
 * The peer in `nnlab bench`: TensorFlow.js (@tensorflow/tfjs with @tensorflow/tfjs-backend-wasm, and
 * its cpu backend), the TypeScript user's usual choice, running the seed's algorithm on the same
 * workloads and batches as nnlab and numpy:
 *
 *   out_0 = [1, x]; pre_l = out_{l-1} · W_{l-1}; out_l = [1, relu(pre_l)] (hidden) or relu(pre_L);
 *   e = out_L − y; cost = Σ e²; d_L = e ⊙ (pre_L > 0); d_l = (d_{l+1} · W_l[1:, :]ᵀ) ⊙ (pre_l > 0);
 *   W_l −= lr · out_lᵀ · d_{l+1} / batch   (all deltas with the batch's starting weights)
 *
 * Weights are stored as (in + 1, out), nnlab's (out, in + 1) transposed, with the bias in row 0:
 * the forward product needs no transpose. (In tfjs 4.22 the wasm backend's fused matMul with
 * transposeB and a bias gives wrong results; this avoids fused ops altogether.) The two backward
 * products transpose their operand explicitly (tf.transpose, then a plain matMul): measured on a
 * (128, 257, 256) layer, tfjs-wasm's matMul with transposeA or transposeB runs at 1–2 GFLOP/s
 * against 13–26 without (XNNPACK); the bench times both forms (TfLayout) and keeps the faster, so
 * the peer is timed at its best. Every step runs in tf.tidy,
 * weights are variables updated in place, and the tensor count is checked after timing.
 *
 * Before a backend is timed on a workload, its first steps are checked against nnlab's float32
 * trainer from the same initial weights on the same batches (tfjs computes in float32): a peer
 * that computes something else is not timed.
 *
 * tfjs is a dev dependency, loaded lazily with a dynamic import of a computed name (so the bundler
 * leaves it alone and the CLI works without it); when it is missing the bench says so and goes on.
 */
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { now } from '../trainer/clock';
import { arraySource } from '../trainer/data';
import { DEFAULT_SPEC, type RunSpec } from '../trainer/spec';
import { Trainer } from '../trainer/trainer';

type Tf = typeof TF;
export type TfBackend = 'wasm' | 'cpu';

/** One workload's batches, as the nnlab and numpy measurements see them: (nb, batch, n) row-major. */
export interface BenchBatches {
  shape: number[];
  batch: number;
  nb: number;
  xs: Float64Array;
  ys: Float64Array;
}

const ROOT = resolve(__dirname, '../..');
const TFJS = '@tensorflow/tfjs';
const TFJS_WASM = '@tensorflow/tfjs-backend-wasm';

/** tfjs with the backends that initialised, or why it is unavailable. */
export async function loadTfjs(): Promise<{ tf: Tf; backends: TfBackend[]; notes: string[] } | string> {
  // computed names: a literal would make the bundler pull tfjs into the CLI bundle
  const load = (name: string): Promise<Record<string, unknown>> => import(/* @vite-ignore */ name);
  let tf: Tf;
  try {
    const m = await load(TFJS);
    tf = (typeof m.tidy === 'function' ? m : m.default) as Tf;
  } catch (e) {
    return `tfjs peer unavailable (${TFJS} is a dev dependency): ${(e as Error).message.split('\n')[0]}`;
  }
  // no debug checks, and no "install tfjs-node" notice on first use of the cpu backend
  tf.enableProdMode();
  const backends: TfBackend[] = [];
  const notes: string[] = [];
  try {
    const wasm = (await load(TFJS_WASM)) as { setWasmPaths?: (prefix: string) => void; default?: { setWasmPaths(prefix: string): void } };
    const setWasmPaths = wasm.setWasmPaths ?? wasm.default!.setWasmPaths;
    // the .wasm files sit beside the package's main script (dist/); a file path works in Node
    const dist = `${dirname(createRequire(resolve(ROOT, 'package.json')).resolve(TFJS_WASM))}/`;
    setWasmPaths(dist);
    if (await tf.setBackend('wasm')) backends.push('wasm');
    else notes.push('tfjs-wasm backend did not initialise');
  } catch (e) {
    notes.push(`tfjs-wasm unavailable: ${(e as Error).message.split('\n')[0]}`);
  }
  backends.push('cpu');
  return { tf, backends, notes };
}

/**
 * How the backward products are written: `transpose` (explicit tf.transpose, then a plain matMul:
 * tfjs-wasm's fast path on real layers) or `flags` (matMul's transposeA/transposeB, the form
 * tfjs's own matMul gradient uses: a slow path in tfjs-wasm 4.22, but two ops fewer, which wins on
 * the tiny seed net). The bench times tfjs-wasm both ways and keeps the faster.
 */
export type TfLayout = 'transpose' | 'flags';

/** The network in tfjs: weights (in + 1, out) per layer as variables, the batches as tensors. */
class TfNet {
  readonly W: TF.Variable<TF.Rank.R2>[];
  private readonly ones: TF.Tensor2D;
  private readonly xs: TF.Tensor2D[];
  private readonly ys: TF.Tensor2D[];

  /** `flat`: nnlab's weights, (out, in + 1) per layer, concatenated. */
  constructor(
    private readonly tf: Tf,
    private readonly b: BenchBatches,
    flat: ArrayLike<number>,
    private readonly lr: number,
    private readonly layout: TfLayout = 'transpose',
  ) {
    const { shape, batch, nb } = b;
    this.W = [];
    let off = 0;
    for (let l = 0; l + 1 < shape.length; l++) {
      const nIn1 = shape[l] + 1;
      const nOut = shape[l + 1];
      const t = new Float32Array(nIn1 * nOut);
      for (let j = 0; j < nOut; j++) for (let k = 0; k < nIn1; k++) t[k * nOut + j] = flat[off + j * nIn1 + k];
      off += nIn1 * nOut;
      const init = tf.tensor2d(t, [nIn1, nOut]);
      this.W.push(tf.variable(init));
      init.dispose(); // the variable keeps its own reference to the data
    }
    this.ones = tf.ones([batch, 1]);
    const nIn = shape[0];
    const nOut = shape[shape.length - 1];
    this.xs = [];
    this.ys = [];
    for (let i = 0; i < nb; i++) {
      this.xs.push(tf.tensor2d(Float32Array.from(b.xs.subarray(i * batch * nIn, (i + 1) * batch * nIn)), [batch, nIn]));
      this.ys.push(tf.tensor2d(Float32Array.from(b.ys.subarray(i * batch * nOut, (i + 1) * batch * nOut)), [batch, nOut]));
    }
  }

  /** One training step on batch i % nb; returns the cost tensor (the caller disposes it). */
  step(i: number): TF.Scalar {
    const tf = this.tf;
    const W = this.W;
    const L = W.length;
    const ones = this.ones;
    const x = this.xs[i % this.b.nb];
    const y = this.ys[i % this.b.nb];
    const lr = this.lr;
    const batch = this.b.batch;
    return tf.tidy(() => {
      const outs: TF.Tensor2D[] = [tf.concat([ones, x], 1)];
      const pres: TF.Tensor2D[] = [];
      for (let l = 0; l < L; l++) {
        const pre = tf.matMul(outs[l], W[l]) as TF.Tensor2D;
        pres.push(pre);
        const o = tf.relu(pre);
        outs.push(l + 1 < L ? tf.concat([ones, o], 1) : o);
      }
      const e = tf.sub(outs[L], y);
      const cost = tf.sum(tf.square(e)) as TF.Scalar;
      let d = tf.mul(e, tf.step(pres[L - 1])) as TF.Tensor2D;
      const grads: TF.Tensor2D[] = new Array(L);
      for (let l = L - 1; l >= 0; l--) {
        // out_lᵀ · d and d · W_l[1:, :]ᵀ, transposed explicitly unless timing the flags form (see above)
        const flags = this.layout === 'flags';
        grads[l] = flags ? (tf.matMul(outs[l], d, true, false) as TF.Tensor2D) : tf.matMul(tf.transpose(outs[l]), d);
        if (l > 0) {
          const wNoBias = tf.slice(W[l], [1, 0], [-1, -1]);
          const back = flags ? tf.matMul(d, wNoBias, false, true) : tf.matMul(d, tf.transpose(wNoBias));
          d = tf.mul(back, tf.step(pres[l - 1])) as TF.Tensor2D;
        }
      }
      for (let l = 0; l < L; l++) W[l].assign(tf.sub(W[l], tf.div(tf.mul(lr, grads[l]), batch)));
      return cost;
    });
  }

  /** The weights as nnlab's flat (out, in + 1) layout. */
  weights(): Float64Array {
    const { shape } = this.b;
    const parts: number[] = [];
    for (let l = 0; l < this.W.length; l++) {
      const nIn1 = shape[l] + 1;
      const nOut = shape[l + 1];
      const t = this.W[l].dataSync();
      for (let j = 0; j < nOut; j++) for (let k = 0; k < nIn1; k++) parts.push(t[k * nOut + j]);
    }
    return Float64Array.from(parts);
  }

  dispose(): void {
    for (const t of [...this.W, this.ones, ...this.xs, ...this.ys]) t.dispose();
  }
}

const CHECK_STEPS = 5;

function benchSpec(b: BenchBatches, lr: number, batches: number): RunSpec {
  // as the bench agent: the trainer does not re-validate, so any shape is fine for timing
  return { ...DEFAULT_SPEC, shape: b.shape, batchSize: b.batch, batches, learningRate: lr, checkpoints: 0, dtype: 'float32' };
}

/**
 * Runs CHECK_STEPS steps in tfjs and in nnlab's float32 trainer from the same initial weights on
 * the same batches. The costs must agree to 1e-4 relative, and the weight changes ΔW = W_k − W_0
 * (which a wrong gradient, transpose or derivative would spoil) to 1e-3 of their largest entry.
 * Returns null when they agree, else what differs.
 */
export function checkTfjs(tf: Tf, b: BenchBatches, lr: number, layout: TfLayout = 'transpose'): string | null {
  const nIn = b.shape[0];
  const nOut = b.shape[b.shape.length - 1];
  const source = arraySource(b.xs, b.ys, nIn, nOut);
  const trainer = new Trainer(benchSpec(b, lr, CHECK_STEPS), { source: { fill: (i, acts) => source.fill(i % b.nb, acts) }, timingEvery: 0, stopOnDivergence: false });
  const w0 = Float64Array.from(trainer.params.flat);
  const net = new TfNet(tf, b, w0, lr, layout);
  try {
    for (let i = 0; i < CHECK_STEPS; i++) {
      trainer.step();
      const c = net.step(i);
      const cost = c.dataSync()[0];
      c.dispose();
      const ref = trainer.costHistory[i];
      if (!(Math.abs(cost - ref) <= 1e-4 * Math.abs(ref) + 1e-6)) return `cost of step ${i + 1}: tfjs ${cost}, nnlab ${ref}`;
    }
    const wTf = net.weights();
    const wNn = trainer.params.flat;
    let maxDelta = 0;
    for (let i = 0; i < w0.length; i++) maxDelta = Math.max(maxDelta, Math.abs(wNn[i] - w0[i]));
    for (let i = 0; i < w0.length; i++) {
      const diff = Math.abs(wTf[i] - w0[i] - (wNn[i] - w0[i]));
      if (!(diff <= 1e-3 * maxDelta + 1e-7)) return `weight ${i} after ${CHECK_STEPS} steps: tfjs changed it by ${wTf[i] - w0[i]}, nnlab by ${wNn[i] - w0[i]}`;
    }
    return null;
  } finally {
    net.dispose();
  }
}


/**
 * tfjs training one workload on the current backend, kept across requests (as the bench agent
 * times it): the same initial weights as nnlab's run of this workload. `measure` throws if its
 * steps leaked tensors; `dispose` frees the network's own.
 */
export class TfWorkload {
  private readonly net: TfNet;
  private n = 0;

  constructor(
    private readonly tf: Tf,
    private readonly b: BenchBatches,
    lr: number,
    layout: TfLayout = 'transpose',
  ) {
    const spec = benchSpec(b, lr, 1);
    this.net = new TfNet(tf, b, Float64Array.from(new Trainer(spec, { timingEvery: 0, source: { fill: () => {} } }).params.flat), lr, layout);
  }

  /** Samples/s over about `seconds` of whole steps (the clock read after every step). */
  measure(seconds: number): number {
    const before = this.tf.memory().numTensors;
    const start = now();
    const from = this.n;
    let dt = 0;
    while (dt < seconds * 1000) {
      this.net.step(this.n++).dispose();
      dt = now() - start;
    }
    const leaked = this.tf.memory().numTensors - before;
    if (leaked !== 0) throw new Error(`tfjs bench leaked ${leaked} tensors`);
    return ((this.n - from) * this.b.batch) / (dt / 1000);
  }

  dispose(): void {
    this.net.dispose();
  }
}
