/**
 * Where the end-to-end scenarios run (tests/e2e/scenarios.ts): a LabTarget is a page of the lab
 * plus the few things that differ between browser mode and the desktop app — opening a route,
 * saving an export (a browser download, or the file Electron's save dialog would write) — so one
 * set of scenarios runs against both. browserTarget: Chromium against a real `nnlab serve`;
 * electronTarget: the real Electron app through Playwright's `_electron`, where its binary exists.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import type { Browser, BrowserContext, Download, ElectronApplication, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, ROOT, type Served, serve } from './browser';
import { isNativeBinary } from '../helpers/native';

export interface SavedFile {
  name: string;
  data: Buffer;
}

export interface LabTarget {
  readonly kind: 'browser' | 'electron';
  readonly page: Page;
  /** Screenshot names get this in front (the desktop's do not overwrite the browser's). */
  readonly shotPrefix: string;
  /** Loads the app afresh at a route ('#/runs', '#/compare/1,2'; '' for the start). */
  open(route?: string): Promise<void>;
  /** Runs an export action and returns the file the user gets. */
  saveExport(action: () => Promise<void>): Promise<SavedFile>;
  close(): Promise<void>;
}

/** Messages the page logged that the scenarios treat as failures (console errors and warnings, page errors). */
export function collectPageErrors(page: Page, into: string[]): void {
  page.on('pageerror', (e) => into.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // a refused spec is a 400 with the error as data: the browser logs the status, the form shows the error
    if (/status of 400/.test(m.text())) return;
    // so is the init preview's 409 where it has none to draw (Fashion-MNIST's 784 inputs): the preview says why
    if (/status of 409/.test(m.text()) && m.location().url.endsWith('/api/spec/preview')) return;
    if (m.type() === 'error' || m.type() === 'warning') into.push(`console.${m.type()}: ${m.text()}`);
  });
}

const AXE = () => readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings on the page as it stands (at most 3 nodes a rule), each a line. */
export async function axeFindings(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE());
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[]; failureSummary?: string }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.slice(0, 3).map((n) => `${v.impact} ${v.id}: ${n.target.join(' ')} — ${(n.failureSummary ?? '').split('\n').slice(1, 2).join('').trim()}`));
  });
}

export interface BrowserTarget extends LabTarget {
  readonly kind: 'browser';
  readonly browser: Browser;
  readonly server: Served;
  /** Stops `nnlab serve` and starts it again on the same database. */
  restartServer(): Promise<void>;
}

/**
 * A describe block's browser target on `db` (call it inside the describe): `nnlab serve` and
 * Chromium started before its tests (after the block's own earlier beforeAll, e.g. its runs made
 * with the CLI), the page's errors collected into `errors`, and everything closed after. `ready`
 * receives the target, for the file's `target` and `page`.
 */
export function withBrowserTarget(db: string, errors: string[], ready: (target: BrowserTarget) => void): void {
  let target: BrowserTarget | undefined;
  beforeAll(async () => {
    target = await browserTarget(db);
    collectPageErrors(target.page, errors);
    ready(target);
  });
  afterAll(async () => {
    await target?.close();
  });
}

/**
 * NNLAB_E2E_CPU_THROTTLE=N slows the page's CPU N times (Chrome DevTools' CPU throttling), to run a
 * scenario as it runs on a loaded machine: a test whose budget is too tight for its work fails
 * here as it would under a full run at load 20 (tests/e2e/table.test.ts's budget was found so).
 */
async function throttle(page: Page): Promise<void> {
  const rate = Number(process.env.NNLAB_E2E_CPU_THROTTLE ?? 1);
  if (!(rate > 1)) return;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

/** Runs `step`, and writes on stderr what it is waiting for once it has taken 10 s (with `detail`, e.g. the server's stderr). */
async function slowly(what: string, step: () => Promise<void>, detail?: () => string): Promise<void> {
  const started = Date.now();
  const timer = setInterval(() => process.stderr.write(`e2e: still ${what} after ${Math.round((Date.now() - started) / 1000)} s${detail ? `; its stderr so far:\n${detail()}` : ''}\n`), 10_000);
  try {
    await step();
  } finally {
    clearInterval(timer);
  }
}

export async function browserTarget(db: string): Promise<BrowserTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-e2e-saved-'));
  const browser = await launchBrowser();
  let server = await serve(db);
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, colorScheme: 'light' });
  const page = await context.newPage();
  await throttle(page);
  let opened = false;
  return {
    kind: 'browser',
    page,
    browser,
    shotPrefix: '',
    get server() {
      return server;
    },
    async open(route = '') {
      // a new document every time (going to the same page with another hash would only change the
      // hash); the first load carries the token (the page keeps it and clears it from the address bar)
      if (opened) await page.goto('about:blank');
      await page.goto(opened ? `${server.origin}/${route}` : `${server.url}${route}`);
      opened = true;
      await page.waitForSelector('[data-testid="running-indicator"]');
    },
    async restartServer() {
      await server.stop();
      server = await serve(db);
      opened = false;
    },
    async saveExport(action) {
      const [d] = (await Promise.all([page.waitForEvent('download'), action()])) as [Download, void];
      const file = join(dir, d.suggestedFilename());
      await d.saveAs(file);
      return { name: d.suggestedFilename(), data: readFileSync(file) };
    },
    async close() {
      // each step named if it is slow: an afterAll that timed out once in CI (flow.test.ts, 120 s)
      // said nothing of which of the three it waited for
      await slowly('closing the browser context', () => context.close());
      await slowly('closing the browser', () => browser.close());
      await slowly('stopping nnlab serve', () => server.stop(), () => server.stderr());
    },
  };
}

// ---- the desktop app --------------------------------------------------------------------------

/** The Electron binary npm installed, or null (its download failed, as on this project's machines). */
export function electronBinary(): string | null {
  const pathFile = join(ROOT, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

export const ELECTRON_NATIVE = join(ROOT, 'native/electron', process.arch, 'better_sqlite3.node');

/** Why the Electron tests cannot run here, or null. NNLAB_REQUIRE_ELECTRON=1 turns a reason into a failure. */
export function electronMissing(): string | null {
  const why = !electronBinary()
    ? 'no Electron binary in node_modules/electron/dist (its download failed: this machine cannot reach Electron’s release files); the same scenarios run in Chromium against nnlab serve (tests/e2e)'
    : !isNativeBinary(ELECTRON_NATIVE)
      ? 'no Electron-ABI better-sqlite3 yet: run npm run electron:native'
      : null;
  if (why && process.env.NNLAB_REQUIRE_ELECTRON === '1') throw new Error(`NNLAB_REQUIRE_ELECTRON=1, and ${why}`);
  return why;
}

export interface ElectronTarget extends LabTarget {
  readonly kind: 'electron';
  readonly app: ElectronApplication;
  readonly userData: string;
  /** What the app's own will-download listener asked of the save dialog, per export. */
  saveDialogs(): Promise<{ title?: string; defaultPath?: string }[]>;
}

interface SavedInMain {
  name: string;
  path: string;
  state: string;
  dialog: { title?: string; defaultPath?: string };
}

/**
 * Launches the built app (out/) with a fresh user-data folder. Exports: the app's own listener
 * sets the save dialog's options; a second listener, added here in the main process, gives each
 * download a path in a temp folder instead of showing the dialog, and records it.
 */
export async function electronTarget(options: { userData?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ElectronTarget> {
  const { _electron } = await import('playwright-core');
  const userData = options.userData ?? mkdtempSync(join(tmpdir(), 'nnlab-electron-'));
  const saveDir = mkdtempSync(join(tmpdir(), 'nnlab-electron-saved-'));
  const app = await _electron.launch({ executablePath: electronBinary()!, args: [ROOT, `--user-data-dir=${userData}`], env: { ...process.env, ...options.env } as Record<string, string> });
  const page = await app.firstWindow();
  await page.waitForSelector('[data-testid="running-indicator"]');
  await app.evaluate(
    ({ session }, { dir, sep }) => {
      const g = globalThis as unknown as { __nnlabSaved: SavedInMain[] };
      g.__nnlabSaved = [];
      session.defaultSession.on('will-download', (_e, item) => {
        const entry: SavedInMain = { name: item.getFilename(), path: dir + sep + item.getFilename(), state: 'progressing', dialog: item.getSaveDialogOptions() };
        item.setSavePath(entry.path);
        item.once('done', (_d, state) => (entry.state = state));
        g.__nnlabSaved.push(entry);
      });
    },
    { dir: saveDir, sep },
  );
  const saved = () => app.evaluate(() => (globalThis as unknown as { __nnlabSaved: SavedInMain[] }).__nnlabSaved);
  return {
    kind: 'electron',
    app,
    page,
    userData,
    shotPrefix: 'electron-',
    async open(route = '') {
      await page.evaluate((r) => {
        location.hash = r;
      }, route);
      await page.reload();
      await page.waitForSelector('[data-testid="running-indicator"]');
    },
    async saveExport(action) {
      const before = (await saved()).length;
      await action();
      let entry: SavedInMain | undefined;
      for (;;) {
        const all = await saved();
        entry = all[before];
        if (entry && entry.state !== 'progressing') break;
        await page.waitForTimeout(50);
      }
      if (entry.state !== 'completed') throw new Error(`the export ${entry.name} ended ${entry.state}`);
      return { name: entry.name, data: readFileSync(entry.path) };
    },
    saveDialogs: async () => (await saved()).map((s) => s.dialog),
    close: () => app.close(),
  };
}
