/**
 * Parallel coordinates of a real sweep end to end (issue 15): a 12-run sweep (activation × learning
 * rate 0.05, 0.5, 50, two seeds each) made by the built CLI, `nnlab serve` on it, Debian's
 * Chromium. The Compare page draws an axis per swept field and per outcome and a line per run;
 * dragging along an axis brushes it and the rest of the page shows only the runs kept (the cost
 * chart's lines, the stability map, the reading); the SVG export is the drawing with its
 * provenance. Screenshots of the panel: parallel-01-all.png and parallel-02-brushed.png in test-output/screenshots/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { skipUnlessRequired } from '../helpers/ci';
import { nnlab } from '../helpers/cli';
import { HAVE_CHROMIUM, MUST_RUN, SCREENSHOTS, SKIP_NOTE } from './browser';
import { type BrowserTarget, withBrowserTarget } from './target';

const run = HAVE_CHROMIUM || MUST_RUN;
let target: BrowserTarget;
let page: Page;
const errors: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'nnlab-e2e-parallel-'));
const db = join(dir, 'lab.sqlite');
const PYTHON = '/usr/bin/python3';
/** Why the PDF cannot be read here (Debian's python3-pypdf is missing), or null; under CI=true its absence fails. */
const NO_PYPDF = skipUnlessRequired(spawnSync(PYTHON, ['-c', 'import pypdf']).status === 0 ? null : `no pypdf for ${PYTHON} to read the PDF export with (apt-get install python3-pypdf)`, 'pypdf', 'linux');
/** The provenance an SVG export carries. */
const provenanceOf = (svg: string): unknown => JSON.parse(svg.match(/<metadata id="nnlab-provenance">([^<]*)<\/metadata>/)![1].replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
const panel = () => page.locator('[data-testid="parallel"]');
const attr = async (name: string) => Number(await panel().getAttribute(`data-${name}`));
/** The runs the cost chart draws: its legend's entries of runs ('#3 relu · lr 0.5'). */
const costLines = async () => ((await page.locator('[data-chart="cost"]').getAttribute('data-legend')) ?? '').split('|').filter((e) => e.startsWith('#')).length;

/** Drags along an axis from position p0 to p1 (0 its bottom … 1 its top). */
async function brush(axis: string, p0: number, p1: number): Promise<void> {
  await panel().scrollIntoViewIfNeeded();
  const box = (await page.locator(`[data-axis="${axis}"] > line`).first().boundingBox())!;
  const x = box.x + box.width / 2;
  const y = (p: number) => box.y + (1 - p) * box.height;
  await page.mouse.move(x, y(p0));
  await page.mouse.down();
  await page.mouse.move(x, (y(p0) + y(p1)) / 2, { steps: 3 });
  await page.mouse.move(x, y(p1), { steps: 3 });
  await page.mouse.up();
}

describe.skipIf(!run)(`parallel coordinates of a sweep in a browser${run ? '' : ` (skipped: ${SKIP_NOTE})`}`, () => {
  beforeAll(() => {
    const r = nnlab(['sweep', '--activation', 'relu,tanh', '--lr', '0.05,0.5,50', '--replicates', '2', '--db', db]);
    expect(r.status, r.stderr).toBe(0);
  }, 300_000);
  withBrowserTarget(db, errors, (t) => {
    target = t;
    page = t.page;
  });

  it('draws an axis per swept field and per outcome, and a line per run', async () => {
    await target.open('#/compare?experiment=1');
    await panel().waitFor({ timeout: 120_000 });
    await page.waitForSelector('main[aria-busy="false"] [data-chart="cost"]', { timeout: 120_000 });
    expect(await panel().getAttribute('data-axes')).toBe('activation,learningRate,testMse,r2,trainMs');
    expect(await attr('lines')).toBe(12);
    expect(await attr('kept-lines')).toBe(12);
    expect(await page.locator('[data-testid="parallel"] polyline').count()).toBe(12);
    expect(await page.locator('[data-testid="parallel-drawn"]').textContent()).toBe('12 runs drawn; every run of the comparison has a value on every axis.');
    // the learning rates span 1000×: a log axis, 0.5 a third of the way up
    const ticks = await page.locator('[data-axis="learningRate"] text').allTextContents();
    expect(ticks).toEqual(['learningRate', '0.05', '0.5', '50']);
    expect(await costLines()).toBe(12);
    expect(await page.locator('[data-testid="stability-map"]').count()).toBe(1);
    expect(await page.locator('[data-testid="brushed"]').count()).toBe(0);
    await panel().screenshot({ path: join(SCREENSHOTS, 'parallel-01-all.png') });
    expect(errors).toEqual([]);
  });

  it('brushing the learning rate keeps its runs on the rest of the page; a second brush narrows it; clearing brings every run back', async () => {
    await brush('learningRate', 0.45, 0.22);
    await page.waitForSelector('[data-testid="brushed"]');
    expect(await attr('kept-lines')).toBe(4);
    expect(await attr('kept-runs')).toBe(4);
    expect(await page.locator('[data-testid="brushed"]').textContent()).toMatch(/the reading and the panels show 4 of the 12 runs/);
    expect(await page.locator('[data-testid="parallel-brushes"]').textContent()).toMatch(/learningRate 0\.2\d+ – 1\.1\d*/);
    expect(await costLines()).toBe(4);
    // one field varies among the runs kept: no stability map of two
    expect(await page.locator('[data-testid="stability-map"]').count()).toBe(0);
    expect(await page.locator('[data-testid="differs"]').textContent()).not.toMatch(/learningRate/);
    // the runs not kept stay on the picture, greyed
    expect(await page.locator('[data-testid="parallel"] polyline[data-kept="false"]').count()).toBe(8);
    // a category brush: relu alone
    await brush('activation', 0.1, -0.05);
    await page.waitForFunction(() => document.querySelector('[data-testid="parallel"]')?.getAttribute('data-kept-runs') === '2');
    expect(await costLines()).toBe(2);
    expect(await page.locator('[data-testid="parallel-brushes"]').textContent()).toMatch(/activation relu/);
    await panel().screenshot({ path: join(SCREENSHOTS, 'parallel-02-brushed.png') });
    const svg = await target.saveExport(() => panel().locator('[data-export="svg"]').click());
    expect(svg.name).toBe('nnlab_parallel-coordinates_runs-1-to-12.svg');
    const text = svg.data.toString('utf8');
    expect(text.match(/<polyline /g)).toHaveLength(12);
    expect(text).toContain('(2 of 12 runs kept)');
    expect(text).toMatch(/<metadata id="nnlab-provenance">.*&quot;runs&quot;/);
    const csv = await target.saveExport(() => panel().locator('[data-export="csv"]').click());
    expect(csv.data.toString('utf8').trimEnd().split('\r\n')).toHaveLength(13);
    // a click on an axis takes its brush off
    await brush('activation', 0.5, 0.5);
    await page.waitForFunction(() => document.querySelector('[data-testid="parallel"]')?.getAttribute('data-kept-runs') === '4');
    await page.click('[data-action="clear-brushes"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="parallel"]')?.getAttribute('data-kept-runs') === '12');
    expect(await page.locator('[data-testid="brushed"]').count()).toBe(0);
    expect(await costLines()).toBe(12);
    expect(await page.locator('[data-testid="stability-map"]').count()).toBe(1);
    expect(errors).toEqual([]);
  });

  it.skipIf(NO_PYPDF !== null)(`exports the picture as a vector PDF with the SVG's provenance${NO_PYPDF ? ` (skipped: ${NO_PYPDF})` : ''}`, async () => {
    const svg = (await target.saveExport(() => panel().locator('[data-export="svg"]').click())).data.toString('utf8');
    const pdf = await target.saveExport(() => panel().locator('[data-export="pdf"]').click());
    expect(pdf.name).toBe('nnlab_parallel-coordinates_runs-1-to-12.pdf');
    const file = join(dir, pdf.name);
    writeFileSync(file, pdf.data);
    const read = spawnSync(PYTHON, [join(__dirname, '../helpers/read_pdf.py'), file], { encoding: 'utf8' });
    expect(read.stderr).toBe('');
    const info = JSON.parse(read.stdout) as { pages: number; text: string; images: number; paths: number; provenance: unknown };
    expect(info.pages).toBe(1);
    expect(info.images).toBe(0);
    expect(info.paths).toBeGreaterThan(12);
    for (const t of ['Parallel coordinates', 'learningRate', 'test MSE per sample', '12 runs drawn']) expect(info.text).toContain(t);
    expect(info.provenance).toEqual(provenanceOf(svg));
    expect(errors).toEqual([]);
  });
});
