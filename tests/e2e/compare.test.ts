/**
 * Compare at the scale of a real sweep (issue 17, observations 1–4 and its URLs), end to end: a
 * database of a 72-run sweep (3 activations × 2 init means × 2 learning rates × 300 or 3000
 * batches, 3 seeds each) and an 8-seed replicate set, made by the built CLI; `nnlab serve` on it;
 * Debian's Chromium. The comparison loads in one batched request and redraws its options without
 * fetching again; the page says it is busy while it loads; the legend of 72 runs is a list beside
 * the plot, labelled by the fields that differ; log x; and every view opens cold from its address.
 * Screenshots go to test-output/screenshots/ (compare-72-*.png; the README shows one).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { RunRecord } from '../../src-main/db/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nnlab } from '../helpers/cli';
import { HAVE_CHROMIUM, MUST_RUN, SCREENSHOTS, SKIP_NOTE } from './browser';
import { type BrowserTarget, browserTarget, collectPageErrors } from './target';

const run = HAVE_CHROMIUM || MUST_RUN;
if (!run) describe.skip(`compare at the scale of a sweep (skipped: ${SKIP_NOTE})`, () => it('runs', () => {}));

const db = join(mkdtempSync(join(tmpdir(), 'nnlab-e2e-compare-')), 'lab.sqlite');
let target: BrowserTarget;
let page: Page;
const pageErrors: string[] = [];
/** API calls the page made, by name, since the last reset. */
let calls: string[] = [];
/** Each test's deadline: generous, for a loaded machine (the waits inside have their own). */
const TEST_MS = 300_000;

const cli = (...args: string[]) => {
  const r = nnlab([...args, '--db', db]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};

/** Waits until the comparison is complete: nothing on the page loading, every chart drawn at its box's size. */
async function complete(p: Page = page): Promise<void> {
  await p.waitForSelector('main[aria-busy="false"] [data-chart="cost"]', { timeout: 120_000 });
  await p.waitForFunction(
    () =>
      document.querySelector('main')?.getAttribute('aria-busy') === 'false' &&
      [...document.querySelectorAll<HTMLCanvasElement>('.canvas-box canvas')].every((c) => {
        const box = c.parentElement!;
        if (box.clientWidth === 0) return true;
        const [w, h] = (c.dataset.drawnSize ?? '0x0').split('x').map(Number);
        return Math.abs(w - box.clientWidth) <= 1 && Math.abs(h - box.clientHeight) <= 1;
      }),
    undefined,
    { timeout: 120_000 },
  );
}

const drawn = (chart: string) => page.locator(`[data-chart="${chart}"] canvas`).evaluate((c) => ({ ...(c as HTMLCanvasElement).dataset }));

describe.runIf(run)('e2e: compare at the scale of a sweep (Chromium against nnlab serve)', () => {
  beforeAll(async () => {
    cli('sweep', '--activation', 'relu,sigmoid,tanh', '--init-mean', '0,-eps', '--lr', '0.5,1', '--batches', '300,3000', '--replicates', '3');
    cli('sweep', '--replicates', '8');
    target = await browserTarget(db);
    page = target.page;
    collectPageErrors(page, pageErrors);
    page.on('request', (r) => {
      const m = /\/api\/([a-z]+\/[a-zA-Z]+)$/.exec(new URL(r.url()).pathname);
      if (m) calls.push(m[1]);
    });
  }, 600_000);

  afterAll(async () => {
    await target?.close();
  });

  it('opens a 72-run experiment’s comparison from its address in one batched request, busy until complete, and says what it holds', async () => {
    calls = [];
    // the scripts the page loads, with their text
    const scripts: Promise<{ url: string; text: string }>[] = [];
    const onScript = (r: import('playwright-core').Response) => {
      if (r.request().resourceType() === 'script') scripts.push(r.text().then((text) => ({ url: new URL(r.url()).pathname, text })));
    };
    page.on('response', onScript);
    const asked: unknown[] = [];
    const onCompare = (r: import('playwright-core').Request) => {
      if (new URL(r.url()).pathname === '/api/runs/compare') asked.push(JSON.parse(r.postData() ?? '{}'));
    };
    page.on('request', onCompare);
    await target.open('#/compare?experiment=1');
    await page.waitForSelector('main[aria-busy="true"], main[aria-busy="false"] [data-chart="cost"]', { timeout: 60_000 });
    await complete();
    expect(await page.locator('[data-testid="compare-count"]').textContent()).toMatch(/^\s*72 runs in 24 configurations\s*$/);
    // one request for the records and series of every run, not two or three per run
    expect(calls.filter((c) => c === 'runs/compare')).toHaveLength(1);
    expect(calls.filter((c) => c === 'runs/series' || c === 'runs/get')).toEqual([]);
    // asked by the experiment, the lab picking its runs, so it starts on them at once (session 7: runs/ids first, and
    // runs/compare only once it answered; session 5: runs/list twice, every record, 600 kB each for 500 runs),
    // and the runs table not at all: no view shows it (session 6; it was asked once, 600 kB for 500 runs)
    expect(calls.filter((c) => c === 'runs/list' || c === 'runs/ids')).toEqual([]);
    expect(asked).toEqual([expect.objectContaining({ experimentId: 1, packed: true, series: expect.arrayContaining([{ name: 'cost', maxPoints: 'comparison' }]) })]);
    page.off('request', onCompare);
    expect(calls.filter((c) => c === 'runs/table')).toEqual([]);
    expect(await page.locator('[data-testid="partial"]').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'compare-72-groups.png') });
    await page.locator('[data-panel="cost"]').screenshot({ path: join(SCREENSHOTS, 'compare-72-groups-cost.png') });
    // the other views' code is not loaded for a comparison (session 6: one 1.4 MB script held them all):
    // not the runs table's, the New run form's, the sweep form's; nor the API's request schemas and zod,
    // which only the lab validates with (session 7: 180 kB the page parsed and ran)
    const loaded = await Promise.all(scripts);
    expect(loaded.length).toBeGreaterThan(0);
    for (const marker of ['Show 500 more', 'run-form', 'panel sweep-form', '_zod']) expect(loaded.filter((x) => x.text.includes(marker)).map((x) => x.url), marker).toEqual([]);
    // the Runs view asks its table when it is shown, and brings its code then
    await page.click('[role="tab"][data-view="runs"]');
    await expect.poll(() => page.locator('[data-testid="runs-count"]').textContent(), { timeout: 30_000 }).toMatch(/80 runs/);
    expect(calls.filter((c) => c === 'runs/table').length).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => (await Promise.all(scripts)).some((x) => x.text.includes('Show 500 more'))).toBe(true);
    page.off('response', onScript);
  }, TEST_MS);

  it('asks one checkpoint’s estimates until the fit slider moves, then every checkpoint’s, busy while they load', async () => {
    // failed before (session 6): the first runs/compare asked every checkpoint's estimates (`{ name: 'estimates' }`)
    const asked: { ids: number[]; series: { name: string; checkpoint?: string }[] }[] = [];
    /** Per answer: the runs sent one checkpoint's estimates (a page), and those sent every checkpoint's with why (output units dead at init, at the end). */
    const answered: { page: number[]; whole: { id: number; init: number[]; end: number[] }[] }[] = [];
    const onRequest = (r: import('playwright-core').Request) => {
      if (new URL(r.url()).pathname === '/api/runs/compare') asked.push(JSON.parse(r.postData() ?? '{}'));
    };
    const onResponse = async (r: import('playwright-core').Response) => {
      if (new URL(r.url()).pathname !== '/api/runs/compare') return;
      const { runs } = JSON.parse((await r.body()).toString('utf8')).value as { runs: { run: RunRecord; series: { estimates?: { from?: number } } }[] };
      answered.push({
        page: runs.filter((x) => x.series.estimates?.from !== undefined).map((x) => x.run.id),
        whole: runs.filter((x) => x.series.estimates && x.series.estimates.from === undefined).map((x) => ({ id: x.run.id, init: x.run.diagnostics!.atInit.dead.at(-1) as number[], end: x.run.diagnostics!.atEnd.dead.at(-1) as number[] })),
      });
    };
    page.on('request', onRequest);
    page.on('response', onResponse);
    let release = () => {};
    try {
      await target.open('#/compare?experiment=1');
      await complete();
      expect(asked).toHaveLength(1);
      expect(asked[0].series).toContainEqual({ name: 'estimates', checkpoint: 'last' });
      await expect.poll(() => answered.length).toBe(1);
      // every checkpoint's only for the runs whose output unit dead at init came back (the reading says when)
      expect(answered[0].page.length).toBeGreaterThan(40);
      for (const w of answered[0].whole) expect(w.init.some((u) => !w.end.includes(u)), `run #${w.id}`).toBe(true);
      const title = () => page.locator('[data-chart="fit-sin-x"] canvas').getAttribute('aria-label');
      expect(await title()).toBe('Fit: sin x');
      // every checkpoint's estimates, held in the browser: the page says it is busy, the fits stay as drawn
      const held = new Promise<void>((done) => (release = done));
      await page.route('**/api/runs/compare', async (route) => {
        await held;
        await route.continue().catch(() => undefined);
      });
      await page.locator('[data-control="fit-at"]').fill('0');
      await expect.poll(() => asked.length).toBe(2);
      expect(asked[1]).toEqual({ ids: answered[0].page, series: [{ name: 'estimates' }], packed: true });
      expect(await page.getAttribute('main', 'aria-busy')).toBe('true');
      expect(await page.textContent('.controls')).toContain('batch 0');
      expect(await title()).toBe('Fit: sin x');
      release();
      await complete();
      await expect.poll(title).toBe('Fit: sin x at batch 0');
      // another checkpoint redraws from what was fetched
      await page.locator('[data-control="fit-at"]').fill('10');
      await expect.poll(title).toMatch(/^Fit: sin x at batch [1-9]\d*$/);
      await complete();
      expect(asked).toHaveLength(2);
    } finally {
      release();
      await page.unroute('**/api/runs/compare');
      page.off('request', onRequest);
      page.off('response', onResponse);
    }
  }, TEST_MS);

  it('redraws log y, log x, smoothing and the curves mode without fetching again, and keeps them in the address', async () => {
    await target.open('#/compare?experiment=1');
    await complete();
    calls = [];
    const before = await drawn('cost');
    await page.uncheck('[data-control="log-y"]');
    await page.check('[data-control="log-x"]');
    await page.locator('[data-control="smoothing"]').evaluate((el) => {
      (el as HTMLInputElement).value = '0.8';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.check('input[name="mode"][value="runs"]');
    await expect.poll(async () => (await drawn('cost')).drawnXScale).toBe('logarithmic');
    await expect.poll(async () => (await drawn('cost')).drawnYScale).toBe('linear');
    expect((await drawn('cost')).drawnPoints).not.toBe(before.drawnPoints);
    await complete();
    expect(calls.filter((c) => c.startsWith('runs/'))).toEqual([]);
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toMatch(/^#\/compare\?experiment=1&/);
    for (const p of ['y=lin', 'x=log', 'smooth=0.8', 'mode=runs']) expect(hash).toContain(p);
    expect(hash).not.toMatch(/token/);
  }, TEST_MS);

  it('lists 72 runs’ legend beside the plot, scrollable, with the fields that differ in full, and keeps the plot’s height', async () => {
    await target.open('#/compare?experiment=1&mode=runs&smooth=0');
    await complete();
    const legend = page.locator('[data-chart="cost"] [data-testid="legend-list"]');
    // a line per run, and the constant predictor's
    await expect.poll(() => legend.locator('li[data-series^="run-"]').count()).toBe(72);
    expect(await legend.locator('li[data-series="baseline"]').count()).toBe(1);
    const box = await legend.evaluate((el) => ({ scroll: el.scrollHeight > el.clientHeight, overflow: getComputedStyle(el).overflowY }));
    expect(box.scroll).toBe(true);
    expect(box.overflow).toBe('auto');
    // the canvas keeps its height (chart.js's own legend, which ate the plot, is off)
    const [, h] = (await drawn('cost')).drawnSize!.split('x').map(Number);
    expect(h).toBeGreaterThanOrEqual(280);
    expect(Number((await drawn('cost')).drawnAreaHeight)).toBeGreaterThan(200);
    const labels = await legend.locator('li[data-series^="run-"]').allTextContents();
    for (const l of labels) {
      expect(l).not.toContain('…');
      // every differing field: activation, mean, lr, batches
      expect(l).toMatch(/#\d+ (relu|sigmoid|tanh) · mean (0|−0\.1) · lr (0\.5|1) · batches (300|3000)/);
    }
    // the full spec in a tooltip
    const tip = await legend.locator('li').first().getAttribute('title');
    expect(tip).toMatch(/"shape":\s*\[\s*1,\s*16,\s*2\s*\]/);
    expect(tip).toMatch(/"initSeed": \d+/);
    // hovering an entry highlights its run: the others fade
    const first = legend.locator('li').first();
    await first.hover();
    await expect.poll(async () => (await drawn('cost')).drawnHighlight).toBe(await first.getAttribute('data-series'));
    await page.mouse.move(5, 5);
    await expect.poll(async () => (await drawn('cost')).drawnHighlight ?? '').toBe('');
    await first.hover();
    await page.locator('[data-panel="cost"]').screenshot({ path: join(SCREENSHOTS, 'compare-72-runs-cost.png') });
    await page.mouse.move(5, 5);
    // the exported CSV names each series in full
    const csv = (await target.saveExport(() => page.locator('[data-chart="cost"] [data-export="csv"]').click())).data.toString('utf8');
    expect(csv).not.toContain('…');
    expect(csv).toMatch(/#\d+ relu · mean 0 · lr 0\.5 · batches 300/);
  }, TEST_MS);

  it('exports a PNG of a chart whose legend is the list beside it with that legend drawn in (the PNG had no legend: 24 lines nobody could name)', async () => {
    await target.open('#/compare?experiment=1&mode=groups');
    await complete();
    const cost = page.locator('[data-chart="cost"]').first();
    expect(await cost.locator('[data-testid="legend-list"]').count()).toBe(1);
    const [w, h] = (await drawn('cost')).drawnSize!.split('x').map(Number);
    for (const scale of [1, 2] as const) {
      await cost.locator('[data-export-scale]').selectOption(String(scale));
      const png = await target.saveExport(() => cost.locator('[data-export="png"]').click());
      const size = await page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        return [img.naturalWidth, img.naturalHeight];
      }, png.data.toString('base64'));
      // as wide as the chart on screen; taller by the legend's rows above the plot (the plot keeps its height)
      expect(size[0]).toBe(w * scale);
      expect(size[1]).toBeGreaterThan((h + 60) * scale);
    }
    // the chart on the page is as it was: its own size, no chart.js legend
    await complete();
    expect((await drawn('cost')).drawnSize).toBe(`${w}x${h}`);
    await cost.locator('[data-export-scale]').selectOption('1');
  }, TEST_MS);

  it('gives 24 configurations 24 colours, and says a replicate set varies its seeds: “8 seeds”, not a list of them', async () => {
    await target.open('#/compare?experiment=1&mode=groups');
    await complete();
    // Tableau 10's colours, then again dashed, then dotted: 24 lines told apart, the first 10 by colour alone
    const looks = await page.locator('[data-chart="cost"] [data-testid="legend-list"] li:not([data-series="baseline"])').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-color')} ${li.getAttribute('data-dash')}`));
    expect(looks).toHaveLength(24);
    expect(new Set(looks).size).toBe(24);
    expect(new Set(looks.slice(0, 10).map((l) => l.split(' ')[0])).size).toBe(10);
    await target.open('#/compare?experiment=2&mode=runs');
    await complete();
    const differs = await page.locator('[data-testid="differs"]').textContent();
    expect(differs?.replace(/\s+/g, ' ').trim()).toBe('Differs: 8 seeds');
  }, TEST_MS);

  it('opens each view cold from its address: a comparison with options, the runs table’s query, a run selected', async () => {
    const link = '#/compare?experiment=1&y=lin&x=log&smooth=0.3&mode=groups';
    // a fresh page (a new browser context: nothing kept), opened the way nnlab serve's printed URL opens
    const ctx = await target.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const fresh = await ctx.newPage();
    collectPageErrors(fresh, pageErrors);
    try {
      await fresh.goto(`${target.server.url}${link}`);
      await complete(fresh);
      expect(await fresh.evaluate(() => location.hash)).toBe(link);
      expect(await fresh.evaluate(() => location.href)).not.toContain('token');
      expect(await fresh.isChecked('[data-control="log-y"]')).toBe(false);
      expect(await fresh.isChecked('[data-control="log-x"]')).toBe(true);
      expect(await fresh.inputValue('[data-control="smoothing"]')).toBe('0.3');
      expect(await fresh.isChecked('input[name="mode"][value="groups"]')).toBe(true);
      expect(await fresh.locator('[data-testid="compare-count"]').textContent()).toMatch(/72 runs in 24 configurations/);

      await fresh.goto('about:blank');
      await fresh.goto(`${target.server.url}#/runs?q=activation%20%3D%20tanh`);
      await fresh.waitForSelector('[data-testid="runs-count"]');
      expect(await fresh.inputValue('#runs-query')).toBe('activation = tanh');
      await expect.poll(() => fresh.locator('[data-testid="runs-count"]').textContent(), { timeout: 30_000 }).toMatch(/^\s*24 of 80 runs match/);

      await fresh.goto('about:blank');
      await fresh.goto(`${target.server.url}#/runs/17`);
      await fresh.waitForSelector('tr[data-run="17"]', { timeout: 30_000 });
      expect(await fresh.isChecked('tr[data-run="17"] input[type="checkbox"]')).toBe(true);
      expect(await fresh.evaluate(() => location.hash)).toBe('#/runs/17');
    } finally {
      await ctx.close();
    }
    expect(pageErrors).toEqual([]);
  }, TEST_MS);
});
