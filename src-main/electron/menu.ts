/**
 * The application menu as a template: the platform's usual roles (app menu on macOS, Edit with
 * undo/cut/copy/paste, View with zoom and full screen, Window) plus nnlab's commands with their
 * shortcuts. Pure apart from the type-only electron import, so its shape is tested without the
 * binary; the commands are carried out by `run` (src-main/index.ts).
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../api/contract';

/** Menu-only actions the main process does itself, beside the renderer's AppCommands. */
export type MainAction = 'export-runs' | 'about';

export interface MenuHandlers {
  command(c: AppCommand): void;
  main(a: MainAction): void;
}

export function menuTemplate(platform: NodeJS.Platform, on: MenuHandlers, options: { importData: boolean }): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const about: MenuItemConstructorOptions = { label: 'About nnlab', click: () => on.main('about') };
  return [
    ...(mac ? [{ label: 'nnlab', submenu: [about, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] } as MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New Run', accelerator: 'CmdOrCtrl+N', click: () => on.command('new-run') },
        { label: 'New Sweep', accelerator: 'CmdOrCtrl+Shift+N', click: () => on.command('new-sweep') },
        { label: 'Open Comparison…', accelerator: 'CmdOrCtrl+O', click: () => on.command('open-comparison') },
        { type: 'separator' },
        // enabled once the data-import view handles the command (it opens the dialog through dialog/openFile)
        { label: 'Import Data…', accelerator: 'CmdOrCtrl+I', enabled: options.importData, click: () => on.command('import-data') },
        { label: 'Export Runs…', accelerator: 'CmdOrCtrl+E', click: () => on.main('export-runs') },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        { label: 'Runs', accelerator: 'CmdOrCtrl+1', click: () => on.command('runs') },
        { label: 'Toggle Theme (system, light, dark)', accelerator: 'CmdOrCtrl+Shift+T', click: () => on.command('theme') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { role: 'reload' },
        { role: 'toggleDevTools' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [...(mac ? [] : [about])] },
  ];
}

/** The About box's lines: the app's version and the versions it runs on. */
export function aboutText(appVersion: string, versions: Partial<Record<'electron' | 'chrome' | 'node' | 'v8', string>>, database: string): string {
  return [`nnlab ${appVersion}`, `Electron ${versions.electron ?? '?'}, Chromium ${versions.chrome ?? '?'}, Node ${versions.node ?? '?'}, V8 ${versions.v8 ?? '?'}`, `Database: ${database}`, 'On the command line: nnlab --help'].join('\n');
}
