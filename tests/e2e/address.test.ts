/**
 * A view's address in browser mode (issue 17, "links copied from the app open the same view in
 * nnlab serve"), in Chromium against a real `nnlab serve`: the token arrives once in the printed
 * URL and leaves the address bar; the address a person then copies (no token in it) opens the same
 * view in another tab of the browser. A browser that never had the token is told to open the
 * printed URL with the view's hash after it; a kept token the server no longer takes (serve was
 * started again) is dropped and the page says what to do, instead of every request failing.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nnlab } from '../helpers/cli';
import { HAVE_CHROMIUM, MUST_RUN, SKIP_NOTE } from './browser';
import { type BrowserTarget, withBrowserTarget } from './target';

const run = HAVE_CHROMIUM || MUST_RUN;
if (!run) describe.skip(`addresses in browser mode (skipped: ${SKIP_NOTE})`, () => it('runs', () => {}));

const db = join(mkdtempSync(join(tmpdir(), 'nnlab-e2e-address-')), 'lab.sqlite');
const pageErrors: string[] = [];
let target: BrowserTarget;

describe.runIf(run)('e2e: addresses in browser mode (Chromium against nnlab serve)', () => {
  const made = nnlab(['sweep', '--activation', 'relu,tanh', '--batches', '200', '--db', db]);
  expect(made.status, made.stderr).toBe(0);
  withBrowserTarget(db, pageErrors, (t) => (target = t));

  it('opens an address copied from the address bar (no token in it) in another tab', async () => {
    await target.open('#/runs?q=activation%20%3D%20tanh');
    const copied = await target.page.evaluate(() => location.href);
    expect(copied).toBe(`${target.server.origin}/#/runs?q=activation%20%3D%20tanh`);
    const tab = await target.page.context().newPage();
    try {
      await tab.goto(copied);
      await tab.waitForSelector('[data-testid="runs-count"], [data-testid="fatal"]', { timeout: 30_000 });
      expect(await tab.locator('[data-testid="fatal"]').count()).toBe(0);
      expect(await tab.inputValue('#runs-query')).toBe('activation = tanh');
      await expect.poll(() => tab.locator('[data-testid="runs-count"]').textContent(), { timeout: 30_000 }).toMatch(/^\s*1 of 2 runs match/);
      await tab.goto(`${target.server.origin}/#/compare?experiment=1&y=lin`);
      await tab.waitForSelector('[data-testid="compare-count"]', { timeout: 60_000 });
      await expect.poll(() => tab.locator('[data-testid="compare-count"]').textContent(), { timeout: 60_000 }).toMatch(/2 runs in 2 configurations/);
      expect(await tab.isChecked('[data-control="log-y"]')).toBe(false);
    } finally {
      await tab.close();
    }
  }, 180_000);

  it('says of a comparison address which entries are no run’s number and which runs the lab has not, and compares the rest', async () => {
    // found by trying (session 9): #/compare/1,abc,999 compared #1 and said nothing of “abc”
    await target.open('#/compare/1,abc,999');
    const page = target.page;
    await expect.poll(() => page.locator('[data-testid="compare-missing"]').textContent(), { timeout: 60_000 }).toBe('The address asks for run “abc”, which is no run’s number: it is left out. This lab has no run #999: it is left out.');
    await expect.poll(() => page.locator('[data-testid="compare-count"]').textContent(), { timeout: 60_000 }).toMatch(/1 run in 1 configuration/);
  }, 180_000);

  it('tells a browser without the token to open the printed URL with the view after it', async () => {
    const bare = await target.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const p = await bare.newPage();
      await p.goto(`${target.server.origin}/#/compare?experiment=1`);
      const fatal = (await p.textContent('[data-testid="fatal"]')) ?? '';
      expect(fatal).toMatch(/needs the access token/);
      expect(fatal).toContain('#/compare?experiment=1');
    } finally {
      await bare.close();
    }
  }, 60_000);

  it('drops a kept token the server does not take, and says what to do', async () => {
    const bare = await target.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const p = await bare.newPage();
      await p.goto(`${target.server.origin}/#/runs`);
      await p.evaluate(() => localStorage.setItem('nnlab.token', 'a-token-of-an-earlier-server'));
      await p.goto('about:blank');
      await p.goto(`${target.server.origin}/#/runs`);
      await p.waitForSelector('[data-testid="fatal"]', { timeout: 30_000 });
      expect(await p.textContent('[data-testid="fatal"]')).toMatch(/needs the access token/);
      expect(await p.evaluate(() => localStorage.getItem('nnlab.token'))).toBeNull();
    } finally {
      await bare.close();
    }
  }, 60_000);

  it('says the New run page is busy while its form’s defaults load', async () => {
    const page = target.page;
    let release!: () => void;
    const held = new Promise<void>((done) => (release = done));
    await page.route('**/api/spec/defaults', async (route) => {
      await held;
      await route.continue().catch(() => undefined);
    });
    try {
      await target.open('#/new');
      await page.waitForSelector('text=Loading the spec defaults…');
      expect(await page.getAttribute('main', 'aria-busy')).toBe('true');
      release();
      await page.waitForSelector('main[aria-busy="false"] [data-view="new"], main[data-view="new"][aria-busy="false"]', { timeout: 30_000 });
      expect(await page.locator('text=Loading the spec defaults…').count()).toBe(0);
    } finally {
      release();
      await page.unroute('**/api/spec/defaults');
    }
  }, 120_000);

  it('says the New run page is busy while its init preview is fetched, and the Data view while its list loads (not “no data sets” meanwhile)', async () => {
    // failed before: aria-busy false under the preview's “updating…” and under the data sets' fetch (which said “No data sets yet”)
    const page = target.page;
    const hold = async (path: string) => {
      let release!: () => void;
      const held = new Promise<void>((done) => (release = done));
      await page.route(`**/api/${path}`, async (route) => {
        await held;
        await route.continue().catch(() => undefined);
      });
      return { release: () => release(), stop: () => page.unroute(`**/api/${path}`) };
    };
    await target.open('#/new');
    await page.waitForSelector('main[data-view="new"][aria-busy="false"] [data-testid="init-preview"] [data-layer="hidden"]', { timeout: 30_000 });
    const preview = await hold('spec/preview');
    try {
      await page.fill('#field-learningRate', '0.2');
      await page.waitForSelector('[data-testid="init-preview"] >> text=updating…', { timeout: 30_000 });
      expect(await page.getAttribute('main', 'aria-busy')).toBe('true');
      preview.release();
      await page.waitForSelector('main[data-view="new"][aria-busy="false"]', { timeout: 30_000 });
      expect(await page.locator('[data-testid="init-preview"] >> text=updating…').count()).toBe(0);
    } finally {
      preview.release();
      await preview.stop();
    }
    const list = await hold('datasets/list');
    try {
      await target.open('#/data');
      await page.waitForSelector('[data-testid="datasets-loading"]', { timeout: 30_000 });
      expect(await page.getAttribute('main', 'aria-busy')).toBe('true');
      expect(await page.locator('[data-testid="no-datasets"]').count()).toBe(0);
      list.release();
      await page.waitForSelector('main[data-view="data"][aria-busy="false"] [data-testid="no-datasets"]', { timeout: 30_000 });
    } finally {
      list.release();
      await list.stop();
    }
  }, 120_000);

  it('copies a link to the view with “Copy link” that opens the same view in another tab, and the app’s #/… after the printed URL does too', async () => {
    // failed before: there was no Copy link control (the desktop app had no way to copy its view's address)
    const page = target.page;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: target.server.origin });
    await target.open('#/compare?experiment=1&y=lin&mode=runs');
    await page.waitForSelector('[data-testid="compare-count"]', { timeout: 60_000 });
    await page.click('[data-action="copy-link"]');
    await expect.poll(() => page.textContent('[data-testid="copy-link-status"]')).toMatch(/Copied the link to this view/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(`${target.server.origin}/#/compare?experiment=1&y=lin&mode=runs`);
    expect(copied).not.toContain(target.server.token);
    const tab = await page.context().newPage();
    try {
      await tab.goto(copied);
      await expect.poll(() => tab.locator('[data-testid="compare-count"]').textContent(), { timeout: 60_000 }).toMatch(/2 runs in 2 configurations/);
      expect(await tab.isChecked('[data-control="log-y"]')).toBe(false);
      expect(await tab.evaluate(() => location.hash)).toBe('#/compare?experiment=1&y=lin&mode=runs');
    } finally {
      await tab.close();
    }
    // what the desktop app copies is the view's #/… (tests/renderer/components/CopyLink.test.ts): after the URL serve prints, in a browser that never had the token
    const bare = await target.browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const p = await bare.newPage();
      await p.goto(`${target.server.url}#/compare?experiment=1&y=lin&mode=runs`);
      await expect.poll(() => p.locator('[data-testid="compare-count"]').textContent(), { timeout: 60_000 }).toMatch(/2 runs in 2 configurations/);
      expect(await p.isChecked('[data-control="log-y"]')).toBe(false);
      expect(await p.evaluate(() => location.hash)).toBe('#/compare?experiment=1&y=lin&mode=runs');
    } finally {
      await bare.close();
    }
  }, 180_000);

  it('logged no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
