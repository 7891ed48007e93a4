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
 *
 * Threads: given helper threads (KernelThreads, made outside the core: src-main/worker/
 * kernel-threads.ts), the wasm kernels run on a shared memory and split large products over
 * them, with the same kernel name and the same bits as one thread. The JS kernels ignore them.
 */
import { type BackendFactory, jsBackend } from './network';
import { type KernelThreads, wasmBackend, wasmFmaBackend, wasmFmaSupported, wasmSupported, wasmThreadedBackend, wasmThreadsSupported } from './wasm';

export const KERNEL_CHOICES = ['auto', 'js', 'wasm', 'wasm-fma'] as const;
export type KernelChoice = (typeof KERNEL_CHOICES)[number];

/** A wasm32 memory holds at most 4 GiB; leave room for alignment padding. */
const WASM_MAX_BYTES = 4 * 1024 ** 3 - 1024 ** 2;

const fits = (dtype: string, elements: number, arrays: number) => elements * (dtype === 'float32' ? 4 : 8) + arrays * 16 <= WASM_MAX_BYTES;

export const autoBackend: BackendFactory = (dtype, elements, arrays) => {
  return wasmSupported() && fits(dtype, elements, arrays) ? wasmBackend(dtype, elements, arrays) : jsBackend(dtype, elements, arrays);
};

/** The backend of a kernel choice; `threads` (helpers besides the caller) for the wasm kernels, where the runtime can share a memory. */
export function backendFor(choice: KernelChoice, threads: KernelThreads | null = null): BackendFactory {
  if (choice === 'js') return jsBackend;
  const fma = choice === 'wasm-fma';
  if (choice === 'wasm') {
    if (!wasmSupported()) throw new Error('the wasm kernels need WebAssembly SIMD, which this runtime lacks (use kernel js or auto)');
  }
  if (fma) {
    if (!wasmFmaSupported()) {
      throw new Error('the wasm-fma kernels need WebAssembly relaxed SIMD, which this runtime lacks (Node 22+ has it; on Node 20 the nnlab CLI and trainer processes switch it on with a V8 flag; use kernel wasm or auto)');
    }
  }
  const single = fma ? wasmFmaBackend : choice === 'wasm' ? wasmBackend : autoBackend;
  if (!threads || threads.helpers < 1 || !wasmThreadsSupported(fma)) return single;
  const threaded = wasmThreadedBackend(threads, fma);
  return (dtype, elements, arrays) => (choice === 'auto' && !(wasmSupported() && fits(dtype, elements, arrays)) ? jsBackend(dtype, elements, arrays) : threaded(dtype, elements, arrays));
}

/** The kernel choice that reproduces a recorded kernel name. */
export function kernelChoiceFor(recorded: string | null): KernelChoice {
  if (!recorded) return 'auto';
  if (recorded.startsWith('wasm-fma')) return 'wasm-fma';
  if (recorded.startsWith('wasm')) return 'wasm';
  if (recorded.startsWith('js')) return 'js';
  return 'auto';
}
