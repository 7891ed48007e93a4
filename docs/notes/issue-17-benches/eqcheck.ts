import { lossDifferenceCurve as neu } from '/work/wt/compare/src-main/analysis/paired';
import { lossDifferenceCurve as old } from '/work/wt/compare/src-main/analysis/paired-old-scratch';
import { isDeepStrictEqual } from 'node:util';
let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const series = () => {
  const n = 1 + Math.floor(rnd() * 40);
  const full = 1 + Math.floor(rnd() * 80);
  const dec = rnd() < 0.5;
  const data = Array.from({ length: dec ? Math.min(n, full) : n }, () => (rnd() < 0.08 ? null : rnd() < 0.03 ? Infinity : Math.round(rnd() * 10) / 2));
  let index: number[] | undefined;
  if (dec) { const set = new Set<number>(); while (set.size < data.length) set.add(Math.floor(rnd() * full)); index = [...set].sort((a, b) => a - b); if (rnd() < 0.1) index.reverse(); }
  return { data, index, diverged: rnd() < 0.3, batchSize: rnd() < 0.5 ? 1 + Math.floor(rnd() * 4) : undefined };
};
let bad = 0;
for (let t = 0; t < 3000; t++) {
  const pairs = Array.from({ length: Math.floor(rnd() * 6) }, () => ({ a: series(), b: series() }));
  const opts = rnd() < 0.5 ? { maxPoints: 2 + Math.floor(rnd() * 20) } : {};
  const x = neu(pairs, opts), y = old(pairs, opts);
  if (!isDeepStrictEqual(x, y)) { bad++; if (bad < 3) console.log(JSON.stringify({ pairs, opts, x, y }).slice(0, 1500)); }
}
console.log('mismatches', bad);
// speed: 250 pairs of 300 points
const big = Array.from({ length: 250 }, () => ({ a: { data: Array.from({ length: 300 }, () => rnd()) }, b: { data: Array.from({ length: 300 }, () => rnd()) } }));
for (let r = 0; r < 3; r++) for (const [name, f] of [['old', old], ['new', neu]] as const) { const t0 = performance.now(); for (let k = 0; k < 5; k++) f(big, { maxPoints: 600 }); console.log(name, ((performance.now() - t0) / 5).toFixed(1), 'ms'); }
