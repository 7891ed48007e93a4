/**
 * Sizes and buffers of a network, computed once (as llm.c's fill_in_parameter_sizes): all
 * weights live in one flat array with per-layer views, and so do gradients, optimizer state and
 * the per-batch activations. Nothing here allocates after `createWorkspace` returns.
 *
 * Layer l (0-based) maps shape[l] units to shape[l+1] units; its weights W_l are a row-major
 * (shape[l+1], shape[l] + 1) matrix whose column 0 multiplies the constant-1 bias neuron.
 */
import type { FloatArray } from './activations';
import { blockedKernels, type LayerKernels } from './kernels';
import type { RunSpec } from './spec';

export type Dtype = RunSpec['dtype'];

export interface Layout {
  readonly shape: readonly number[];
  /** Number of weight layers (shape.length - 1). */
  readonly layers: number;
  /** Offset of W_l in the flat weight array. */
  readonly weightOffsets: readonly number[];
  readonly weightCount: number;
}

export function createLayout(shape: readonly number[]): Layout {
  const weightOffsets: number[] = [];
  let n = 0;
  for (let l = 0; l + 1 < shape.length; l++) {
    weightOffsets.push(n);
    n += shape[l + 1] * (shape[l] + 1);
  }
  return { shape: [...shape], layers: shape.length - 1, weightOffsets, weightCount: n };
}

/** Allocates `length` elements of a dtype; the default is a fresh typed array. */
export type Allocator = (dtype: Dtype, length: number) => FloatArray;

export const heapAllocator: Allocator = (dtype, length) => (dtype === 'float32' ? new Float32Array(length) : new Float64Array(length));

/**
 * Where the trainer's buffers live and which kernels work on them. The JS backend uses ordinary
 * typed arrays; a WebAssembly backend hands out views of its linear memory, which must be sized
 * once up front (growing it would detach every view): the trainer first counts the elements it
 * needs with a counting allocator, then asks the factory for a backend of that size.
 */
export interface KernelBackend {
  readonly kernels: LayerKernels;
  readonly allocator: Allocator;
}

/** Makes a backend able to allocate `elements` values of `dtype` (in arrays of any lengths). */
export type BackendFactory = (dtype: Dtype, elements: number, arrays: number) => KernelBackend;

export const jsBackend: BackendFactory = () => ({ kernels: blockedKernels, allocator: heapAllocator });

/** An allocator that hands out empty arrays and counts what was asked for. */
export function countingAllocator(): { allocator: Allocator; elements: () => number; arrays: () => number } {
  let elements = 0;
  let arrays = 0;
  return {
    allocator: (dtype, length) => {
      elements += length;
      arrays++;
      return dtype === 'float32' ? new Float32Array(0) : new Float64Array(0);
    },
    elements: () => elements,
    arrays: () => arrays,
  };
}

/** Per-batch buffers for `rows` batch rows. */
export interface Activations {
  readonly rows: number;
  /** outs[l] (rows, shape[l] + 1) for l < L with column 0 fixed at 1; outs[L] (rows, shape[L]). */
  readonly outs: FloatArray[];
  /** pres[l] (rows, shape[l]) pre-activations for l ≥ 1 (pres[0] is an empty array). */
  readonly pres: FloatArray[];
  /** deltas[l] (rows, shape[l]) for l ≥ 1: dCost/dpre. */
  readonly deltas: FloatArray[];
  /** targets (rows, shape[L]). */
  readonly targets: FloatArray;
}

export function createActivations(layout: Layout, rows: number, dtype: Dtype, alloc: Allocator = heapAllocator): Activations {
  const { shape, layers } = layout;
  const outs: FloatArray[] = [];
  const pres: FloatArray[] = [];
  const deltas: FloatArray[] = [];
  for (let l = 0; l <= layers; l++) {
    const stride = l < layers ? shape[l] + 1 : shape[l];
    const out = alloc(dtype, rows * stride);
    if (l < layers) for (let r = 0; r < rows; r++) out[r * stride] = 1;
    outs.push(out);
    pres.push(alloc(dtype, l === 0 ? 0 : rows * shape[l]));
    deltas.push(alloc(dtype, l === 0 ? 0 : rows * shape[l]));
  }
  return { rows, outs, pres, deltas, targets: alloc(dtype, rows * shape[layers]) };
}

/** Flat parameter-sized arrays with per-layer views. */
export interface Params {
  readonly flat: FloatArray;
  readonly layers: FloatArray[];
}

export function createParams(layout: Layout, dtype: Dtype, alloc: Allocator = heapAllocator): Params {
  const flat = alloc(dtype, layout.weightCount);
  return { flat, layers: viewLayers(layout, flat) };
}

export function viewLayers(layout: Layout, flat: FloatArray): FloatArray[] {
  return layout.weightOffsets.map((off, l) => flat.subarray(off, off + layout.shape[l + 1] * (layout.shape[l] + 1)));
}

/** Flat weights as one nested (out, in + 1) array per layer (the oracle's format). */
export function toNested(layout: Layout, flat: ArrayLike<number>): number[][][] {
  const { shape } = layout;
  return layout.weightOffsets.map((off, l) => {
    const cols = shape[l] + 1;
    const rows: number[][] = [];
    for (let j = 0; j < shape[l + 1]; j++) rows.push(Array.from({ length: cols }, (_, k) => flat[off + j * cols + k]));
    return rows;
  });
}

/** Copies nested (out, in + 1) matrices into a flat weight array (sizes already validated). */
export function fromNested(layout: Layout, nested: readonly (readonly (readonly number[])[])[], flat: FloatArray): void {
  const { shape } = layout;
  layout.weightOffsets.forEach((off, l) => {
    const cols = shape[l] + 1;
    for (let j = 0; j < shape[l + 1]; j++) for (let k = 0; k < cols; k++) flat[off + j * cols + k] = nested[l][j][k];
  });
}
