import Database from '/work/wt/cold/node_modules/better-sqlite3';
const db = new Database('/tmp/cold6/jb.sqlite', { readonly: true });
const CK = `'nnlab 0.1.0, spec 3, rule 1'`;
const CHECK = `(SELECT 1 FROM run_spec_checks c WHERE c.run_id = runs.id AND c.spec = runs.spec AND c.spec_version = runs.spec_version AND c.checker = ${CK}) AS sc`;
const J = `LEFT JOIN run_spec_checks c ON c.run_id = runs.id AND c.spec = runs.spec AND c.spec_version = runs.spec_version AND c.checker = ${CK}`;
const core = `runs.id, status, runs.spec_version, final_loss, test_loss, test_metric, baseline`;
const keys = ['task', 'labelColumn', 'learningRate', 'initMean'];
const cat = (src: string) => `'[' || ${keys.map((k) => `ifnull('[' || (${src} -> '$.${k}') || ']', 'null')`).join(` || ',' || `)} || ']'`;
const res: Record<string, number[]> = {};
function t(name: string, fn: () => unknown) { const c0 = process.cpuUsage(); const r = fn(); const c = process.cpuUsage(c0); (res[name] ??= []).push((c.user + c.system) / 1000); return r; }
const keep: unknown[] = [];
const variants: Record<string, string> = {
  'now: core 9': `SELECT id, status, spec, spec_version, ${CHECK}, final_loss, test_loss, test_metric, baseline FROM runs ORDER BY id DESC`,
  'join, text ex': `SELECT ${core}, CASE WHEN c.run_id IS NULL THEN 'u' || runs.spec ELSE ${cat('runs.spec')} END FROM runs ${J} ORDER BY runs.id DESC`,
  'join, jsonb ex': `SELECT ${core}, CASE WHEN c.run_id IS NULL THEN 'u' || runs.spec ELSE ${cat('c.specb')} END FROM runs ${J} ORDER BY runs.id DESC`,
  'join, jsonb cols': `SELECT ${core}, CASE WHEN c.run_id IS NULL THEN runs.spec END, ${keys.map((k) => `c.specb -> '$.${k}'`).join(', ')} FROM runs ${J} ORDER BY runs.id DESC`,
  'join, only check': `SELECT ${core}, c.run_id FROM runs ${J} ORDER BY runs.id DESC`,
  'no spec at all': `SELECT ${core} FROM runs ORDER BY runs.id DESC`,
};
for (const [k, sql] of Object.entries(variants)) console.log(k, JSON.stringify(db.prepare(sql).raw(true).get()).slice(0, 200));
for (let i = 0; i < 9; i++) {
  for (const [k, sql] of Object.entries(variants)) keep.push(t(k, () => db.prepare(sql).raw(true).all()));
  keep.push(t('now + JSON.parse', () => (db.prepare(variants['now: core 9']).raw(true).all() as any[][]).map((r) => { r[2] = JSON.parse(r[2]); return r; })));
  keep.push(t('jsonb ex + parse', () => (db.prepare(variants['join, jsonb ex']).raw(true).all() as any[][]).map((r) => { r[7] = JSON.parse(r[7]); return r; })));
  keep.length = 0;
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(28), 'min', Math.min(...v).toFixed(0).padStart(4), 'med', med(v).toFixed(0).padStart(4));
