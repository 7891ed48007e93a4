/**
 * Losses as a table (like tensorflow/playground's `Errors.SQUARE = {error, der}`): each entry
 * gives a batch's cost, summed over its rows and outputs like the seed's, and the output delta
 * d_L that backprop starts from. The update is the same for every loss: W −= lr · (dᵀ out) / batch.
 *
 *   sse            cost Σ err² (err = out − y), delta err ⊙ act′(pre) — the seed's; with softmax
 *                  outputs the delta goes through softmax's Jacobian: p_k (err_k − Σ_j err_j p_j).
 *   cross-entropy  softmax outputs (one class per sample): cost −Σ y log p, delta p − y;
 *                  sigmoid outputs (independent 0/1 outputs, binary or multi-label):
 *                  cost −Σ [y log p + (1 − y) log(1 − p)], delta p − y.
 *                  The costs are computed from the pre-activations (log-sum-exp, softplus), so a
 *                  confident network's cost stays finite where log p of a rounded p would not.
 *
 * `gradientScale` says what the delta is a gradient of: sse's delta is half its cost's gradient
 * (the seed drops the 2 of d(err²)), cross-entropy's is the gradient itself. Finite-difference
 * checks and the regularisers' penalty (trainer.ts) use it. Adding a loss is one entry.
 */
import type { Activation, FloatArray, OutputFunctionName } from './activations';

export const LOSS_NAMES = ['sse', 'cross-entropy'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

export interface Loss {
  readonly name: LossName;
  /** Why this loss cannot follow outputs of `output` (null when it can). */
  refuses(output: OutputFunctionName): string | null;
  /** The delta is gradientScale × dCost/dpre (sse: ½, cross-entropy: 1). */
  readonly gradientScale: number;
  /**
   * Cost of rows × outputs (out = act(pre), targets y, all (rows, outputs) row-major), and the
   * output delta into `delta` (same shape).
   */
  delta(out: FloatArray, pre: FloatArray, y: FloatArray, delta: FloatArray, rows: number, outputs: number, act: Activation): number;
  /**
   * `sum` plus the cost of rows × outputs, targets read from y[yOffset …]: the test set's cost,
   * added in the same order as `delta` adds a batch's.
   */
  addCost(sum: number, out: FloatArray, pre: FloatArray, y: ArrayLike<number>, yOffset: number, rows: number, outputs: number, act: Activation): number;
  /**
   * The output layer's function as the diagnostics should judge it: under cross-entropy the
   * delta is p − y whatever the slope of p, so no output unit is dead or saturated for it.
   */
  healthOf(act: Activation): Activation;
}

/** log(1 + exp(z)) without overflow. */
function softplus(z: number): number {
  return (z > 0 ? z : 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

const NEVER_FLAT: Pick<Activation, 'df' | 'saturated'> = { df: () => 1, saturated: () => false };

const sse: Loss = {
  name: 'sse',
  refuses: () => null,
  gradientScale: 0.5,
  delta(out, pre, y, d, rows, outputs, act) {
    const n = rows * outputs;
    let cost = 0;
    for (let i = 0; i < n; i++) {
      const e = out[i] - y[i];
      d[i] = e;
      cost += e * e;
    }
    if (act.name !== 'softmax') act.backward(pre, d, n);
    else {
      // d_k = Σ_j err_j ∂p_j/∂z_k = p_k (err_k − Σ_j err_j p_j)
      for (let r = 0; r < rows; r++) {
        const o = r * outputs;
        let dot = 0;
        for (let k = 0; k < outputs; k++) dot += d[o + k] * out[o + k];
        for (let k = 0; k < outputs; k++) d[o + k] = out[o + k] * (d[o + k] - dot);
      }
    }
    return cost;
  },
  addCost(sum, out, _pre, y, yo, rows, outputs) {
    const n = rows * outputs;
    for (let i = 0; i < n; i++) {
      const e = out[i] - y[yo + i];
      sum += e * e;
    }
    return sum;
  },
  healthOf: (act) => act,
};

/** Σ over one row of −y log p (softmax) or −[y log p + (1 − y) log(1 − p)] (sigmoid), from the pre-activations. */
function rowCost(softmax: boolean, pre: FloatArray, p: number, y: ArrayLike<number>, yo: number, outputs: number): number {
  let c = 0;
  if (softmax) {
    // −Σ y_k log p_k = Σ y_k (lse − z_k), lse = log Σ exp z
    let max = -Infinity;
    for (let k = 0; k < outputs; k++) if (pre[p + k] > max) max = pre[p + k];
    let s = 0;
    for (let k = 0; k < outputs; k++) s += Math.exp(pre[p + k] - max);
    const lse = max + Math.log(s);
    for (let k = 0; k < outputs; k++) {
      const t = y[yo + k];
      if (t !== 0) c += t * (lse - pre[p + k]);
    }
  } else {
    // −[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y z
    for (let k = 0; k < outputs; k++) {
      const z = pre[p + k];
      c += softplus(z) - y[yo + k] * z;
    }
  }
  return c;
}

const crossEntropy: Loss = {
  name: 'cross-entropy',
  refuses(output) {
    return output === 'softmax' || output === 'sigmoid' ? null : `cross-entropy needs probabilities out of the network: output activation softmax or sigmoid, not ${output}`;
  },
  gradientScale: 1,
  delta(out, pre, y, d, rows, outputs, act) {
    const softmax = act.name === 'softmax';
    let cost = 0;
    for (let r = 0; r < rows; r++) {
      const o = r * outputs;
      cost += rowCost(softmax, pre, o, y, o, outputs);
      for (let k = 0; k < outputs; k++) d[o + k] = out[o + k] - y[o + k];
    }
    return cost;
  },
  addCost(sum, _out, pre, y, yo, rows, outputs, act) {
    const softmax = act.name === 'softmax';
    for (let r = 0; r < rows; r++) sum += rowCost(softmax, pre, r * outputs, y, yo + r * outputs, outputs);
    return sum;
  },
  healthOf: (act) => ({ ...act, ...NEVER_FLAT }),
};

export const LOSSES: Readonly<Record<LossName, Loss>> = { sse, 'cross-entropy': crossEntropy };

/** Why a network cannot end in `output` with `outputs` units under `loss` (null when it can). */
export function outputRefusal(loss: Loss, output: OutputFunctionName, outputs: number): string | null {
  if (output === 'softmax' && outputs < 2) return 'softmax over one output is always 1: use two or more output units, or sigmoid';
  return loss.refuses(output);
}
