// node profapp.mjs ROOT DB OUT — in-app open (page at #/runs, then the hash set), CPU profile of the open
import { spawn } from 'node:child_process';
import path from 'node:path';
import fs from 'node:fs';
const [root, db, out] = process.argv.slice(2);
const { chromium } = await import('/work/wt/speed12/node_modules/playwright-core/index.mjs');
const child = spawn(process.execPath, [path.join(root, 'bin/nnlab.js'), 'serve', '--db', db, '--workers', '1'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((done) => { let o = ''; child.stdout.setEncoding('utf8').on('data', (c) => { o += c; if (o.includes('\n')) done(o.split('\n')[0].trim()); }); });
const src = fs.readFileSync('/work/wt/speed12/src-main/cli/bench-ui.ts', 'utf8');
const grab = (name) => src.match(new RegExp(`const ${name} = \`([\\s\\S]*?)\`;`))[1].replace(/\\\\/g, '\\');
const COMPLETE = grab('COMPLETE'), RUNS_SHOWN = grab('RUNS_SHOWN');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
for (let k = 0; k < 3; k++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(`${url}#/runs`); await page.evaluate(RUNS_SHOWN);
  const last = k === 2;
  if (last) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start'); }
  const t0 = await page.evaluate("(() => { const t = performance.now(); location.hash = '#/compare?experiment=1'; return t; })()");
  const t = (await page.evaluate(COMPLETE)) - t0;
  const res = await page.evaluate(`JSON.stringify(performance.getEntriesByType('resource').filter(e => e.startTime > ${t0}).map(e => [e.name.replace(/^http:\\/\\/[^/]+/, '').slice(0,40), Math.round(e.startTime - ${t0}), Math.round(e.responseEnd - ${t0})]))`);
  console.log('open', k, t.toFixed(0), res);
  if (last) { const { profile } = await cdp.send('Profiler.stop'); fs.writeFileSync(out, JSON.stringify(profile)); }
  await context.close();
}
await browser.close(); child.kill();
