// usage: node prof.mjs ROOT DB [profile]  — one cold open of #/compare?experiment=1, timeline + CPU profile summary
import { spawn } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
const [root, db, doProfile] = process.argv.slice(2);
const { chromium } = await import(path.join('/work/wt/compare/node_modules/playwright-core/index.mjs'));
const child = spawn(process.execPath, [path.join(root, 'bin/nnlab.js'), 'serve', '--db', db, '--workers', '1'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NNLAB_DB: db } });
const url = await new Promise((done) => { let out = ''; child.stdout.setEncoding('utf8').on('data', (c) => { out += c; if (out.includes('\n')) done(out.split('\n')[0].trim()); }); });
// the bench's own check, read from its source (src-main/cli/bench-ui.ts COMPLETE; was a copy, complete.js)
const COMPLETE = fs.readFileSync(new URL('../../../src-main/cli/bench-ui.ts', import.meta.url), 'utf8').match(/const COMPLETE = `([\s\S]*?)`;/)[1].replace(/\\\\/g, '\\');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
for (let k = 0; k < 2; k++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript({ path: '/tmp/compare6-prof/probe.js' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const reqs = new Map();
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (e) => reqs.set(e.requestId, { url: e.request.url.replace(/^http:\/\/[^/]+/, '').replace(/token=[^&]+/, ''), t0: e.timestamp, method: e.request.method }));
  cdp.on('Network.responseReceived', (e) => { const r = reqs.get(e.requestId); if (r) r.tResp = e.timestamp; });
  cdp.on('Network.loadingFinished', (e) => { const r = reqs.get(e.requestId); if (r) { r.tEnd = e.timestamp; r.bytes = e.encodedDataLength; } });
  const last = k === 1;
  if (last && doProfile) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start'); }
  const nav0 = (await cdp.send('Runtime.evaluate', { expression: '0' }), Date.now());
  await page.goto(`${url}#/compare?experiment=1`);
  const t = await page.evaluate(COMPLETE);
  const navStart = await page.evaluate('performance.timeOrigin');
  let prof;
  if (last && doProfile) prof = (await cdp.send('Profiler.stop')).profile;
  const marks = await page.evaluate(`JSON.stringify(performance.getEntriesByType('resource').map(e => [e.name.replace(/^http:\\/\\/[^/]+/, '').replace(/token=[^&]+/, '').slice(0,60), Math.round(e.startTime), Math.round(e.responseStart), Math.round(e.responseEnd), e.encodedBodySize]))`);
  const nav = await page.evaluate(`JSON.stringify((({domContentLoadedEventEnd, loadEventEnd, responseEnd}) => ({responseEnd, domContentLoadedEventEnd, loadEventEnd}))(performance.getEntriesByType('navigation')[0]))`);
  console.log(`open ${k}: complete ${t.toFixed(0)} ms; nav ${nav}`);
  if (last) {
    for (const m of JSON.parse(marks)) console.log('  ', m.join('  '));
    const charts = await page.evaluate(`[...document.querySelectorAll('.canvas-box canvas')].length + ' canvases; ' + [...document.querySelectorAll('.canvas-box canvas')].map(c => c.closest('[data-chart]')?.dataset.chart || c.closest('section')?.className || '?').join(',')`);
    console.log('  ', charts);
    console.log('   probe', await page.evaluate('JSON.stringify({c: __probe.canvases, r: __probe.removed, lt: __probe.longtasks, draws: __probe.draws})'), 'DOM nodes', await page.evaluate('document.querySelectorAll("*").length'));
    console.log('   charts', await page.evaluate('JSON.stringify([...document.querySelectorAll("figure[data-chart]")].map(f => [f.dataset.chart, f.dataset.datasets, f.dataset.points, f.querySelector("canvas")?.dataset.drawnPoints]))'));
    console.log('   panels', await page.evaluate('JSON.stringify([...document.querySelectorAll("[data-panel]")].map(p => [p.dataset.panel, p.querySelectorAll("*").length, Math.round(p.getBoundingClientRect().top)]))'));
    const scroll = await page.evaluate(`document.documentElement.scrollHeight + ' px page; main ' + document.querySelector('main').scrollHeight`);
    console.log('  ', scroll);
  }
  if (prof) {
    fs.writeFileSync('/tmp/compare6-prof/last.cpuprofile', JSON.stringify(prof));
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const self = new Map();
    const dt = prof.timeDeltas;
    prof.samples.forEach((id, i) => { const n = byId.get(id); const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(key, (self.get(key) ?? 0) + (dt[i + 1] ?? 0) / 1000); });
    const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 40);
    const total = [...self.values()].reduce((a, b) => a + b, 0);
    console.log(`  profile total ${total.toFixed(0)} ms`);
    for (const [k2, v] of top) console.log(`   ${v.toFixed(1).padStart(8)}  ${k2}`);
    // inclusive by top-level-ish function name
    const parent = new Map(); for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const incl = new Map();
    prof.samples.forEach((id, i) => { const seen = new Set(); let cur = id; while (cur !== undefined) { const n = byId.get(cur); const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; if (!seen.has(key)) { seen.add(key); incl.set(key, (incl.get(key) ?? 0) + (dt[i + 1] ?? 0) / 1000); } cur = parent.get(cur); } });
    console.log('  inclusive:');
    for (const [k2, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, 70)) console.log(`   ${v.toFixed(1).padStart(8)}  ${k2}`);
  }
  await context.close();
}
await browser.close();
child.kill('SIGTERM');
