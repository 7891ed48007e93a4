import fs from 'node:fs';
const [file, root, depthS, minS] = process.argv.slice(2);
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const key = (n) => `${n.callFrame.functionName || '(anon)'}:${n.callFrame.lineNumber}`;
const selfT = new Map(); prof.samples.forEach((id, i) => selfT.set(id, (selfT.get(id) ?? 0) + (prof.timeDeltas[i + 1] ?? 0) / 1000));
const tot = new Map(); const total = (n) => { if (tot.has(n.id)) return tot.get(n.id); let t = selfT.get(n.id) ?? 0; for (const c of n.children ?? []) t += total(byId.get(c)); tot.set(n.id, t); return t; };
// merged tree: path of keys
const merged = { t: 0, kids: new Map() };
const add = (n, m, inside) => { const k = key(n); const isRoot = inside || k.startsWith(root + ':'); let mm = m; if (isRoot) { if (!m.kids.has(k)) m.kids.set(k, { t: 0, kids: new Map() }); mm = m.kids.get(k); mm.t += selfT.get(n.id) ?? 0; } for (const c of n.children ?? []) add(byId.get(c), isRoot ? mm : m, isRoot); };
add(byId.get(prof.nodes[0].id), merged, false);
const sum = (m) => m.t + [...m.kids.values()].reduce((a, k) => a + sum(k), 0);
const print = (m, d, ind) => { if (d < 0) return; for (const [k, c] of [...m.kids].sort((a, b) => sum(b[1]) - sum(a[1]))) { const s = sum(c); if (s < Number(minS ?? 5)) continue; console.log(`${ind}${s.toFixed(0).padStart(5)} ${k}`); print(c, d - 1, ind + '  '); } };
print(merged, Number(depthS ?? 4), '');
