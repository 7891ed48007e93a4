/**
 * The WebAssembly SIMD backend: the trainer's buffers live in one WebAssembly.Memory, and the
 * three layer products, the relu / leaky relu / linear passes and the SGD step run as wasm
 * kernels (kernels.as.ts, compiled into kernels.generated.ts by scripts/build-wasm.mjs) on views
 * of it. The memory is sized once, for everything the trainer
 * counted, and never grown (growing would detach every view).
 *
 * No imports outside the trainer core: the module comes as base64 text, decoded here, and the
 * WebAssembly API is reached through globalThis, so the core still type-checks without DOM or
 * Node types and `wasmSupported()` is simply false where WebAssembly (or its SIMD) is missing.
 */
import { type Activation, ACTIVATIONS, type ActivationName, type FloatArray } from '../activations';
import { blockedKernels, type LayerKernels } from '../kernels';
import type { Allocator, BackendFactory, Dtype } from '../network';
import { KERNELS_FMA_SHARED_WASM_BASE64, KERNELS_FMA_WASM_BASE64, KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernels.generated';

// ---- the slice of the WebAssembly API used here (the core's tsconfig has no DOM or Node types) ---

interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
/** A product: its arrays' byte addresses, sizes, and the block of its output to compute (rows [m0, m1) × columns [n0, n1)). */
type Kernel = (out: number, a: number, b: number, rows: number, n1: number, n2: number, m0: number, m1: number, n0: number, n1_: number) => void;
type ActForward = (kind: number, pre: number, out: number, rows: number, cols: number, stride: number, offset: number) => void;
type ActBackward = (kind: number, pre: number, delta: number, n: number) => void;
type Sgd = (w: number, g: number, n: number, lr: number, rows: number) => void;
interface KernelExports {
  f64_forward: Kernel;
  f64_backwardData: Kernel;
  f64_weightGrad: Kernel;
  f64_actForward: ActForward;
  f64_actBackward: ActBackward;
  f64_sgd: Sgd;
  f32_forward: Kernel;
  f32_backwardData: Kernel;
  f32_weightGrad: Kernel;
  f32_actForward: ActForward;
  f32_actBackward: ActBackward;
  f32_sgd: Sgd;
  setScratch(at: number, bytes: number): void;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  validate(bytes: Uint8Array): boolean;
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

// ---- module bytes, support check, compiled module (each computed once) -------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes standard base64 (padding optional; no whitespace). */
export function decodeBase64(text: string): Uint8Array {
  const value = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) value[B64.charCodeAt(i)] = i;
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 61 /* = */) end--;
  const out = new Uint8Array(Math.floor((end * 6) / 8));
  let bits = 0;
  let nbits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? value[c] : -1;
    if (v < 0) throw new Error(`invalid base64 character at ${i}`);
    bits = ((bits << 6) | v) & 0xffffff;
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out[o++] = (bits >> nbits) & 0xff;
    }
  }
  return out;
}

/**
 * The two builds of kernels.as.ts: plain SIMD (the default: the same float64 bits on every
 * runtime) and relaxed SIMD, whose multiply-adds the engine may fuse (an opt-in fast mode whose
 * results depend on the machine; Node 22+ and Electron have it, Node 20 needs a V8 flag, which the
 * CLI and trainer processes set where it is needed before anything is compiled: see
 * src-main/wasm-features.ts).
 * Bytes, support and the compiled module are each computed once.
 */
interface Build {
  readonly prefix: string;
  readonly base64: string;
  bytes: Uint8Array | null;
  supported: boolean | null;
  compiled: object | null;
}

const SIMD: Build = { prefix: 'wasm-simd', base64: KERNELS_WASM_BASE64, bytes: null, supported: null, compiled: null };
const FMA: Build = { prefix: 'wasm-fma', base64: KERNELS_FMA_WASM_BASE64, bytes: null, supported: null, compiled: null };
/** The same two on a shared memory, for the threaded backend (same code, same names, same bits). */
const SIMD_SHARED: Build = { prefix: 'wasm-simd', base64: KERNELS_SHARED_WASM_BASE64, bytes: null, supported: null, compiled: null };
const FMA_SHARED: Build = { prefix: 'wasm-fma', base64: KERNELS_FMA_SHARED_WASM_BASE64, bytes: null, supported: null, compiled: null };

function moduleBytes(build: Build): Uint8Array {
  return (build.bytes ??= decodeBase64(build.base64));
}

/** Validates the build's module itself, so every instruction it uses is covered. */
function supports(build: Build): boolean {
  if (build.supported === null) {
    const api = wasmApi();
    try {
      build.supported = !!api && typeof api.validate === 'function' && api.validate(moduleBytes(build));
    } catch {
      build.supported = false;
    }
  }
  return build.supported;
}

/** True if this runtime can run the kernels: WebAssembly with 128-bit SIMD. Cached. */
export function wasmSupported(): boolean {
  return supports(SIMD);
}

/**
 * True if this runtime can run the relaxed-SIMD (fused multiply-add) build. Cached: a runtime
 * that needs a flag for it must have it set before the first call.
 */
export function wasmFmaSupported(): boolean {
  return supports(FMA);
}

function compiledModule(api: WasmApi, build: Build): object {
  // Synchronous compilation: fine in Node, Electron's main process and workers (a browser main
  // thread refuses synchronous compilation of modules over 4 KB).
  return (build.compiled ??= new api.Module(moduleBytes(build)));
}

// ---- threads: other threads running blocks of one product on a shared memory -------------------

/**
 * Threads besides the caller that run kernel calls on a backend's shared memory: the threaded
 * backend splits a large product's output into blocks, starts one block on each helper, computes
 * its own, then waits for theirs. Every block's elements are computed exactly as one call over
 * the whole output would compute them, so the result is the same bits on any number of threads.
 * The core only defines this; the implementation (worker_threads and Atomics) is Node's and is
 * injected from outside (src-main/worker/kernel-threads.ts).
 */
export interface KernelThreads {
  /** Helper threads (besides the caller). */
  readonly helpers: number;
  /**
   * Instantiates `module` (a shared build) on `memory` in every helper, helper h with its scratch
   * area at byte scratchAt[h] of scratchBytes; returns the id that start() names this instance by.
   * The instance lives as long as the memory is reachable from the caller.
   */
  attach(module: object, memory: WasmMemory, scratchAt: readonly number[], scratchBytes: number): number;
  /** Starts KERNEL_OPS[op] with these arguments on helper h, in instance `instance`; returns at once. */
  start(h: number, instance: number, op: number, a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number, a8: number, a9: number): void;
  /** Waits until helper h has finished the call it was started on (throws if it failed). */
  wait(h: number): void;
}

/** The exports a helper thread may be asked to call, by index. */
export const KERNEL_OPS = ['f64_forward', 'f64_backwardData', 'f64_weightGrad', 'f64_sgd', 'f32_forward', 'f32_backwardData', 'f32_weightGrad', 'f32_sgd'] as const;
const OP = { forward: 0, backwardData: 1, weightGrad: 2, sgd: 3 } as const;

/**
 * Products with fewer multiply-adds than this (float64; float32, whose products run twice as
 * fast, twice as many) run on one thread: handing a block to a helper and waiting for it costs
 * from a few µs on a quiet machine to tens on a busy one, which a small product does not repay.
 * Measured on 2 busy cores (tests' machine, the issue 20 note): a (64, 64, 64) product, 266k
 * multiply-adds, ran 0.5× as fast split in two, (64, 128, 128) 0.8×, the big layers of the wide
 * and mnist nets (2–13 M) 1.4–1.8×. SGD steps of fewer weights than PARALLEL_MIN_WEIGHTS likewise.
 */
export const PARALLEL_MIN_MACS = 1 << 20;
export const PARALLEL_MIN_WEIGHTS = 1 << 15;

interface Parallel {
  readonly threads: KernelThreads;
  /** The helpers' instance on this memory: attached at the first product that is split (a small net never is), -1 before. */
  instance: number;
  readonly attach: () => number;
  /** KERNEL_OPS index of this dtype's forward (its other ops follow). */
  readonly base: number;
  readonly minMacs: number;
  readonly minWeights: number;
}

/** Split points of [0, n) into `parts` pieces, each a multiple of `tile` but the last. */
function cut(n: number, parts: number, tile: number, i: number): number {
  if (i >= parts) return n;
  return Math.min(n, Math.round((n * i) / parts / tile) * tile);
}

/**
 * One product over the output block rows [0, M) × columns [0, N): on one thread, or split into
 * one block per thread (by columns when there are enough for every thread to get whole 4-vector
 * tiles, else by rows), helpers first, the caller's block last.
 */
function product(par: Parallel | null, op: number, fn: Kernel, out: number, a: number, b: number, r: number, x: number, y: number, M: number, N: number, macs: number, lanes: number): void {
  if (par !== null && (macs * 2) / lanes >= par.minMacs) {
    const parts = par.threads.helpers + 1;
    const tileN = 4 * lanes;
    const byColumns = N >= parts * tileN;
    if (byColumns || M >= parts * 4) {
      if (par.instance < 0) par.instance = par.attach();
      const n = byColumns ? N : M;
      const tile = byColumns ? tileN : 4;
      for (let h = 0; h < parts - 1; h++) {
        const lo = cut(n, parts, tile, h);
        const hi = cut(n, parts, tile, h + 1);
        if (byColumns) par.threads.start(h, par.instance, par.base + op, out, a, b, r, x, y, 0, M, lo, hi);
        else par.threads.start(h, par.instance, par.base + op, out, a, b, r, x, y, lo, hi, 0, N);
      }
      const lo = cut(n, parts, tile, parts - 1);
      if (byColumns) fn(out, a, b, r, x, y, 0, M, lo, N);
      else fn(out, a, b, r, x, y, lo, M, 0, N);
      for (let h = 0; h < parts - 1; h++) par.threads.wait(h);
      return;
    }
  }
  fn(out, a, b, r, x, y, 0, M, 0, N);
}

/** The SGD step over n weights, split into contiguous ranges per thread when there are enough. */
function sgdStep(par: Parallel | null, fn: Sgd, w: number, g: number, n: number, lr: number, rows: number, bpe: number): void {
  if (par !== null && n >= par.minWeights) {
    if (par.instance < 0) par.instance = par.attach();
    const parts = par.threads.helpers + 1;
    const lanes = 16 / bpe;
    for (let h = 0; h < parts - 1; h++) {
      const lo = cut(n, parts, lanes, h);
      const hi = cut(n, parts, lanes, h + 1);
      par.threads.start(h, par.instance, par.base + OP.sgd, w + lo * bpe, g + lo * bpe, hi - lo, lr, rows, 0, 0, 0, 0, 0);
    }
    const lo = cut(n, parts, lanes, parts - 1);
    fn(w + lo * bpe, g + lo * bpe, n - lo, lr, rows);
    for (let h = 0; h < parts - 1; h++) par.threads.wait(h);
    return;
  }
  fn(w, g, n, lr, rows);
}

// ---- the backend ------------------------------------------------------------------------------

const PAGE = 65536;
const ALIGN = 16;
/** Bytes per thread at the start of the memory where the kernels pack panels. */
const SCRATCH = 65536;

function bytesPer(dtype: Dtype): number {
  return dtype === 'float32' ? 4 : 8;
}

function sizeError(kernel: string, what: string): RangeError {
  return new RangeError(`${kernel}: ${what} is smaller than its shape`);
}

/** The activations the module computes, by its `kind` argument (kernels.as.ts ACT_*). */
const WASM_ACTIVATIONS: Partial<Record<ActivationName, number>> = { linear: 0, relu: 1, leakyRelu: 2 };

/**
 * wasm versions of the activations the module has: the table entry with forward and backward
 * replaced. Like the kernels they fall back to the JS loops for arrays outside this memory. These
 * wrappers hold no loops, so one set of function literals serves both element types.
 */
function wasmActivations(buf: ArrayBufferLike, fwd: ActForward, bwd: ActBackward, name: string): Partial<Record<ActivationName, Activation>> {
  const out: Partial<Record<ActivationName, Activation>> = {};
  for (const [act, kind] of Object.entries(WASM_ACTIVATIONS) as [ActivationName, number][]) {
    const js = ACTIVATIONS[act];
    out[act] = {
      ...js,
      forward(pre, o, rows, cols, stride, offset) {
        if (pre.buffer !== buf || o.buffer !== buf) return js.forward(pre, o, rows, cols, stride, offset);
        if (rows > 0 && (pre.length < rows * cols || o.length < (rows - 1) * stride + offset + cols || offset + cols > stride)) throw sizeError(name, 'an array');
        fwd(kind, pre.byteOffset, o.byteOffset, rows, cols, stride, offset);
      },
      backward(pre, delta, n) {
        if (pre.buffer !== buf || delta.buffer !== buf) return js.backward(pre, delta, n);
        if (pre.length < n || delta.length < n) throw sizeError(name, 'an array');
        bwd(kind, pre.byteOffset, delta.byteOffset, n);
      },
    };
  }
  return out;
}

/** The SGD step in wasm (JS loop for arrays outside this memory, as the trainer writes it). */
function wasmSgd(buf: ArrayBufferLike, sgd: Sgd, name: string, par: Parallel | null, bpe: number): LayerKernels['sgd'] {
  return (w, g, n, lr, rows) => {
    if (w.buffer !== buf || g.buffer !== buf) {
      for (let i = 0; i < n; i++) w[i] -= (lr * g[i]) / rows;
      return;
    }
    if (w.length < n || g.length < n) throw sizeError(name, 'an array');
    sgdStep(par, sgd, w.byteOffset, g.byteOffset, n, lr, rows, bpe);
  };
}

/*
 * One wrapper object per element type, each with its own function literals, so every call site
 * in them only ever sees one typed-array class (one function used with both Float64Array and
 * Float32Array goes polymorphic in V8 and runs ~2.5x slower). Measured for these wrappers
 * (docs/notes/issue-12.md, session 5): one factory for both types cost 3-5 % CPU per float64
 * layer step on small layers (float32: 0-4 %) in a process that uses both types, and nothing
 * measurable when it uses one.
 * Arrays that are not views of this backend's memory (never the trainer's own buffers) go to
 * the JS kernels instead; sizes are checked because a wasm kernel writing past a view would
 * overwrite the neighbouring buffer.
 */
function f64Kernels(ex: KernelExports, memory: WasmMemory, prefix: string, par: Parallel | null): LayerKernels {
  const buf = memory.buffer;
  const fwd = ex.f64_forward;
  const bwd = ex.f64_backwardData;
  const wgr = ex.f64_weightGrad;
  const name = `${prefix}-f64`;
  return {
    name,
    activations: wasmActivations(buf, ex.f64_actForward, ex.f64_actBackward, name),
    sgd: wasmSgd(buf, ex.f64_sgd, name, par, 8),
    forward(pre, prev, W, B, nIn1, nOut) {
      if (pre.buffer !== buf || prev.buffer !== buf || W.buffer !== buf) return blockedKernels.forward(pre, prev, W, B, nIn1, nOut);
      if (pre.length < B * nOut || prev.length < B * nIn1 || W.length < nOut * nIn1) throw sizeError(name, 'an array');
      product(par, OP.forward, fwd, pre.byteOffset, prev.byteOffset, W.byteOffset, B, nIn1, nOut, B, nOut, B * nIn1 * nOut, 2);
    },
    backwardData(dPrev, d, W, B, nIn, nOut) {
      if (dPrev.buffer !== buf || d.buffer !== buf || W.buffer !== buf) return blockedKernels.backwardData(dPrev, d, W, B, nIn, nOut);
      if (dPrev.length < B * nIn || d.length < B * nOut || W.length < nOut * (nIn + 1)) throw sizeError(name, 'an array');
      product(par, OP.backwardData, bwd, dPrev.byteOffset, d.byteOffset, W.byteOffset, B, nIn, nOut, B, nIn, B * nIn * nOut, 2);
    },
    weightGrad(G, d, prev, B, nIn1, nOut) {
      if (G.buffer !== buf || d.buffer !== buf || prev.buffer !== buf) return blockedKernels.weightGrad(G, d, prev, B, nIn1, nOut);
      if (G.length < nOut * nIn1 || d.length < B * nOut || prev.length < B * nIn1) throw sizeError(name, 'an array');
      product(par, OP.weightGrad, wgr, G.byteOffset, d.byteOffset, prev.byteOffset, B, nIn1, nOut, nOut, nIn1, B * nIn1 * nOut, 2);
    },
  };
}

function f32Kernels(ex: KernelExports, memory: WasmMemory, prefix: string, par: Parallel | null): LayerKernels {
  const buf = memory.buffer;
  const fwd = ex.f32_forward;
  const bwd = ex.f32_backwardData;
  const wgr = ex.f32_weightGrad;
  const name = `${prefix}-f32`;
  return {
    name,
    activations: wasmActivations(buf, ex.f32_actForward, ex.f32_actBackward, name),
    sgd: wasmSgd(buf, ex.f32_sgd, name, par, 4),
    forward(pre, prev, W, B, nIn1, nOut) {
      if (pre.buffer !== buf || prev.buffer !== buf || W.buffer !== buf) return blockedKernels.forward(pre, prev, W, B, nIn1, nOut);
      if (pre.length < B * nOut || prev.length < B * nIn1 || W.length < nOut * nIn1) throw sizeError(name, 'an array');
      product(par, OP.forward, fwd, pre.byteOffset, prev.byteOffset, W.byteOffset, B, nIn1, nOut, B, nOut, B * nIn1 * nOut, 4);
    },
    backwardData(dPrev, d, W, B, nIn, nOut) {
      if (dPrev.buffer !== buf || d.buffer !== buf || W.buffer !== buf) return blockedKernels.backwardData(dPrev, d, W, B, nIn, nOut);
      if (dPrev.length < B * nIn || d.length < B * nOut || W.length < nOut * (nIn + 1)) throw sizeError(name, 'an array');
      product(par, OP.backwardData, bwd, dPrev.byteOffset, d.byteOffset, W.byteOffset, B, nIn, nOut, B, nIn, B * nIn * nOut, 4);
    },
    weightGrad(G, d, prev, B, nIn1, nOut) {
      if (G.buffer !== buf || d.buffer !== buf || prev.buffer !== buf) return blockedKernels.weightGrad(G, d, prev, B, nIn1, nOut);
      if (G.length < nOut * nIn1 || d.length < B * nOut || prev.length < B * nIn1) throw sizeError(name, 'an array');
      product(par, OP.weightGrad, wgr, G.byteOffset, d.byteOffset, prev.byteOffset, B, nIn1, nOut, nOut, nIn1, B * nIn1 * nOut, 4);
    },
  };
}

export interface ThreadedOptions {
  /** Products with fewer multiply-adds run on one thread (default PARALLEL_MIN_MACS; tests use 0). */
  minMacs?: number;
  /** SGD steps over fewer weights run on one thread (default PARALLEL_MIN_WEIGHTS). */
  minWeights?: number;
}

function backendOf(build: Build, shared: Build, threads: KernelThreads | null, options: ThreadedOptions = {}): BackendFactory {
  return (dtype, elements, arrays) => {
    const api = wasmApi();
    const use = threads ? shared : build;
    if (!api || !supports(use)) {
      throw new Error(build === FMA ? 'WebAssembly relaxed SIMD is not available in this runtime' : `WebAssembly SIMD${threads ? ' with shared memory' : ''} is not available in this runtime`);
    }
    const helpers = threads ? threads.helpers : 0;
    const scratchTotal = SCRATCH * (helpers + 1);
    const bytes = scratchTotal + elements * bytesPer(dtype) + arrays * ALIGN;
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    // initial = maximum: the memory can never grow, so views of it can never be detached
    const memory = new api.Memory({ initial: pages, maximum: pages, shared: threads !== null });
    const module = compiledModule(api, use);
    const instance = new api.Instance(module, { env: { memory } });
    const ex = instance.exports as KernelExports;
    // the caller's scratch area first, then one per helper
    ex.setScratch(0, SCRATCH);
    let par: Parallel | null = null;
    if (threads) {
      const at = Array.from({ length: helpers }, (_, h) => SCRATCH * (h + 1));
      par = {
        threads,
        instance: -1,
        attach: () => threads.attach(module, memory, at, SCRATCH),
        base: dtype === 'float32' ? 4 : 0,
        minMacs: options.minMacs ?? PARALLEL_MIN_MACS,
        minWeights: options.minWeights ?? PARALLEL_MIN_WEIGHTS,
      };
    }
    const buffer = memory.buffer;
    const capacity = buffer.byteLength;
    let offset = scratchTotal;
    const allocator: Allocator = (dt, length): FloatArray => {
      const bpe = bytesPer(dt);
      const at = Math.ceil(offset / ALIGN) * ALIGN;
      if (at + length * bpe > capacity) {
        throw new RangeError(`wasm backend: ${length} ${dt} values do not fit (sized for ${elements} values in ${arrays} arrays)`);
      }
      offset = at + length * bpe;
      return dt === 'float32' ? new Float32Array(buffer, at, length) : new Float64Array(buffer, at, length);
    };
    return { kernels: dtype === 'float32' ? f32Kernels(ex, memory, build.prefix, par) : f64Kernels(ex, memory, build.prefix, par), allocator };
  };
}

/**
 * A backend whose memory holds `elements` values of `dtype` in up to `arrays` arrays, each
 * aligned to 16 bytes. Throws if WebAssembly SIMD is unavailable (check `wasmSupported()`).
 * Kernel names wasm-simd-f64 / wasm-simd-f32.
 */
export const wasmBackend: BackendFactory = backendOf(SIMD, SIMD_SHARED, null);

/**
 * The same with the relaxed-SIMD build (kernel names wasm-fma-f64 / wasm-fma-f32): products with
 * multiply-adds the engine may fuse, so float64 results differ in the last bits from wasm-simd
 * and may differ between machines. Throws if unavailable (check `wasmFmaSupported()`).
 */
export const wasmFmaBackend: BackendFactory = backendOf(FMA, FMA_SHARED, null);

/** True if this runtime can run the kernels on a shared memory (the threaded backend). */
export function wasmThreadsSupported(fma = false): boolean {
  return supports(fma ? FMA_SHARED : SIMD_SHARED);
}

/**
 * The wasm backend (plain or fma) on a shared memory, with large products and SGD steps split
 * over `threads`' helpers and the caller. The same kernel names and the same bits as one thread.
 */
export function wasmThreadedBackend(threads: KernelThreads, fma = false, options: ThreadedOptions = {}): BackendFactory {
  return backendOf(fma ? FMA : SIMD, fma ? FMA_SHARED : SIMD_SHARED, threads, options);
}
