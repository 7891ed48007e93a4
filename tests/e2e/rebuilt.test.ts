/**
 * nnlab updated or rebuilt while `nnlab serve` runs (`git pull && npm install` builds out/ again),
 * in Chromium against a real server whose page files change under it, as they do on disk:
 * - a tab opened before: a view whose code is gone says so and offers a reload, not a blank view;
 * - a reloaded tab (the new page) against the server still running the old code: the whole page
 *   says to start `nnlab serve` again, instead of the old API refusing the new page's requests
 *   ("unknown field") as if the user's input were wrong.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabServer, type LabServer } from '../../src-main/server/http';
import { pageEntryOf } from '../../src-main/api/page-build';
import { createTestLab, type TestLab } from '../helpers/lab';
import { HAVE_CHROMIUM, launchBrowser, MUST_RUN, ROOT, SCREENSHOTS, SKIP_NOTE } from './browser';

const run = HAVE_CHROMIUM || MUST_RUN;
if (!run) describe.skip(`a rebuild under a running nnlab serve (skipped: ${SKIP_NOTE})`, () => it('runs', () => {}));

describe.runIf(run)('e2e: nnlab rebuilt while nnlab serve runs (Chromium)', () => {
  // the server's page files: a copy of the build, changed by the tests as a rebuild would
  const staticDir = join(mkdtempSync(join(tmpdir(), 'nnlab-e2e-rebuilt-')), 'renderer');
  let t: TestLab;
  let server: LabServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    cpSync(join(ROOT, 'out/renderer'), staticDir, { recursive: true });
    t = createTestLab();
    server = await startLabServer({ lab: t.lab, staticDir, database: t.file });
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="running-indicator"]');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await t?.close();
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('says a view whose code is gone from the server could not be loaded, and offers a reload', async () => {
    const assets = join(staticDir, 'assets');
    const dataChunk = readdirSync(assets).find((f) => /^DataView-.*\.js$/.test(f));
    expect(dataChunk, 'the Data view is a chunk of its own').toBeDefined();
    rmSync(join(assets, dataChunk!));
    await page.click('#tab-data');
    const failed = page.locator('[data-testid="view-load-failed"]');
    await failed.waitFor({ timeout: 30_000 });
    expect(await failed.textContent()).toMatch(/This view’s code could not be loaded.*If nnlab was updated or rebuilt since this page was opened, reload the page/s);
    expect(await page.locator('[data-testid="view-load-failed"] button').textContent()).toBe('Reload the page');
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuilt-view-load-failed.png') });
  }, 60_000);

  it('tells a page of the new build, talking to the server of the old one, to start nnlab serve again', async () => {
    // the rebuild's new entry script (another content hash) in the page the server sends from now on
    const index = join(staticDir, 'index.html');
    const html = readFileSync(index, 'utf8');
    const old = pageEntryOf(html)!;
    const rebuilt = old.replace(/^index-/, 'index-R3b');
    cpSync(join(staticDir, 'assets', old), join(staticDir, 'assets', rebuilt));
    writeFileSync(index, html.replace(old, rebuilt));
    await page.reload();
    const fatal = page.locator('[data-testid="fatal"]');
    await fatal.waitFor({ timeout: 30_000 });
    expect(await fatal.textContent()).toMatch(/another build of nnlab than the running “nnlab serve”.*start it again, and open the URL it prints/);
    expect(await page.locator('.shell').count(), 'the app is replaced, not shown beside the message').toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'rebuilt-stale-server.png') });
  }, 60_000);
});
