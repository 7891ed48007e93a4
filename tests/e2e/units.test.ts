/**
 * Units end to end in browser mode (Chromium against a real `nnlab serve` on a temp database): a
 * sweep over task trains sincos on the seed's squared error and circle on cross-entropy, and
 * Compare draws each loss's training curves in a chart of its own, on its own axis, and reads
 * nothing across the two units. Screenshot in test-output/screenshots/units-01-two-losses.png.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nnlab } from '../helpers/cli';
import { HAVE_CHROMIUM, MUST_RUN, SCREENSHOTS, SKIP_NOTE } from './browser';
import { type BrowserTarget, withBrowserTarget } from './target';

const run = HAVE_CHROMIUM || MUST_RUN;
let target: BrowserTarget;
let page: Page;
const errors: string[] = [];
const db = join(mkdtempSync(join(tmpdir(), 'nnlab-e2e-units-')), 'lab.sqlite');

describe.skipIf(!run)(`units in a browser${run ? '' : ` (skipped: ${SKIP_NOTE})`}`, () => {
  beforeAll(() => {
    // before the server opens the database: the sweep's runs are there when the page asks
    const r = nnlab(['sweep', '--db', db, '--task', 'sincos,circle', '--replicates', '2', '--lr', '0.1', '--no-progress']);
    expect(r.status, r.stderr).toBe(0);
  });
  withBrowserTarget(db, errors, (t) => {
    target = t;
    page = t.page;
  });

  it('draws a sweep over task’s two losses in two cost charts, each naming its loss and the runs in the other, and pairs nothing across them', async () => {
    await target.open('#/compare?experiment=1');
    const charts = page.locator('[data-testid="cost-charts"] [data-chart]');
    await expect.poll(() => charts.evaluateAll((els) => els.map((e) => e.getAttribute('data-chart')))).toEqual(['cost-sse', 'cost-cross-entropy']);
    expect(await page.locator('[data-chart="cost"]').count()).toBe(0);
    // each chart holds its own loss's runs (a sweep trains configuration by configuration: sincos #1 and #2, circle #3 and #4)
    const legend = async (id: string) => (await page.getAttribute(`[data-chart="${id}"]`, 'data-legend'))!.split('|');
    expect((await legend('cost-sse')).filter((l) => l.startsWith('#')).map((l) => l.split(' ')[0])).toEqual(['#1', '#2']);
    expect((await legend('cost-cross-entropy')).filter((l) => l.startsWith('#')).map((l) => l.split(' ')[0])).toEqual(['#3', '#4']);
    expect(await legend('cost-cross-entropy')).not.toContain('constant predictor (r² = 0)');
    expect(await page.textContent('[data-chart="cost-sse"] [data-testid="chart-notes"]')).toContain('runs #3, #4 train on cross-entropy, another unit: they are in their own chart, Cross-entropy per sample');
    expect(await page.textContent('[data-chart="cost-cross-entropy"] [data-testid="chart-notes"]')).toContain('runs #1, #2 train on sse (squared error), another unit: they are in their own chart, MSE per sample');
    // the gradient norms too: a gradient is of its run's loss
    await expect.poll(() => page.locator('[data-testid="charts-by-loss"] [data-chart]').evaluateAll((els) => els.map((e) => e.getAttribute('data-chart')))).toEqual(['grad-norms-sse', 'grad-norms-cross-entropy']);
    // the reading: each kind's score by its own baseline, no pairing of a test MSE with a test error
    const reading = page.locator('[data-testid="reading"]');
    await reading.waitFor();
    const text = (await reading.textContent())!;
    expect(text).toContain('Not paired by seed:');
    expect(text).toContain('Not compared across losses');
    expect(text).not.toContain('Paired by seed (');
    expect(text).not.toContain('Reaching MSE');
    await page.locator('[data-testid="cost-charts"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'units-01-two-losses.png'), fullPage: false });
    expect(errors).toEqual([]);
  });
});
