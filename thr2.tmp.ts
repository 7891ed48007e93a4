import { wasmBackend, wasmThreadedBackend } from './src-main/trainer/wasm';
import { kernelThreads } from './src-main/worker/kernel-threads';
const th = kernelThreads(2)!;
function setup(backend: any, B: number, nIn: number, nOut: number) {
  const nIn1 = nIn + 1;
  const lengths = [B * nIn1, nOut * nIn1, B * nOut];
  const { kernels, allocator } = backend('float64', lengths.reduce((s, n) => s + n, 0), 3);
  const [prev, W, pre] = lengths.map((n) => allocator('float64', n));
  for (const a of [prev, W]) for (let i = 0; i < a.length; i++) a[i] = Math.random();
  return () => kernels.forward(pre, prev, W, B, nIn1, nOut);
}
function best(fn: () => void) {
  let n = 1; for (;;) { const t = performance.now(); for (let i = 0; i < n; i++) fn(); if (performance.now() - t > 2) break; n *= 2; }
  let b = Infinity; for (let r = 0; r < 60; r++) { const t = performance.now(); for (let i = 0; i < n; i++) fn(); b = Math.min(b, (performance.now() - t) / n); }
  return b * 1000;
}
for (const [B, nIn, nOut] of [[32, 16, 16], [64, 32, 32], [64, 64, 64], [64, 128, 64], [64, 128, 128], [128, 256, 256], [64, 784, 128]]) {
  const one = setup(wasmBackend, B, nIn, nOut);
  const two = setup(wasmThreadedBackend(th, false, { minMacs: 0 }), B, nIn, nOut);
  const a = best(one), b = best(two), a2 = best(one), b2 = best(two);
  console.log(`(${B},${nIn},${nOut}) macs ${B * (nIn + 1) * nOut}: 1 thread ${Math.min(a, a2).toFixed(1)} us, 2 threads ${Math.min(b, b2).toFixed(1)} us, x${(Math.min(a, a2) / Math.min(b, b2)).toFixed(2)}`);
}
