// node when.mjs FILE FNPREFIX — when (ms from the profile's start) the self samples of FNPREFIX fall, in bursts
import fs from 'node:fs';
const prof = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')); const target = process.argv[3];
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
let t = 0; const hits = [];
prof.samples.forEach((id, i) => { t += (prof.timeDeltas[i] ?? 0) / 1000; const n = byId.get(id); if ((n.callFrame.functionName || '(anon)').startsWith(target)) hits.push([t, (prof.timeDeltas[i + 1] ?? 0) / 1000]); });
const bursts = []; for (const [at, dt] of hits) { const b = bursts[bursts.length - 1]; if (b && at - b.end < 1) { b.end = at + dt; b.ms += dt; b.n++; } else bursts.push({ start: at, end: at + dt, ms: dt, n: 1 }); }
console.log(bursts.map((b) => `${b.start.toFixed(1)}–${b.end.toFixed(1)}: ${b.ms.toFixed(1)} ms (${b.n})`).join('\n'));
