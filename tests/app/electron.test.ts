/**
 * Electron-only checks: the real app window, its preload surface, CSP and navigation blocking.
 * They need the Electron binary, which cannot be downloaded on every machine (not on the CI
 * machines of this project): there they skip with the reason, and the same renderer and API are
 * tested in a real browser through `nnlab serve` (tests/e2e).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';

function electronBinary(): string | null {
  const pathFile = join(ROOT, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

const bin = electronBinary();
const nativeBuilt = existsSync(join(ROOT, 'native/electron/better_sqlite3.node'));
const reason = !bin
  ? 'no Electron binary in node_modules/electron/dist (its download failed); npm start falls back to browser mode'
  : 'no Electron-ABI better-sqlite3 yet: run npm run electron:native';

describe.skipIf(!bin || !nativeBuilt)(`electron app${!bin || !nativeBuilt ? ` (skipped: ${reason})` : ''}`, () => {
  it('opens a sandboxed window whose page sees only the lab client, under a strict CSP, and cannot navigate away', async () => {
    const { _electron } = await import('playwright-core');
    const userData = mkdtempSync(join(tmpdir(), 'nnlab-electron-'));
    const app = await _electron.launch({ executablePath: bin!, args: [ROOT, `--user-data-dir=${userData}`] });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      // page-side code as strings: it runs in the window, not under this file's (Node) types
      const surface = await page.evaluate('({ keys: Object.keys(window.nnlab).sort(), require: typeof require, process: typeof process })');
      expect(surface).toEqual({ keys: ['call', 'onEvent'], require: 'undefined', process: 'undefined' });
      // the bridge answers with data (an ApiResult); the page's ipcClient rebuilds errors from it
      const status = (await page.evaluate("window.nnlab.call('lab/status', {})")) as { ok: boolean; value: { version: string } };
      expect(status.ok).toBe(true);
      expect(status.value.version).toMatch(/^\d+\.\d+\.\d+/);
      const refused = (await page.evaluate("window.nnlab.call('runs/start', { spec: { learningRate: -1 } })")) as { ok: boolean; error: { name: string; field?: string } };
      expect(refused).toMatchObject({ ok: false, error: { name: 'SpecError', field: 'learningRate' } });
      const blockedInline = await page.evaluate(
        "(() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.head.appendChild(s); return window.__inline === undefined; })()",
      );
      expect(blockedInline).toBe(true);
      const before = page.url();
      await page.evaluate("window.location.href = 'https://example.com/'");
      await page.waitForTimeout(500);
      expect(page.url()).toBe(before);
    } finally {
      await app.close();
    }
  });
});
