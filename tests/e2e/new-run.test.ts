/**
 * New run as a new user meets it, in browser mode (Chromium against a real `nnlab serve` on a
 * temp database): picking a task gives the form a network that fits it — the shape's input and
 * output widths follow the task (the expression's target, a chosen data set's columns), a hidden
 * layer the person chose stays, and a setting only the old task had (Fashion-MNIST's epochs, a
 * classification's loss) does not follow it to a task that refuses it.
 * Screenshots in test-output/screenshots/.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { HAVE_CHROMIUM, MUST_RUN, SCREENSHOTS, SKIP_NOTE } from './browser';
import { type BrowserTarget, withBrowserTarget } from './target';

const run = HAVE_CHROMIUM || MUST_RUN;
let target: BrowserTarget;
let page: Page;
const errors: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'nnlab-e2e-newrun-'));
const db = join(dir, 'lab.sqlite');

/** 40 rows: three numeric inputs and one numeric target. */
const csv = join(dir, 'three inputs.csv');
writeFileSync(csv, `a,b,c,y\n${Array.from({ length: 40 }, (_, i) => `${i},${(i * 7) % 11},${(i * 13) % 37},${(i * 0.1).toFixed(1)}`).join('\n')}\n`);

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** The form's network fields and every field error shown, once the form has settled (the preview answered). */
async function settled() {
  // "updating…" shows from the change until the preview of the fitted network is in
  await page.waitForFunction(() => !document.querySelector('[data-testid="init-preview"] header .muted'));
  const value = (k: string) => page.inputValue(`#field-${k}`);
  return {
    shape: await value('shape'),
    loss: await value('loss'),
    outputActivation: await value('outputActivation'),
    epochs: await value('epochs'),
    batchSize: await value('batchSize'),
    errors: (await page.locator('[data-error-for]').allTextContents()).map((t) => t.trim()),
  };
}

describe.skipIf(!run)(`New run’s task switches in a browser${run ? '' : ` (skipped: ${SKIP_NOTE})`}`, () => {
  withBrowserTarget(db, errors, (t) => {
    target = t;
    page = t.page;
  });

  it('fits the shape to the expression’s target as it is typed, from the seed’s network and from a classification’s', async () => {
    await target.open('#/new');
    await page.waitForSelector('[data-testid="init-preview"] [data-layer="hidden"]');
    await page.click('[data-task="expression"]');
    await page.fill('#field-target', 'x^2');
    // it was "task expression needs 1 input and 1 output unit, e.g. [1, 16, 1]" under the seed's 1, 16, 2
    expect(await settled()).toMatchObject({ shape: '1, 16, 1', loss: 'sse', outputActivation: 'seed', errors: [] });
    await page.fill('#field-target', 'x1*x2; x1 + x2; x1');
    expect(await settled()).toMatchObject({ shape: '2, 16, 3', errors: [] });
    await shot('new-run-expression');
    // from circle: its 2, 8, 8, 2 softmax network with cross-entropy is a classification's, not a regression's
    await page.click('[data-task="circle"]');
    expect(await settled()).toMatchObject({ shape: '2, 8, 8, 2', loss: 'cross-entropy', outputActivation: 'softmax', errors: [] });
    await page.click('[data-task="expression"]');
    await page.fill('#field-target', 'sin(3*x)');
    expect(await settled()).toMatchObject({ shape: '1, 16, 1', loss: 'sse', outputActivation: 'seed', errors: [] });
    expect(errors).toEqual([]);
  });

  it('keeps the hidden layers a person typed through every task switch, and leaves Fashion-MNIST’s epochs behind', async () => {
    await page.click('[data-task="sincos"]');
    await page.fill('#field-shape', '1, 32, 32, 2');
    expect(await settled()).toMatchObject({ shape: '1, 32, 32, 2', errors: [] });
    await page.click('[data-task="spiral"]');
    expect(await settled()).toMatchObject({ shape: '2, 32, 32, 2', loss: 'cross-entropy', errors: [] });
    await page.click('[data-task="wave"]');
    // wave's own output layer: linear, which reaches its targets below 0
    expect(await settled()).toMatchObject({ shape: '1, 32, 32, 1', loss: 'sse', outputActivation: 'linear', errors: [] });
    await page.click('[data-task="expression"]');
    await page.fill('#field-target', 'x1 + x2');
    expect(await settled()).toMatchObject({ shape: '2, 32, 32, 1', errors: [] });
    await page.click('[data-task="fashion-mnist"]');
    expect(await settled()).toMatchObject({ shape: '784, 32, 32, 10', epochs: '5', errors: [] });
    // expression draws fresh samples for every batch: it has no epochs (it was "task expression … has no epochs: set batches")
    await page.click('[data-task="expression"]');
    expect(await settled()).toMatchObject({ shape: '2, 32, 32, 1', loss: 'sse', epochs: '', errors: [] });
    expect(errors).toEqual([]);
  });

  it('gives a data set chosen before its widths again when the task comes back to csv', async () => {
    await page.click('[data-view="data"]');
    await page.locator('[data-testid="data-file"]').setInputFiles(csv);
    await page.locator('[data-testid="datasets"] tbody tr').waitFor({ timeout: 30_000 });
    await page.click('[data-view="new"]');
    await page.click('[data-task="sincos"]');
    await page.fill('#field-shape', '1, 16, 2');
    await page.click('[data-task="csv"]');
    const choice = page.locator('[data-testid="dataset-choice"]');
    await choice.waitFor();
    await choice.selectOption((await page.locator('[data-testid="dataset-choice"] option:not([disabled])').first().getAttribute('value'))!);
    // its 40 rows, half for training: batches of 20 (it sent 32, which the lab refuses)
    expect(await settled()).toMatchObject({ shape: '3, 16, 1', loss: 'sse', outputActivation: 'linear', batchSize: '20', errors: [] });
    await page.click('[data-task="circle"]');
    expect(await settled()).toMatchObject({ shape: '2, 8, 8, 2', loss: 'cross-entropy', batchSize: '32', errors: [] });
    // back to csv, its data set and columns still chosen: 3 inputs, 1 target, a regression's loss
    await page.click('[data-task="csv"]');
    expect(await settled()).toMatchObject({ shape: '3, 16, 1', loss: 'sse', outputActivation: 'linear', batchSize: '20', errors: [] });
    // a batch typed larger than the training set: the lab's refusal next to the field, as it is typed
    await page.fill('#field-batchSize', '30');
    expect((await settled()).errors).toEqual(["a batch of 30 is more than task csv's training set of 20 samples (trainFraction 0.5 of the data set's 40 rows), so each batch would hold samples twice: at most 20"]);
    await page.fill('#field-batchSize', '20');
    expect(await settled()).toMatchObject({ batchSize: '20', errors: [] });
    await shot('new-run-csv-back');
    expect(errors).toEqual([]);
  });

  it('shows no initial network under a spec the lab refuses or the form cannot read: the last one drawn was another network', async () => {
    await target.open('#/new');
    const layers = page.locator('[data-testid="init-preview"] [data-layer]');
    await layers.first().waitFor();
    await page.fill('#field-eps', '0.5');
    expect(await settled()).toMatchObject({ errors: [] });
    expect(await layers.count()).toBe(2);
    // a width the task refuses: the preview said why above the 1, 16, 2 network's histogram and table
    await page.fill('#field-shape', '1, 16, 3');
    expect((await settled()).errors).toEqual(['task sincos needs 1 input and 2 output units, e.g. [1, 16, 2]']);
    expect(await page.locator('[data-testid="init-preview"] .field-error').textContent()).toContain('task sincos needs');
    expect(await layers.count()).toBe(0);
    expect(await page.locator('[data-testid="init-preview"] canvas').count()).toBe(0);
    await page.fill('#field-shape', '1, 16, 2');
    expect(await settled()).toMatchObject({ errors: [] });
    expect(await layers.count()).toBe(2);
    // a field the form cannot read
    await page.fill('#field-learningRate', 'fast');
    expect((await settled()).errors).toEqual(['must be a number']);
    expect(await layers.count()).toBe(0);
    await shot('new-run-refused-preview');
    expect(errors).toEqual([]);
  });
});
