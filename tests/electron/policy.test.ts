/**
 * electron/policy, electron/sweep-notice, electron/menu: the desktop app's decisions, tested
 * without the Electron binary (tests/app/electron.test.ts checks them in the real app where it runs).
 */
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LabEventWire } from '../../src-main/api/contract';
import { APP_COMMANDS } from '../../src-main/api/contract';
import { aboutText, menuTemplate } from '../../src-main/electron/menu';
import { allowedRequest, fitToDisplays, isOwnPage, opensExternally } from '../../src-main/electron/policy';
import { SweepNotifier } from '../../src-main/electron/sweep-notice';

const INDEX = pathToFileURL('/opt/nnlab/resources/app.asar/out/renderer/index.html').href;

describe('electron/policy', () => {
  it('lets only the app’s own page call the lab (the sender check)', () => {
    expect(isOwnPage(INDEX, INDEX)).toBe(true);
    expect(isOwnPage(`${INDEX}#/compare/1,2`, INDEX)).toBe(true);
    expect(isOwnPage(pathToFileURL('/opt/nnlab/resources/app.asar/out/renderer/other.html').href, INDEX)).toBe(false);
    expect(isOwnPage('file:///etc/passwd', INDEX)).toBe(false);
    for (const url of ['', 'about:blank', 'data:text/html,<p>', 'https://example.com/', 'devtools://devtools/bundled/inspector.html']) expect(isOwnPage(url, INDEX), url).toBe(false);
    // the dev server, only when it is the one electron-vite started
    expect(isOwnPage('http://localhost:5173/#/runs', INDEX, 'http://localhost:5173')).toBe(true);
    expect(isOwnPage('http://localhost:51730/', INDEX, 'http://localhost:5173')).toBe(false);
    expect(isOwnPage('http://localhost:5173/', INDEX)).toBe(false);
  });

  it('loads no remote content: local files, blobs and data only', () => {
    for (const url of [INDEX, 'blob:file:///1234', 'data:image/png;base64,AA', 'devtools://devtools/x']) expect(allowedRequest(url), url).toBe(true);
    for (const url of ['https://example.com/x.js', 'http://127.0.0.1:8080/', 'ws://example.com/', 'ftp://x/']) expect(allowedRequest(url), url).toBe(false);
    expect(allowedRequest('http://localhost:5173/src/main.ts', 'http://localhost:5173')).toBe(true);
  });

  it('opens only https links in the system browser', () => {
    expect(opensExternally('https://github.com/')).toBe(true);
    for (const url of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'not a url']) expect(opensExternally(url), url).toBe(false);
  });

  it('puts a remembered window back on a screen that exists', () => {
    const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(fitToDisplays({ x: 100, y: 80, width: 1280, height: 800, maximized: false }, screens)).toEqual({ x: 100, y: 80, width: 1280, height: 800, maximized: false });
    // the second monitor it was on is gone: centred instead
    expect(fitToDisplays({ x: 2500, y: 100, width: 1280, height: 800, maximized: false }, screens)).toEqual({ width: 1280, height: 800, maximized: false });
    // only a sliver would show
    expect(fitToDisplays({ x: 1880, y: 100, width: 1280, height: 800, maximized: false }, screens)).toEqual({ width: 1280, height: 800, maximized: false });
    // a window larger than any screen shrinks to fit; a left-hand monitor with negative x counts
    expect(fitToDisplays({ x: -1500, y: 0, width: 3000, height: 2000, maximized: true }, [...screens, { x: -1600, y: 0, width: 1600, height: 900 }])).toEqual({ x: -1500, y: 0, width: 1920, height: 1080, maximized: true });
  });
});

describe('electron/sweep-notice', () => {
  const queued = (runId: number, experimentId: number | null = 7): LabEventWire => ({ type: 'run/queued', runId, experimentId });
  const finished = (runId: number, status: 'done' | 'failed' | 'diverged' = 'done'): LabEventWire => ({ type: 'run/finished', runId, status, error: null });

  it('tells when a long sweep ends while the window is in the background, with what ended how', () => {
    const n = new SweepNotifier(10_000);
    for (const id of [1, 2, 3]) expect(n.onEvent(queued(id), 0, true)).toBeNull();
    expect(n.onEvent(finished(1), 5_000, false)).toBeNull();
    expect(n.onEvent(finished(2, 'diverged'), 9_000, false)).toBeNull();
    expect(n.onEvent(finished(3), 42_000, false)).toEqual({ experimentId: 7, title: 'nnlab: sweep finished', body: 'Experiment #7: 3 runs in 42 s (1 diverged).' });
  });

  it('says nothing for a short sweep, a sweep watched in the window, or a single run', () => {
    const n = new SweepNotifier(10_000);
    n.onEvent(queued(1), 0, false);
    expect(n.onEvent(finished(1), 3_000, false)).toBeNull(); // short
    n.onEvent(queued(2, 8), 0, false);
    expect(n.onEvent(finished(2), 60_000, true)).toBeNull(); // the window is in front
    n.onEvent(queued(3, null), 0, false);
    expect(n.onEvent(finished(3), 60_000, false)).toBeNull(); // not a sweep
  });
});

describe('electron/menu', () => {
  const seen: string[] = [];
  const on = { command: (c: string) => seen.push(`command:${c}`), main: (a: string) => seen.push(`main:${a}`) };

  it('has File (new run, open comparison, import data, export), Edit, View (zoom, theme), Window and Help (about) with shortcuts', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const menu = menuTemplate(platform, on, { importData: false });
      const labels = menu.map((m) => m.label ?? m.role);
      expect(labels).toEqual([...(platform === 'darwin' ? ['nnlab'] : []), '&File', 'editMenu', '&View', 'windowMenu', 'help']);
      const file = menu.find((m) => m.label === '&File')!.submenu as { label?: string; accelerator?: string; enabled?: boolean; click?: () => void }[];
      const byLabel = (l: string) => file.find((i) => i.label === l)!;
      expect(byLabel('New Run').accelerator).toBe('CmdOrCtrl+N');
      expect(byLabel('Open Comparison…').accelerator).toBe('CmdOrCtrl+O');
      expect(byLabel('Import Data…').enabled).toBe(false);
      expect(byLabel('Export Runs…').accelerator).toBe('CmdOrCtrl+E');
      const view = (menu.find((m) => m.label === '&View')!.submenu as { role?: string; label?: string }[]).map((i) => i.role ?? i.label);
      expect(view).toEqual(expect.arrayContaining(['zoomIn', 'zoomOut', 'resetZoom', 'Toggle Theme (system, light, dark)']));
      const about = platform === 'darwin' ? (menu[0].submenu as { label?: string }[]) : (menu.find((m) => m.role === 'help')!.submenu as { label?: string }[]);
      expect(about.some((i) => i.label === 'About nnlab')).toBe(true);
    }
  });

  it('sends only commands the page knows', () => {
    seen.length = 0;
    const walk = (items: unknown[]): void => {
      for (const i of items as { click?: () => void; submenu?: unknown[] }[]) {
        i.click?.();
        if (Array.isArray(i.submenu)) walk(i.submenu);
      }
    };
    walk(menuTemplate('linux', on, { importData: true }));
    const commands = seen.filter((s) => s.startsWith('command:')).map((s) => s.slice(8));
    for (const c of commands) expect(APP_COMMANDS as readonly string[]).toContain(c);
    expect(seen).toContain('main:about');
    expect(seen).toContain('main:export-runs');
  });

  it('writes the versions in the about box', () => {
    expect(aboutText('0.1.0', { electron: '45.5.0', chrome: '142.0', node: '22.20.0', v8: '14.2' }, '/home/ada/.config/nnlab/nnlab.sqlite')).toBe(
      'nnlab 0.1.0\nElectron 45.5.0, Chromium 142.0, Node 22.20.0, V8 14.2\nDatabase: /home/ada/.config/nnlab/nnlab.sqlite\nOn the command line: nnlab --help',
    );
  });
});
