/**
 * Where nnlab keeps its database by default: `NNLAB_DB` if set, else `nnlab.sqlite` in the
 * platform's per-user data directory for an app named "nnlab" — the directory Electron's
 * `app.getPath('userData')` returns for this app, so the CLI and the desktop app share one
 * database without importing Electron here:
 *   Linux    $XDG_CONFIG_HOME/nnlab (when set and absolute), else ~/.config/nnlab
 *   macOS    ~/Library/Application Support/nnlab
 *   Windows  %APPDATA%\nnlab, else <home>\AppData\Roaming\nnlab
 * `openDatabase` creates the directory when it opens a file there.
 */
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'nnlab';
export const DB_FILE_NAME = 'nnlab.sqlite';

export interface LocationEnv {
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  home?: string;
  cwd?: string;
}

/** The per-user data directory of the app (Electron's userData for an app named "nnlab"). */
export function userDataDir(where: LocationEnv = {}): string {
  const env = where.env ?? process.env;
  const platform = where.platform ?? process.platform;
  const home = where.home ?? os.homedir();
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, APP_DIR_NAME);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  const xdg = env.XDG_CONFIG_HOME;
  const config = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config');
  return path.posix.join(config, APP_DIR_NAME);
}

/** The database file to use when no `--db` is given: `NNLAB_DB` (resolved against cwd) or the default. */
export function defaultDatabasePath(where: LocationEnv = {}): string {
  const env = where.env ?? process.env;
  const fromEnv = env.NNLAB_DB;
  if (fromEnv) return path.resolve(where.cwd ?? process.cwd(), fromEnv);
  const platform = where.platform ?? process.platform;
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  return join(userDataDir(where), DB_FILE_NAME);
}
