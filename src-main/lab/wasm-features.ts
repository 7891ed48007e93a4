/**
 * WebAssembly features that need a V8 flag on some runtimes. The trainer core cannot set flags
 * (it imports nothing outside src-main/trainer), so the process entries do: the CLI and the
 * trainer process call `enableRelaxedSimd()` before anything compiles a kernel module.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * Lets this process validate and compile relaxed SIMD, which the opt-in `wasm-fma` kernels use.
 * Node 20's V8 has it behind --experimental-wasm-relaxed-simd (and Node refuses that flag in
 * NODE_OPTIONS); Node 22+ and Electron 45 ship it, where setting the flag changes nothing. It only
 * makes more instructions valid: the default kernels and their results are unaffected. Must run
 * before the first `wasmFmaSupported()`, which caches its answer.
 */
export function enableRelaxedSimd(): void {
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // a runtime without this flag either has the feature or cannot have it: nothing to do
  }
}
