// node bursts.mjs FILE FNPREFIX — when samples whose stack passes through FNPREFIX fall (bursts ≥ 2 ms apart)
import fs from 'node:fs';
const prof = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')); const target = process.argv[3];
const byId = new Map(prof.nodes.map((n) => [n.id, n])); const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
let t = 0; const hits = [];
prof.samples.forEach((id, i) => { t += (prof.timeDeltas[i] ?? 0) / 1000; for (let x = id; x !== undefined; x = parent.get(x)) { if ((byId.get(x).callFrame.functionName || '').startsWith(target)) { hits.push([t, (prof.timeDeltas[i + 1] ?? 0) / 1000]); break; } } });
const bursts = []; for (const [at, dt] of hits) { const b = bursts[bursts.length - 1]; if (b && at - b.end < 2) { b.end = at + dt; b.ms += dt; } else bursts.push({ start: at, end: at + dt, ms: dt }); }
console.log(bursts.map((b) => `${b.start.toFixed(1)}–${b.end.toFixed(1)}: ${b.ms.toFixed(1)} ms`).join('\n'));
