/**
 * Choosing where a run's buffers live and which kernels it uses. `auto` (the default) takes the
 * WebAssembly SIMD kernels where the runtime has them (Node 20, Electron, current browsers) and
 * the network fits a 32-bit wasm memory, and the blocked JS loops otherwise. The run records the
 * kernel that ran (RunResult.kernel), since float64 results differ in the last bits between the
 * two (summation order).
 *
 * `wasm-fma` is an opt-in fast mode: the relaxed-SIMD build, whose multiply-adds may be fused
 * (one rounding instead of two), so its float64 results differ from `wasm` in the last bits and
 * may differ between machines. `auto` never picks it: the default float64 mode gives the same
 * bits on every runtime.
 */
import { type BackendFactory, jsBackend } from './network';
import { wasmBackend, wasmFmaBackend, wasmFmaSupported, wasmSupported } from './wasm';

export const KERNEL_CHOICES = ['auto', 'js', 'wasm', 'wasm-fma'] as const;
export type KernelChoice = (typeof KERNEL_CHOICES)[number];

/** A wasm32 memory holds at most 4 GiB; leave room for alignment padding. */
const WASM_MAX_BYTES = 4 * 1024 ** 3 - 1024 ** 2;

export const autoBackend: BackendFactory = (dtype, elements, arrays) => {
  const bytes = elements * (dtype === 'float32' ? 4 : 8) + arrays * 16;
  return wasmSupported() && bytes <= WASM_MAX_BYTES ? wasmBackend(dtype, elements, arrays) : jsBackend(dtype, elements, arrays);
};

export function backendFor(choice: KernelChoice): BackendFactory {
  if (choice === 'js') return jsBackend;
  if (choice === 'wasm') {
    if (!wasmSupported()) throw new Error('the wasm kernels need WebAssembly SIMD, which this runtime lacks (use kernel js or auto)');
    return wasmBackend;
  }
  if (choice === 'wasm-fma') {
    if (!wasmFmaSupported()) {
      throw new Error('the wasm-fma kernels need WebAssembly relaxed SIMD, which this runtime lacks (Node 22+ has it; on Node 20 the nnlab CLI and trainer processes switch it on with a V8 flag; use kernel wasm or auto)');
    }
    return wasmFmaBackend;
  }
  return autoBackend;
}
