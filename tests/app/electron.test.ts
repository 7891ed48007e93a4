/**
 * The desktop app itself, where the Electron binary exists (users' machines and the GitHub
 * desktop workflow, which sets NNLAB_REQUIRE_ELECTRON=1 so these cannot skip there): the same
 * end-to-end scenarios as browser mode (tests/e2e/scenarios.ts) through Playwright's `_electron`
 * and the IPC transport, and what only the desktop has — the preload's surface and its errors as
 * data, the sender check, the trainer utility processes, the Electron build of better-sqlite3,
 * the menu, the single-instance lock, the remembered window, the save dialog for exports, and
 * closing the window with a sweep running. Where the binary is missing (this project's machines
 * cannot download it) they skip with the reason.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labScenarios } from '../e2e/scenarios';
import { ELECTRON_NATIVE, electronBinary, electronMissing, electronTarget, type ElectronTarget } from '../e2e/target';
import { ROOT } from '../helpers/cli';

const missing = electronMissing();

if (missing) {
  describe.skip(`electron app (skipped: ${missing})`, () => {
    it('runs the end-to-end scenarios and the desktop-only checks', () => {});
  });
} else {
  labScenarios('electron app: the end-to-end scenarios', 'electron', () => electronTarget());

  describe('electron app: what only the desktop has', () => {
    let t: ElectronTarget;
    beforeAll(async () => {
      t = await electronTarget();
    });
    afterAll(async () => {
      await t?.close();
    });

    it('opens a sandboxed window whose page sees only call and onEvent, under a strict CSP, and cannot navigate away', async () => {
      const { page } = t;
      // page-side code as strings: it runs in the window, not under this file's (Node) types
      const surface = await page.evaluate('({ keys: Object.keys(window.nnlab).sort(), require: typeof require, process: typeof process })');
      expect(surface).toEqual({ keys: ['call', 'onEvent'], require: 'undefined', process: 'undefined' });
      const blockedInline = await page.evaluate("(() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.head.appendChild(s); return window.__inline === undefined; })()");
      expect(blockedInline).toBe(true);
      const before = page.url();
      await page.evaluate("window.location.href = 'https://example.com/'");
      await page.evaluate("window.open('https://example.com/')");
      expect(page.url()).toBe(before);
      expect(t.app.windows()).toHaveLength(1);
      const sandboxed = await t.app.evaluate(({ BrowserWindow }) => {
        const prefs = (BrowserWindow.getAllWindows()[0].webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
        return { sandbox: prefs.sandbox, contextIsolation: prefs.contextIsolation, nodeIntegration: prefs.nodeIntegration };
      });
      expect(sandboxed).toEqual({ sandbox: true, contextIsolation: true, nodeIntegration: false });
    });

    it('answers calls with results as data across contextBridge: an error keeps its name and field', async () => {
      const status = (await t.page.evaluate("window.nnlab.call('lab/status', {})")) as { ok: boolean; value: { version: string; desktop: boolean } };
      expect(status.ok).toBe(true);
      expect(status.value.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(status.value.desktop).toBe(true);
      const refused = await t.page.evaluate("window.nnlab.call('runs/start', { spec: { shape: [2, 16, 2] } })");
      expect(refused).toMatchObject({ ok: false, error: { name: 'SpecError', field: 'shape' } });
      const unknown = await t.page.evaluate("window.nnlab.call('runs/get', { id: 999999 })");
      expect(unknown).toMatchObject({ ok: false, error: { name: 'NotFoundError' } });
    });

    it('refuses calls from any page but its own (the sender check)', async () => {
      const answer = await t.app.evaluate(async ({ BrowserWindow }, preload) => {
        const w = new BrowserWindow({ show: false, webPreferences: { preload, sandbox: true, contextIsolation: true } });
        await w.loadURL('data:text/html,<p>not nnlab</p>');
        const r = await w.webContents.executeJavaScript("window.nnlab.call('lab/status', {})");
        w.destroy();
        return r;
      }, join(ROOT, 'out/preload/index.js'));
      expect(answer).toMatchObject({ ok: false, error: { name: 'ForbiddenError' } });
    });

    it('trains in utility processes and stores the run with the Electron build of better-sqlite3', async () => {
      const started = (await t.page.evaluate("window.nnlab.call('runs/start', { spec: {} })")) as { ok: true; value: { runId: number } };
      const id = started.value.runId;
      let run: { status: string; kernel: string } | undefined;
      for (;;) {
        const r = (await t.page.evaluate(`window.nnlab.call('runs/get', { id: ${id} })`)) as { ok: true; value: { run: { status: string; kernel: string } } };
        run = r.value.run;
        if (run.status !== 'queued' && run.status !== 'running') break;
        await t.page.waitForTimeout(50);
      }
      expect(run).toMatchObject({ status: 'done', kernel: 'wasm-simd-f64' });
      const utility = await t.app.evaluate(({ app }) => app.getAppMetrics().filter((m) => m.type === 'Utility' && m.serviceName === 'nnlab trainer').length);
      expect(utility).toBeGreaterThanOrEqual(1);
      // the driver this app loaded is the Electron-ABI copy, stamped with this Electron's version
      const versions = await t.app.evaluate(() => process.versions.electron);
      expect(readFileSync(join(ROOT, 'native/electron', process.arch, 'electron-version.txt'), 'utf8').trim()).toBe(versions);
      expect(existsSync(ELECTRON_NATIVE)).toBe(true);
    });

    it('has the menu, whose New Run opens the form; exports go through a save dialog in Documents', async () => {
      const labels = await t.app.evaluate(({ Menu }) => Menu.getApplicationMenu()!.items.map((i) => i.label.replace('&', '')));
      expect(labels).toEqual(expect.arrayContaining(['File', 'Edit', 'View', 'Window', 'Help']));
      await t.app.evaluate(({ Menu }) => {
        const file = Menu.getApplicationMenu()!.items.find((i) => i.label.replace('&', '') === 'File')!;
        file.submenu!.items.find((i) => i.label === 'New Run')!.click();
      });
      await t.page.waitForSelector('main[data-view="new"]');
      const dialogs = await t.saveDialogs();
      for (const d of dialogs) expect(d.defaultPath).toContain(await t.app.evaluate(({ app }) => app.getPath('documents')));
    });
  });

  describe('electron app: its lifetime', () => {
    it('keeps one instance: a second launch hands over and exits', async () => {
      const t = await electronTarget();
      try {
        const second = spawn(electronBinary()!, [ROOT, `--user-data-dir=${t.userData}`], { stdio: 'ignore' });
        const code = await new Promise<number | null>((done) => second.once('exit', done));
        expect(code).toBe(0);
        expect(t.app.windows()).toHaveLength(1);
      } finally {
        await t.close();
      }
    });

    it('remembers the window’s size and position', async () => {
      const t = await electronTarget();
      // a place inside this screen's work area (the runners' screens differ: 1024×768 on Windows), at least the minimum size
      await t.app.evaluate(({ BrowserWindow, screen }) => {
        const wa = screen.getPrimaryDisplay().workArea;
        BrowserWindow.getAllWindows()[0].setBounds({ x: wa.x + 20, y: wa.y + 20, width: Math.max(960, Math.min(1000, wa.width - 40)), height: Math.max(640, Math.min(680, wa.height - 40)) });
      });
      const before = await t.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].getBounds());
      await t.close();
      const again = await electronTarget({ userData: t.userData });
      try {
        const after = await again.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].getBounds());
        expect({ width: after.width, height: after.height }).toEqual({ width: before.width, height: before.height });
        expect({ x: after.x, y: after.y }).toEqual({ x: before.x, y: before.y });
      } finally {
        await again.close();
      }
    });

    it('closing the window with a sweep running ends every run and trainer process, and the database is whole', async () => {
      const t = await electronTarget();
      const started = (await t.page.evaluate("window.nnlab.call('sweeps/start', { sweep: { base: { batches: 200000 }, grid: { activation: ['relu', 'sigmoid'] }, replicates: 5 } })")) as {
        ok: boolean;
        value: { runIds: number[] };
      };
      expect(started.ok).toBe(true);
      for (;;) {
        const r = (await t.page.evaluate("window.nnlab.call('lab/status', {})")) as { value: { running: number } };
        if (r.value.running > 0) break;
        await t.page.waitForTimeout(50);
      }
      const pids = await t.app.evaluate(({ app }) => app.getAppMetrics().filter((m) => m.type === 'Utility' && m.serviceName === 'nnlab trainer').map((m) => m.pid));
      expect(pids.length).toBeGreaterThanOrEqual(1);
      const closed = new Promise<void>((done) => t.app.process().once('exit', () => done()));
      await t.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0].close());
      await closed;
      for (const pid of pids) expect(() => process.kill(pid, 0), `trainer process ${pid} outlived the app`).toThrow();
      const db = new Database(join(t.userData, 'nnlab.sqlite'), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const open = db.prepare("SELECT count(*) AS n FROM runs WHERE status IN ('queued', 'running')").get() as { n: number };
        expect(open.n).toBe(0);
        expect((db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n).toBe(started.value.runIds.length);
      } finally {
        db.close();
      }
    });
  });
}
