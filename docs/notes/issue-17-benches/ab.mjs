// node ab.mjs ROUNDS — old (/tmp/compare-old, main at 2363476) vs new (/work/wt/compare) opened in turn, cold (new context each), per case
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
const rounds = Number(process.argv[2] ?? 5);
const { chromium } = await import('/work/wt/compare/node_modules/playwright-core/index.mjs');
// the bench's own check, read from its source (src-main/cli/bench-ui.ts COMPLETE; was a copy, complete.js)
const COMPLETE = fs.readFileSync(new URL('../../../src-main/cli/bench-ui.ts', import.meta.url), 'utf8').match(/const COMPLETE = `([\s\S]*?)`;/)[1].replace(/\\\\/g, '\\');
const builds = JSON.parse(process.env.BUILDS ?? '{"old":"/tmp/compare6-old","new":"/work/wt/compare"}');
const serve = (root, db) => new Promise((done) => {
  const child = spawn(process.execPath, [path.join(root, 'bin/nnlab.js'), 'serve', '--db', db, '--workers', '1'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = ''; child.stdout.setEncoding('utf8').on('data', (c) => { out += c; if (out.includes('\n')) done({ url: out.split('\n')[0].trim(), child }); });
});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
const med = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const load1 = () => os.loadavg()[0].toFixed(1);
for (const [name, file, runs, configs] of [['72 runs', '/tmp/compare6-prof/ui-72.sqlite', 72, 12], ['500 runs', '/tmp/compare6-prof/ui-500.sqlite', 500, 10]]) {
  const servers = {};
  for (const b of Object.keys(builds)) { const db = `/tmp/compare6-prof/ab-${b}-${runs}.sqlite`; fs.copyFileSync(file, db); servers[b] = await serve(builds[b], db); }
  const times = { old: [], new: [] }; const calls = { old: 0, new: 0 }; const bytes = { old: 0, new: 0 };
  const loadStart = load1();
  for (let k = 0; k <= rounds; k++) {
    const order = k % 2 ? ['new', 'old'] : ['old', 'new'];
    for (const b of order) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      let n = 0, size = 0;
      page.on('request', (r) => { if (/\/api\/runs\//.test(new URL(r.url()).pathname)) n++; });
      page.on('response', async (r) => { if (/\/api\/runs\//.test(new URL(r.url()).pathname)) { try { size += (await r.body()).length; } catch {} } });
      await page.goto(`${servers[b].url}#/compare?experiment=1`);
      const t = await page.evaluate(COMPLETE);
      const count = (await page.textContent('[data-testid="compare-count"]'))?.trim() ?? '';
      if (!count.startsWith(`${runs} runs in ${configs} configurations`)) throw new Error(`${b}: “${count}”`);
      if (k > 0) { times[b].push(t); calls[b] = n; bytes[b] = size; }
      await context.close();
    }
  }
  for (const b of Object.keys(builds)) { servers[b].child.kill('SIGTERM'); }
  const fmt = (b) => `${(med(times[b]) / 1000).toFixed(2)} s (${(Math.min(...times[b]) / 1000).toFixed(2)}–${(Math.max(...times[b]) / 1000).toFixed(2)}) [${times[b].map((x) => (x / 1000).toFixed(2)).join(', ')}] runs/* calls ${calls[b]}, ${(bytes[b] / 1e6).toFixed(1)} MB`;
  console.log(`${name}: old ${fmt('old')} | new ${fmt('new')} | ratio new/old of medians ${(med(times.new) / med(times.old)).toFixed(2)} | load ${loadStart} → ${load1()}`);
}
await browser.close();
