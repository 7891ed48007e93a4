/**
 * The skip notes of the WebAssembly kernel tests (tests/helpers/ci.ts's rule): null when the
 * runtime runs the kernels, else why not — and under CI=true an error, as every Node nnlab
 * supports has SIMD, and relaxed SIMD with the flag enableRelaxedSimd sets. Call after
 * enableRelaxedSimd(), as the CLI and trainer processes do.
 */
import { wasmFmaSupported, wasmSupported, wasmThreadsSupported } from '../../src-main/trainer/wasm';
import { skipUnlessRequired } from './ci';

export function wasmSkipNote(): string | null {
  return skipUnlessRequired(wasmSupported() ? null : `this runtime (Node ${process.version}) has no WebAssembly SIMD`, 'wasm-simd');
}

export function wasmFmaSkipNote(): string | null {
  return skipUnlessRequired(wasmFmaSupported() ? null : `this runtime (Node ${process.version}) cannot compile relaxed SIMD (wasm-fma), even with the flag set`, 'wasm-fma');
}

export function wasmThreadsSkipNote(): string | null {
  return skipUnlessRequired(wasmThreadsSupported() ? null : `this runtime (Node ${process.version}) cannot compile SIMD kernels on a shared memory (wasm threads)`, 'wasm-threads');
}
