// node ab.mjs ROUNDS [DB] — builds in BUILDS (JSON name→root), each `nnlab serve` on its own copy of DB,
// opened in turn (order alternating each round): cold (new context, goto #/compare) and in the app
// (page loaded at #/runs, then the hash set), one warm-up round; "complete" is bench-ui.ts's COMPLETE.
import fs from 'node:fs';
import os from 'node:os';
import { COMPLETE, launch, RUNS_SHOWN, serve } from '../browser.mjs';
const rounds = Number(process.argv[2] ?? 5);
const file = process.argv[3] ?? '/tmp/p17/db72.sqlite';
const runs = Number(process.env.RUNS ?? 72), configs = Number(process.env.CONFIGS ?? 12);
const modes = (process.env.MODES ?? 'cold,app').split(',');
const builds = JSON.parse(process.env.BUILDS ?? '{"old":"/tmp/s12-old","new":"/work/wt/speed12"}');
const names = Object.keys(builds);
const browser = await launch();
const med = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const load1 = () => os.loadavg()[0].toFixed(2);
const servers = {};
for (const b of names) { const db = `/tmp/s12/ab-${b}.sqlite`; fs.copyFileSync(file, db); servers[b] = await serve(builds[b], db); }
const times = {}; for (const m of modes) { times[m] = {}; for (const b of names) times[m][b] = []; }
const loadStart = load1();
const CPU = ['ThreadTime', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration'];
const cpu = {}; for (const b of names) { cpu[b] = { afterAnswer: [] }; for (const k of CPU) cpu[b][k] = []; }
async function open(b, mode) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  let t;
  if (mode === 'cold') {
    await page.goto(`${servers[b].url}#/compare?experiment=1`);
    t = await page.evaluate(COMPLETE);
  } else {
    await page.goto(`${servers[b].url}#/runs`);
    await page.evaluate(RUNS_SHOWN);
    // the main thread's CPU time through the open (thread ticks: time spent waiting for a core is not counted)
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((x) => [x.name, x.value]));
    const before = await metrics();
    const t0 = await page.evaluate("(() => { const t = performance.now(); location.hash = '#/compare?experiment=1'; return t; })()");
    const tc = await page.evaluate(COMPLETE);
    t = tc - t0;
    const after = await metrics();
    // from the lab's answer in to complete: the page's own work, without the wait for the lab
    const answered = await page.evaluate(`Math.max(...performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/runs/compare') && e.startTime > ${t0}).map((e) => e.responseEnd))`);
    if (recording) cpu[b].afterAnswer.push(tc - answered);
    if (recording) for (const k of CPU) cpu[b][k].push((after[k] - before[k]) * 1000);
  }
  const count = (await page.textContent('[data-testid="compare-count"]'))?.trim() ?? '';
  if (!count.startsWith(`${runs} runs in ${configs} configurations`)) throw new Error(`${b}: “${count}”`);
  await context.close();
  return t;
}
let recording = false;
for (let k = 0; k <= rounds; k++) {
  recording = k > 0;
  const order = k % 2 ? [...names].reverse() : names;
  for (const m of modes) for (const b of order) { const t = await open(b, m); if (k > 0) times[m][b].push(t); }
}
for (const b of names) servers[b].child.kill('SIGTERM');
for (const m of modes) {
  const fmt = (b) => `${b} ${med(times[m][b]).toFixed(0)} ms (${Math.min(...times[m][b]).toFixed(0)}–${Math.max(...times[m][b]).toFixed(0)})`;
  for (const b of names.slice(2)) { const pr = times[m][b].map((t, k) => t / times[m][names[0]][k]); console.log(`  ${m}: ${b}/${names[0]} ${(med(times[m][b]) / med(times[m][names[0]])).toFixed(2)} (rounds' ratios ${med(pr).toFixed(2)})`); }
  const paired = times[m][names[1]].map((t, k) => t / times[m][names[0]][k]);
  console.log(`${runs} runs ${m}, ${rounds} rounds: ${names.map(fmt).join(' | ')} | ${names[1]}/${names[0]} ${(med(times[m][names[1]]) / med(times[m][names[0]])).toFixed(2)} (median of the rounds' ratios ${med(paired).toFixed(2)}, ${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)}) | load ${loadStart} → ${load1()}`);
}
if (modes.includes('app')) for (const k of ['afterAnswer', ...CPU]) {
  const r = (b) => cpu[b][k].slice(names.length ? 0 : 0);
  const fmt = (b) => `${b} ${med(r(b)).toFixed(0)} (${Math.min(...r(b)).toFixed(0)}–${Math.max(...r(b)).toFixed(0)})`;
  for (const b of names.slice(2)) console.log(`    ${k}: ${b} ${med(r(b)).toFixed(0)} | ${b}/${names[0]} ${(med(r(b)) / med(r(names[0]))).toFixed(2)}`);
  console.log(`  app, ${k === 'afterAnswer' ? 'answer in → complete' : `main-thread ${k}`} ms: ${names.map(fmt).join(' | ')} | ${names[1]}/${names[0]} ${(med(r(names[1])) / med(r(names[0]))).toFixed(2)}`);
}
console.log(JSON.stringify(times));
await browser.close();
