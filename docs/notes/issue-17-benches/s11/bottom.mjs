// node bottom.mjs FILE — self time by script and by top functions
import fs from 'node:fs';
const prof = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map(); prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i + 1] ?? 0) / 1000));
const byUrl = new Map(), byFn = new Map();
for (const [id, t] of self) { const n = byId.get(id); const u = n.callFrame.url.replace(/^.*\//, '') || n.callFrame.functionName; byUrl.set(u, (byUrl.get(u) ?? 0) + t); const f = `${n.callFrame.functionName}@${u}:${n.callFrame.lineNumber}`; byFn.set(f, (byFn.get(f) ?? 0) + t); }
const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([a, b]) => `${b.toFixed(0).padStart(5)} ${a}`).join('\n');
console.log(top(byUrl, 12)); console.log('---'); console.log(top(byFn, 30));
