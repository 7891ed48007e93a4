// node tlapp.mjs ROOT DB N — in-app opens: the runs/compare request's start/end and the long tasks, ms after the hash was set
import { COMPLETE, launch, RUNS_SHOWN, serve } from '../browser.mjs';
const [root, db, n] = process.argv.slice(2);
const { url, child } = await serve(root, db);
const browser = await launch();
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
