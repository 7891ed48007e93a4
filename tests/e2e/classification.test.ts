/**
 * Playground's classification sets end to end in browser mode (Chromium against a real
 * `nnlab serve` on a temp database): the task chosen by its thumbnail brings its own network,
 * a circle run trains from the form and shows its decision boundary and accuracy, and Compare
 * sets two runs' boundaries side by side at any checkpoint. Screenshots in test-output/screenshots/.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { nnlab } from '../helpers/cli';
import { HAVE_CHROMIUM, MUST_RUN, SCREENSHOTS, SKIP_NOTE } from './browser';
import { type BrowserTarget, withBrowserTarget } from './target';

const run = HAVE_CHROMIUM || MUST_RUN;
let target: BrowserTarget;
let page: Page;
const errors: string[] = [];
const db = join(mkdtempSync(join(tmpdir(), 'nnlab-e2e-classify-')), 'lab.sqlite');

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

/** Each export control of the figures matched by `figures` that reaches past its figure's right edge. */
const exportsPastEdge = (figures: string): Promise<string[]> =>
  page.locator(figures).evaluateAll((els) =>
    els.flatMap((fig) => {
      const edge = fig.getBoundingClientRect().right;
      const controls = [...fig.querySelectorAll('[role="group"][aria-label^="Export"] :is(button, select)')];
      return controls.filter((c) => c.getBoundingClientRect().right > edge + 0.5).map((c) => `#${fig.getAttribute('data-run')} ${c.textContent!.trim().slice(0, 4)}: ${Math.round(c.getBoundingClientRect().right - edge)} px past`);
    }),
  );

describe.skipIf(!run)(`classification in a browser${run ? '' : ` (skipped: ${SKIP_NOTE})`}`, () => {
  withBrowserTarget(db, errors, (t) => {
    target = t;
    page = t.page;
  });

  it('shows each data set as a thumbnail, and choosing one brings its network, loss and output layer', async () => {
    await target.open();
    await page.click('[data-view="new"]');
    const picker = page.locator('[data-testid="task-picker"]');
    await picker.waitFor();
    for (const task of ['sincos', 'circle', 'xor', 'gauss', 'spiral']) expect(await picker.locator(`[data-task="${task}"] svg *`).count(), task).toBeGreaterThan(1);
    // a classification thumbnail is the data set itself: Playground's 500 points
    expect(await picker.locator('[data-task="spiral"] circle').count()).toBe(500);
    await picker.locator('[data-task="circle"]').click();
    expect(await page.inputValue('#field-task')).toBe('circle');
    expect(await page.inputValue('#field-shape')).toBe('2, 8, 8, 2');
    expect(await page.inputValue('#field-loss')).toBe('cross-entropy');
    expect(await page.inputValue('#field-outputActivation')).toBe('softmax');
    await page.fill('#field-learningRate', '0.1');
    // the init preview shows the new network, probed on the circle's own training points
    await page.waitForSelector('[data-testid="init-preview"] [data-layer="hidden 2"]');
    expect(await page.locator('[data-testid="init-preview"] tr[data-layer]').count()).toBe(3);
    expect(await page.textContent('[data-testid="init-preview"]')).toContain('every one of the 250 training points');
    await shot('classify-01-new-run');
  });

  it('trains the circle from the form and shows its decision boundary, its accuracy and its accuracy over training', async () => {
    await page.click('[data-action="run"]');
    await page.waitForSelector('[data-testid="run-monitor"] [data-status="done"]', { timeout: 30_000 });
    const boundary = page.locator('[data-testid="run-monitor"] [data-testid="boundary"]');
    await boundary.waitFor();
    expect(await boundary.getAttribute('data-cells')).toBe('625');
    expect(await boundary.getAttribute('data-train')).toBe('250');
    expect(await boundary.getAttribute('data-test')).toBe('250');
    expect(Number(await boundary.getAttribute('data-contour'))).toBeGreaterThan(10);
    expect(await boundary.locator('.cells rect').count()).toBe(625);
    // the same run trained by the CLI reaches the same accuracy (same spec, same seeds, same bits)
    const cli = JSON.parse(nnlab(['train', '--task', 'circle', '--lr', '0.1', '--no-save', '--no-progress', '--json', '-']).stdout);
    const shown = (await page.textContent('[data-testid="run-monitor"] [data-testid="test-accuracy"]'))!.trim();
    expect(shown).toBe(`${(100 * cli.testAccuracy).toFixed(1)} %`);
    expect(cli.testAccuracy).toBeGreaterThan(0.9);
    expect(await page.textContent('[data-testid="run-monitor"] [data-testid="outcome"]')).toBe('learned');
    expect((await page.textContent('[data-testid="run-monitor"] [data-testid="boundary-caption"]'))!).toMatch(/250 training points, 250 test points/);
    await page.waitForSelector('[data-testid="run-monitor"] [data-chart="accuracy"]');
    expect((await page.getAttribute('[data-testid="run-monitor"] [data-chart="accuracy"]', 'data-legend'))!.split('|')).toEqual(['#1 relu test', '#1 relu training']);
    // the run monitor's boundary is narrow: its export buttons wrap inside it
    expect(await exportsPastEdge('[data-testid="run-monitor"] [data-testid="boundary"]')).toEqual([]);
    await boundary.scrollIntoViewIfNeeded();
    await shot('classify-02-run-done');
    await boundary.screenshot({ path: join(SCREENSHOTS, 'classify-boundary.png') });
  });

  it('sets two runs’ boundaries side by side in Compare, at any checkpoint', async () => {
    await page.selectOption('#field-activation', 'tanh');
    await page.click('[data-action="run"]');
    await page.waitForSelector('[data-testid="run-monitor"] #monitor-title:text("Run #2")');
    await page.waitForSelector('[data-testid="run-monitor"] [data-status="done"]', { timeout: 30_000 });
    await target.open('#/compare/1,2');
    const boundaries = page.locator('[data-testid="boundaries"] [data-testid="boundary"]');
    await expect.poll(() => boundaries.count(), { timeout: 20_000 }).toBe(2);
    expect(await boundaries.evaluateAll((els) => els.map((e) => e.getAttribute('data-run')))).toEqual(['1', '2']);
    expect(await boundaries.evaluateAll((els) => els.map((e) => e.getAttribute('data-batch')))).toEqual(['end', 'end']);
    // no 1-D fits for a classification run; the controls and the cost chart speak of its loss and skill
    expect(await page.locator('[data-chart^="fit-"]').count()).toBe(0);
    expect(await page.textContent('.controls')).toContain('learned at skill ≥');
    expect(await page.textContent('.controls')).toContain('loss/sample');
    expect(await page.textContent('[data-testid="cost-chart"]')).toContain('judged on their held-out test points by skill');
    await page.waitForSelector('[data-chart="accuracy"]');
    expect(await exportsPastEdge('[data-testid="boundaries"] [data-testid="boundary"]')).toEqual([]);
    // the view scrolls inside its pane, and the page itself not at all: the screen-reader-only words
    // in the tables' headers (position: absolute) once stretched it, so a wheel over the header or the
    // sidebar scrolled the whole app away, leaving a blank screen
    expect(await page.evaluate(() => document.scrollingElement!.scrollHeight - window.innerHeight)).toBeLessThanOrEqual(0);
    await page.locator('[data-testid="boundaries"]').scrollIntoViewIfNeeded();
    await shot('classify-03-compare-end');
    // the checkpoint slider takes every boundary back to the initial network
    const slider = page.locator('[data-control="fit-at"]');
    await slider.fill('0');
    await expect.poll(() => boundaries.evaluateAll((els) => els.map((e) => e.getAttribute('data-batch')))).toEqual(['0', '0']);
    await shot('classify-04-compare-init');
  });

  it('answers the first exercise on circle with one click: 20 paired seeds, judged by skill, with whole dead layers read', async () => {
    await target.open('#/sweep');
    expect(await page.locator('[data-action="spiral-relu-vs-sigmoid"]').count()).toBe(1);
    await page.click('[data-action="circle-init-mean"]');
    const summary = page.locator('[data-testid="replicate-summary"]');
    await summary.waitFor({ timeout: 30_000 });
    await expect.poll(() => summary.locator('[data-outcomes$=" of 20"]').count(), { timeout: 240_000 }).toBe(2);
    const head = await summary.locator('th').allTextContents();
    expect(head).toContain('median test accuracy');
    expect(head).not.toContain('median r²');
    expect(await summary.textContent()).toContain('Learned: skill ≥ 0.9');
    // the page's reading is the CLI's: the same runs read by nnlab runs compare give the same sentences
    await expect.poll(() => page.locator('[data-testid="reading"]').textContent(), { timeout: 30_000 }).toContain('Paired by seed (test error, 1 − accuracy)');
    const reading = (await page.textContent('[data-testid="reading"]'))!;
    expect(reading).not.toMatch(/r²|MSE/);
    // the page's reading and the CLI's, of the same stored runs, say the same numbers (the CLI names a configuration by its field)
    const dead = /mean −0\.1: (\d+) of 20 runs had a hidden layer wholly dead at init/.exec(reading);
    expect(dead).not.toBeNull();
    const cli = (JSON.parse(nnlab(['runs', 'compare', '--experiment', '1', '--json', '--db', db]).stdout) as { reading: string[] }).reading.join(' ');
    expect(cli).toContain(`initMean=-0.1: ${dead![1]} of 20 runs had a hidden layer wholly dead at init`);
    const classes = (name: string, text: string) => new RegExp(`${name}: (\\d+ learned \\(.*?\\) of 20)`).exec(text)?.[1];
    expect(classes('mean −0\\.1', reading)).toBeDefined();
    expect(classes('mean −0\\.1', reading)).toBe(classes('initMean=-0\\.1', cli));
    await page.waitForTimeout(200);
    await shot('classify-05-exercise-circle-init-mean');
    // the view scrolls inside its pane (a full-page shot is blank below the fold): each panel on its own
    // the boundaries of both configurations, seed by seed: mean 0's first seed, then mean −eps's, …
    const boundaries = page.locator('[data-testid="boundaries"] [data-testid="boundary"]');
    expect(await boundaries.count()).toBe(12);
    expect(await page.textContent('body')).toContain('Decision boundaries: 12 of 40 classification runs, the first seeds of each of the 2 configurations in turn.');
    for (const i of [0, 1]) await boundaries.nth(i).screenshot({ path: join(SCREENSHOTS, `classify-06-exercise-boundary-${i ? 'mean-minus-eps' : 'mean-0'}.png`) });
    await summary.screenshot({ path: join(SCREENSHOTS, 'classify-07-exercise-replicates.png') });
    await page.locator('[data-chart="accuracy"]').first().screenshot({ path: join(SCREENSHOTS, 'classify-08-exercise-accuracy.png') });
    // 40 runs trained by the lab under whatever else the machine runs: a deadline far from the poll's
  }, 300_000);

  it('logged no errors in the page', () => {
    expect(errors).toEqual([]);
  });
});
