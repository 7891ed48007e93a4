// in-process A/B of exactly the projected spec: the same code and file, listRunsProjected given the probe's spec keys (projected) or not (whole specs, as before), alternating
import { RunStore } from '/work/wt/cold/src-main/db';
import { runsTablePage } from '/work/wt/cold/src-main/api/handlers';
const reqs: Record<string, object> = { filter: { where: 'activation = relu and r2 < 0.5' }, sort: { sort: 'r2', desc: true }, group: { group: 'activation' }, all3: { where: 'tag:baseline or lr = 1', sort: 'testMse', desc: false, group: 'initMean' } };
const file = '/tmp/cold6/t10k-new.sqlite';
const P = RunStore.prototype as any;
const orig = P.listRunsProjected;
let mode = 'projected';
P.listRunsProjected = function (props: any, o: any, keys: any) { return orig.call(this, props, o, mode === 'projected' ? keys : undefined); };
const res: Record<string, { cpu: number[]; wall: number[] }> = {};
const rounds = +(process.argv[2] ?? 9);
for (let w = 0; w < 2; w++) for (const m of ['projected', 'whole specs']) { mode = m; const s = RunStore.open(file); runsTablePage(s, reqs.all3 as never); s.close(); }
for (let i = 0; i < rounds; i++) for (const [n, req] of Object.entries(reqs)) for (const m of i % 2 ? ['whole specs', 'projected'] : ['projected', 'whole specs']) {
  mode = m;
  const st = RunStore.open(file);
  const c0 = process.cpuUsage(); const t0 = performance.now();
  runsTablePage(st, req as never);
  const w = performance.now() - t0; const c = process.cpuUsage(c0);
  st.close();
  const r = (res[`${n} ${m}`] ??= { cpu: [], wall: [] });
  r.cpu.push((c.user + c.system) / 1000); r.wall.push(w);
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(20), 'cpu med', med(v.cpu).toFixed(0).padStart(4), 'min', Math.min(...v.cpu).toFixed(0).padStart(4), ' wall med', med(v.wall).toFixed(0).padStart(4), 'min', Math.min(...v.wall).toFixed(0).padStart(4));
