import Database from '/work/wt/cold/node_modules/better-sqlite3';
const db = new Database('/tmp/cold6/jb.sqlite', { readonly: true });
const CK = `'nnlab 0.1.0, spec 3, rule 1'`;
const V = `c.run_id = runs.id AND c.spec = runs.spec AND c.spec_version = runs.spec_version AND c.checker = ${CK}`;
const VB = `c.run_id = runs.id AND json(c.specb) = runs.spec AND c.spec_version = runs.spec_version AND c.checker = ${CK}`;
const core = `id, status, spec_version, final_loss, test_loss, test_metric, baseline`;
const keys = ['activation', 'labelColumn', 'task'];
const vals = (src: string) => keys.map((k) => `ifnull('[' || (${src} -> '$.${k}') || ']', 'null')`).join(" || ',' || ");
const variants: Record<string, string> = {
  'now (text ex)': `SELECT ${core}, CASE WHEN EXISTS (SELECT 1 FROM run_spec_checks c WHERE ${V}) THEN '[' || ${vals('runs.spec')} || ']' ELSE 'u' || runs.spec END FROM runs ORDER BY id DESC`,
  'jsonb: json(b)=spec, ex b': `SELECT ${core}, ifnull((SELECT '[' || ${vals('c.specb')} || ']' FROM run_spec_checks c WHERE ${VB}), 'u' || runs.spec) FROM runs ORDER BY id DESC`,
  'check only': `SELECT ${core}, EXISTS (SELECT 1 FROM run_spec_checks c WHERE ${V}) FROM runs ORDER BY id DESC`,
  'jsonb check only': `SELECT ${core}, EXISTS (SELECT 1 FROM run_spec_checks c WHERE ${VB}) FROM runs ORDER BY id DESC`,
};
for (const [k, sql] of Object.entries(variants)) console.log(k, JSON.stringify(db.prepare(sql).raw(true).get()));
const res: Record<string, number[]> = {};
function t(name: string, fn: () => unknown) { const c0 = process.cpuUsage(); const r = fn(); const c = process.cpuUsage(c0); (res[name] ??= []).push((c.user + c.system) / 1000); return r; }
for (let i = 0; i < 9; i++) for (const [k, sql] of Object.entries(variants)) t(k, () => db.prepare(sql).raw(true).all());
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(28), 'min', Math.min(...v).toFixed(0).padStart(4), 'med', med(v).toFixed(0).padStart(4));
