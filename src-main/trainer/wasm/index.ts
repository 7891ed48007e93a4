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
import { KERNELS_FMA_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernels.generated';

// ---- the slice of the WebAssembly API used here (the core's tsconfig has no DOM or Node types) ---

interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
type Kernel = (out: number, a: number, b: number, rows: number, n1: number, n2: number) => void;
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
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
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
 * src-main/lab/wasm-features.ts).
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

// ---- the backend ------------------------------------------------------------------------------

const PAGE = 65536;
const ALIGN = 16;
/** Bytes at the start of the memory where forward packs panels of Wᵀ. */
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
function wasmSgd(buf: ArrayBufferLike, sgd: Sgd, name: string): LayerKernels['sgd'] {
  return (w, g, n, lr, rows) => {
    if (w.buffer !== buf || g.buffer !== buf) {
      for (let i = 0; i < n; i++) w[i] -= (lr * g[i]) / rows;
      return;
    }
    if (w.length < n || g.length < n) throw sizeError(name, 'an array');
    sgd(w.byteOffset, g.byteOffset, n, lr, rows);
  };
}

/*
 * One wrapper object per element type, each with its own function literals, so every call site
 * in them only ever sees one typed-array class (one function used with both Float64Array and
 * Float32Array goes polymorphic in V8 and runs ~2.5x slower). Arrays that are not views of this
 * backend's memory (never the trainer's own buffers) go to the JS kernels instead; sizes are
 * checked because a wasm kernel writing past a view would overwrite the neighbouring buffer.
 */
function f64Kernels(ex: KernelExports, memory: WasmMemory, prefix: string): LayerKernels {
  const buf = memory.buffer;
  const fwd = ex.f64_forward;
  const bwd = ex.f64_backwardData;
  const wgr = ex.f64_weightGrad;
  const name = `${prefix}-f64`;
  return {
    name,
    activations: wasmActivations(buf, ex.f64_actForward, ex.f64_actBackward, name),
    sgd: wasmSgd(buf, ex.f64_sgd, name),
    forward(pre, prev, W, B, nIn1, nOut) {
      if (pre.buffer !== buf || prev.buffer !== buf || W.buffer !== buf) return blockedKernels.forward(pre, prev, W, B, nIn1, nOut);
      if (pre.length < B * nOut || prev.length < B * nIn1 || W.length < nOut * nIn1) throw sizeError(name, 'an array');
      fwd(pre.byteOffset, prev.byteOffset, W.byteOffset, B, nIn1, nOut);
    },
    backwardData(dPrev, d, W, B, nIn, nOut) {
      if (dPrev.buffer !== buf || d.buffer !== buf || W.buffer !== buf) return blockedKernels.backwardData(dPrev, d, W, B, nIn, nOut);
      if (dPrev.length < B * nIn || d.length < B * nOut || W.length < nOut * (nIn + 1)) throw sizeError(name, 'an array');
      bwd(dPrev.byteOffset, d.byteOffset, W.byteOffset, B, nIn, nOut);
    },
    weightGrad(G, d, prev, B, nIn1, nOut) {
      if (G.buffer !== buf || d.buffer !== buf || prev.buffer !== buf) return blockedKernels.weightGrad(G, d, prev, B, nIn1, nOut);
      if (G.length < nOut * nIn1 || d.length < B * nOut || prev.length < B * nIn1) throw sizeError(name, 'an array');
      wgr(G.byteOffset, d.byteOffset, prev.byteOffset, B, nIn1, nOut);
    },
  };
}

function f32Kernels(ex: KernelExports, memory: WasmMemory, prefix: string): LayerKernels {
  const buf = memory.buffer;
  const fwd = ex.f32_forward;
  const bwd = ex.f32_backwardData;
  const wgr = ex.f32_weightGrad;
  const name = `${prefix}-f32`;
  return {
    name,
    activations: wasmActivations(buf, ex.f32_actForward, ex.f32_actBackward, name),
    sgd: wasmSgd(buf, ex.f32_sgd, name),
    forward(pre, prev, W, B, nIn1, nOut) {
      if (pre.buffer !== buf || prev.buffer !== buf || W.buffer !== buf) return blockedKernels.forward(pre, prev, W, B, nIn1, nOut);
      if (pre.length < B * nOut || prev.length < B * nIn1 || W.length < nOut * nIn1) throw sizeError(name, 'an array');
      fwd(pre.byteOffset, prev.byteOffset, W.byteOffset, B, nIn1, nOut);
    },
    backwardData(dPrev, d, W, B, nIn, nOut) {
      if (dPrev.buffer !== buf || d.buffer !== buf || W.buffer !== buf) return blockedKernels.backwardData(dPrev, d, W, B, nIn, nOut);
      if (dPrev.length < B * nIn || d.length < B * nOut || W.length < nOut * (nIn + 1)) throw sizeError(name, 'an array');
      bwd(dPrev.byteOffset, d.byteOffset, W.byteOffset, B, nIn, nOut);
    },
    weightGrad(G, d, prev, B, nIn1, nOut) {
      if (G.buffer !== buf || d.buffer !== buf || prev.buffer !== buf) return blockedKernels.weightGrad(G, d, prev, B, nIn1, nOut);
      if (G.length < nOut * nIn1 || d.length < B * nOut || prev.length < B * nIn1) throw sizeError(name, 'an array');
      wgr(G.byteOffset, d.byteOffset, prev.byteOffset, B, nIn1, nOut);
    },
  };
}

function backendOf(build: Build): BackendFactory {
  return (dtype, elements, arrays) => {
    const api = wasmApi();
    if (!api || !supports(build)) {
      throw new Error(build === FMA ? 'WebAssembly relaxed SIMD is not available in this runtime' : 'WebAssembly SIMD is not available in this runtime');
    }
    const bytes = SCRATCH + elements * bytesPer(dtype) + arrays * ALIGN;
    const pages = Math.max(1, Math.ceil(bytes / PAGE));
    // initial = maximum: the memory can never grow, so views of it can never be detached
    const memory = new api.Memory({ initial: pages, maximum: pages });
    const instance = new api.Instance(compiledModule(api, build), { env: { memory } });
    const ex = instance.exports as KernelExports;
    ex.setScratch(0, SCRATCH);
    const buffer = memory.buffer;
    const capacity = buffer.byteLength;
    let offset = SCRATCH;
    const allocator: Allocator = (dt, length): FloatArray => {
      const bpe = bytesPer(dt);
      const at = Math.ceil(offset / ALIGN) * ALIGN;
      if (at + length * bpe > capacity) {
        throw new RangeError(`wasm backend: ${length} ${dt} values do not fit (sized for ${elements} values in ${arrays} arrays)`);
      }
      offset = at + length * bpe;
      return dt === 'float32' ? new Float32Array(buffer, at, length) : new Float64Array(buffer, at, length);
    };
    return { kernels: dtype === 'float32' ? f32Kernels(ex, memory, build.prefix) : f64Kernels(ex, memory, build.prefix), allocator };
  };
}

/**
 * A backend whose memory holds `elements` values of `dtype` in up to `arrays` arrays, each
 * aligned to 16 bytes. Throws if WebAssembly SIMD is unavailable (check `wasmSupported()`).
 * Kernel names wasm-simd-f64 / wasm-simd-f32.
 */
export const wasmBackend: BackendFactory = backendOf(SIMD);

/**
 * The same with the relaxed-SIMD build (kernel names wasm-fma-f64 / wasm-fma-f32): products with
 * multiply-adds the engine may fuse, so float64 results differ in the last bits from wasm-simd
 * and may differ between machines. Throws if unavailable (check `wasmFmaSupported()`).
 */
export const wasmFmaBackend: BackendFactory = backendOf(FMA);
