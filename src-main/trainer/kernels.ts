/**
 * The three matrix products of a layer, as plain loops over flat typed arrays (row-major).
 * Shapes, with B batch rows, nIn inputs, nIn1 = nIn + 1 (bias column 0), nOut units:
 *
 *   forward       pre (B, nOut)    = prev (B, nIn1) · W (nOut, nIn1)ᵀ
 *   backwardData  dPrev (B, nIn)   = d (B, nOut) · W[:, 1:]
 *   weightGrad    G (nOut, nIn1)   = dᵀ (nOut, B) · prev (B, nIn1)
 *
 * `naiveKernels` is the reference: the definitions written as loops. `blockedKernels` processes
 * 4 batch rows (and 2 units in forward) per pass so each weight is loaded once for 4 rows; it
 * keeps every sum in the same order as the reference, so the two agree bit for bit (a test checks
 * it). Outputs first, inputs read-only, as in llm.c.
 */
import type { Activation, ActivationName, FloatArray } from './activations';

export interface LayerKernels {
  readonly name: string;
  forward(pre: FloatArray, prev: FloatArray, W: FloatArray, B: number, nIn1: number, nOut: number): void;
  backwardData(dPrev: FloatArray, d: FloatArray, W: FloatArray, B: number, nIn: number, nOut: number): void;
  weightGrad(G: FloatArray, d: FloatArray, prev: FloatArray, B: number, nIn1: number, nOut: number): void;
  /**
   * Faster passes for some activations over this backend's buffers, giving the JS table's
   * (activations.ts) results bit for bit; the trainer uses the table for the rest.
   */
  readonly activations?: Partial<Readonly<Record<ActivationName, Activation>>>;
  /** The SGD step w[i] −= (lr · g[i]) / rows for i < n, bit for bit as the trainer's own loop. */
  sgd?(w: FloatArray, g: FloatArray, n: number, lr: number, rows: number): void;
}

export const naiveKernels: LayerKernels = {
  name: 'js-naive',
  forward(pre, prev, W, B, nIn1, nOut) {
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < nOut; j++) {
        let s = 0;
        for (let k = 0; k < nIn1; k++) s += prev[b * nIn1 + k] * W[j * nIn1 + k];
        pre[b * nOut + j] = s;
      }
    }
  },
  backwardData(dPrev, d, W, B, nIn, nOut) {
    const nIn1 = nIn + 1;
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < nIn; i++) {
        let s = 0;
        for (let j = 0; j < nOut; j++) s += d[b * nOut + j] * W[j * nIn1 + 1 + i];
        dPrev[b * nIn + i] = s;
      }
    }
  },
  weightGrad(G, d, prev, B, nIn1, nOut) {
    for (let j = 0; j < nOut; j++) {
      for (let k = 0; k < nIn1; k++) {
        let s = 0;
        for (let b = 0; b < B; b++) s += d[b * nOut + j] * prev[b * nIn1 + k];
        G[j * nIn1 + k] = s;
      }
    }
  },
};

function forwardBlocked(pre: FloatArray, prev: FloatArray, W: FloatArray, B: number, nIn1: number, nOut: number): void {
  let b = 0;
  for (; b + 4 <= B; b += 4) {
    const p0 = b * nIn1, p1 = p0 + nIn1, p2 = p1 + nIn1, p3 = p2 + nIn1;
    const o0 = b * nOut, o1 = o0 + nOut, o2 = o1 + nOut, o3 = o2 + nOut;
    let j = 0;
    for (; j + 2 <= nOut; j += 2) {
      const w0 = j * nIn1, w1 = w0 + nIn1;
      let s00 = 0, s10 = 0, s20 = 0, s30 = 0, s01 = 0, s11 = 0, s21 = 0, s31 = 0;
      for (let k = 0; k < nIn1; k++) {
        const a = W[w0 + k], c = W[w1 + k];
        const x0 = prev[p0 + k], x1 = prev[p1 + k], x2 = prev[p2 + k], x3 = prev[p3 + k];
        s00 += x0 * a; s10 += x1 * a; s20 += x2 * a; s30 += x3 * a;
        s01 += x0 * c; s11 += x1 * c; s21 += x2 * c; s31 += x3 * c;
      }
      pre[o0 + j] = s00; pre[o1 + j] = s10; pre[o2 + j] = s20; pre[o3 + j] = s30;
      pre[o0 + j + 1] = s01; pre[o1 + j + 1] = s11; pre[o2 + j + 1] = s21; pre[o3 + j + 1] = s31;
    }
    for (; j < nOut; j++) {
      const w0 = j * nIn1;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < nIn1; k++) {
        const a = W[w0 + k];
        s0 += prev[p0 + k] * a; s1 += prev[p1 + k] * a; s2 += prev[p2 + k] * a; s3 += prev[p3 + k] * a;
      }
      pre[o0 + j] = s0; pre[o1 + j] = s1; pre[o2 + j] = s2; pre[o3 + j] = s3;
    }
  }
  for (; b < B; b++) {
    const p0 = b * nIn1;
    for (let j = 0; j < nOut; j++) {
      const w0 = j * nIn1;
      let s = 0;
      for (let k = 0; k < nIn1; k++) s += prev[p0 + k] * W[w0 + k];
      pre[b * nOut + j] = s;
    }
  }
}

function backwardDataBlocked(dPrev: FloatArray, d: FloatArray, W: FloatArray, B: number, nIn: number, nOut: number): void {
  const nIn1 = nIn + 1;
  dPrev.fill(0, 0, B * nIn);
  let b = 0;
  for (; b + 4 <= B; b += 4) {
    const r0 = b * nIn, r1 = r0 + nIn, r2 = r1 + nIn, r3 = r2 + nIn;
    const e0 = b * nOut, e1 = e0 + nOut, e2 = e1 + nOut, e3 = e2 + nOut;
    for (let j = 0; j < nOut; j++) {
      const s0 = d[e0 + j], s1 = d[e1 + j], s2 = d[e2 + j], s3 = d[e3 + j];
      const w = j * nIn1 + 1;
      for (let i = 0; i < nIn; i++) {
        const a = W[w + i];
        dPrev[r0 + i] += s0 * a; dPrev[r1 + i] += s1 * a; dPrev[r2 + i] += s2 * a; dPrev[r3 + i] += s3 * a;
      }
    }
  }
  for (; b < B; b++) {
    const r0 = b * nIn;
    for (let j = 0; j < nOut; j++) {
      const s0 = d[b * nOut + j];
      const w = j * nIn1 + 1;
      for (let i = 0; i < nIn; i++) dPrev[r0 + i] += s0 * W[w + i];
    }
  }
}

function weightGradBlocked(G: FloatArray, d: FloatArray, prev: FloatArray, B: number, nIn1: number, nOut: number): void {
  G.fill(0, 0, nOut * nIn1);
  let b = 0;
  for (; b + 4 <= B; b += 4) {
    const p0 = b * nIn1, p1 = p0 + nIn1, p2 = p1 + nIn1, p3 = p2 + nIn1;
    const e0 = b * nOut, e1 = e0 + nOut, e2 = e1 + nOut, e3 = e2 + nOut;
    for (let j = 0; j < nOut; j++) {
      const s0 = d[e0 + j], s1 = d[e1 + j], s2 = d[e2 + j], s3 = d[e3 + j];
      const g = j * nIn1;
      for (let k = 0; k < nIn1; k++) {
        // left to right: (((G + row b) + row b+1) + ...), the reference's summation order
        G[g + k] = G[g + k] + s0 * prev[p0 + k] + s1 * prev[p1 + k] + s2 * prev[p2 + k] + s3 * prev[p3 + k];
      }
    }
  }
  for (; b < B; b++) {
    const p0 = b * nIn1;
    for (let j = 0; j < nOut; j++) {
      const s0 = d[b * nOut + j];
      const g = j * nIn1;
      for (let k = 0; k < nIn1; k++) G[g + k] += s0 * prev[p0 + k];
    }
  }
}

export const blockedKernels: LayerKernels = {
  name: 'js-blocked',
  forward: forwardBlocked,
  backwardData: backwardDataBlocked,
  weightGrad: weightGradBlocked,
};
