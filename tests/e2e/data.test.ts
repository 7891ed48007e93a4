/**
 * Your own data end to end in browser mode (Chromium against a real `nnlab serve` on a temp
 * database): a CSV uploaded in the Data view is listed with its size, rows and columns; New run
 * trains on it from the data set picker, as a classification (its confusion matrix over the test
 * rows) and as a regression (its predicted vs actual); a short Fashion-MNIST run shows its test
 * images with true and predicted labels, misclassified first. Screenshots in test-output/screenshots/.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { skipUnlessRequired } from '../helpers/ci';
import { HAVE_CHROMIUM, MUST_RUN, SCREENSHOTS, SKIP_NOTE } from './browser';
import { type BrowserTarget, withBrowserTarget } from './target';
import { fmt } from '../../src-renderer/src/lib/format';

const run = HAVE_CHROMIUM || MUST_RUN;
let target: BrowserTarget;
let page: Page;
const errors: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'nnlab-e2e-data-'));
const db = join(dir, 'lab.sqlite');

/** 200 rows: two inputs, a numeric target and a two-class label (inside a circle or not). */
const csv = join(dir, 'circle points.csv');
{
  const rows = ['u,v,"r squared",where'];
  let s = 11;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  for (let i = 0; i < 200; i++) {
    const u = rnd();
    const v = rnd();
    rows.push(`${u.toFixed(4)},${v.toFixed(4)},${(u * u + v * v).toFixed(5)},${u * u + v * v < 0.45 ? 'inside' : 'outside'}`);
  }
  writeFileSync(csv, `${rows.join('\n')}\n`);
}

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** Starts the form's run and waits until its page shows it done. */
async function runAndWait(timeout = 120_000) {
  await page.click('[data-action="run"]');
  await page.waitForSelector('[data-testid="run-monitor"] [data-status="done"]', { timeout });
}

describe.skipIf(!run)(`your own data in a browser${run ? '' : ` (skipped: ${SKIP_NOTE})`}`, () => {
  withBrowserTarget(db, errors, (t) => {
    target = t;
    page = t.page;
  });

  it('uploads a CSV in the Data view and lists it with its size, rows and columns', async () => {
    await target.open();
    await page.click('[data-view="data"]');
    await page.locator('[data-testid="data-file"]').setInputFiles(csv);
    const row = page.locator('[data-testid="datasets"] tbody tr');
    await row.waitFor({ timeout: 30_000 });
    const cells = (await row.locator('td').allTextContents()).map((c) => c.trim());
    expect(cells[0]).toBe('circle points.csv');
    expect(cells[2]).toBe(`${(readFileSync(csv).length / 1024).toFixed(1)} kB`);
    expect(cells[3]).toBe('200');
    expect(cells[4]).toBe('u, v, r squared, where (2 classes)');
    expect(cells[5]).toBe('0');
    expect(await page.locator('[data-testid="data-notice"]').textContent()).toContain('Stored: circle points.csv (200 rows');
    await shot('data-01-list');
    expect(errors).toEqual([]);
  });

  it('trains a classification on it from New run’s data set picker and shows its confusion matrix over the test rows', async () => {
    await page.click('[data-view="new"]');
    await page.click('[data-task="csv"]');
    const choice = page.locator('[data-testid="dataset-choice"]');
    await choice.waitFor();
    const sha = await page.locator('[data-testid="dataset-choice"] option:not([disabled])').first().getAttribute('value');
    await choice.selectOption(sha!);
    // the first choice: the label column with classes, the numbers as inputs
    expect(await page.inputValue('#field-labelColumn')).toBe('where');
    expect(await page.inputValue('#field-inputColumns')).toBe('u, v, r squared');
    await page.locator('[data-column="r squared"] select').selectOption('unused');
    expect(await page.inputValue('#field-shape')).toBe('2, 16, 2');
    expect(await page.inputValue('#field-loss')).toBe('cross-entropy');
    await page.fill('#field-batches', '400');
    // the init preview is drawn on the data set
    await page.waitForSelector('[data-testid="init-preview"] [data-layer="hidden"]');
    await runAndWait();
    const matrix = page.locator('[data-testid="run-monitor"] [data-testid="confusion"]');
    await matrix.waitFor();
    expect(await matrix.textContent()).toContain('over its 100 test examples');
    const counts = (await matrix.locator('tbody td').allTextContents()).map(Number);
    expect(counts).toHaveLength(4);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(100);
    const accuracy = (await page.locator('[data-testid="test-accuracy"]').textContent())!.trim();
    expect(`${(counts[0] + counts[3]).toFixed(1)} %`).toBe(accuracy);
    // its decision boundary says where its points are, not '0 test points'
    const boundary = (await page.locator('[data-testid="run-monitor"] [data-testid="boundary"]').textContent())!;
    expect(boundary).toContain('test rows and its training rows are in its data set');
    expect(boundary).not.toMatch(/\b0 test points/);
    // its network is judged and drawn over the data's own range (it was [0, 1] for both inputs)
    const col = (k: number) => readFileSync(csv, 'utf8').trim().split('\n').slice(1).map((line) => Number(line.split(',')[k]));
    const span = (k: number) => `${fmt(Math.min(...col(k)))}…${fmt(Math.max(...col(k)))}`;
    await expect.poll(() => page.locator('[data-testid="run-monitor"] [data-testid="network-dead"]').getAttribute('data-view-box'), { timeout: 30_000 }).toBe(`${span(0)}, ${span(1)}`);
    await matrix.scrollIntoViewIfNeeded();
    await shot('data-02-confusion');
    await matrix.screenshot({ path: join(SCREENSHOTS, 'data-confusion-matrix.png') });
    expect(errors).toEqual([]);
  });

  it('trains a regression on another column and shows predicted vs actual for every test row', async () => {
    await page.locator('[data-column="where"] select').selectOption('unused');
    await page.locator('[data-column="r squared"] select').selectOption('target');
    expect(await page.inputValue('#field-shape')).toBe('2, 16, 1');
    expect(await page.inputValue('#field-outputActivation')).toBe('linear');
    expect(await page.inputValue('#field-loss')).toBe('sse');
    await page.fill('#field-learningRate', '0.2');
    await page.fill('#field-batches', '3000');
    await runAndWait();
    const scatter = page.locator('[data-testid="run-monitor"] [data-testid="predicted-actual"]');
    await scatter.waitFor();
    expect(await scatter.textContent()).toContain('all 100 test examples');
    expect(await scatter.locator('[data-output="r squared"] circle').count()).toBe(100);
    await scatter.scrollIntoViewIfNeeded();
    await shot('data-03-predicted-actual');
    await scatter.screenshot({ path: join(SCREENSHOTS, 'data-predicted-actual.png') });
    expect(errors).toEqual([]);
  });

  it('refuses a sweep of a built-in task beside a CSV’s, naming the field and the configuration, inside the form', async () => {
    const sha = (await page.inputValue('#field-dataset'))!;
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    await page.click('[data-view="sweep"]');
    await page.check('input[name="sweep-base"][value="seed"]');
    await page.locator('[data-sweep-row="0"] select').selectOption('task');
    await page.locator('[data-sweep-row="0"] input').fill('sincos, csv');
    await page.locator('[data-sweep-row="1"] select').selectOption('dataset');
    await page.locator('[data-sweep-row="1"] input').fill(sha);
    await page.click('[data-action="start-sweep"]');
    const refusal = page.locator('.sweep-form .error-box');
    await expect.poll(() => refusal.textContent(), { timeout: 20_000 }).toContain('dataset: task sincos does not read dataset');
    expect(await refusal.textContent()).toContain('(at task="sincos"');
    // the refusal's 64-digit hash wraps inside the form: it widened the form's one column, pushing
    // Start and the rows' ✕ past the panel's edge, under the exercises beside it
    const past = await page.locator('.sweep-form').evaluate((form) => {
      const edge = form.getBoundingClientRect().right;
      return [...form.querySelectorAll('button, .error-box')].filter((e) => e.getBoundingClientRect().right > edge + 0.5).map((e) => `${e.textContent!.trim().slice(0, 12)}: ${Math.round(e.getBoundingClientRect().right - edge)} px past`);
    });
    expect(past).toEqual([]);
    // back to New run, where the next test goes on
    await page.click('[data-view="new"]');
    expect(errors).toEqual([]);
  });

  const installed = existsSync('/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz');
  const skip = skipUnlessRequired(installed ? null : 'Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)', 'fashion-mnist', 'linux');
  it.skipIf(skip !== null)(`trains a short Fashion-MNIST run and shows its test images, misclassified first${skip ? ` — skipped: ${skip}` : ''}`, async () => {
    await page.click('[data-task="fashion-mnist"]');
    expect(await page.inputValue('#field-shape')).toBe('784, 128, 10');
    expect(await page.inputValue('#field-epochs')).toBe('5');
    // the preview says why there is none
    await page.waitForFunction(() => document.querySelector('[data-testid="init-preview"]')?.textContent?.includes('784 inputs'), undefined, { timeout: 10_000 }).catch(async (e) => {
      throw new Error(`${(e as Error).message}: ${await page.locator('[data-testid="init-preview"]').textContent()}`);
    });
    // a short run (the full 5 epochs: see the README's figure)
    await page.fill('#field-epochs', '');
    await page.fill('#field-batches', '60');
    await page.fill('#field-checkpoints', '1');
    await runAndWait(240_000);
    const grid = page.locator('[data-testid="run-monitor"] [data-testid="image-grid"]');
    await grid.waitFor({ timeout: 60_000 });
    expect(await grid.locator('li').count()).toBe(48);
    expect(await grid.locator('li').first().getAttribute('data-wrong')).toBe('true');
    expect(await grid.locator('li canvas').first().getAttribute('aria-label')).toMatch(/^test image \d+: a .+, predicted .+$/);
    const matrix = page.locator('[data-testid="run-monitor"] [data-testid="confusion"]');
    expect(await matrix.textContent()).toContain('over its 10,000 test examples');
    expect(await matrix.locator('tbody tr').count()).toBe(10);
    await grid.scrollIntoViewIfNeeded();
    await shot('data-04-fashion-mnist');
    await grid.screenshot({ path: join(SCREENSHOTS, 'data-fashion-mnist-images.png') });
    expect(errors).toEqual([]);
  });

  it('says on import when every column name is a number: most likely a file without a header row', async () => {
    const bare = join(dir, 'no header.csv');
    writeFileSync(bare, '1,2,3\n4,5,6\n7,8,9\n');
    await target.open();
    await page.click('[data-view="data"]');
    await page.locator('[data-testid="data-file"]').setInputFiles(bare);
    const notice = page.locator('[data-testid="data-notice"]');
    await expect.poll(() => notice.textContent(), { timeout: 30_000 }).toContain('Stored: no header.csv (2 rows');
    expect(await notice.textContent()).toContain('every column name is a number (1, 2, 3): line 1 is read as the column names, so if the file has no header row, add one (line 1 is not trained on)');
    expect(errors).toEqual([]);
  });
});
