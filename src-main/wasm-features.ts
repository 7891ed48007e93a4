/**
 * WebAssembly features that need a V8 flag on some runtimes. The trainer core cannot set flags
 * (it imports nothing outside src-main/trainer), so the process entries do: the CLI and the
 * trainer process call `enableRelaxedSimd()` before anything compiles a kernel module.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * The smallest module that uses relaxed SIMD: one function (v128, v128, v128) → v128 whose body
 * is `f32x4.relaxed_madd` of its parameters. It validates exactly where relaxed SIMD is on.
 */
// prettier-ignore
const RELAXED_SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type section: (v128 v128 v128) → v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x0d, 0x01, 0x0b, 0x00, // code section: one body of 11 bytes, no locals
  0x20, 0x00, 0x20, 0x01, 0x20, 0x02, // local.get 0, 1, 2
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd (0xfd 261)
  0x0b, // end
]);

/** The runtime's WebAssembly, if it has one (typed here: the node tsconfig has no DOM types). */
function wasmApi(): { validate(bytes: Uint8Array): boolean } | undefined {
  return (globalThis as { WebAssembly?: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
}

/** True if this runtime validates relaxed-SIMD instructions now (without setting anything). */
export function relaxedSimdValid(): boolean {
  try {
    return wasmApi()?.validate(RELAXED_SIMD_PROBE) === true;
  } catch {
    return false;
  }
}

/**
 * True if this V8 has `--experimental-wasm-relaxed-simd` as an opt-in flag: the versions before
 * relaxed SIMD shipped on by default (V8 11.4; Node 20 has 11.3). Later V8s keep the feature and,
 * from Node 24's V8 13.6 at the latest, drop the flag. There is no silent way to ask V8 whether it
 * knows a flag: `setFlagsFromString` with an unknown one prints "Error: unrecognized flag" to the
 * process's stderr from C++, where no try/catch reaches, so the version is the only safe test.
 */
function v8HasRelaxedSimdFlag(): boolean {
  const [major, minor] = process.versions.v8.split('.').map(Number);
  return major >= 10 && (major < 11 || (major === 11 && minor < 4));
}

/** What `enableRelaxedSimd` found: on by default, switched on by the flag, or not available. */
export type RelaxedSimd = 'built-in' | 'flag' | 'unavailable';

/**
 * Lets this process validate and compile relaxed SIMD, which the opt-in `wasm-fma` kernels use.
 * Feature-detected: where the runtime already validates it (Node 22+, Electron), nothing is set;
 * where it does not and the V8 is one that has the opt-in flag (Node 20), the flag is set; else
 * the fma kernels are simply unavailable. Prints nothing in any case. It only makes more
 * instructions valid: the default kernels and their results are unaffected. Must run before the
 * first `wasmFmaSupported()`, which caches its answer.
 */
export function enableRelaxedSimd(): RelaxedSimd {
  if (relaxedSimdValid()) return 'built-in';
  if (!wasmApi() || !v8HasRelaxedSimdFlag()) return 'unavailable';
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return 'unavailable';
  }
  return relaxedSimdValid() ? 'flag' : 'unavailable';
}
