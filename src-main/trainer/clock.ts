/**
 * The trainer's only clock. The core is compiled without Node or DOM types (it must stay a leaf),
 * so it reaches `performance.now()`, which Node, Electron and browsers all provide, through
 * globalThis.
 */
const perf = (globalThis as unknown as { performance: { now(): number } }).performance;

/** Milliseconds from an arbitrary origin, sub-millisecond resolution. */
export function now(): number {
  return perf.now();
}
