// node callers.mjs FILE FNPREFIX — time of FNPREFIX's samples by the chain of callers (depth D)
import fs from 'node:fs';
const prof = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')); const target = process.argv[3]; const depth = Number(process.argv[4] ?? 6);
const byId = new Map(prof.nodes.map((n) => [n.id, n])); const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => `${n.callFrame.functionName || '(anon)'}@${n.callFrame.url.replace(/^.*\//, '')}:${n.callFrame.lineNumber}`;
const by = new Map();
prof.samples.forEach((id, i) => { const dt = (prof.timeDeltas[i + 1] ?? 0) / 1000; const stack = []; for (let x = id; x !== undefined; x = parent.get(x)) stack.push(name(byId.get(x)));
  const k = stack.findIndex((f) => f.startsWith(target)); if (k < 0) return; const ch = stack.slice(k, k + depth).filter((f, j, a) => !(f.startsWith('traverse') && j > 0)).join(' < '); by.set(ch, (by.get(ch) ?? 0) + dt); });
console.log([...by].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([a, b]) => `${b.toFixed(1).padStart(6)} ${a}`).join('\n'));
