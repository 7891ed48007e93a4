/**
 * The Electron shell, kept thin: one sandboxed window, a native menu, the lab's API over IPC
 * (one ipcMain.handle per contract name, every request validated by the shared dispatcher), and
 * the LabService with trainer utility processes and the database in userData. Opens the database
 * with the Electron-ABI build of better-sqlite3 (native/electron, made by scripts/electron-native.mjs).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import { API_NAMES } from './api/contract';
import { channelFor, EVENT_CHANNEL } from './api/channels';
import { createHandlers, dispatch, toWireEvent } from './api/handlers';
import { openRunStore, type RunStore } from './db';
import { electronLauncher } from './electron/launcher';
import { loadWindowState, saveWindowState } from './electron/window-state';
import { LabService } from './lab/service';
import { CONTENT_SECURITY_POLICY } from './server/csp';

let lab: LabService | null = null;
let store: RunStore | null = null;

function nativeBinding(): string | undefined {
  const candidates = [join(process.resourcesPath ?? '', 'native/electron/better_sqlite3.node'), join(__dirname, '../../native/electron/better_sqlite3.node')];
  return candidates.find((p) => existsSync(p));
}

function createWindow(): BrowserWindow {
  const dir = app.getPath('userData');
  const state = loadWindowState(dir);
  const win = new BrowserWindow({
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'nnlab',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  if (state.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  win.on('close', () => {
    const b = win.getNormalBounds();
    saveWindowState(dir, { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
  });
  // no navigation away from the app and no new windows; links open in the system browser
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void win.loadFile(join(__dirname, '../renderer/index.html'));
  return win;
}

async function start(): Promise<void> {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const file = join(app.getPath('userData'), 'nnlab.sqlite');
  try {
    store = openRunStore(file, { nativeBinding: nativeBinding() });
  } catch (e) {
    dialog.showErrorBox('nnlab cannot open its database', (e as Error).message);
    app.exit(1);
    return;
  }
  lab = new LabService({ store, launch: electronLauncher(join(__dirname, 'trainer-worker.js')) });
  // the trainer processes load while the window opens, not when the first run is pressed
  void lab.warm();
  const handlers = createHandlers(lab, { database: file });
  for (const name of API_NAMES) {
    ipcMain.handle(channelFor(name), async (event, request: unknown) => {
      // only our own page may call the lab
      const url = event.senderFrame?.url ?? '';
      if (!(url.startsWith('file://') || (process.env.ELECTRON_RENDERER_URL && url.startsWith(process.env.ELECTRON_RENDERER_URL)))) {
        return { ok: false, error: { name: 'ForbiddenError', message: 'calls are accepted from the nnlab window only' } };
      }
      return (await dispatch(handlers, name, request)).result;
    });
  }
  const win = createWindow();
  lab.on((e) => {
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, toWireEvent(e));
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      { role: 'fileMenu' },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
      { role: 'help', submenu: [{ label: 'nnlab on the command line: nnlab --help', enabled: false }] },
    ]),
  );
}

app.whenReady().then(start, (e: unknown) => {
  dialog.showErrorBox('nnlab failed to start', (e as Error).message);
  app.exit(1);
});

app.on('window-all-closed', () => app.quit());

app.on('will-quit', (e) => {
  if (!lab) return;
  e.preventDefault();
  const closing = lab;
  lab = null;
  void closing.close().finally(() => {
    store?.close();
    app.quit();
  });
});
