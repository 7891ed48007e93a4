import Database from '/work/wt/cold/node_modules/better-sqlite3';
const db = new Database('/tmp/cold6/t10k-new.sqlite', { readonly: true });
const CK = `'nnlab 0.1.0, spec 3, rule 2'`;
const V = `c.run_id = runs.id AND c.spec = runs.spec AND c.spec_version = runs.spec_version AND c.checker = ${CK}`;
const CHECK = `(SELECT 1 FROM run_spec_checks c WHERE ${V}) AS sc`;
const res: Record<string, number[]> = {};
function t(name: string, fn: () => unknown) { const c0 = process.cpuUsage(); const r = fn(); const c = process.cpuUsage(c0); (res[name] ??= []).push((c.user + c.system) / 1000); return r; }
const keep: unknown[] = [];
const nowSql = `SELECT id, status, spec, spec_version, ${CHECK}, final_loss, test_loss, test_metric, baseline FROM runs ORDER BY id DESC`;
const keys = ['activation', 'labelColumn', 'task'];
const exSql = `SELECT id, status, spec_version, final_loss, test_loss, test_metric, baseline, CASE WHEN EXISTS (SELECT 1 FROM run_spec_checks c WHERE ${V}) THEN '[' || ${keys.map((k) => `ifnull('[' || (runs.spec -> '$.${k}') || ']', 'null')`).join(" || ',' || ")} || ']' ELSE 'u' || runs.spec END FROM runs ORDER BY id DESC`;
const SEED = /"(initSeed|dataSeed)":(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
function tpl(rows: any[][]) {
  const cache = new Map<string, any>();
  return rows.map((r) => {
    const text = r[2] as string;
    const seeds: Record<string, number> = {};
    const key = text.replace(SEED, (_m, k, v) => { seeds[k] = Number(v); return `"${k}":0`; });
    let base = cache.get(key);
    if (!base) cache.set(key, (base = JSON.parse(key)));
    r[2] = { ...base, ...seeds };
    return r;
  });
}
function tpl2(rows: any[][]) {
  const cache = new Map<string, any>();
  return rows.map((r) => {
    const text = r[2] as string;
    const a = text.indexOf('"initSeed":'); const b = text.indexOf('"dataSeed":');
    const ae = text.indexOf(',', a); const be = text.indexOf(',', b);
    const key = text.slice(0, a) + text.slice(ae + 1, b) + text.slice(be + 1);
    let base = cache.get(key);
    if (!base) cache.set(key, (base = JSON.parse(key)));
    r[2] = { ...base, initSeed: Number(text.slice(a + 11, ae)), dataSeed: Number(text.slice(b + 11, be)) };
    return r;
  });
}
console.log(JSON.stringify(tpl(db.prepare(nowSql).raw(true).all().slice(0, 1) as any[][])[0][2]) === db.prepare('select spec from runs order by id desc limit 1').pluck().get());
for (let i = 0; i < 9; i++) {
  keep.push(t('now + JSON.parse', () => (db.prepare(nowSql).raw(true).all() as any[][]).map((r) => { r[2] = JSON.parse(r[2]); return r; })));
  keep.push(t('ex 3 + parse', () => (db.prepare(exSql).raw(true).all() as any[][]).map((r) => { r[7] = JSON.parse(r[7]); return r; })));
  keep.push(t('now + template regex', () => tpl(db.prepare(nowSql).raw(true).all() as any[][])));
  keep.push(t('now + template indexOf', () => tpl2(db.prepare(nowSql).raw(true).all() as any[][])));
  keep.push(t('now SQL only', () => db.prepare(nowSql).raw(true).all()));
  if (keep.length > 10) keep.splice(0, 5);
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const [k, v] of Object.entries(res)) console.log(k.padEnd(28), 'min', Math.min(...v).toFixed(0).padStart(4), 'med', med(v).toFixed(0).padStart(4));
