import Database from '/work/wt/cold/node_modules/better-sqlite3';
const db = new Database(process.argv[2] ?? '/tmp/cold6/t10k.sqlite', { readonly: true });
console.log(JSON.stringify(db.prepare(`SELECT '{"k":null}' -> '$.k', '{"k":1}' -> '$.m'`).raw(true).get()));
const V = `EXISTS (SELECT 1 FROM run_spec_checks c WHERE c.run_id = runs.id AND c.spec = runs.spec AND c.spec_version = runs.spec_version AND c.checker = 'nnlab 0.1.0, spec 3, rule 1')`;
const CHECK = `(SELECT 1 FROM run_spec_checks c WHERE c.run_id = runs.id AND c.spec = runs.spec AND c.spec_version = runs.spec_version AND c.checker = 'nnlab 0.1.0, spec 3, rule 1') AS sc`;
const ex = (keys: string[]) => `CASE WHEN ${V} THEN '[' || ${keys.map((k) => `ifnull('[' || (spec -> '$.${k}') || ']', 'null')`).join(` || ',' || `)} || ']' ELSE 'u' || spec END`;
const res: Record<string, number[]> = {};
function t(name: string, fn: () => unknown) { const c0 = process.cpuUsage(); const r = fn(); const c = process.cpuUsage(c0); (res[name] ??= []).push((c.user + c.system) / 1000); return r; }
const keep: unknown[] = [];
const core = `id, status, spec_version, final_loss, test_loss, test_metric, baseline`;
const variants: Record<string, string> = {
  'now: core 9': `SELECT id, status, spec, spec_version, ${CHECK}, final_loss, test_loss, test_metric, baseline FROM runs ORDER BY id DESC`,
  'ex task,label': `SELECT ${core}, ${ex(['task', 'labelColumn'])} FROM runs ORDER BY id DESC`,
  'ex task,label,act': `SELECT ${core}, ${ex(['task', 'labelColumn', 'activation'])} FROM runs ORDER BY id DESC`,
  'ex 4': `SELECT ${core}, ${ex(['task', 'labelColumn', 'learningRate', 'initMean'])} FROM runs ORDER BY id DESC`,
};
console.log(JSON.stringify(db.prepare(variants['ex 4']).raw(true).get()));
for (let i = 0; i < 9; i++) {
  for (const [k, sql] of Object.entries(variants)) keep.push(t(k, () => db.prepare(sql).raw(true).all()));
  keep.push(t('now + JSON.parse', () => (db.prepare(variants['now: core 9']).raw(true).all() as any[][]).map((r) => { r[2] = JSON.parse(r[2]); return r; })));
  keep.push(t('ex 4 + parse', () => (db.prepare(variants['ex 4']).raw(true).all() as any[][]).map((r) => { r[7] = JSON.parse(r[7]); return r; })));
  keep.length = 0;
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(28), 'min', Math.min(...v).toFixed(0).padStart(4), 'med', med(v).toFixed(0).padStart(4));
