/**
 * The network view's model (issue 15), pure: from a run's flat weights at a checkpoint, which edges
 * are drawn (colour = sign, width = |w|), what each unit computes over the view points (its
 * activation; for 1-D tasks each hidden unit's curve and the output built as the sum of the last
 * hidden layer's pieces, activation × outgoing weight, plus the bias), and each hidden unit's
 * health over the checkpoints (dead since batch k: zero slope at every view point from that
 * checkpoint on; saturated share). The renderer draws it (NetworkView.vue); the trainer's own
 * diagnostics judge dead units the same way on their probe points.
 *
 * Weights are flat in finalWeights' order: layer l is a (shape[l+1], shape[l] + 1) matrix row by
 * row, column 0 the bias.
 */
import { ACTIVATIONS, type OutputFunctionName, SOFTMAX } from '../trainer/activations';
import { gridPoints, linspace } from '../trainer/tasks';
import { quantileSorted } from './stats';

/** At most this many edges are drawn: the largest |w| first (the rest are listed as left out). */
export const MAX_EDGES = 400;

export interface Edge {
  /** The layer of weights (0: inputs → first hidden layer). */
  layer: number;
  /** The source unit in layer `layer` (−1: the bias). */
  from: number;
  /** The unit in layer `layer + 1`. */
  to: number;
  w: number;
}

function fn(name: OutputFunctionName) {
  return name === 'softmax' ? SOFTMAX : ACTIVATIONS[name];
}

/** Offset of weight (layer, to, column) in the flat weights. */
function offsetsOf(shape: readonly number[]): number[] {
  const out = [0];
  for (let l = 0; l + 1 < shape.length; l++) out.push(out[l] + shape[l + 1] * (shape[l] + 1));
  return out;
}

/**
 * The edges to draw: every non-bias weight when there are at most maxEdges, else the maxEdges
 * largest by |w| (ties by position); `hidden` says how many were left out and the smallest |w| drawn.
 */
export function edgesOf(shape: readonly number[], flat: ArrayLike<number>, maxEdges = MAX_EDGES): { edges: Edge[]; hidden: number; minShown: number } {
  const at = offsetsOf(shape);
  // the edges in order, by where each one's weight is (layer, to, from) and its |w|
  const where: number[] = [];
  for (let l = 0; l + 1 < shape.length; l++) {
    const cols = shape[l] + 1;
    for (let j = 0; j < shape[l + 1]; j++) for (let k = 1; k < cols; k++) where.push(at[l] + j * cols + k);
  }
  const edgeAt = (i: number): Edge => {
    const o = where[i];
    let l = 0;
    while (o >= at[l + 1]) l++;
    const cols = shape[l] + 1;
    const r = o - at[l];
    return { layer: l, from: (r % cols) - 1, to: Math.floor(r / cols), w: flat[o] };
  };
  const n = where.length;
  const order = Array.from({ length: n }, (_, i) => i);
  if (n > maxEdges) {
    // the maxEdges largest |w| (ties, and NaN, by position), then back in order
    const abs = Float64Array.from(where, (o) => Math.abs(flat[o]));
    order.sort((a, b) => abs[b] - abs[a] || a - b);
    order.length = maxEdges;
    order.sort((a, b) => a - b);
  }
  const edges = order.map(edgeAt);
  return { edges, hidden: n - edges.length, minShown: edges.reduce((m, e) => Math.min(m, Math.abs(e.w)), Infinity) };
}

/** The bias of unit `to` of layer l + 1. */
export function biasOf(shape: readonly number[], flat: ArrayLike<number>, layer: number, to: number): number {
  return flat[offsetsOf(shape)[layer] + to * (shape[layer] + 1)];
}

/** Points along each input of the view: 101 over a 1-D task's domain, 25 per axis of a 2-D one's box. */
export const VIEW_LINE = 101;
export const VIEW_SIDE = 25;

/**
 * Where the view judges and draws the units, (points, inputs): 101 points over a 1-D box, a 25 × 25
 * grid over a 2-D box (first input slowest, as gridPoints lays it out); null for more inputs (no
 * picture of a unit over them).
 */
export function viewPointsOf(box: readonly (readonly [number, number])[]): Float64Array | null {
  if (box.length === 1) return linspace(box[0][0], box[0][1], VIEW_LINE);
  if (box.length === 2) return gridPoints(box, [VIEW_SIDE, VIEW_SIDE]);
  return null;
}

/** Unit `to` of layer `layer` + 1's incoming weights: its bias and one weight per unit of layer `layer`, in order. */
export function incomingOf(shape: readonly number[], flat: ArrayLike<number>, layer: number, to: number): { bias: number; weights: number[] } {
  const cols = shape[layer] + 1;
  const at = offsetsOf(shape)[layer] + to * cols;
  return { bias: flat[at], weights: Array.from({ length: cols - 1 }, (_, k) => flat[at + 1 + k]) };
}

/** Unit j of layer l's values at every view point, from forwardAll's outs (or pres): column j of the (points, shape[l]) matrix. */
export function unitColumn(values: readonly Float64Array[], shape: readonly number[], l: number, j: number): Float64Array {
  const n = shape[l];
  const m = values[l];
  return Float64Array.from({ length: m.length / n }, (_, p) => m[p * n + j]);
}

type Forward = { pres: Float64Array[]; outs: Float64Array[]; points: number };

/**
 * Forwards already computed, by weights row, then by view points, then by net: the view asks for
 * the same checkpoint's forward several times a step (its pictures, its pieces, its units' health,
 * a unit's card) and unitHealth for every earlier checkpoint, each time the slider moves. Keyed
 * by the arrays themselves (weak: they go with them), so a row or a set of view points must not be
 * changed in place once asked about — the view's never are (each checkpoint is its own array).
 */
const FORWARDS = new WeakMap<object, WeakMap<object, Map<string, Forward>>>();

/**
 * Pre-activations and activations of every layer 1..L at `points` rows of inputs: pres[l], outs[l]
 * (points, shape[l]); index 0 holds the inputs. The arrays are shared between calls with the same
 * weights and inputs (see FORWARDS): read them, do not write them.
 */
export function forwardAll(shape: readonly number[], flat: ArrayLike<number>, hidden: OutputFunctionName, output: OutputFunctionName, inputs: ArrayLike<number>): Forward {
  const key = `${shape.join(',')}|${hidden}|${output}`;
  let byInputs = FORWARDS.get(flat);
  if (!byInputs) FORWARDS.set(flat, (byInputs = new WeakMap()));
  let byNet = byInputs.get(inputs);
  if (!byNet) byInputs.set(inputs, (byNet = new Map()));
  const known = byNet.get(key);
  if (known) return known;
  const computed = forwardOnce(shape, flat, hidden, output, inputs);
  byNet.set(key, computed);
  return computed;
}

/** forwardAll, computed. */
function forwardOnce(shape: readonly number[], flat: ArrayLike<number>, hidden: OutputFunctionName, output: OutputFunctionName, inputs: ArrayLike<number>): Forward {
  const L = shape.length - 1;
  const points = inputs.length / shape[0];
  const at = offsetsOf(shape);
  const pres: Float64Array[] = [Float64Array.from(inputs)];
  const outs: Float64Array[] = [Float64Array.from(inputs)];
  for (let l = 0; l < L; l++) {
    const nIn = shape[l];
    const nOut = shape[l + 1];
    const cols = nIn + 1;
    const z = new Float64Array(points * nOut);
    const a = outs[l];
    for (let r = 0; r < points; r++) {
      for (let j = 0; j < nOut; j++) {
        const w = at[l] + j * cols;
        let s = flat[w];
        for (let k = 0; k < nIn; k++) s += a[r * nIn + k] * flat[w + 1 + k];
        z[r * nOut + j] = s;
      }
    }
    const f = fn(l === L - 1 ? output : hidden);
    const y = new Float64Array(points * nOut);
    f.forward(z, y, points, nOut, nOut, 0);
    pres.push(z);
    outs.push(y);
  }
  return { pres, outs, points };
}

/**
 * The output as the sum of the last hidden layer's pieces (1-D view): for output unit `out`,
 * pieces[u][p] = a_u(x_p) · W[L−1][out][u + 1], and bias + Σ_u pieces[u][p] = the output's
 * pre-activation z(x_p), whose output function gives the network's output.
 */
export function piecesOf(shape: readonly number[], flat: ArrayLike<number>, hidden: OutputFunctionName, output: OutputFunctionName, inputs: ArrayLike<number>, out: number) {
  const L = shape.length - 1;
  const { pres, outs, points } = forwardAll(shape, flat, hidden, output, inputs);
  const n = shape[L - 1];
  const w = offsetsOf(shape)[L - 1] + out * (n + 1);
  const a = outs[L - 1];
  const pieces = Array.from({ length: n }, (_, u) => Float64Array.from({ length: points }, (_, p) => a[p * n + u] * flat[w + 1 + u]));
  const sum = Float64Array.from({ length: points }, (_, p) => pieces.reduce((s, piece) => s + piece[p], flat[w]));
  const nOut = shape[L];
  return {
    bias: flat[w],
    pieces,
    sum,
    pre: Float64Array.from({ length: points }, (_, p) => pres[L][p * nOut + out]),
    output: Float64Array.from({ length: points }, (_, p) => outs[L][p * nOut + out]),
  };
}

export interface UnitHealth {
  /** Zero slope at every view point at the checkpoint shown. */
  dead: boolean;
  /** The batch from which the unit is dead at every kept checkpoint up to the one shown (null: alive there). */
  deadSince: number | null;
  /** Share of the view points where the unit is saturated (derivative below 1 % of its peak). */
  saturated: number;
}

/**
 * Health of every hidden unit (health[l − 1][j] for hidden layer l) at checkpoint `k` of
 * `checkpoints` (rows of flat weights at `batches`), judged on the view points `inputs`.
 */
export function unitHealth(shape: readonly number[], checkpoints: readonly ArrayLike<number>[], batches: readonly number[], k: number, hidden: OutputFunctionName, output: OutputFunctionName, inputs: ArrayLike<number>): UnitHealth[][] {
  const f = fn(hidden);
  const L = shape.length - 1;
  const deadAt = (c: number) => {
    const { pres, points } = forwardAll(shape, checkpoints[c], hidden, output, inputs);
    return shape.slice(1, L).map((n, i) =>
      Array.from({ length: n }, (_, j) => {
        let alive = false;
        let sat = 0;
        for (let p = 0; p < points; p++) {
          const z = pres[i + 1][p * n + j];
          if (f.df(z) !== 0) alive = true;
          if (f.saturated(z)) sat++;
        }
        return { dead: !alive, saturated: sat / points };
      }),
    );
  };
  const now = deadAt(k);
  const since = now.map((layer) => layer.map((u) => (u.dead ? batches[k] : null)));
  for (let c = k - 1; c >= 0 && since.some((layer) => layer.some((s) => s !== null)); c--) {
    const then = deadAt(c);
    since.forEach((layer, i) => layer.forEach((s, j) => s !== null && s === batches[c + 1] && then[i][j].dead && (layer[j] = batches[c])));
  }
  return now.map((layer, i) => layer.map((u, j) => ({ ...u, deadSince: since[i][j] })));
}

/** At most this many units of a layer get a picture (the first ones; the rest are counted). */
export const MAX_PICTURED = 32;

export interface LayerPictures {
  /** The layer (1 .. L; L is the output layer). */
  layer: number;
  /** Each pictured unit's output (its activation) at every view point: a curve over a 1-D domain, a 25 × 25 heatmap over a plane. */
  values: Float64Array[];
  /** The range of the pictured units' finite values (one scale for the layer, so a dead unit reads as flat against its live neighbours). */
  lo: number;
  hi: number;
  /** Units of the layer without a picture. */
  more: number;
}

/** What each unit computes at a checkpoint: every layer's units' outputs over the view points, on one scale per layer. */
export function unitPictures(shape: readonly number[], flat: ArrayLike<number>, hidden: OutputFunctionName, output: OutputFunctionName, inputs: ArrayLike<number>, most = MAX_PICTURED): LayerPictures[] {
  const { outs } = forwardAll(shape, flat, hidden, output, inputs);
  const out: LayerPictures[] = [];
  for (let l = 1; l < shape.length; l++) {
    const shown = Math.min(most, shape[l]);
    const values = Array.from({ length: shown }, (_, j) => unitColumn(outs, shape, l, j));
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) for (const x of v) if (Number.isFinite(x)) (lo = Math.min(lo, x)), (hi = Math.max(hi, x));
    if (!(lo <= hi)) [lo, hi] = [0, 0];
    out.push({ layer: l, values, lo, hi, more: shape[l] - shown });
  }
  return out;
}

/** The quantiles of a layer's weights drawn over training: the extremes, the 5–95 % and 25–75 % bands, and the median. */
export const WEIGHT_QUANTILES = [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1] as const;

export interface WeightBand {
  /** The layer of weights (0: inputs → first hidden layer). */
  layer: number;
  /** Its non-bias weights (fan-out × fan-in), the values each quantile is taken over. */
  count: number;
  /** (checkpoints, WEIGHT_QUANTILES): each quantile of the layer's weights at each kept checkpoint (numpy's linear rule; NaN weights left out). */
  quantiles: Float64Array;
}

/**
 * The distribution of every layer's weights (biases left out) over training, one row of quantiles a
 * kept checkpoint (TensorBoard's distribution view, from the stored weight checkpoints).
 */
export function weightBands(shape: readonly number[], checkpoints: readonly ArrayLike<number>[]): WeightBand[] {
  const at = offsetsOf(shape);
  const Q = WEIGHT_QUANTILES.length;
  return shape.slice(0, -1).map((nIn, l) => {
    const nOut = shape[l + 1];
    const cols = nIn + 1;
    const quantiles = new Float64Array(checkpoints.length * Q);
    const w = new Float64Array(nOut * nIn);
    checkpoints.forEach((flat, k) => {
      let n = 0;
      for (let j = 0; j < nOut; j++) for (let i = 1; i < cols; i++) {
        const v = flat[at[l] + j * cols + i];
        if (!Number.isNaN(v)) w[n++] = v;
      }
      const sorted = Array.from(w.subarray(0, n)).sort((a, b) => a - b);
      WEIGHT_QUANTILES.forEach((q, c) => (quantiles[k * Q + c] = quantileSorted(sorted, q)));
    });
    return { layer: l, count: nOut * nIn, quantiles };
  });
}
