// node profapp.mjs ROOT DB OUT — in-app open (page at #/runs, then the hash set), CPU profile of the open
import fs from 'node:fs';
import { COMPLETE, launch, RUNS_SHOWN, serve } from '../browser.mjs';
const [root, db, out] = process.argv.slice(2);
const { url, child } = await serve(root, db);
const browser = await launch();
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
