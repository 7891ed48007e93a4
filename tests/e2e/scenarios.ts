/**
 * The lab end to end, once for every target (tests/e2e/target.ts): Debian's Chromium against a
 * real `nnlab serve` (tests/e2e/lab.test.ts), and the real Electron app through Playwright's
 * `_electron` where its binary exists (tests/app/electron.test.ts) — runs from the form, a
 * comparison, a sweep with its failure rate, both exercises, exports checked byte by byte, a
 * reload; in browser mode also a server restart and the token refusals. Screenshots of each
 * screen go to test-output/screenshots/ (the desktop's prefixed electron-).
 *
 * Each scenario opens the page it needs and asks for the runs it needs (the memoised set-ups in
 * labScenarios: the seed's pair from the form, the relu-vs-sigmoid exercise), and reads run ids
 * from the page: any one runs alone (vitest -t) or in any order. They wait for conditions (an
 * element, a text, a chart drawn at its size and in the theme), never for time.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API_NAMES } from '../../src-main/api/contract';
import { readPngText } from '../../src-renderer/src/lib/png-text';
import { nnlab } from '../helpers/cli';
import { SCREENSHOTS } from './browser';
import { type BrowserTarget, collectPageErrors, type LabTarget } from './target';

let target: LabTarget;
let page: Page;
const pageErrors: string[] = [];

function shotPath(name: string): string {
  return join(SCREENSHOTS, `${target.shotPrefix}${name}.png`);
}

async function shot(name: string, full = false): Promise<void> {
  if (!full) {
    await page.screenshot({ path: shotPath(name) });
    return;
  }
  // the page scrolls inside <main>: grow the window to its content for one full-length picture
  const height = await page.evaluate(() => (document.querySelector('main')?.scrollHeight ?? 800) + 48);
  await page.setViewportSize({ width: 1280, height: Math.min(6000, Math.max(800, height)) });
  await settled();
  await page.screenshot({ path: shotPath(name) });
  await page.setViewportSize({ width: 1280, height: 800 });
  await settled();
}

/**
 * Waits until every chart on the page has been drawn by chart.js at its box's size and in the
 * page's theme (the canvas's data-drawn-* attributes, src-renderer/src/charts/register.ts): after a
 * resize or a theme switch, before a screenshot or a PNG export.
 */
async function settled(): Promise<void> {
  await page.waitForFunction(() => {
    const panel = getComputedStyle(document.documentElement).getPropertyValue('--panel').trim().toLowerCase();
    return [...document.querySelectorAll<HTMLCanvasElement>('.canvas-box canvas')].every((c) => {
      const box = c.parentElement!;
      if (box.clientWidth === 0) return true; // not laid out (a closed section): nothing is drawn there
      const [w, h] = (c.dataset.drawnSize ?? '0x0').split('x').map(Number);
      return Math.abs(w - box.clientWidth) <= 1 && Math.abs(h - box.clientHeight) <= 1 && c.dataset.drawnBackground?.toLowerCase() === panel;
    });
  });
}

/** The runs table's rows as "id status", in the table's order. */
const tableRows = () => page.locator('tr[data-run]').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-run')} ${r.getAttribute('data-status')}`));
const ENDED = /(done|failed|cancelled|interrupted|diverged)$/;

/** The fields the comparison's diff names; they render after the charts' first frame, so ask until they come. */
const diffFields = () => page.locator('[data-diff-field]').evaluateAll((els) => els.map((e) => e.getAttribute('data-diff-field')));
/** The legend entries of a chart that name runs ("#12 relu"). */
const runLegend = async (chart: string) => (await page.locator(`[data-chart="${chart}"]`).getAttribute('data-legend'))!.split('|').filter((l) => l.startsWith('#'));

/** Switches the theme to dark (from the system's light) and waits until everything is drawn in it. */
async function darkTheme(): Promise<void> {
  await page.click('.theme'); // system (light here) → light
  await page.click('.theme'); // → dark
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  await settled();
}

const open = (route = '') => target.open(route);
const download = (action: () => Promise<void>) => target.saveExport(action);

/** Decodes a PNG in the page and measures it: size, distinct colours, share of non-background pixels. */
async function measurePng(data: Buffer): Promise<{ width: number; height: number; colours: number; inked: number }> {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const ctx = c.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    const colours = new Set<number>();
    const bg = (px[0] << 16) | (px[1] << 8) | px[2];
    let inked = 0;
    for (let i = 0; i < px.length; i += 4) {
      const v = (px[i] << 16) | (px[i + 1] << 8) | px[i + 2];
      colours.add(v);
      if (v !== bg) inked++;
    }
    return { width: c.width, height: c.height, colours: colours.size, inked: inked / (px.length / 4) };
  }, data.toString('base64'));
}

/** Starts a run from the form as it stands, with `activation`, and returns its id once the monitor shows it done. */
async function runFromForm(activation: string): Promise<number> {
  const id = await startFromForm(activation);
  await page.waitForSelector('[data-testid="run-monitor"] [data-status="done"]', { timeout: 30_000 });
  await page.waitForSelector('[data-testid="run-monitor"] [data-chart="fit-sin-x"]');
  await page.waitForSelector('[data-testid="run-monitor"] [data-testid="seed-line"]');
  return id;
}

/** Presses Run and returns the id of the run the monitor then shows. */
async function startFromForm(activation: string): Promise<number> {
  const title = '[data-testid="run-monitor"] #monitor-title';
  const before = await page.evaluate((sel) => document.querySelector(sel)?.textContent ?? null, title);
  await page.selectOption('#field-activation', activation);
  await page.click('[data-action="run"]');
  const shown = await page.waitForFunction(
    ([sel, was]) => {
      const t = document.querySelector(sel)?.textContent ?? null;
      return t !== null && t !== was && /^Run #\d+$/.test(t) ? t : false;
    },
    [title, before] as const,
  );
  return Number(((await shown.jsonValue()) as string).slice('Run #'.length));
}

/** Memoises a set-up the scenarios share: made by the first scenario that needs it (made again if it failed). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | null = null;
  return () =>
    (made ??= make().catch((e: unknown) => {
      made = null;
      throw e;
    }));
}

/** The scenarios against the target `makeTarget` starts (on a fresh database), under `title`. */
export function labScenarios(title: string, kind: LabTarget['kind'], makeTarget: () => Promise<LabTarget>): void {
describe(title, () => {
  /** The seed's experiment with relu and with sigmoid, from the form's defaults (the form scenario's runs once it ran). */
  let pair: Promise<{ relu: number; sigmoid: number }> | null = null;
  const seedPair = () =>
    (pair ??= (async () => {
      await open('#/new');
      return { relu: await runFromForm('relu'), sigmoid: await runFromForm('sigmoid') };
    })());
  const compareRoute = ({ relu, sigmoid }: { relu: number; sigmoid: number }) => `#/compare/${relu},${sigmoid}`;
  /** The relu-vs-sigmoid exercise, started with its one click; its comparison's route. */
  const reluVsSigmoid = once(async () => {
    await open('#/sweep');
    await page.click('[data-action="relu-vs-sigmoid"]');
    await page.waitForSelector('[data-chart="cost"]');
    const summary = page.locator('[data-testid="replicate-summary"]');
    await expect.poll(() => summary.locator('[data-outcomes$=" of 20"]').count(), { timeout: 60_000 }).toBe(2);
    return page.evaluate(() => location.hash);
  });

  beforeAll(async () => {
    target = await makeTarget();
    page = target.page;
    collectPageErrors(page, pageErrors);
  });

  afterAll(async () => {
    await target?.close();
  });

  // the page logged no errors during a scenario (each is charged with its own)
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  it('starts on the start screen with the seed’s experiment and the two exercises', async () => {
    // on an empty database (once it has runs the app opens on Runs): a target of its own, whatever ran before
    const main = target;
    target = await makeTarget();
    page = target.page;
    collectPageErrors(page, pageErrors);
    try {
      await open();
      await page.waitForSelector('[data-action="seed"]');
      expect(await page.locator('[data-action="init-mean"]').count()).toBe(1);
      expect(await page.locator('[data-action="relu-vs-sigmoid"]').count()).toBe(1);
      await expect.poll(() => page.evaluate(() => location.search)).toBe(''); // the token left the address bar
      await shot('01-start');
    } finally {
      await target.close();
      target = main;
      page = main.page;
    }
  });

  it('runs the seed’s experiment with relu, then with sigmoid, from the form’s defaults', async () => {
    await open('#/new');
    await page.waitForSelector('[data-testid="init-preview"] [data-layer="hidden"]');
    expect(await page.inputValue('#field-initSeed')).toBe('2');
    expect(await page.inputValue('#field-dataSeed')).toBe('1');
    await shot('02-new-run');
    const relu = await runFromForm('relu');
    // the seed's own closing line, as nnlab train prints it for the same spec
    const cli = nnlab(['train', '--no-save', '--no-progress']).stdout.split('\n')[0];
    expect(cli).toMatch(/^\d+\.\d{5} cost at the start of learning and \d+\.\d{5} at the end$/);
    expect((await page.textContent('[data-testid="run-monitor"] [data-testid="seed-line"]'))!.trim()).toBe(cli);
    expect(await page.textContent('[data-testid="run-monitor"] [data-testid="outcome"]')).toBe('learned');
    const sigmoid = await runFromForm('sigmoid');
    pair ??= Promise.resolve({ relu, sigmoid });
    await page.evaluate(() => document.querySelector('main')!.scrollTo(0, 0));
    await shot('03-run-done');
    await page.click('[data-view="runs"]');
    await page.waitForSelector(`tr[data-run="${sigmoid}"][data-status="done"]`);
    await page.waitForSelector(`tr[data-run="${relu}"][data-status="done"]`);
    await shot('04-runs');
  });

  it('compares them: two cost curves, truth and estimates in the fits, a diff of exactly activation', async () => {
    const { relu, sigmoid } = await seedPair();
    await open('#/runs');
    await page.check(`input[aria-label="Select run ${relu}"]`);
    await page.check(`input[aria-label="Select run ${sigmoid}"]`);
    await page.click('[data-action="compare-selected"]');
    const cost = page.locator('[data-chart="cost"]');
    await cost.waitFor();
    await page.waitForSelector('[data-chart="fit-sin-x"]');
    expect(await runLegend('cost')).toEqual([`#${relu} relu`, `#${sigmoid} sigmoid`]);
    for (const out of ['sin-x', 'cos-x']) {
      const fit = (await page.locator(`[data-chart="fit-${out}"]`).getAttribute('data-legend'))!.split('|');
      expect(fit).toEqual([`truth: ${out.replace('-', ' ')}`, `#${relu} relu`, `#${sigmoid} sigmoid`]);
      expect(await page.locator(`[data-chart="residual-${out}"]`).count()).toBe(1);
    }
    await expect.poll(diffFields, { timeout: 20_000 }).toEqual(['activation']);
    await settled();
    await shot('05-compare');
    await shot('05-compare-full', true);
    // smoothing off: one dataset per run (and the constant predictor)
    await page.locator('[data-control="smoothing"]').fill('0');
    await expect.poll(() => cost.getAttribute('data-datasets')).toBe('3');
    expect(await runLegend('cost')).toHaveLength(2);
  });

  it('exports a chart as PNG and SVG as shown, and its data as CSV and JSON', async () => {
    const { relu, sigmoid } = await seedPair();
    await open(compareRoute({ relu, sigmoid }));
    const cost = page.locator('[data-chart="cost"]');
    await cost.waitFor();
    await page.waitForSelector('[data-chart="fit-sin-x"]');
    // smoothing off: one curve per run, as the CSV below counts
    await page.locator('[data-control="smoothing"]').fill('0');
    await expect.poll(() => cost.getAttribute('data-datasets')).toBe('3');
    await settled();
    const png = await download(() => cost.locator('[data-export="png"]').click());
    expect(png.name).toBe(`nnlab_cost_runs-${Math.min(relu, sigmoid)}-${Math.max(relu, sigmoid)}.png`);
    expect(png.data.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const m = await measurePng(png.data);
    expect(m.width).toBeGreaterThan(600);
    expect(m.height).toBeGreaterThan(250);
    expect(m.colours).toBeGreaterThan(20); // lines, text, grid: not a blank canvas
    expect(m.inked).toBeGreaterThan(0.01);
    // provenance in the PNG's text chunks, as in the SVG's <metadata>
    const text = readPngText(new Uint8Array(png.data));
    expect(text.Software).toMatch(/^nnlab \d+\.\d+\.\d+/);
    const prov = JSON.parse(text['nnlab provenance']) as { chart: string; runs: { id: number; spec: { activation: string } }[] };
    expect(prov.chart).toBe('cost');
    expect(prov.runs.map((r) => [r.id, r.spec.activation])).toEqual([
      [relu, 'relu'],
      [sigmoid, 'sigmoid'],
    ]);

    const svg = (await download(() => cost.locator('[data-export="svg"]').click())).data.toString('utf8');
    for (const text of ['MSE per sample', `#${relu} relu`, `#${sigmoid} sigmoid`, 'batch', 'constant predictor (r² = 0)']) expect(svg).toContain(`>${text}</text>`);
    expect(svg).toContain('<metadata id="nnlab-provenance">');
    // the browser renders it: well-formed and drawable
    const drawn = await page.evaluate(async (text) => {
      const img = new Image();
      img.src = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
      await img.decode();
      return img.naturalWidth;
    }, svg);
    expect(drawn).toBeGreaterThan(600);

    const csv = (await download(() => cost.locator('[data-export="csv"]').click())).data.toString('utf8');
    const rows = csv.trimEnd().split('\r\n');
    expect(rows[0]).toBe('series,role,batch,MSE per sample,run_id,activation,initSeed,dataSeed');
    // exactly the points chart.js drew (the canvas says how many), and the model's count
    expect(rows.length - 1).toBe(Number(await cost.locator('canvas').getAttribute('data-drawn-points')));
    expect(rows.length - 1).toBe(Number(await cost.getAttribute('data-points')));
    expect(rows.length - 1).toBe(300 + 300 + 2);

    const json = JSON.parse((await download(() => cost.locator('[data-export="json"]').click())).data.toString('utf8'));
    expect(json.format).toBe('nnlab-chart');
    expect(json.runs.map((r: { id: number; spec: { activation: string } }) => [r.id, r.spec.activation])).toEqual([
      [relu, 'relu'],
      [sigmoid, 'sigmoid'],
    ]);
    // the same holds for a fit chart
    const fit = page.locator('[data-chart="fit-sin-x"]');
    const fitCsv = (await download(() => fit.locator('[data-export="csv"]').click())).data.toString('utf8');
    expect(fitCsv.trimEnd().split('\r\n').length - 1).toBe(Number(await fit.locator('canvas').getAttribute('data-drawn-points')));
  });

  it('runs a small sweep with its progress and shows the failure rate of each configuration', async () => {
    await open('#/sweep');
    await page.selectOption('[data-sweep-row="0"] select', 'initMean');
    await page.fill('[data-sweep-row="0"] input', '0, -eps');
    await page.click('[data-sweep-row="1"] button');
    await page.fill('#sweep-replicates', '3');
    await expect.poll(() => page.textContent('[data-testid="sweep-count"]')).toContain('= 6 runs');
    await page.click('[data-action="start-sweep"]');
    await page.waitForSelector('[data-testid="sweep-progress"]');
    await shot('06-sweep');
    // done, it opens its comparison (as the exercises do)
    await page.waitForFunction(() => location.hash.startsWith('#/compare?experiment='), undefined, { timeout: 60_000 });
    const summary = page.locator('[data-testid="replicate-summary"]');
    await summary.waitFor();
    await expect.poll(() => summary.locator('[data-outcomes$=" of 3"]').count(), { timeout: 20_000 }).toBe(2);
    await expect.poll(diffFields, { timeout: 20_000 }).toEqual(['initMean']);
    expect(await page.textContent('[data-testid="reading"]')).toMatch(/mean −0\.1: \d+ learned \(\d+ %–\d+ %\), \d+ underfit \(\d+ %–\d+ %\), \d+ learned nothing \(\d+ %–\d+ %\) of 3/);
    await page.waitForSelector('[data-chart="test-mse"]');
    await settled();
    await shot('07-sweep-compare');
    await shot('07-sweep-compare-full', true);
  });

  it('shows a spec error next to its field', async () => {
    await open('#/new');
    await page.fill('#field-shape', '2, 16, 2');
    const err = page.locator('[data-error-for="shape"]');
    await err.waitFor();
    expect(await err.textContent()).toMatch(/needs 1 input and 2 output units/);
    await shot('08-field-error');
    await page.fill('#field-shape', '1, 16, 2');
    await err.waitFor({ state: 'detached' });
  });

  it('draws a long run’s cost live and cancels it', async () => {
    await open('#/new');
    await page.fill('#field-batches', '5000000');
    const id = await startFromForm('relu');
    const live = page.locator('[data-testid="run-monitor"] [data-chart="cost"]');
    await expect.poll(async () => Number((await live.getAttribute('data-points').catch(() => null)) ?? 0), { timeout: 20_000 }).toBeGreaterThan(20);
    await expect.poll(() => page.textContent('[data-testid="running-indicator"]')).toContain('1 running');
    await page.evaluate(() => document.querySelector('main')!.scrollTo(0, 0));
    await shot('08b-live-run');
    await page.click('[data-action="cancel"]');
    await page.waitForSelector('[data-testid="run-monitor"] [data-status="cancelled"]', { timeout: 20_000 });
    await expect.poll(() => page.textContent('[data-testid="running-indicator"]')).toContain('0 running');
    await page.click('[data-action="reset"]');
    expect(await page.inputValue('#field-batches')).toBe('300');
    await page.click('[data-view="runs"]');
    await page.waitForSelector(`tr[data-run="${id}"][data-status="cancelled"]`);
  });

  it('keeps everything over a reload', async () => {
    const runs = await seedPair();
    await open('#/runs');
    await page.waitForSelector(`tr[data-run="${runs.sigmoid}"][data-status="done"]`);
    // every run that has ended is there again, as it was (runs still training may move on)
    const ended = (await tableRows()).filter((r) => ENDED.test(r));
    await page.reload();
    await page.waitForSelector(`tr[data-run="${runs.sigmoid}"][data-status="done"]`);
    expect((await tableRows()).filter((r) => ended.includes(r))).toEqual(ended);
    await open(compareRoute(runs));
    await page.waitForSelector('[data-chart="cost"]');
    await expect.poll(diffFields, { timeout: 20_000 }).toEqual(['activation']);
  });

  it.runIf(kind === 'browser')('keeps everything over a server restart on the same database', async () => {
    const runs = await seedPair();
    await open('#/runs');
    await page.waitForSelector(`tr[data-run="${runs.sigmoid}"][data-status="done"]`);
    const ended = (await tableRows()).filter((r) => ENDED.test(r));
    // off the page first: while the server is down the page's requests would be refused (and logged)
    await page.goto('about:blank');
    await (target as BrowserTarget).restartServer();
    await open('#/runs');
    await page.waitForSelector(`tr[data-run="${runs.sigmoid}"][data-status="done"]`);
    expect((await tableRows()).filter((r) => ended.includes(r))).toEqual(ended);
    await open(compareRoute(runs));
    await page.waitForSelector('[data-chart="fit-cos-x"]');
    expect(await runLegend('cost')).toEqual([`#${runs.relu} relu`, `#${runs.sigmoid} sigmoid`]);
  });

  it('looks right in the dark theme', async () => {
    await open(compareRoute(await seedPair()));
    await page.waitForSelector('[data-chart="fit-cos-x"]');
    await darkTheme();
    await shot('09-compare-dark');
    await page.click('.theme'); // back to the system's
  });

  it.runIf(kind === 'browser')('refuses every API call and the event stream without the token', async () => {
    const { server, browser } = target as BrowserTarget;
    const wrong = { Authorization: 'Bearer not-the-token' };
    for (const name of API_NAMES) {
      for (const headers of [{}, wrong]) {
        const res = await fetch(`${server.origin}/api/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '{}' });
        expect(res.status, `${name} ${JSON.stringify(headers)}`).toBe(401);
      }
    }
    const events = await fetch(`${server.origin}/api/events`);
    expect(events.status).toBe(401);
    expect((await fetch(`${server.origin}/api/events?token=wrong`)).status).toBe(401);
    // with the token the same calls work
    const ok = await fetch(`${server.origin}/api/lab/status`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}` }, body: '{}' });
    expect(ok.status).toBe(200);
    // a browser without the token gets the page, a refusal from the API, and says what to do
    const bare = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const p = await bare.newPage();
    await p.goto(`${server.origin}/`);
    expect(await p.textContent('[data-testid="fatal"]')).toMatch(/needs the access token/);
    const status = await p.evaluate(async () => (await fetch('/api/lab/status', { method: 'POST', body: '{}' })).status);
    expect(status).toBe(401);
    await bare.close();
  });

  it('answers the first exercise with one click: init mean 0 vs −eps over 20 seeds', async () => {
    await open('#/sweep');
    await page.click('[data-action="init-mean"]');
    await page.waitForSelector('[data-chart="cost"]');
    const summary = page.locator('[data-testid="replicate-summary"]');
    await expect.poll(() => summary.locator('[data-outcomes$=" of 20"]').count(), { timeout: 60_000 }).toBe(2);
    // the reading states the base rate: dead output units at init among the runs that learned and those that did not
    const reading = (await page.textContent('[data-testid="reading"]'))!;
    expect(reading).toMatch(/mean −0\.1: 0 learned \(0 %–16 %\), 0 underfit \(0 %–16 %\), 20 learned nothing \(84 %–100 %\) of 20/);
    expect(reading).toMatch(/mean 0: \d+ of 20 runs had an output unit dead at init \(.*learned nothing\); in \d+ of them the unit came back/);
    expect(reading).toMatch(/a run learned nothing exactly when an output unit was still dead at the end/);
    await page.waitForSelector('[data-chart="test-mse"]');
    // the gradient-norm chart counts the seeds with no gradient at all (it draws once the 40 runs'
    // series are fetched, which takes long on a loaded machine: a generous deadline)
    const grads = page.locator('[data-chart="grad-norms"]');
    await grads.waitFor({ timeout: 120_000 });
    expect(await grads.getAttribute('data-legend')).toMatch(/mean −0\.1 \(20 seeds\) · hidden 1 median — \d+(–\d+)? of 20 at 0/);
    await settled();
    await shot('10-exercise-init-mean');
    await shot('10-exercise-init-mean-full', true);
  }, 240_000);

  it('maps stability over two swept fields per activation, and compares two configurations paired by seed', async () => {
    await open('#/sweep');
    // the form starts with activation relu, sigmoid and initMean 0, −eps; add eps 0.1, 0.5
    await page.click('button:text("+ Add a field")');
    await page.selectOption('[data-sweep-row="2"] select', 'eps');
    await page.fill('[data-sweep-row="2"] input', '0.1, 0.5');
    await page.fill('#sweep-replicates', '3');
    await expect.poll(() => page.textContent('[data-testid="sweep-count"]')).toContain('= 24 runs');
    await page.click('[data-action="start-sweep"]');
    // done, it opens its comparison (as the exercises do)
    await page.waitForFunction(() => location.hash.startsWith('#/compare?experiment='), undefined, { timeout: 90_000 });

    // the stability map: eps across, init mean / eps down (−eps is −1 × eps under each eps), one map per activation
    const map = page.locator('[data-testid="stability-map"]');
    await map.waitFor({ timeout: 30_000 });
    await expect.poll(() => map.getAttribute('data-cells'), { timeout: 30_000 }).toBe('8');
    expect(await map.getAttribute('data-x')).toBe('eps');
    expect(await map.getAttribute('data-y')).toBe('initMean/eps');
    expect(await map.locator('figcaption').allTextContents()).toEqual(['activation=relu', 'activation=sigmoid']);
    const relu = map.locator('figure[data-facet="activation=relu"]');
    // relu with mean −eps: an output unit starts dead, no seed learns (test MSE 1 = sin² + cos² where both outputs are dead)
    for (const j of [0, 1]) {
      const cell = relu.locator(`[data-cell="0,${j}"]`);
      expect(await cell.getAttribute('data-learned')).toBe('0');
      expect(await cell.getAttribute('aria-label')).toMatch(/^init mean \/ eps −1, eps 0\.(1|5) \(activation=relu\): median test MSE [\d.]+, 0 learned, 0 underfit, 3 learned nothing of 3; runs #\d+, #\d+, #\d+$/);
    }
    // keyboard: the cells take focus in reading order
    await relu.locator('[data-cell="0,0"]').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-cell'))).toBe('0,1');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const mapBox = await map.boundingBox();
    expect(mapBox!.height).toBeGreaterThan(150);
    await map.scrollIntoViewIfNeeded();
    await map.screenshot({ path: shotPath('11-stability-map') });

    // its exports: SVG and PNG of the same drawing, CSV of the 8 cells, JSON with the runs
    const svg = (await download(() => map.locator('[data-export="svg"]').click())).data.toString('utf8');
    expect(svg).toContain('>Stability map: init mean / eps × eps</text>');
    expect(svg.match(/<g class="cell">/g)).toHaveLength(8);
    expect(svg).toContain('>0/3 learned</text>');
    expect(svg).toContain('<metadata id="nnlab-provenance">');
    const png = await download(() => map.locator('[data-export="png"]').click());
    expect(png.name).toMatch(/^nnlab_stability-map_runs-\d+-to-\d+\.png$/);
    const m = await measurePng(png.data);
    expect(m.width).toBeGreaterThan(500);
    expect(m.colours).toBeGreaterThan(20);
    expect(m.inked).toBeGreaterThan(0.1);
    expect(JSON.parse(readPngText(new Uint8Array(png.data))['nnlab provenance']).chart).toBe('stability-map');
    const csv = (await download(() => map.locator('[data-export="csv"]').click())).data.toString('utf8').trimEnd().split('\r\n');
    expect(csv[0]).toBe('activation,initMean/eps,eps,median_test_mse,learned,underfit,learned_nothing,diverged,n,pending,not_counted,run_ids');
    expect(csv).toHaveLength(9);
    expect(csv[1]).toMatch(/^relu,-1,0\.1,[\d.]+,0,0,3,0,3,0,0,\d+ \d+ \d+$/);
    const json = JSON.parse((await download(() => map.locator('[data-export="json"]').click())).data.toString('utf8'));
    expect(json.runs).toHaveLength(24);
    expect(json.maps[0].cells[0][0]).toMatchObject({ n: 3, learned: 0, outcomes: { counts: { 'learned-nothing': 3 } } });

    // the paired comparison: A and B any two configurations; here relu against sigmoid, both mean 0 and eps 0.1
    const paired = page.locator('[data-testid="paired-panel"]');
    await paired.waitFor();
    expect(await paired.getAttribute('data-pairs')).toBe('3');
    const names = await paired.locator('select[data-control="paired-a"] option').allTextContents();
    expect(names).toHaveLength(8);
    const named = (act: string) => names.find((n) => n.startsWith(act) && /mean 0(?![.\d])/.test(n) && /eps 0\.1/.test(n))!;
    await paired.locator('select[data-control="paired-a"]').selectOption({ label: named('relu') });
    await paired.locator('select[data-control="paired-b"]').selectOption({ label: named('sigmoid') });
    const diffFields = await paired.locator('[data-paired-diff]').evaluateAll((els) => els.map((e) => e.getAttribute('data-paired-diff')));
    expect(diffFields).toEqual(['activation']);
    expect(await paired.locator('[data-testid="paired-median"]').textContent()).toMatch(/median test MSE A − B−?[\d.e−]+95 % bootstrap interval −?[\d.e−]+ to −?[\d.e−]+/);
    expect(await paired.locator('[data-testid="paired-wins"] .value').textContent()).toMatch(/^[0-3] of 3 pairs$/);
    const diffChart = paired.locator('[data-chart="loss-difference"]');
    expect(Number(await diffChart.getAttribute('data-points'))).toBe(3 * 300 + 2);
    // named by what sets A and B apart (the only differing field here is the activation); the notes name each in full
    expect(await diffChart.getAttribute('data-legend')).toBe('relu − sigmoid, median over 3 pairs');
    await settled();
    const diffPng = await download(() => diffChart.locator('[data-export="png"]').click());
    const dm = await measurePng(diffPng.data);
    expect(dm.colours).toBeGreaterThan(20); // a drawn curve, band and axes: not a blank canvas
    expect(dm.inked).toBeGreaterThan(0.01);
    const diffCsv = (await download(() => diffChart.locator('[data-export="csv"]').click())).data.toString('utf8').trimEnd().split('\r\n');
    expect(diffCsv[0]).toBe('series,role,batch,"MSE per sample, A − B (same seeds)",config_a,config_b,run_ids_a,run_ids_b');
    expect(diffCsv.length - 1).toBe(3 * 300 + 2);
    await paired.scrollIntoViewIfNeeded();
    await paired.screenshot({ path: shotPath('12-paired-comparison') });
    await shot('13-sweep-two-fields-full', true);
    // both panels in the dark theme
    await darkTheme();
    await map.screenshot({ path: shotPath('11-stability-map-dark') });
    await paired.screenshot({ path: shotPath('12-paired-comparison-dark') });
    await page.click('.theme'); // back to the system's
  });

  it('answers the second exercise with one click: relu vs sigmoid over 20 seeds, timed honestly, with gradient norms', async () => {
    await open(await reluVsSigmoid());
    await page.waitForSelector('[data-chart="cost"]');
    const summary = page.locator('[data-testid="replicate-summary"]');
    await expect.poll(() => summary.locator('[data-outcomes$=" of 20"]').count(), { timeout: 60_000 }).toBe(2);
    // the exercise queued an honest timing of its two configurations after its runs: it shows up here
    const timing = page.locator('[data-testid="honest-timing"]');
    const phases = timing.locator('[data-chart="timing-phases"]');
    await phases.waitFor({ timeout: 60_000 });
    const legend = (await phases.getAttribute('data-legend'))!.split('|');
    expect(legend).toHaveLength(2);
    expect(legend[0]).toMatch(/relu/);
    expect(legend[1]).toMatch(/sigmoid/);
    // 2 configurations × 3 phases × (IQR band 2 + 2 points, median 2, 10 repeats)
    expect(Number(await phases.getAttribute('data-points'))).toBe(2 * 3 * (4 + 2 + 10));
    expect(await timing.locator('[data-testid="honest-timing-table"] tbody tr').count()).toBe(2);
    expect(await timing.textContent()).toMatch(/10 timed repeats of each configuration after 2 warm-up rounds, interleaved in one trainer process that ran alone, every batch timed/);
    await settled();
    const png = await download(() => phases.locator('[data-export="png"]').click());
    expect(png.name).toMatch(/^nnlab_timing-phases_runs-\d+-to-\d+\.png$/);
    const m = await measurePng(png.data);
    expect(m.colours).toBeGreaterThan(20); // boxes, dots, axes and text: not a blank canvas
    expect(m.inked).toBeGreaterThan(0.02);
    const svg = (await download(() => phases.locator('[data-export="svg"]').click())).data.toString('utf8');
    for (const text of ['Honest timing: µs per sample by phase', 'forward', 'backward', 'update', 'µs per sample']) expect(svg).toContain(`>${text}</text>`);
    expect(svg).toContain('<metadata id="nnlab-provenance">');
    const csv = (await download(() => phases.locator('[data-export="csv"]').click())).data.toString('utf8').trimEnd().split('\r\n');
    expect(csv[0]).toBe('series,role,phase,µs per sample,config,measure,stat');
    expect(csv.length - 1).toBe(Number(await phases.getAttribute('data-points')));
    const json = JSON.parse((await download(() => timing.locator('[data-chart="timing-per-run"] [data-export="json"]').click())).data.toString('utf8'));
    expect(json.chart.notes.join(' ')).toMatch(/^timing #\d+: 10 timed repeats/);
    expect(json.runs).toHaveLength(40);
    await timing.scrollIntoViewIfNeeded();
    await settled();
    await timing.screenshot({ path: shotPath('14-honest-timing') });
    expect(await timing.locator('[data-testid="timing-reading"]').textContent()).toMatch(/the wall time of .*relu.* per run \(median [\d.]+ ms against [\d.]+ ms\); .*relu.* reaches MSE 0\.01 after [\d.]+ ms \(batch \d+\)/);
    await darkTheme();
    await timing.screenshot({ path: shotPath('14-honest-timing-dark') });
    await page.click('.theme'); // back to the system's

    // gradient norms over training: per configuration and layer, the median over the seeds with its band, log y
    const grads = page.locator('[data-chart="grad-norms"]');
    await grads.waitFor({ timeout: 120_000 }); // drawn once the 40 runs' series are fetched
    expect((await grads.getAttribute('data-legend'))!.split('|')).toEqual(expect.arrayContaining([expect.stringMatching(/relu.*hidden 1 median/), expect.stringMatching(/sigmoid.*output median/)]));
    await settled();
    const gpng = await download(() => grads.locator('[data-export="png"]').click());
    const gm = await measurePng(gpng.data);
    expect(gm.colours).toBeGreaterThan(20);
    expect(gm.inked).toBeGreaterThan(0.01);
    const gcsv = (await download(() => grads.locator('[data-export="csv"]').click())).data.toString('utf8').trimEnd().split('\r\n');
    expect(gcsv.length - 1).toBe(Number(await grads.locator('canvas').getAttribute('data-drawn-points')));
    await grads.scrollIntoViewIfNeeded();
    await grads.screenshot({ path: shotPath('15-gradient-norms') });
    await shot('16-exercise-relu-vs-sigmoid-full', true);
    // the seed's pair from the form has the exercise's configurations: Compare shows the exercise's timing for it
    await open(compareRoute(await seedPair()));
    await expect.poll(() => timing.textContent(), { timeout: 30_000 }).toMatch(/10 timed repeats of each configuration after 2 warm-up rounds/);
  }, 240_000);

  it('reads the second exercise: classes side by side, the paired result, gradients, one speed figure, and 10× the batches in one click', async () => {
    // the exercise's comparison. The reading: outcome classes side by side, the paired result in the
    // panel's own words, the hidden-layer gradients, one speed figure (from the honest timing the
    // exercise queued after its runs: the reading says it once that timing is in)
    await open(await reluVsSigmoid());
    const readingText = () => page.textContent('[data-testid="reading"]').catch(() => '');
    await expect.poll(readingText, { timeout: 120_000 }).toMatch(/Speed \(honest timing: 10 interleaved repeats/);
    const reading = (await readingText())!;
    expect(reading).toMatch(/sigmoid: 0 learned \(0 %–16 %\), 20 underfit \(84 %–100 %\), 0 learned nothing \(0 %–16 %\) of 20/);
    expect(reading).toContain((await page.textContent('[data-testid="paired-reading"]'))!.trim());
    expect(reading).toMatch(/Gradient norm of the first hidden layer over training .*relu [\d.]+.*sigmoid [\d.]+ — [\d.]+× smaller for sigmoid/);
    expect(reading.match(/Speed \(/g)).toHaveLength(1);
    expect(reading).toMatch(/Speed \(honest timing: 10 interleaved repeats/);
    // more steps in one click: the same runs with 10× the batches, and the reading says what they did
    await page.click('[data-action="train-longer"]');
    await expect.poll(readingText, { timeout: 180_000 }).toMatch(/With 10× the batches \(3000\): relu: \d+ learned, \d+ underfit, \d+ learned nothing of 20.*; sigmoid: \d+ learned/);
    await shot('18-more-batches');
  }, 240_000);

  it('times two runs’ configurations from Compare, and re-runs a run to show it reproduces', async () => {
    // two configurations of their own (learning rate 0.5), so this timing is not the newest of the exercise's
    await open('#/new');
    await page.fill('#field-learningRate', '0.5');
    const relu = await runFromForm('relu');
    const sigmoid = await runFromForm('sigmoid');
    await open(compareRoute({ relu, sigmoid }));
    const timing = page.locator('[data-testid="honest-timing"]');
    await timing.locator('[data-control="timing-repeats"]').fill('3');
    await timing.locator('[data-control="timing-warmup"]').fill('1');
    await timing.locator('[data-action="time-configs"]').click();
    // the timing job waits for the pool to be free of runs
    await expect.poll(() => timing.textContent(), { timeout: 180_000 }).toMatch(/3 timed repeats of each configuration after 1 warm-up round,/);
    expect(Number(await timing.locator('[data-chart="timing-phases"]').getAttribute('data-points'))).toBe(2 * 3 * (4 + 2 + 3));

    // re-run and verify, per run, in the diagnostics table
    const diag = page.locator('[data-testid="diagnostics"]');
    await diag.locator(`tr[data-run="${relu}"] [data-action="verify"]`).click();
    const badge = diag.locator(`tr[data-run="${relu}"] [data-verdict]`);
    await badge.waitFor({ timeout: 30_000 });
    expect(await badge.getAttribute('data-verdict')).toBe('identical');
    expect(await badge.textContent()).toBe('✓ identical');
    expect(await badge.getAttribute('title')).toMatch(/all 300 batch costs reproduced bit for bit/);
    await diag.scrollIntoViewIfNeeded();
    await diag.screenshot({ path: shotPath('17-rerun-badge') });
    // the check is stored with the run: still there after a reload
    await page.reload();
    await page.waitForSelector(`[data-testid="diagnostics"] tr[data-run="${relu}"] [data-verdict="identical"]`);
    expect(await page.locator(`[data-testid="diagnostics"] tr[data-run="${sigmoid}"] [data-verdict]`).count()).toBe(0);
  }, 240_000);
});
}
