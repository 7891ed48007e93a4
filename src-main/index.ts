/**
 * The Electron shell, kept thin: one sandboxed window (a second launch focuses it), the native
 * menu (electron/menu.ts), the lab's API over IPC (one ipcMain.handle per contract name, the
 * sender checked, every request validated by the shared dispatcher), the system's dialogs for
 * imports and exports, a notification when a long sweep ends in the background, and the
 * LabService with trainer utility processes and the database in userData. Opens the database
 * with the Electron-ABI build of better-sqlite3 (native/electron/<arch>, made by scripts/electron-native.mjs).
 * The security decisions are pure functions in electron/policy.ts.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, screen, session, shell } from 'electron';
import { API_NAMES, type LabEventWire } from './api/contract';
import { channelFor, EVENT_CHANNEL } from './api/channels';
import { createHandlers, dispatch, toWireEvent } from './api/handlers';
import { csvPieces, jsonPieces, writePieces } from './cli/export';
import type { RunStore } from './db';
import { type LabStore, openLabStore } from './db/lab-store';
import { electronLauncher } from './electron/launcher';
import { aboutText, menuTemplate } from './electron/menu';
import { allowedRequest, fitToDisplays, isOwnPage, opensExternally } from './electron/policy';
import { SweepNotifier } from './electron/sweep-notice';
import { loadWindowState, saveWindowState } from './electron/window-state';
import { LabService } from './lab/service';
import { CONTENT_SECURITY_POLICY } from './server/csp';
import { APP_VERSION } from './version';

const DEV_URL = process.env.ELECTRON_RENDERER_URL || undefined;
const RENDERER_INDEX = join(__dirname, '../renderer/index.html');
const RENDERER_URL = pathToFileURL(RENDERER_INDEX).href;

let lab: LabService | null = null;
let store: RunStore | null = null;
let mainWindow: BrowserWindow | null = null;

// one app per user: a second launch hands over to the first, which comes to the front
if (!app.requestSingleInstanceLock()) app.exit(0);
app.on('second-instance', () => {
  if (!mainWindow || mainWindow.isDestroyed()) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
});

// every web contents, not only the main window's: no navigation away, no new windows, no <webview>
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (e, url) => {
    if (!(DEV_URL && url.startsWith(DEV_URL))) e.preventDefault();
  });
  contents.on('will-redirect', (e) => e.preventDefault());
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (opensExternally(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

function nativeBinding(): string | undefined {
  // packed: resources/native/electron (electron-builder copies native/electron/${arch} there); from a checkout: this machine's arch
  const candidates = [join(process.resourcesPath ?? '', 'native/electron/better_sqlite3.node'), join(__dirname, '../../native/electron', process.arch, 'better_sqlite3.node')];
  return candidates.find((p) => existsSync(p));
}

function createWindow(): BrowserWindow {
  const dir = app.getPath('userData');
  const state = fitToDisplays(
    loadWindowState(dir),
    screen.getAllDisplays().map((d) => d.workArea),
  );
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
  mainWindow = win;
  win.on('close', () => {
    const b = win.getNormalBounds();
    saveWindowState(dir, { x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
  });
  // navigation and new windows are refused for every web contents (web-contents-created above)
  if (DEV_URL) void win.loadURL(DEV_URL);
  else void win.loadFile(RENDERER_INDEX);
  return win;
}

/** Sends a menu command to the page (it arrives with the lab's events). */
function sendToPage(e: LabEventWire): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(EVENT_CHANNEL, e);
}

/** File › Export Runs…: every saved run, as JSON or tidy CSV by the name chosen, through the save dialog. */
async function exportRuns(): Promise<void> {
  if (!store || !mainWindow) return;
  const ids = store.listRuns({ limit: 100_000 }).map((r) => r.id);
  const { canceled, filePath } = await dialog.showSaveDialog(mainWindow, {
    title: `Export ${ids.length} runs`,
    defaultPath: join(app.getPath('documents'), 'nnlab-runs.json'),
    filters: [
      { name: 'JSON (specs, summaries, every series)', extensions: ['json'] },
      { name: 'CSV (one row per run and batch)', extensions: ['csv'] },
    ],
  });
  if (canceled || !filePath) return;
  try {
    // streamed from the stored chunks, yielding between pieces: the window stays responsive
    await writePieces(filePath, filePath.toLowerCase().endsWith('.csv') ? csvPieces(store, ids) : jsonPieces(store, ids));
  } catch (e) {
    dialog.showErrorBox('nnlab could not export the runs', (e as Error).message);
  }
}

function showAbout(database: string): void {
  void dialog.showMessageBox({ type: 'info', title: 'About nnlab', message: 'nnlab', detail: aboutText(APP_VERSION, process.versions, database), buttons: ['OK'] });
}

async function start(): Promise<void> {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // every permission refused (camera, notifications from the page, geolocation …), asked or checked
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // no remote content: the app's files, blobs and data URLs only
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !allowedRequest(details.url, DEV_URL) }));
  // exports (the page's downloads) go through the system's save dialog, in Documents by default
  session.defaultSession.on('will-download', (_e, item) => {
    const name = basename(item.getFilename());
    const ext = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
    item.setSaveDialogOptions({ title: `Save ${name}`, defaultPath: join(app.getPath('documents'), name), filters: ext ? [{ name: ext.toUpperCase(), extensions: [ext] }] : [] });
  });
  const file = join(app.getPath('userData'), 'nnlab.sqlite');
  let opened: LabStore;
  try {
    // a database this user may not write opens read-only: the app browses it and says why it cannot change it
    opened = await openLabStore(file, { mode: 'read', nativeBinding: nativeBinding() });
  } catch (e) {
    dialog.showErrorBox('nnlab cannot open its database', (e as Error).message);
    app.exit(1);
    return;
  }
  store = opened.store;
  for (const notice of opened.notices) process.stderr.write(`nnlab: ${notice}\n`);
  lab = new LabService({ store, writes: opened.writes, launch: electronLauncher(join(__dirname, 'trainer-worker.js')) });
  // the trainer processes load while the window opens, not when the first run is pressed
  if (!opened.readOnly) void lab.warm();
  const handlers = createHandlers(lab, {
    database: file,
    opened: opened.notices,
    desktop: {
      openFile: async (req) => {
        const options = { title: req.title ?? 'Open', properties: ['openFile' as const], filters: req.filters };
        const r = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
        return { path: r.canceled ? null : (r.filePaths[0] ?? null) };
      },
    },
  });
  for (const name of API_NAMES) {
    ipcMain.handle(channelFor(name), async (event, request: unknown) => {
      // only our own page may call the lab (not another file, a data: page or a remote site)
      if (!isOwnPage(event.senderFrame?.url ?? '', RENDERER_URL, DEV_URL)) {
        return { ok: false, error: { name: 'ForbiddenError', message: 'calls are accepted from the nnlab window only' } };
      }
      return (await dispatch(handlers, name, request)).result;
    });
  }
  const win = createWindow();
  const notifier = new SweepNotifier();
  lab.on((e) => {
    const wire = toWireEvent(e);
    if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, wire);
    const notice = notifier.onEvent(wire, Date.now(), !win.isDestroyed() && win.isFocused());
    if (notice && Notification.isSupported()) {
      const n = new Notification({ title: notice.title, body: notice.body });
      n.on('click', () => {
        if (win.isDestroyed()) return;
        win.show();
        win.focus();
      });
      n.show();
    }
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate(
        process.platform,
        {
          command: (command) => sendToPage({ type: 'app/command', command }),
          main: (action) => (action === 'about' ? showAbout(file) : void exportRuns()),
        },
        { importData: true },
      ),
    ),
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
    // the file deleted or replaced meanwhile: what the lab holds is written where the user finds it
    const rescued = store?.rescueMoved();
    if (rescued) process.stderr.write(`nnlab: ${rescued.message}\n`);
    store?.close();
    app.quit();
  });
});
