// node incl.mjs FILE [MIN] — inclusive time by function (counted once per stack), top entries
import fs from 'node:fs';
const prof = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')); const min = Number(process.argv[3] ?? 15);
const byId = new Map(prof.nodes.map((n) => [n.id, n])); const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
prof.samples.forEach((id, i) => { const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000; const seen = new Set(); for (let x = id; x !== undefined; x = parent.get(x)) { const n = byId.get(x); const f = `${n.callFrame.functionName || '(anon)'}@${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.lineNumber}`; if (seen.has(f)) continue; seen.add(f); incl.set(f, (incl.get(f) ?? 0) + dt); } });
console.log([...incl].filter(([, t]) => t >= min).sort((a, b) => b[1] - a[1]).slice(0, 70).map(([a, b]) => `${b.toFixed(0).padStart(5)} ${a}`).join('\n'));
