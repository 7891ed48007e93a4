import { spawn } from 'node:child_process';
const { chromium } = await import('/work/wt/speed12/node_modules/playwright-core/index.mjs');
const child = spawn(process.execPath, ['/tmp/s12-old/bin/nnlab.js', 'serve', '--db', '/tmp/s12/prof.sqlite', '--workers', '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((done) => { let o = ''; child.stdout.setEncoding('utf8').on('data', (c) => { o += c; if (o.includes('\n')) done(o.split('\n')[0].trim()); }); });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (let k = 0; k < 2; k++) {
const context = await browser.newContext(); const page = await context.newPage();
await page.goto(`${url}#/runs`); await page.waitForTimeout(1500);
console.log(await page.evaluate(() => { const r = []; let t = performance.now();
  for (const d of [1, 0, 2, 3, 2, 0, 4, 5]) { const f = new Intl.NumberFormat(undefined, { notation: undefined, minimumFractionDigits: d, maximumFractionDigits: d }); f.format(1.5); const u = performance.now(); r.push(`${d}:${(u - t).toFixed(2)}`); t = u; }
  for (const n of ['scientific', 'compact']) { const f = new Intl.NumberFormat(undefined, { notation: n, minimumFractionDigits: 1, maximumFractionDigits: 1 }); f.format(1.5e-5); const u = performance.now(); r.push(`${n}:${(u - t).toFixed(2)}`); t = u; }
  return r.join(' '); }));
await context.close(); }
await browser.close(); child.kill();
