// node count.mjs ROOT DB — element counts of the 72-run comparison by panel, <details> open/closed
import { COMPLETE, launch, serve } from '../browser.mjs';
const [root, db] = process.argv.slice(2);
const { url, child } = await serve(root, db);
const browser = await launch();
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
await page.goto(`${url}#/compare?experiment=1`); await page.evaluate(COMPLETE);
const out = await page.evaluate(() => {
  const all = document.querySelectorAll('*').length;
  const main = document.querySelector('main');
  const rows = [];
  const walk = (el, depth) => {
    for (const c of el.children) {
      const n = c.querySelectorAll('*').length + 1;
      if (n >= 30) { rows.push(`${'  '.repeat(depth)}${n} <${c.tagName.toLowerCase()}${c.className ? ' .' + String(c.className).split(' ').join('.') : ''}${c.dataset.testid ? ' [' + c.dataset.testid + ']' : ''}${c.tagName === 'DETAILS' ? (c.open ? ' open' : ' closed') : ''}> ${c.getBoundingClientRect().width ? '' : '(no box)'}`); if (depth < 5) walk(c, depth + 1); }
    }
  };
  walk(main, 0);
  const closed = [...document.querySelectorAll('details:not([open])')].map((d) => `${d.querySelectorAll('*').length} in closed details: ${d.querySelector('summary')?.textContent?.trim().slice(0, 60)}`);
  return [`all ${all}`, ...rows, ...closed].join('\n');
});
console.log(out);
await browser.close(); child.kill();
