/**
 * Step-through end to end in browser mode (issue 15; Chromium against a real `nnlab serve` on a
 * temp database): a run started paused from the New run form waits at batch 0 with its network
 * drawn; Step 1 batch (by the keyboard) and Step 10 batches each list what changed — the cost
 * before and after, the largest weight changes, units that died or revived — and redraw the
 * network at the paused weights; Resume runs it to done, stored with the same costs the steps
 * showed. A run trained straight is paused mid-run, stepped and cancelled. Screenshots in
 * test-output/screenshots/step-*.png.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { nnlab } from '../helpers/cli';
import { HAVE_CHROMIUM, MUST_RUN, SCREENSHOTS, SKIP_NOTE } from './browser';
import { axeFindings, type BrowserTarget, withBrowserTarget } from './target';

const run = HAVE_CHROMIUM || MUST_RUN;
let target: BrowserTarget;
let page: Page;
const errors: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'nnlab-e2e-step-'));
const db = join(dir, 'lab.sqlite');

const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
const text = async (selector: string) => (await page.locator(selector).first().innerText()).replace(/\s+/g, ' ').trim();
/** The raw [before, after] numbers of a row of the step's table. */
const values = async (row: string) => JSON.parse((await page.locator(`[data-testid="step-change"] tr[data-row="${row}"]`).getAttribute('data-values'))!) as (number | null)[];
/** A stored run's cost history, from `nnlab runs export --format json`. */
function storedCosts(id: number): number[] {
  const r = nnlab(['runs', 'export', String(id), '--format', 'json', '--db', db]);
  expect(r.status).toBe(0);
  return (JSON.parse(r.stdout) as { runs: { series: { cost: { data: number[] } } }[] }).runs[0].series.cost.data;
}

describe.skipIf(!run)(`step-through of a live run in a browser${run ? '' : ` (skipped: ${SKIP_NOTE})`}`, () => {
  withBrowserTarget(db, errors, (t) => {
    target = t;
    page = t.page;
  });

  it('starts a run paused, steps it 1 and 10 batches, each step listing what changed, and resumes it to done', async () => {
    await target.open();
    await page.click('[data-view="new"]');
    await page.fill('#field-batches', '300');
    await page.check('[data-field="paused"]');
    await page.click('[data-action="run"]');
    const step = page.locator('[data-testid="step-through"]');
    await page.waitForSelector('[data-testid="step-through"][data-state="paused"][data-batch="0"]', { timeout: 60_000 });
    await expect.poll(() => text('[data-testid="step-state"]'), { timeout: 10_000 }).toBe('Paused after batch 0 of 300.');
    // the network at batch 0, drawn from the paused weights
    const net = step.locator('[data-testid="network-view"]');
    await net.locator('[data-testid="network-batch"]').waitFor();
    expect(await text('[data-testid="step-through"] [data-testid="network-batch"]')).toBe('batch 0');
    expect(await net.locator('circle[data-unit]').count()).toBe(1 + 16 + 2);
    await shot('step-01-paused');

    // Step 1 batch from the keyboard: Tab from the Pause button (disabled while paused, so from the form's run button's neighbourhood: focus, then Enter)
    await step.locator('[data-action="step-1"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="step-through"][data-batch="1"]', { timeout: 30_000 });
    const change = page.locator('[data-testid="step-change"]');
    expect([await change.getAttribute('data-from'), await change.getAttribute('data-to')]).toEqual(['0', '1']);
    expect(await text('[data-testid="step-change"] tr[data-row="cost"]')).toMatch(/^cost of the last batch run – \(no batch yet\) [0-9.e−]+$/);
    const cost1 = await values('cost');
    const loss1 = await values('test-loss');
    expect(loss1.every((x) => typeof x === 'number')).toBe(true);
    // the largest changes: edges named, from → to; the seed's one sample moves some weights
    const rows = change.locator('[data-testid="step-weights"] tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    expect(await rows.first().locator('th').textContent()).toMatch(/^(bias of |x1 → |layer 1 unit \d+ → )/);
    expect(await text('[data-testid="step-change"] p.small')).toMatch(/^What changed from batch 0 to batch 1 \(1 batch trained\)/);
    expect(await text('[data-testid="step-units"]')).toMatch(/No hidden unit died or revived|Died: |Revived: /);
    expect(await text('[data-testid="step-through"] [data-testid="network-batch"]')).toBe('batch 1');
    await shot('step-02-step-1');

    await step.locator('[data-testid="step-batches"]').fill('10');
    await step.locator('[data-action="step-n"]').click();
    await page.waitForSelector('[data-testid="step-through"][data-batch="11"]', { timeout: 30_000 });
    expect([await change.getAttribute('data-from'), await change.getAttribute('data-to')]).toEqual(['1', '11']);
    expect(await text('[data-testid="step-change"] p.small')).toMatch(/^What changed from batch 1 to batch 11 \(10 batches trained\)/);
    const cost11 = await values('cost');
    expect(cost11[0]).toBe(cost1[1]);
    expect((await values('test-loss'))[0]).toBe(loss1[1]);
    // the network view keeps the paused points seen: 0, 1 and 11, the last shown
    expect(await text('[data-testid="step-through"] [data-testid="network-batch"]')).toBe('batch 11');
    expect(await text('[data-testid="step-through"] [data-testid="network-view"] label')).toContain('3 paused points of this run seen here');
    await step.scrollIntoViewIfNeeded();
    await shot('step-03-step-10');
    expect(await axeFindings(page)).toEqual([]);

    await step.locator('[data-action="resume"]').click();
    await page.waitForSelector('[data-testid="run-monitor"] [data-status="done"]', { timeout: 60_000 });
    expect(await page.locator('[data-testid="step-through"]').count()).toBe(0);
    // the costs the steps showed are the stored run's: batch 1's and batch 11's
    const costs = storedCosts(1);
    expect(costs).toHaveLength(300);
    expect([cost1[1], cost11[1]]).toEqual([costs[0], costs[10]]);
    await shot('step-04-done');
    expect(errors).toEqual([]);
  }, 180_000);

  it('pauses a run trained straight, steps it one batch, and cancels it', async () => {
    await target.open();
    await page.click('[data-view="new"]');
    expect(await page.isChecked('[data-field="paused"]')).toBe(false);
    await page.fill('#field-batches', '3000000');
    await page.click('[data-action="run"]');
    await page.waitForSelector('[data-testid="run-monitor"] #monitor-title:text("Run #")');
    const step = page.locator('[data-testid="step-through"]');
    await page.waitForSelector('[data-testid="step-through"][data-state="running"]', { timeout: 60_000 });
    await step.locator('[data-action="pause"]').click();
    await page.waitForSelector('[data-testid="step-through"][data-state="paused"]', { timeout: 30_000 });
    const at = Number(await step.getAttribute('data-batch'));
    expect(at).toBeGreaterThan(0);
    expect(await text('[data-testid="step-state"]')).toBe(`Paused after batch ${at} of 3000000.`);
    // the badge says so too (the store keeps the run running)
    await expect.poll(() => text('[data-testid="run-monitor"] [data-status="running"]')).toMatch(/^paused \d+ %$/);
    await step.locator('[data-action="step-1"]').click();
    await page.waitForSelector(`[data-testid="step-through"][data-batch="${at + 1}"]`, { timeout: 30_000 });
    expect(await text('[data-testid="step-change"] p.small')).toMatch(new RegExp(`^What changed from batch ${at} to batch ${at + 1} \\(1 batch trained\\)`));
    await shot('step-05-paused-mid-run');
    // Cancel from the keyboard: the keyboard stays in the monitor (the button goes when the run ends,
    // and the focus fell to the page's body, the next Tab starting over from the skip link)
    await page.focus('[data-action="cancel"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="run-monitor"] [data-status="cancelled"]', { timeout: 30_000 });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id ?? document.activeElement?.tagName)).toBe('monitor-title');
    expect(errors).toEqual([]);
  }, 120_000);
});
