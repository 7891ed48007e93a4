/**
 * Inside the network end to end in browser mode (Chromium against a real `nnlab serve` on a temp
 * database): a run trained from the form exports its network from its page (numpy script run by
 * python3, ONNX model loaded by onnxruntime-node), shows its network at any kept checkpoint, and
 * Compare sets two runs' networks side by side (exercise 1's failed run with its dead units), with
 * play and a focus card per unit reached by Tab. Screenshots in test-output/screenshots/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { nnlab } from '../helpers/cli';
import { HAVE_CHROMIUM, MUST_RUN, SCREENSHOTS, SKIP_NOTE } from './browser';
import { axeFindings, type BrowserTarget, withBrowserTarget } from './target';

const run = HAVE_CHROMIUM || MUST_RUN;
let target: BrowserTarget;
let page: Page;
const errors: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'nnlab-e2e-network-'));
const db = join(dir, 'lab.sqlite');

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe.skipIf(!run)(`the network of a run in a browser${run ? '' : ` (skipped: ${SKIP_NOTE})`}`, () => {
  withBrowserTarget(db, errors, (t) => {
    target = t;
    page = t.page;
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
    expect(await view.locator('svg.net line').count()).toBe(16 + 32);
    expect((await view.locator('[data-testid="network-batch"]').textContent())!.trim()).toBe('batch 60');
    expect(Number(await view.locator('[data-testid="network-pieces"]').getAttribute('data-pieces'))).toBe(16);
    // every unit's curve over the domain: the 16 hidden units, then the 2 outputs
    expect(await view.locator('[data-testid="unit-pictures"] [data-layer="1"] svg[data-unit]').count()).toBe(16);
    expect(await view.locator('[data-testid="unit-pictures"] [data-layer="2"] svg[data-unit]').count()).toBe(2);
    // each layer's weights over training: two layers of weights, the checkpoint shown marked, its quantiles in words
    const bands = view.locator('[data-testid="weight-bands"] figure');
    expect(await bands.count()).toBe(2);
    expect(await bands.first().locator('svg').getAttribute('aria-label')).toMatch(/^weights 1 \(1 → 16, 16 weights\) at batch 60: median [−0-9.]+, 25–75 %/);
    await view.locator('[data-testid="network-slider"]').fill('0');
    await page.waitForFunction(() => document.querySelector('[data-testid="network-batch"]')?.textContent?.trim() === 'batch 0');
    expect(await bands.first().locator('svg').getAttribute('aria-label')).toMatch(/at batch 0: median/);
    await view.scrollIntoViewIfNeeded();
    await shot('network-02-view');
    expect(errors).toEqual([]);
  });

  it('sets two runs’ networks side by side in Compare: exercise 1’s failed run shows its dead units, play runs to the end, Tab reaches each unit’s card', async () => {
    await page.fill('#field-initMean', '-0.1');
    await page.click('[data-action="run"]');
    await page.waitForSelector('[data-testid="run-monitor"] #monitor-title:text("Run #2")');
    await page.waitForSelector('[data-testid="run-monitor"] [data-status="done"]', { timeout: 60_000 });
    await target.open('#/compare/1,2');
    const panel = page.locator('[data-testid="network-panel"]');
    await expect.poll(() => panel.locator('[data-testid="network-slider"]').count(), { timeout: 30_000 }).toBe(2);
    expect(await panel.locator('[data-run]').evaluateAll((els) => els.map((e) => e.getAttribute('data-run')))).toEqual(['1', '2']);
    // the failed run: its dead units drawn as dead, as many as the line above the picture counts, dead since a batch
    const failed = panel.locator('[data-run="2"] [data-testid="network-view"]');
    const dead = await failed.locator('circle.dead').count();
    expect(dead).toBeGreaterThan(0);
    expect((await failed.locator('[data-testid="network-dead"]').textContent())!).toContain(`batch 60: ${dead} (per hidden layer`);
    expect(await failed.locator('circle.dead title').first().textContent()).toMatch(/dead since batch \d+/);
    // play from batch 0 runs the slider to the last checkpoint and stops
    const first = panel.locator('[data-run="1"] [data-testid="network-view"]');
    await first.locator('[data-testid="network-slider"]').fill('0');
    await expect.poll(async () => (await first.locator('[data-testid="network-batch"]').textContent())!.trim()).toBe('batch 0');
    await first.locator('[data-testid="network-play"]').click();
    expect((await first.locator('[data-testid="network-play"]').textContent())!.trim()).toBe('Pause');
    await expect.poll(async () => (await first.locator('[data-testid="network-batch"]').textContent())!.trim(), { timeout: 20_000 }).toBe('batch 60');
    await expect.poll(async () => (await first.locator('[data-testid="network-play"]').textContent())!.trim()).toBe('Play');
    // Tab from the play button reaches the input unit, then the first hidden unit: its card lists its bias and incoming weight
    await failed.locator('[data-testid="network-play"]').focus();
    await page.keyboard.press('Tab');
    await expect.poll(() => failed.locator('[data-testid="network-focus"]').getAttribute('data-unit')).toBe('0:0');
    await page.keyboard.press('Tab');
    const card = failed.locator('[data-testid="network-focus"]');
    await expect.poll(() => card.getAttribute('data-unit')).toBe('1:0');
    // the seed's one input by its task's name, x (the card said x1, the first input's number)
    expect(await card.textContent()).toMatch(/layer 1 unit 1: .*bias [−-]?[0-9.]+.*incoming weights:\s*x /s);
    await panel.scrollIntoViewIfNeeded();
    await shot('network-03-compare');
    // the README's picture: exercise 1's failed run, its dead units, their flat curves and its weights over training
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: size.width, height: 2400 }); // the page scrolls in its main pane: a tall window shows the whole view
    await failed.screenshot({ path: join(SCREENSHOTS, 'network-view.png') });
    await page.setViewportSize(size);
    // the focusable units sit in a group, not in an image (whose children axe takes as presentational)
    expect(await axeFindings(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('pictures each unit of a 2-D run as a heatmap over the plane, at any checkpoint', async () => {
    const r = nnlab(['train', '--task', 'circle', '--shape', '2,4,3,2', '--lr', '0.1', '--batches', '100', '--no-progress', '--db', db]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    await target.open('#/compare/3');
    const view = page.locator('[data-testid="network-panel"] [data-testid="network-view"]');
    const heat = view.locator('[data-testid="unit-pictures"] canvas[data-unit]');
    await expect.poll(() => heat.count(), { timeout: 30_000 }).toBe(4 + 3 + 2);
    await expect.poll(() => view.locator('canvas[data-drawn="true"]').count()).toBe(9);
    // a drawn heatmap, not a blank canvas: the first output's 25 × 25 pixels take many colours
    const colours = async () =>
      view.locator('canvas[data-unit="3:0"]').evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        return seen.size;
      });
    expect(await colours()).toBeGreaterThan(20);
    const end = await view.locator('canvas[data-unit="3:0"]').evaluate((c: HTMLCanvasElement) => c.toDataURL());
    await view.locator('[data-testid="network-slider"]').fill('0');
    await expect.poll(async () => (await view.locator('[data-testid="network-batch"]').textContent())!.trim()).toBe('batch 0');
    await expect.poll(() => view.locator('canvas[data-unit="3:0"]').evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(end);
    await view.locator('[data-testid="network-slider"]').fill('20');
    await view.locator('[data-testid="unit-pictures"]').scrollIntoViewIfNeeded();
    await shot('network-04-heatmaps');
    await view.locator('[data-testid="unit-pictures"]').screenshot({ path: join(SCREENSHOTS, 'network-heatmaps.png') });
    expect(errors).toEqual([]);
  });
});
