// node under.mjs FILE FNPREFIX [MIN] — inclusive time by function within stacks that pass through FNPREFIX
import fs from 'node:fs';
const prof = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')); const root = process.argv[3]; const min = Number(process.argv[4] ?? 3);
const byId = new Map(prof.nodes.map((n) => [n.id, n])); const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => `${n.callFrame.functionName || '(anon)'}@${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.lineNumber}`;
const incl = new Map();
prof.samples.forEach((id, i) => { const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000; const stack = []; for (let x = id; x !== undefined; x = parent.get(x)) stack.push(name(byId.get(x)));
  const k = stack.findIndex((f) => f.startsWith(root)); if (k < 0) return; const seen = new Set(); for (const f of stack.slice(0, k + 1)) { if (seen.has(f)) continue; seen.add(f); incl.set(f, (incl.get(f) ?? 0) + dt); } });
console.log([...incl].filter(([, t]) => t >= min).sort((a, b) => b[1] - a[1]).slice(0, 60).map(([a, b]) => `${b.toFixed(1).padStart(6)} ${a}`).join('\n'));
