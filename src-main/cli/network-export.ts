/**
 * The trained network of a saved run, for use elsewhere (`nnlab runs export ID --format
 * weights|numpy|onnx`, and the app's "Export network"):
 *
 * - weights: JSON (format 'nnlab-network' 1) with the shape, the hidden and output functions, the
 *   loss, the dtype, the weights as one (out, in + 1) matrix per layer (column 0 the bias), and the
 *   test inputs and nnlab's estimates beside them.
 * - numpy: one self-contained Python file in the seed's style (numpy, scipy's expit for sigmoid)
 *   with the weights embedded; `python3 FILE` rebuilds the network and prints its test estimates,
 *   one line per test point (the inputs, then the outputs, each `repr`), and `python3 FILE
 *   --retrain` retrains from the initial weights on the run's own batches (embedded when the run
 *   is float64 and they are at most RETRAIN_VALUES numbers) and prints the cost history.
 * - onnx: an ONNX model (IR version ONNX_IR_VERSION, opset ONNX_OPSET), float32 input `x`
 *   [N, inputs] with N dynamic, float32 output `y` [N, outputs]: a Gemm per layer (B the weights
 *   without their bias column, transB = 1; C the bias column) and the layer's function.
 *
 * Not the runs export (export.ts): that one is the runs' records and series.
 */
import { onnx } from 'onnx-proto';
import type { RunRecord, RunStore } from '../db/store';
import { LEAKY_SLOPE, outputFunctionName, type OutputFunctionName } from '../trainer/activations';
import { createActivations, createLayout } from '../trainer/network';
import { taskSource } from '../trainer/data';
import { SpecError } from '../trainer/spec-error';
import { TASK_DEFS } from '../trainer/tasks';
import { DataMissingError, taskFor } from '../data/sources';
import { UsageError } from './usage';

export const NETWORK_FORMATS = ['weights', 'numpy', 'onnx'] as const;
export type NetworkFormat = (typeof NETWORK_FORMATS)[number];

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 13;
/** The most batch values (inputs and targets) a numpy file embeds for --retrain. */
export const RETRAIN_VALUES = 4_000_000;

/** A saved run's network: what every export is made from. */
export interface SavedNetwork {
  run: RunRecord;
  shape: number[];
  hidden: OutputFunctionName;
  output: OutputFunctionName;
  /** layers[l]: (shape[l+1], shape[l] + 1), column 0 the bias. */
  layers: number[][][];
  /** (points, inputs) and (points, outputs). */
  testInputs: number[][];
  testEstimates: number[][];
}

function rows(data: Float64Array, width: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; width > 0 && i < data.length; i += width) out.push(Array.from(data.subarray(i, i + width)));
  return out;
}

/** Layer matrices of flat weights (layer by layer, each (out, in + 1) row by row). */
function matrices(shape: readonly number[], flat: ArrayLike<number>): number[][][] {
  const layers: number[][][] = [];
  let at = 0;
  for (let l = 0; l + 1 < shape.length; l++) {
    const cols = shape[l] + 1;
    const m: number[][] = [];
    for (let j = 0; j < shape[l + 1]; j++, at += cols) m.push(Array.from({ length: cols }, (_, k) => flat[at + k]));
    layers.push(m);
  }
  return layers;
}

/**
 * A stored table's run keeps no copy of its test inputs (they stay in the data set): read them from
 * the table in this database, as its network read them (standardised where the spec says); [] when
 * the data set is not here or the run is of another task.
 */
function tableTestInputs(store: RunStore, run: RunRecord): number[][] {
  if (TASK_DEFS[run.spec.task].sampling !== 'table') return [];
  try {
    const test = taskFor(run.spec, (sha256, columns) => store.datasets.table(sha256, columns)).test;
    return test ? rows(Float64Array.from(test.inputs), run.spec.shape[0]) : [];
  } catch (e) {
    if (e instanceof SpecError) return [];
    throw e;
  }
}

/** The network of saved run `id`, or a UsageError saying why there is none. */
export function savedNetwork(store: RunStore, id: number, flat?: ArrayLike<number>): SavedNetwork {
  const run = store.getRun(id);
  if (!run) throw new UsageError(`no run #${id} in ${store.file}`);
  const s = store.getSeries(id, ['finalWeights', 'testInputs', 'testEstimates']);
  if (!s.finalWeights) throw new UsageError(`run #${id} has no trained network (status ${run.status})`);
  const shape = run.spec.shape;
  return {
    run,
    shape,
    hidden: run.spec.activation,
    output: outputFunctionName(run.spec.outputActivation, run.spec.activation),
    layers: matrices(shape, flat ?? s.finalWeights.data),
    testInputs: s.testInputs?.data.length ? rows(s.testInputs.data, shape[0]) : tableTestInputs(store, run),
    testEstimates: s.testEstimates ? rows(s.testEstimates.data, shape[shape.length - 1]) : [],
  };
}

/** JSON numbers with NaN and ±Infinity as null (JSON has no other way). */
function jsonText(value: unknown): string {
  return `${JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1)}\n`;
}

/** The weights export (format 'nnlab-network', version 1). */
export function weightsJson(net: SavedNetwork): string {
  const { run } = net;
  return jsonText({
    format: 'nnlab-network',
    version: 1,
    run: run.id,
    shape: net.shape,
    hiddenActivation: net.hidden,
    outputActivation: net.output,
    leakySlope: LEAKY_SLOPE,
    loss: run.spec.loss,
    dtype: run.spec.dtype,
    layout: 'layers[l] is a (shape[l+1], shape[l] + 1) matrix; column 0 multiplies a constant 1 (the bias). out_0 = [1, x]; hidden out_l = [1, f(out_{l-1} · layers[l-1]ᵀ)]; output y = g(out_{L-1} · layers[L-1]ᵀ)',
    layers: net.layers,
    testInputs: net.testInputs,
    testEstimates: net.testEstimates,
  });
}

/** A Python literal of a number: JavaScript's shortest round-trip digits, which Python reads back to the same double. */
function py(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

function pyList(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(pyList).join(', ')}]` : py(value as number);
}

/**
 * The run's own batches, drawn again from its task (a stored table from this database, an
 * expression from its text) and data seed: (batches, rows, inputs) and (batches, rows, outputs)
 * flattened; null when they cannot be (not float64, too many values, or data not here).
 */
function batchesOf(store: RunStore, run: RunRecord): { inputs: Float64Array; targets: Float64Array } | null {
  const { spec } = run;
  const n = run.batchesRun ?? 0;
  const nIn = spec.shape[0];
  const nOut = spec.shape[spec.shape.length - 1];
  if (spec.dtype !== 'float64' || n * spec.batchSize * (nIn + nOut) > RETRAIN_VALUES) return null;
  let task;
  try {
    task = taskFor(spec, (sha256, columns) => store.datasets.table(sha256, columns));
  } catch (e) {
    // a data set or Fashion-MNIST's files not here: the script says its batches are not embedded
    if (e instanceof SpecError || e instanceof DataMissingError) return null;
    throw e;
  }
  if (task.inputs !== nIn || task.outputs !== nOut) return null;
  const source = taskSource(task, spec.dataSeed);
  const acts = createActivations(createLayout(spec.shape), spec.batchSize, 'float64');
  const inputs = new Float64Array(n * spec.batchSize * nIn);
  const targets = new Float64Array(n * spec.batchSize * nOut);
  for (let b = 0; b < n; b++) {
    source.fill(b, acts);
    for (let r = 0; r < spec.batchSize; r++) {
      for (let k = 0; k < nIn; k++) inputs[(b * spec.batchSize + r) * nIn + k] = acts.outs[0][r * (nIn + 1) + 1 + k];
    }
    targets.set(acts.targets, b * spec.batchSize * nOut);
  }
  return { inputs, targets };
}

/** Numbers as a Python list literal, wrapped at about 100 characters a line. */
function pyFlat(data: ArrayLike<number>): string {
  const lines: string[] = [];
  let line = '';
  for (let i = 0; i < data.length; i++) {
    const s = `${py(data[i])},`;
    if (line.length + s.length > 100) {
      lines.push(line);
      line = '';
    }
    line += line ? ` ${s}` : s;
  }
  if (line) lines.push(line);
  return `[\n    ${lines.join('\n    ')}\n]`;
}

/**
 * The numpy export: a Python file that rebuilds the network and prints its test estimates, and
 * with --retrain retrains it (when the run's initial weights and batches could be embedded).
 */
export function numpyScript(store: RunStore, net: SavedNetwork): string {
  const { run } = net;
  const { spec } = run;
  const initial = store.getWeightCheckpoints(run.id);
  const batches = initial && initial.batches[0] === 0 ? batchesOf(store, run) : null;
  const nIn = net.shape[0];
  const nOut = net.shape[net.shape.length - 1];
  const usesExpit = net.hidden === 'sigmoid' || net.output === 'sigmoid';
  const retrain = batches
    ? `
# --retrain: the run's initial weights (its checkpoint at batch 0) and its own ${run.batchesRun} batches of ${spec.batchSize}
INITIAL_WEIGHTS = ${pyFlat(initial!.weights.subarray(0, initial!.weightCount))}
BATCH_INPUTS = ${pyFlat(batches.inputs)}
BATCH_TARGETS = ${pyFlat(batches.targets)}
BATCHES, BATCH_SIZE = ${run.batchesRun}, ${spec.batchSize}
LOSS = ${JSON.stringify(spec.loss)}
OPTIMIZER = ${JSON.stringify(spec.optimizer)}
LEARNING_RATE, L1, L2 = ${py(spec.learningRate)}, ${py(spec.l1)}, ${py(spec.l2)}
MOMENTUM, BETA1, BETA2, ADAM_EPSILON = ${py(spec.momentum)}, ${py(spec.beta1)}, ${py(spec.beta2)}, ${py(spec.adamEpsilon)}


def act_deriv(name, z):
    if name == "relu":
        return (z > 0).astype(np.float64)
    if name == "sigmoid":
        s = expit(z)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if name == "leakyRelu":
        return np.where(z > 0, 1.0, LEAKY_SLOPE)
    return np.ones_like(z)


def loss_and_delta(z, p, y):
    """The batch's cost and dCost/dz (sse: half of it, the seed's convention)."""
    if LOSS == "sse":
        err = p - y
        if OUTPUT == "softmax":
            return float(np.sum(err ** 2)), p * (err - np.sum(err * p, axis=1, keepdims=True))
        return float(np.sum(err ** 2)), err * act_deriv(OUTPUT, z)
    if OUTPUT == "softmax":
        m = np.max(z, axis=1, keepdims=True)
        lse = (m + np.log(np.sum(np.exp(z - m), axis=1, keepdims=True)))[:, 0]
        return float(np.sum(lse - np.sum(y * z, axis=1))), p - y
    softplus = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    return float(np.sum(softplus - y * z)), p - y


def retrain():
    weights = unflatten(INITIAL_WEIGHTS)
    xs = np.array(BATCH_INPUTS, dtype=np.float64).reshape(BATCHES, BATCH_SIZE, ${nIn})
    ys = np.array(BATCH_TARGETS, dtype=np.float64).reshape(BATCHES, BATCH_SIZE, ${nOut})
    state = [[np.zeros_like(w) for w in weights], [np.zeros_like(w) for w in weights]]
    costs = []
    for t, (xb, yb) in enumerate(zip(xs, ys), start=1):
        n = xb.shape[0]
        zs, outs = forward(weights, xb)
        cost, delta = loss_and_delta(zs[-1], outs[-1], yb)
        costs.append(cost)
        deltas = [None] * len(outs)
        deltas[-1] = delta
        for l in range(len(outs) - 2, 0, -1):
            deltas[l] = (deltas[l + 1] @ weights[l][:, 1:]) * act_deriv(HIDDEN, zs[l])
        for l, w in enumerate(weights):
            g = (deltas[l + 1].T @ outs[l]) / n
            g[:, 1:] += L2 * w[:, 1:] + L1 * np.sign(w[:, 1:])
            m, v = state[0][l], state[1][l]
            if OPTIMIZER == "sgd":
                w -= LEARNING_RATE * g
            elif OPTIMIZER == "momentum":
                m[:] = MOMENTUM * m + g
                w -= LEARNING_RATE * m
            else:
                m[:] = BETA1 * m + (1.0 - BETA1) * g
                v[:] = BETA2 * v + (1.0 - BETA2) * g * g
                w -= LEARNING_RATE * (m / (1.0 - BETA1 ** t)) / (np.sqrt(v / (1.0 - BETA2 ** t)) + ADAM_EPSILON)
    return costs
`
    : `

def retrain():
    sys.exit("--retrain: ${batches === null && initial && initial.batches[0] === 0 ? `run #${run.id}'s batches are not embedded (${spec.dtype === 'float64' ? `more than ${RETRAIN_VALUES} values, or data nnlab cannot draw again` : `a ${spec.dtype} run: the float64 retrain would not be the same run`})` : `run #${run.id} has no stored initial weights (trained by an nnlab before weight checkpoints)`}")
`;
  return `"""Run #${run.id} of nnlab ${run.appVersion}, exported by nnlab: its trained network, in float64 numpy.

  - shape ${JSON.stringify(net.shape)}; hidden units ${net.hidden}, output ${net.output}; loss ${spec.loss}; trained ${run.batchesRun} batches (${spec.dtype}).
  - weights[l] has shape (shape[l+1], shape[l] + 1); column 0 multiplies the constant-1 bias neuron.
  - forward: out0 = [1, x]; z_l = out_{l-1} @ W_{l-1}.T; hidden out_l = [1, act(z_l)]; output out_L = f(z_L).

Usage: python3 ${`run-${run.id}.py`}            prints the test estimates, one line per test point: the inputs, then the outputs (repr)
       python3 ${`run-${run.id}.py`} --retrain  retrains from the initial weights on the run's batches and prints the cost of each batch
"""
import sys

import numpy as np
${usesExpit ? 'from scipy.special import expit\n' : ''}
nan, inf = float("nan"), float("inf")
SHAPE = ${JSON.stringify(net.shape)}
HIDDEN = ${JSON.stringify(net.hidden)}
OUTPUT = ${JSON.stringify(net.output)}
LEAKY_SLOPE = ${py(LEAKY_SLOPE)}
# the final weights, flat: layer by layer, each (out, in + 1) matrix row by row
WEIGHTS = ${pyFlat(net.layers.flat(2))}
TEST_INPUTS = ${pyList(net.testInputs)}


def unflatten(flat):
    weights, at = [], 0
    for n_in, n_out in zip(SHAPE[:-1], SHAPE[1:]):
        size = n_out * (n_in + 1)
        weights.append(np.array(flat[at:at + size], dtype=np.float64).reshape(n_out, n_in + 1))
        at += size
    return weights


def act(name, z):
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "sigmoid":
        return expit(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "leakyRelu":
        return np.where(z < 0, LEAKY_SLOPE * z, z)
    if name == "softmax":
        e = np.exp(z - np.max(z, axis=1, keepdims=True))
        return e / np.sum(e, axis=1, keepdims=True)
    return z


def with_bias(a):
    return np.concatenate((np.ones((a.shape[0], 1)), a), axis=1)


def forward(weights, x):
    outs, zs = [with_bias(x)], [None]
    for l, w in enumerate(weights):
        z = outs[-1] @ w.T
        zs.append(z)
        outs.append(act(OUTPUT, z) if l == len(weights) - 1 else with_bias(act(HIDDEN, z)))
    return zs, outs
${retrain}

if __name__ == "__main__":
    if sys.argv[1:] == ["--retrain"]:
        for cost in retrain():
            print(repr(cost))
    elif sys.argv[1:]:
        sys.exit("usage: python3 ${`run-${run.id}.py`} [--retrain]")
    else:
        x = np.array(TEST_INPUTS, dtype=np.float64).reshape(-1, SHAPE[0])
        y = forward(unflatten(WEIGHTS), x)[1][-1]
        for xi, yi in zip(x, y):
            print(" ".join(repr(float(v)) for v in [*xi, *yi]))
`;
}

const { TensorProto, AttributeProto } = onnx;

/** The ONNX export: the network as a model of Gemm nodes and activations (float32, N dynamic). */
export function onnxModel(net: SavedNetwork): Uint8Array {
  const L = net.layers.length;
  const initializer: onnx.ITensorProto[] = [];
  const node: onnx.INodeProto[] = [];
  let input = 'x';
  const unary: Record<OutputFunctionName, { op: string; attribute?: onnx.IAttributeProto[] }> = {
    relu: { op: 'Relu' },
    sigmoid: { op: 'Sigmoid' },
    tanh: { op: 'Tanh' },
    leakyRelu: { op: 'LeakyRelu', attribute: [{ name: 'alpha', type: AttributeProto.AttributeType.FLOAT, f: LEAKY_SLOPE }] },
    linear: { op: 'Identity' },
    softmax: { op: 'Softmax', attribute: [{ name: 'axis', type: AttributeProto.AttributeType.INT, i: 1 }] },
  };
  for (let l = 0; l < L; l++) {
    const m = net.layers[l];
    const nOut = m.length;
    const nIn = m[0].length - 1;
    initializer.push(
      { name: `W${l}`, dataType: TensorProto.DataType.FLOAT, dims: [nOut, nIn], floatData: m.flatMap((row) => row.slice(1)) },
      { name: `b${l}`, dataType: TensorProto.DataType.FLOAT, dims: [nOut], floatData: m.map((row) => row[0]) },
    );
    const f = unary[l === L - 1 ? net.output : net.hidden];
    const out = l === L - 1 ? 'y' : `h${l + 1}`;
    node.push({ name: `layer${l + 1}`, opType: 'Gemm', input: [input, `W${l}`, `b${l}`], output: [`z${l + 1}`], attribute: [{ name: 'transB', type: AttributeProto.AttributeType.INT, i: 1 }] });
    node.push({ name: `${f.op.toLowerCase()}${l + 1}`, opType: f.op, input: [`z${l + 1}`], output: [out], attribute: f.attribute ?? [] });
    input = out;
  }
  const tensor = (name: string, width: number): onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: width }] } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'nnlab',
    producerVersion: net.run.appVersion,
    docString: `run #${net.run.id}: shape ${JSON.stringify(net.shape)}, ${net.hidden} hidden units, ${net.output} output`,
    graph: {
      name: `nnlab_run_${net.run.id}`,
      node,
      initializer,
      input: [tensor('x', net.shape[0])],
      output: [tensor('y', net.shape[net.shape.length - 1])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** One run's network in one of NETWORK_FORMATS: text (weights, numpy) or bytes (onnx). */
export function networkExport(store: RunStore, id: number, format: NetworkFormat): string | Uint8Array {
  const net = savedNetwork(store, id);
  if (format === 'weights') return weightsJson(net);
  if (format === 'numpy') return numpyScript(store, net);
  return onnxModel(net);
}
