/**
 * Inside the network end to end in browser mode (Chromium against a real `nnlab serve` on a temp
 * database): a run trained from the form exports its network from its page (numpy script run by
 * python3, ONNX model loaded by onnxruntime-node). Screenshots in test-output/screenshots/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAVE_CHROMIUM, MUST_RUN, SCREENSHOTS, SKIP_NOTE } from './browser';
import { type BrowserTarget, browserTarget, collectPageErrors } from './target';

const run = HAVE_CHROMIUM || MUST_RUN;
let target: BrowserTarget;
let page: Page;
const errors: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'nnlab-e2e-network-'));
const db = join(dir, 'lab.sqlite');

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe.skipIf(!run)(`the network of a run in a browser${run ? '' : ` (skipped: ${SKIP_NOTE})`}`, () => {
  beforeAll(async () => {
    target = await browserTarget(db);
    page = target.page;
    collectPageErrors(page, errors);
  });

  afterAll(async () => {
    await target?.close();
  });

  it('exports a finished run’s network from its page: the numpy script runs in python3, the ONNX model in onnxruntime', async () => {
    await target.open();
    await page.click('[data-view="new"]');
    await page.fill('#field-batches', '60');
    await page.click('[data-action="run"]');
    await page.waitForSelector('[data-testid="run-monitor"] [data-status="done"]', { timeout: 60_000 });
    const buttons = page.locator('[data-testid="export-network"]');
    await buttons.waitFor();
    const py = await target.saveExport(() => buttons.locator('[data-export-network="numpy"]').click());
    expect(py.name).toBe('nnlab-run-1.py');
    const file = join(dir, py.name);
    writeFileSync(file, py.data);
    const r = spawnSync('python3', [file], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(30);
    const model = await target.saveExport(() => buttons.locator('[data-export-network="onnx"]').click());
    expect(model.name).toBe('nnlab-run-1.onnx');
    const session = await ort.InferenceSession.create(new Uint8Array(model.data));
    expect(session.outputNames).toEqual(['y']);
    await session.release();
    await shot('network-01-export');
    expect(errors).toEqual([]);
  });

  it('shows the run’s network at its last checkpoint, and scrubbing the slider moves to batch 0', async () => {
    const view = page.locator('[data-testid="network-view"]');
    await view.locator('[data-testid="network-slider"]').waitFor();
    expect(await view.locator('circle[data-unit]').count()).toBe(1 + 16 + 2);
    expect(await view.locator('line').count()).toBe(16 + 32);
    expect((await view.locator('[data-testid="network-batch"]').textContent())!.trim()).toBe('batch 60');
    expect(Number(await view.locator('[data-testid="network-pieces"]').getAttribute('data-pieces'))).toBe(16);
    await view.locator('[data-testid="network-slider"]').fill('0');
    await page.waitForFunction(() => document.querySelector('[data-testid="network-batch"]')?.textContent?.trim() === 'batch 0');
    await view.scrollIntoViewIfNeeded();
    await shot('network-02-view');
    expect(errors).toEqual([]);
  });
});
