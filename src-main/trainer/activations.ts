/**
 * Activation functions as a table (like tensorflow/playground's `Activations`): each entry pairs
 * the function with its derivative with respect to the pre-activation, as whole-block loops so
 * the trainer makes one call per layer, not one per element. Adding an activation is one entry.
 */

export type FloatArray = Float64Array | Float32Array;

export const ACTIVATION_NAMES = ['relu', 'sigmoid', 'tanh', 'leakyRelu', 'linear'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** Slope of leaky relu for negative inputs. */
export const LEAKY_SLOPE = 0.01;

/**
 * What the output layer may apply (spec.outputActivation): "seed" is the hidden activation (the
 * seed applies it to the output too), the others name a function; softmax exists only here, since
 * it works on a whole row of outputs, never on a hidden layer.
 */
export const OUTPUT_MODES = ['seed', 'linear', 'sigmoid', 'softmax'] as const;
export type OutputMode = (typeof OUTPUT_MODES)[number];
export type OutputFunctionName = ActivationName | 'softmax';

/** The output layer's function for an output mode and hidden activation. */
export function outputFunctionName(mode: OutputMode, hidden: ActivationName): OutputFunctionName {
  return mode === 'seed' ? hidden : mode;
}

export interface Activation {
  readonly name: OutputFunctionName;
  /** Scalar function (used by tests and diagnostics). */
  f(z: number): number;
  /** Scalar derivative df/dz. */
  df(z: number): number;
  /**
   * out[r*outStride + outOffset + c] = f(pre[r*cols + c]) for r < rows, c < cols.
   * pre (rows, cols) contiguous; out is strided so hidden layers can keep their bias column 0.
   */
  forward(pre: FloatArray, out: FloatArray, rows: number, cols: number, outStride: number, outOffset: number): void;
  /** delta[i] *= df(pre[i]) for i < n. */
  backward(pre: FloatArray, delta: FloatArray, n: number): void;
  /** True where a unit is saturated (derivative below 1 % of its peak); false for non-saturating functions. */
  saturated(z: number): boolean;
}

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

const relu: Activation = {
  name: 'relu',
  f: (z) => (z > 0 ? z : 0),
  df: (z) => (z > 0 ? 1 : 0),
  forward(pre, out, rows, cols, stride, offset) {
    for (let r = 0; r < rows; r++) {
      const p = r * cols;
      const o = r * stride + offset;
      for (let c = 0; c < cols; c++) {
        const z = pre[p + c];
        out[o + c] = z < 0 ? 0 : z; // NaN passes through, as numpy's maximum does
      }
    }
  },
  backward(pre, delta, n) {
    // multiply (not assign 0) so an infinite delta becomes NaN exactly as in the oracle
    for (let i = 0; i < n; i++) delta[i] *= pre[i] > 0 ? 1 : 0;
  },
  saturated: () => false,
};

const sigmoidAct: Activation = {
  name: 'sigmoid',
  f: sigmoid,
  df: (z) => {
    const s = sigmoid(z);
    return s * (1 - s);
  },
  forward(pre, out, rows, cols, stride, offset) {
    for (let r = 0; r < rows; r++) {
      const p = r * cols;
      const o = r * stride + offset;
      for (let c = 0; c < cols; c++) out[o + c] = 1 / (1 + Math.exp(-pre[p + c]));
    }
  },
  backward(pre, delta, n) {
    for (let i = 0; i < n; i++) {
      const s = 1 / (1 + Math.exp(-pre[i]));
      delta[i] *= s * (1 - s);
    }
  },
  // s(1-s) < 0.0099 (outside [0.01, 0.99]) when |z| > ln(99)
  saturated: (z) => Math.abs(z) > 4.59511985013459,
};

const tanhAct: Activation = {
  name: 'tanh',
  f: Math.tanh,
  df: (z) => {
    const t = Math.tanh(z);
    return 1 - t * t;
  },
  forward(pre, out, rows, cols, stride, offset) {
    for (let r = 0; r < rows; r++) {
      const p = r * cols;
      const o = r * stride + offset;
      for (let c = 0; c < cols; c++) out[o + c] = Math.tanh(pre[p + c]);
    }
  },
  backward(pre, delta, n) {
    for (let i = 0; i < n; i++) {
      const t = Math.tanh(pre[i]);
      delta[i] *= 1 - t * t;
    }
  },
  // |tanh z| > 0.99 when |z| > atanh(0.99)
  saturated: (z) => Math.abs(z) > 2.6466524123622457,
};

const leakyRelu: Activation = {
  name: 'leakyRelu',
  f: (z) => (z > 0 ? z : LEAKY_SLOPE * z),
  df: (z) => (z > 0 ? 1 : LEAKY_SLOPE),
  forward(pre, out, rows, cols, stride, offset) {
    for (let r = 0; r < rows; r++) {
      const p = r * cols;
      const o = r * stride + offset;
      for (let c = 0; c < cols; c++) {
        const z = pre[p + c];
        out[o + c] = z < 0 ? LEAKY_SLOPE * z : z;
      }
    }
  },
  backward(pre, delta, n) {
    for (let i = 0; i < n; i++) delta[i] *= pre[i] > 0 ? 1 : LEAKY_SLOPE;
  },
  saturated: () => false,
};

const linear: Activation = {
  name: 'linear',
  f: (z) => z,
  df: () => 1,
  forward(pre, out, rows, cols, stride, offset) {
    for (let r = 0; r < rows; r++) {
      const p = r * cols;
      const o = r * stride + offset;
      for (let c = 0; c < cols; c++) out[o + c] = pre[p + c];
    }
  },
  backward() {},
  saturated: () => false,
};

export const ACTIVATIONS: Readonly<Record<ActivationName, Activation>> = {
  relu,
  sigmoid: sigmoidAct,
  tanh: tanhAct,
  leakyRelu,
  linear,
};

/**
 * Softmax over each row of outputs: p_k = exp(z_k − max z) / Σ_j exp(z_j − max z) (shifted by the
 * row's maximum so no exp overflows). Its Jacobian is not diagonal, so it has no elementwise
 * derivative: the losses apply it themselves (cross-entropy's delta is p − y; sum of squares uses
 * the full Jacobian), and `backward` refuses. Diagnostics never count a softmax unit dead or
 * saturated (f and df below only serve that: a row-wise function has no per-unit slope).
 */
export const SOFTMAX: Activation = {
  name: 'softmax',
  f: () => NaN,
  df: () => 1,
  forward(pre, out, rows, cols, stride, offset) {
    for (let r = 0; r < rows; r++) {
      const p = r * cols;
      const o = r * stride + offset;
      let max = -Infinity;
      for (let c = 0; c < cols; c++) if (pre[p + c] > max) max = pre[p + c];
      let sum = 0;
      for (let c = 0; c < cols; c++) {
        const e = Math.exp(pre[p + c] - max);
        out[o + c] = e;
        sum += e;
      }
      for (let c = 0; c < cols; c++) out[o + c] /= sum;
    }
  },
  backward() {
    throw new Error('softmax has no elementwise derivative: the loss applies its Jacobian');
  },
  saturated: () => false,
};

/** The function named `name`, softmax included (the output layer's choices). */
export function outputFunction(name: OutputFunctionName): Activation {
  return name === 'softmax' ? SOFTMAX : ACTIVATIONS[name];
}
