import { Trainer } from './src-main/trainer/trainer';
import { DEFAULT_SPEC } from './src-main/trainer/spec';
import { wasmBackend } from './src-main/trainer/wasm';
import { arraySource } from './src-main/trainer/data';
const shape = process.argv[2] ? process.argv[2].split(',').map(Number) : [784, 128, 10];
const batch = Number(process.argv[3] ?? 64);
const dtype = (process.argv[4] ?? 'float64') as 'float64';
const nIn = shape[0], nOut = shape[shape.length - 1];
const xs = Float64Array.from({ length: 64 * batch * nIn }, () => Math.random());
const ys = Float64Array.from({ length: 64 * batch * nOut }, () => Math.random());
const src = arraySource(xs, ys, nIn, nOut);
const acc: Record<string, number> = {};
const timed = (name: string, f: any) => (...args: any[]) => { const t0 = performance.now(); f(...args); acc[name] = (acc[name] ?? 0) + performance.now() - t0; };
const t = new Trainer({ ...DEFAULT_SPEC, shape, batchSize: batch, batches: 1e9, learningRate: 0.01, checkpoints: 0, dtype }, { backend: wasmBackend, timingEvery: 0, source: { fill: timed('fill', (i: number, a: any) => src.fill(i % 64, a)) } });
const k = t.kernels as any;
for (const name of ['forward', 'backwardData', 'weightGrad', 'sgd']) k[name] = timed(name, k[name]);
for (const [n, a] of Object.entries(k.activations)) { (a as any).forward = timed('act-' + n, (a as any).forward); (a as any).backward = timed('act-' + n, (a as any).backward); }
let best = Infinity, bestAcc: Record<string, number> = {};
for (let r = 0; r < 40; r++) {
  for (const n in acc) acc[n] = 0;
  const N = 20; const t0 = performance.now();
  for (let i = 0; i < N; i++) t.step();
  const total = (performance.now() - t0) / N;
  if (total < best) { best = total; bestAcc = Object.fromEntries(Object.entries(acc).map(([n, v]) => [n, v / N])); }
}
const sum = Object.values(bestAcc).reduce((a, b) => a + b, 0);
console.log(`${shape} b${batch} ${dtype}: step ${(best * 1000).toFixed(0)} us`, Object.entries(bestAcc).map(([n, v]) => `${n} ${(v * 1000).toFixed(0)}`).join(', '), `rest ${((best - sum) * 1000).toFixed(0)}`);
