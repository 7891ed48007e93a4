// node window.mjs FILE FROM TO — inclusive time by function of the samples between FROM and TO ms
import fs from 'node:fs';
const prof = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')); const from = Number(process.argv[3]), to = Number(process.argv[4]);
const byId = new Map(prof.nodes.map((n) => [n.id, n])); const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => `${n.callFrame.functionName || '(anon)'}@${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.lineNumber}`;
const incl = new Map(); let t = 0;
prof.samples.forEach((id, i) => { t += (prof.timeDeltas[i] ?? 0) / 1000; if (t < from || t > to) return; const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000; const seen = new Set(); for (let x = id; x !== undefined; x = parent.get(x)) { const f = name(byId.get(x)); if (seen.has(f)) continue; seen.add(f); incl.set(f, (incl.get(f) ?? 0) + dt); } });
console.log([...incl].sort((a, b) => b[1] - a[1]).slice(0, 30).map(([a, b]) => `${b.toFixed(1).padStart(6)} ${a}`).join('\n'));
