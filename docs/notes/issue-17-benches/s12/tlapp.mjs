// node tlapp.mjs ROOT DB N — in-app opens: the runs/compare request's start/end and the long tasks, ms after the hash was set
import { spawn } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
const [root, db, n] = process.argv.slice(2);
const { chromium } = await import('/work/wt/speed12/node_modules/playwright-core/index.mjs');
const child = spawn(process.execPath, [path.join(root, 'bin/nnlab.js'), 'serve', '--db', db, '--workers', '1'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((done) => { let o = ''; child.stdout.setEncoding('utf8').on('data', (c) => { o += c; if (o.includes('\n')) done(o.split('\n')[0].trim()); }); });
const src = fs.readFileSync('/work/wt/speed12/src-main/cli/bench-ui.ts', 'utf8');
const grab = (name) => src.match(new RegExp(`const ${name} = \`([\\s\\S]*?)\`;`))[1].replace(/\\\\/g, '\\');
const COMPLETE = grab('COMPLETE'), RUNS_SHOWN = grab('RUNS_SHOWN');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
for (let k = 0; k < Number(n ?? 4); k++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => { window.__lt = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true }); });
  const page = await context.newPage();
  await page.goto(`${url}#/runs`); await page.evaluate(RUNS_SHOWN);
  const t0 = await page.evaluate("(() => { window.__lt.length = 0; const t = performance.now(); location.hash = '#/compare?experiment=1'; return t; })()");
  const t = (await page.evaluate(COMPLETE)) - t0;
  const res = await page.evaluate(`JSON.stringify({ r: performance.getEntriesByType('resource').filter(e => e.startTime > ${t0}).map(e => [e.name.replace(/^http:\\/\\/[^/]+/, '').slice(0,20), Math.round(e.startTime - ${t0}), Math.round(e.responseStart - ${t0}), Math.round(e.responseEnd - ${t0})]), lt: window.__lt.map(([s, d]) => [Math.round(s - ${t0}), Math.round(d)]) })`);
  console.log('open', k, t.toFixed(0), res);
  await context.close();
}
await browser.close(); child.kill();
