/**
 * The runs table of a real lab, and the lab from the keyboard (issue 18), end to end: a database
 * of a few hundred runs made by the built CLI, `nnlab serve` on it, Debian's Chromium. The
 * table's columns, query, groups and baseline against `nnlab runs list --where` on the same
 * database; Tab presses to each view's main action; arrow keys in the table; a data table under
 * every chart; the delete prompt; and axe-core (from npm, injected into the page) on every main
 * view with no serious or critical finding. Screenshots go to test-output/screenshots/.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { openRunStore } from '../../src-main/db';
import { nnlab } from '../helpers/cli';
import { HAVE_CHROMIUM, MUST_RUN, SCREENSHOTS, SKIP_NOTE } from './browser';
import { axeFindings as axeFindingsOf, type BrowserTarget, withBrowserTarget } from './target';

const run = HAVE_CHROMIUM || MUST_RUN;
if (!run) describe.skip(`the runs table and the keyboard (skipped: ${SKIP_NOTE})`, () => it('runs', () => {}));

const db = join(mkdtempSync(join(tmpdir(), 'nnlab-e2e-table-')), 'lab.sqlite');
let target: BrowserTarget;
let page: Page;
const pageErrors: string[] = [];

const cli = (...args: string[]) => {
  const r = nnlab([...args, '--db', db]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
};
const cliIds = (where: string) => (JSON.parse(cli('runs', 'list', '--where', where, '--json')) as { id: number }[]).map((r) => r.id);
const shownIds = () => page.locator('tr[data-run]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-run'))));
const count = () => page.locator('[data-testid="runs-count"]').textContent();

/** Types a query and waits for the table to say how many runs it matched. */
async function query(text: string, matched: number): Promise<void> {
  await page.fill('#runs-query', text);
  await expect.poll(count, { timeout: 20_000 }).toMatch(new RegExp(`^\\s*${matched} of \\d+ runs match`));
}

/** Reloads a route with nothing focused, then presses Tab until `selector` has focus: the presses it took (or 99). */
async function tabsTo(route: string, ready: string, selector: string): Promise<number> {
  await target.open(route);
  // a fresh load: nothing focused, as a person opening the address finds it
  await page.reload();
  await page.waitForSelector(ready);
  for (let n = 1; n <= 12; n++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return n;
  }
  return 99;
}

/** axe-core's serious and critical findings on the page as it is. */
const axeFindings = () => axeFindingsOf(page);

// Each test loads the app 2–12 times and re-renders a 241-run table; at load 20 (a full run on
// two shared cores) one load takes up to ~10 s, so the default 60 s ran out for the first test
// with every step still passing (reproduced with NNLAB_E2E_CPU_THROTTLE=14: 'Test timed out in
// 60000ms' at the reload). The budget is for the work, not a wait: every step waits for a condition.
describe.runIf(run)('e2e: the runs table and the keyboard (Chromium against nnlab serve)', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    // 240 runs of a sweep (relu/sigmoid/tanh × mean 0/−eps × lr 0.5/1 × 20 seeds), a classification run, a few tags
    cli('sweep', '--activation', 'relu,sigmoid,tanh', '--init-mean', '0,-eps', '--lr', '0.5,1', '--replicates', '20');
    cli('train', '--task', 'circle', '--batches', '200');
    const store = openRunStore(db);
    for (const id of [1, 2, 3]) store.updateRun(id, { tags: ['baseline'] });
    store.close();
  }, 600_000);
  withBrowserTarget(db, pageErrors, (t) => {
    target = t;
    page = t.page;
  });

  it('shows the fields a lab varies as columns, and any other from the chooser, kept over a reload and in the address', async () => {
    await target.open('#/runs');
    await page.waitForSelector('tr[data-run="241"]');
    const heads = await page.locator('th[data-column]').evaluateAll((ths) => ths.map((t) => t.getAttribute('data-column')));
    for (const c of ['id', 'status', 'outcome', 'activation', 'eps', 'initMean', 'learningRate', 'optimizer', 'r2', 'experiment', 'tags']) expect(heads).toContain(c);
    expect(await count()).toMatch(/241 of 241 runs · the first 241 shown|241 of 241 runs/);
    await page.click('[data-testid="column-chooser"] summary');
    // the chooser opens inside the view: its third section was cut at the window's right edge
    // (“Task and”, “Noise”, “Sampl…”), reachable only by scrolling the view sideways
    const box = await page.locator('.chooser-body').evaluate((b) => ({ right: b.getBoundingClientRect().right, left: b.getBoundingClientRect().left, edge: document.querySelector('main')!.getBoundingClientRect().right, start: document.querySelector('main')!.getBoundingClientRect().left }));
    expect(box.right, JSON.stringify(box)).toBeLessThanOrEqual(box.edge);
    expect(box.left, JSON.stringify(box)).toBeGreaterThanOrEqual(box.start);
    await page.check('[data-column-choice="batchSize"]');
    await page.uncheck('[data-column-choice="tags"]');
    await page.click('[data-testid="column-chooser"] summary');
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/cols=[^&]*batchSize/);
    await page.reload();
    await page.waitForSelector('th[data-column="batchSize"]');
    expect(await page.locator('th[data-column="tags"]').count()).toBe(0);
    // a new session (no address): the columns come from what this browser kept
    await target.open('#/start');
    await target.open('#/runs');
    await page.waitForSelector('th[data-column="batchSize"]');
    expect((await page.locator('tr[data-run="7"] [data-cell="batchSize"]').textContent())?.trim()).toBe('32');
  });

  it('filters by the query language the CLI takes: the issue’s three queries select what nnlab runs list --where selects', async () => {
    await target.open('#/runs');
    for (const q of ['activation = relu and r2 < 0.5', 'tag:baseline', 'experiment = 1', 'lr = 0.5 and outcome != learned and not activation = tanh', 'accuracy > 50%']) {
      const want = cliIds(q);
      await query(q, want.length);
      expect((await shownIds()).sort((a, b) => a - b), q).toEqual([...want].sort((a, b) => a - b));
    }
    expect(cliIds('tag:baseline')).toEqual([3, 2, 1]);
    // the query is in the address: a reload keeps it
    await query('activation = relu and r2 < 0.5', cliIds('activation = relu and r2 < 0.5').length);
    await page.reload();
    await expect.poll(() => page.inputValue('#runs-query')).toBe('activation = relu and r2 < 0.5');
    await expect.poll(count).toMatch(new RegExp(`^\\s*${cliIds('activation = relu and r2 < 0.5').length} of 241 runs match`));
    await page.evaluate(() => document.querySelector('main')!.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'runs-query.png') });
    // an error points at its token, as the CLI's does
    await page.fill('#runs-query', 'activation = relu and lr < fast');
    const err = page.locator('[data-testid="query-error"]');
    await err.waitFor();
    expect(await err.textContent()).toContain("'fast' at column 28: learningRate is a number");
    expect(await err.locator('mark').textContent()).toBe('fast');
    const cliErr = nnlab(['runs', 'list', '--db', db, '--where', 'activation = relu and lr < fast']);
    expect(cliErr.status).toBe(2);
    expect(cliErr.stderr).toContain("'fast' at column 28: learningRate is a number");
    await page.screenshot({ path: join(SCREENSHOTS, 'runs-query-error.png') });
    await page.fill('#runs-query', '');
  });

  it('groups by a field with aggregate rows (count, outcome classes, medians) that expand, as nnlab runs list --group-by', async () => {
    await target.open('#/runs');
    await page.fill('#runs-query', 'experiment = 1');
    await page.selectOption('[data-control="group-by"]', 'activation');
    const rows = page.locator('tr[data-group]');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);
    const cliGroups = JSON.parse(cli('runs', 'list', '--where', 'experiment = 1', '--group-by', 'activation', '--columns', 'r2', '--json')) as { label: string; count: number; outcomes: { counts: Record<string, number>; n: number }; medians: { r2: { median: number | null } } }[];
    expect(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-group')))).toEqual(cliGroups.map((g) => g.label));
    for (const g of cliGroups) {
      const row = page.locator(`tr[data-group="${g.label}"]`);
      expect(await row.textContent()).toContain(`${g.count} runs`);
      const o = g.outcomes.counts;
      expect(await row.locator('[data-testid="group-outcomes"]').textContent()).toContain(`${o.learned} learned, ${o.underfit} underfit, ${o['learned-nothing']} learned nothing of ${g.outcomes.n}`);
    }
    expect(await page.locator('tr[data-run]').count()).toBe(0);
    await page.click('tr[data-group="tanh"] [data-action="toggle-group"]');
    await expect.poll(() => page.locator('tr[data-run]').count()).toBe(80);
    expect(await page.locator('tr[data-group="tanh"] [data-action="toggle-group"]').getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/group=activation/);
    await page.evaluate(() => document.querySelector('main')!.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'runs-grouped.png') });
    await page.selectOption('[data-control="group-by"]', '');
    await page.fill('#runs-query', '');
  });

  it('pins a run as the baseline and shows every row’s difference from it; the sidebar lists pins, not runs', async () => {
    await target.open('#/runs');
    await page.waitForSelector('tr[data-run="28"]');
    await page.click('tr[data-run="28"] [data-action="pin"]');
    const pinned = page.locator('aside [data-pinned="28"]');
    await pinned.waitFor();
    await pinned.locator('[data-action="baseline"]').click();
    await page.waitForSelector('tr[data-run="28"] .base-mark');
    const base = JSON.parse(cli('runs', 'list', '--where', '#28', '--json'))[0] as { r2: number };
    const other = JSON.parse(cli('runs', 'list', '--where', '#27', '--json'))[0] as { r2: number };
    const d = other.r2 - base.r2;
    expect(await page.locator('tr[data-run="27"] [data-cell="r2"] .delta').textContent()).toBe(`Δ ${d > 0 ? '+' : '−'}${Number(Math.abs(d).toPrecision(4))}`);
    // 241 runs, and the sidebar holds no run checkbox but the pinned run's
    expect(await page.locator('aside input[type="checkbox"]').count()).toBe(1);
    expect(await page.locator('aside').textContent()).not.toMatch(/relu · mean/);
    await page.locator('aside [data-pinned="28"] [data-action="baseline"]').click();
    await page.click('aside [aria-label="Unpin run 28"]');
    await expect.poll(() => page.locator('aside [data-pinned]').count()).toBe(0);
  });

  it('reaches every view’s main action within 3 Tab presses, the skip link first', async () => {
    const views: [string, string, string][] = [
      ['#/start', '[data-action="seed"]', '[data-action="seed"]'],
      ['#/new', '[data-action="run"]', '[data-action="run"]'],
      ['#/sweep', '[data-action="start-sweep"]', '[data-action="start-sweep"]'],
      ['#/runs', 'tr[data-run]', '#runs-query'],
      ['#/compare/1,2', '[data-chart="cost"]', '[aria-label="Chart options"] input'],
    ];
    const presses: Record<string, number> = {};
    for (const [route, ready, action] of views) presses[route] = await tabsTo(route, ready, action);
    expect(presses).toEqual({ '#/start': 3, '#/new': 3, '#/sweep': 3, '#/runs': 3, '#/compare/1,2': 3 });
    // the first press is the skip link; following it, the next press is the main action
    expect(await tabsTo('#/sweep', '[data-action="start-sweep"]', '[data-testid="skip-link"]')).toBe(1);
    expect(await page.locator('[data-testid="skip-link"]').isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-action'))).toBe('start-sweep');
    // the view tabs are one stop: arrows move between them, Enter opens one
    await tabsTo('#/start', '[data-action="seed"]', '[role="tab"]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#runs-query');
    expect(await page.evaluate(() => location.hash)).toMatch(/^#\/runs/);
  });

  it('moves through the table with the arrow keys', async () => {
    await tabsTo('#/runs', 'tr[data-run="241"]', '#runs-query');
    const where = () => page.evaluate(() => {
      const el = document.activeElement!;
      return `${el.closest('tr')?.getAttribute('data-run') ?? 'head'}:${el.closest('td,th')?.getAttribute('data-cell') ?? el.closest('th')?.getAttribute('data-column') ?? el.getAttribute('aria-label')}`;
    });
    // into the grid: the query, group, columns, compare and delete are before it (the disabled buttons are skipped)
    for (let i = 0; i < 6 && !(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="runs-grid"]'))); i++) await page.keyboard.press('Tab');
    expect(await where()).toBe('241:id');
    await page.keyboard.press('ArrowDown');
    expect(await where()).toBe('240:id');
    await page.keyboard.press('ArrowRight');
    expect(await where()).toBe('240:status');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await where()).toBe('240:Select run 240');
    await page.keyboard.press('Space');
    await expect.poll(() => page.isChecked('input[aria-label="Select run 240"]')).toBe(true);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await where()).toBe('head:Select all shown runs');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter'); // sorts by run number, oldest first
    await expect.poll(() => page.getAttribute('th[data-column="id"]', 'aria-sort')).toBe('ascending');
    await page.keyboard.press('Enter');
    // Tab leaves the grid in one press
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="runs-grid"]'))).toBe(false);
    await page.uncheck('input[aria-label="Select run 240"]');
  });

  it.each([
    ['two runs', '#/compare/1,2', '[data-chart="fit-sin-x"] canvas[data-drawn-points]', 5],
    ['one run', '#/compare/1', '[data-chart="fit-sin-x"] canvas[data-drawn-points]', 3],
    ['a classification run', '#/compare/241', '[data-chart="cost"] canvas[data-drawn-points]', 2],
    ['ten replicates', '#/compare/1,2,3,4,5,6,7,8,9,10', '[data-testid="replicate-summary"]', 3],
  ])('puts a data table under every chart, with the points it drew: %s', async (_name, route, ready, least) => {
    await target.open(route);
    await page.waitForSelector(ready, { timeout: 30_000 });
    const charts = page.locator('figure[data-chart]:has(canvas)');
    const n = await charts.count();
    expect(n).toBeGreaterThanOrEqual(least);
    for (let i = 0; i < n; i++) {
      const fig = charts.nth(i);
      const details = fig.locator('details[data-testid="chart-data"]');
      expect(await details.count(), await fig.getAttribute('data-chart') ?? '').toBe(1);
      await details.locator('summary').click();
      const points = Number(await fig.getAttribute('data-points'));
      await expect.poll(() => details.locator('tbody tr').count(), { message: (await fig.getAttribute('data-chart')) ?? '' }).toBe(points);
      const rows = points;
      // what chart.js drew is what the table lists
      await expect.poll(async () => Number(await fig.locator('canvas').getAttribute('data-drawn-points'))).toBe(rows);
      await details.locator('summary').click();
    }
    // a decision boundary (SVG) lists its test points, the misses said
    const boundaries = page.locator('figure[data-testid="boundary"]');
    for (let i = 0; i < (await boundaries.count()); i++) {
      const fig = boundaries.nth(i);
      const details = fig.locator('details[data-testid="chart-data"]');
      await details.locator('summary').click();
      await expect.poll(() => details.locator('tbody tr').count()).toBe(Number(await fig.getAttribute('data-test')));
      expect(await details.locator('tbody tr.miss').count()).toBe(await fig.locator('g.test path').count());
      await details.locator('summary').click();
    }
    if (route === '#/compare/241') expect(await boundaries.count()).toBe(1);
  });

  it('asks “Delete run #N and its series?” for one run, and in the plural for several', async () => {
    await target.open('#/runs');
    await page.waitForSelector('tr[data-run="83"]');
    await page.click('tr[data-run="83"] [aria-label="Delete run 83"]');
    expect(await page.textContent('#confirm-text')).toBe('Delete run #83 and its series? This cannot be undone.');
    await page.click('[data-action="keep"]');
    await page.check('input[aria-label="Select run 83"]');
    await page.check('input[aria-label="Select run 84"]');
    await page.click('[data-action="delete-selected"]');
    expect(await page.textContent('#confirm-text')).toBe('Delete 2 runs and their series? This cannot be undone.');
    await page.click('[data-action="keep"]');
    await page.uncheck('input[aria-label="Select run 83"]');
    await page.uncheck('input[aria-label="Select run 84"]');
  });

  it('passes axe-core on every main view with no serious or critical finding', async () => {
    const found: Record<string, string[]> = {};
    const views: [string, string | string[]][] = [
      ['#/start', '[data-action="seed"]'],
      ['#/new', '[data-testid="init-preview"] [data-layer="hidden"]'],
      ['#/sweep', '[data-action="start-sweep"]'],
      ['#/runs', 'tr[data-run]'],
      ['#/runs?q=experiment%20%3D%201&group=activation', 'tr[data-group]'],
      ['#/runs?q=lr%20%3C%20fast', '[data-testid="query-error"]'],
      ['#/compare/1,2', '[data-chart="fit-sin-x"] canvas[data-drawn-points]'],
      ['#/compare/1', '[data-chart="fit-sin-x"] canvas[data-drawn-points]'],
      ['#/compare/241', ['[data-chart="cost"] canvas[data-drawn-points]', '[data-testid="confusion"] td.diag']],
      ['#/compare/1,2,3,4,5,6,7,8,9,10', '[data-testid="replicate-summary"]'],
    ];
    for (const [route, ready] of views) {
      await target.open(route);
      for (const r of [ready].flat()) await page.waitForSelector(r, { timeout: 30_000 });
      found[route] = await axeFindings();
    }
    // the dark theme too, on the busiest view
    await page.click('.theme');
    await page.click('.theme');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    found['#/compare/1,2,3,4,5,6,7,8,9,10 (dark)'] = await axeFindings();
    // and a classification's confusion matrix, whose shades deepen with the share
    await target.open('#/compare/241');
    await page.waitForSelector('[data-testid="confusion"] td.diag', { timeout: 30_000 });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    found['#/compare/241 (dark)'] = await axeFindings();
    await page.click('.theme');
    expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
  }, 180_000); // twelve axe runs: over 60 s at a load average of 14

  it('logged no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
