// node ab.mjs ROUNDS [DB] — builds in BUILDS (JSON name→root), each `nnlab serve` on its own copy of DB,
// opened in turn (order alternating each round): cold (new context, goto #/compare) and in the app
// (page loaded at #/runs, then the hash set), one warm-up round; "complete" is bench-ui.ts's COMPLETE.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
const rounds = Number(process.argv[2] ?? 5);
const file = process.argv[3] ?? '/tmp/p17/db72.sqlite';
const runs = Number(process.env.RUNS ?? 72), configs = Number(process.env.CONFIGS ?? 12);
const modes = (process.env.MODES ?? 'cold,app').split(',');
const { chromium } = await import('/work/wt/speed72/node_modules/playwright-core/index.mjs');
const src = fs.readFileSync('/work/wt/speed72/src-main/cli/bench-ui.ts', 'utf8');
const grab = (name) => src.match(new RegExp(`const ${name} = \`([\\s\\S]*?)\`;`))[1].replace(/\\\\/g, '\\');
const COMPLETE = grab('COMPLETE'), RUNS_SHOWN = grab('RUNS_SHOWN');
const builds = JSON.parse(process.env.BUILDS ?? '{"old":"/tmp/s72-old","new":"/work/wt/speed72"}');
const names = Object.keys(builds);
const serve = (root, db) => new Promise((done) => {
  const child = spawn(process.execPath, [path.join(root, 'bin/nnlab.js'), 'serve', '--db', db, '--workers', '1'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = ''; child.stdout.setEncoding('utf8').on('data', (c) => { out += c; if (out.includes('\n')) done({ url: out.split('\n')[0].trim(), child }); });
});
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
const med = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const load1 = () => os.loadavg()[0].toFixed(2);
const servers = {};
for (const b of names) { const db = `/tmp/s72/ab-${b}.sqlite`; fs.copyFileSync(file, db); servers[b] = await serve(builds[b], db); }
const times = {}; for (const m of modes) { times[m] = {}; for (const b of names) times[m][b] = []; }
const loadStart = load1();
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
    const t0 = await page.evaluate("(() => { const t = performance.now(); location.hash = '#/compare?experiment=1'; return t; })()");
    t = (await page.evaluate(COMPLETE)) - t0;
  }
  const count = (await page.textContent('[data-testid="compare-count"]'))?.trim() ?? '';
  if (!count.startsWith(`${runs} runs in ${configs} configurations`)) throw new Error(`${b}: “${count}”`);
  await context.close();
  return t;
}
for (let k = 0; k <= rounds; k++) {
  const order = k % 2 ? [...names].reverse() : names;
  for (const m of modes) for (const b of order) { const t = await open(b, m); if (k > 0) times[m][b].push(t); }
}
for (const b of names) servers[b].child.kill('SIGTERM');
for (const m of modes) {
  const fmt = (b) => `${b} ${med(times[m][b]).toFixed(0)} ms (${Math.min(...times[m][b]).toFixed(0)}–${Math.max(...times[m][b]).toFixed(0)})`;
  console.log(`${runs} runs ${m}, ${rounds} rounds: ${names.map(fmt).join(' | ')} | ${names[1]}/${names[0]} ${(med(times[m][names[1]]) / med(times[m][names[0]])).toFixed(2)} | load ${loadStart} → ${load1()}`);
}
console.log(JSON.stringify(times));
await browser.close();
