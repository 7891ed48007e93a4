import { RunStore } from '/work/wt/cold/src-main/db';
import { runsTablePage } from '/work/wt/cold/src-main/api/handlers';
const file = process.argv[2] ?? '/tmp/cold6/t10k.sqlite';
const reqs: Record<string, object> = { filter: { where: 'activation = relu and r2 < 0.5' }, sort: { sort: 'r2', desc: true }, group: { group: 'activation' }, all3: { where: 'tag:baseline or lr = 1', sort: 'testMse', desc: false, group: 'initMean' } };
const P = RunStore.prototype as any;
const tm: Record<string, number> = {};
for (const m of ['listRuns', 'listRunsProjected', 'experimentNames']) {
  const f = P[m];
  P[m] = function (...a: any[]) { const c0 = process.cpuUsage(); const r = f.apply(this, a); const c = process.cpuUsage(c0); const k = m + (m === 'listRuns' ? (a[0]?.limit ? '(probe)' : a[0]?.ids ? '(ids)' : '(all)') : ''); tm[k] = (tm[k] ?? 0) + (c.user + c.system) / 1000; if (m === 'listRunsProjected') tm['props ' + a[0].join(',')] = 0; return r; };
}
for (let i = 0; i < 3; i++) for (const [n, req] of Object.entries(reqs)) {
  for (const k of Object.keys(tm)) delete tm[k];
  const s = RunStore.open(file);
  const c0 = process.cpuUsage(); const t0 = performance.now();
  runsTablePage(s, req as never);
  const c = process.cpuUsage(c0); const w = performance.now() - t0;
  s.close();
  console.log(n, 'cpu', ((c.user + c.system) / 1000).toFixed(0), 'wall', w.toFixed(0), JSON.stringify(Object.fromEntries(Object.entries(tm).map(([k, v]) => [k, Math.round(v)]))));
}
