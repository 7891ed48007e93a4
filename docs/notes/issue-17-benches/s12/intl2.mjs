// node intl2.mjs [ROOT DB] — what constructing Intl.NumberFormat costs the page, per set of options
import { launch, serve } from '../browser.mjs';
const [root = '/tmp/s12-old', db = '/tmp/s12/prof.sqlite'] = process.argv.slice(2);
const { url, child } = await serve(root, db);
const browser = await launch();
for (let k = 0; k < 2; k++) {
const context = await browser.newContext(); const page = await context.newPage();
await page.goto(`${url}#/runs`); await page.waitForTimeout(1500);
console.log(await page.evaluate(() => { const r = []; let t = performance.now();
  for (const d of [1, 0, 2, 3, 2, 0, 4, 5]) { const f = new Intl.NumberFormat(undefined, { notation: undefined, minimumFractionDigits: d, maximumFractionDigits: d }); f.format(1.5); const u = performance.now(); r.push(`${d}:${(u - t).toFixed(2)}`); t = u; }
  for (const n of ['scientific', 'compact']) { const f = new Intl.NumberFormat(undefined, { notation: n, minimumFractionDigits: 1, maximumFractionDigits: 1 }); f.format(1.5e-5); const u = performance.now(); r.push(`${n}:${(u - t).toFixed(2)}`); t = u; }
  return r.join(' '); }));
await context.close(); }
await browser.close(); child.kill();
