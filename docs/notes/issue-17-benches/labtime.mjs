import { spawn } from 'node:child_process';
import fs from 'node:fs';
const roots = { old: '/tmp/compare6-old', new: '/work/wt/compare' };
const servers = {};
for (const [k, root] of Object.entries(roots)) {
  const db = `/tmp/compare6-prof/lt-${k}.sqlite`; fs.copyFileSync('/tmp/compare6-prof/ui-500.sqlite', db);
  const child = spawn(process.execPath, [root + '/bin/nnlab.js', 'serve', '--db', db, '--workers', '1'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((done) => { let out = ''; child.stdout.setEncoding('utf8').on('data', (c) => { out += c; if (out.includes('\n')) done(out.split('\n')[0].trim()); }); });
  servers[k] = { child, u: new URL(url) };
}
const call = async (k, name, body) => { const { u } = servers[k]; const t0 = performance.now(); const r = await fetch(`${u.origin}/api/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${u.searchParams.get('token')}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }); const txt = await r.text(); return [performance.now() - t0, txt.length]; };
const names = ['cost', 'checkpointBatches', 'checkpointMetrics', 'estimates', 'gradNorms', 'testEstimates', 'testInputs', 'testTargets', 'viewInputs'];
const req = (k) => ({ ids: Array.from({ length: 500 }, (_, i) => i + 1), packed: true, series: names.map((name) => name === 'cost' ? { name, maxPoints: 400 } : name === 'estimates' && k === 'new' ? { name, checkpoint: 'last' } : { name }) });
for (let r = 0; r < 4; r++) for (const k of r % 2 ? ['new', 'old'] : ['old', 'new']) {
  const ids = await call(k, 'runs/ids', { experimentId: 1 });
  const c = await call(k, 'runs/compare', req(k));
  const c2 = await call(k, 'runs/compare', { ...req(k), series: req('old').series });
  console.log(r, k, 'ids', ids[0].toFixed(0), 'compare', c[0].toFixed(0), 'ms', (c[1] / 1e6).toFixed(1), 'MB | whole estimates', c2[0].toFixed(0), 'ms', (c2[1] / 1e6).toFixed(1), 'MB');
}
for (const s of Object.values(servers)) s.child.kill();
