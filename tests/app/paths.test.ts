/**
 * Paths users have: the per-user data folder on each OS (APPDATA with non-ASCII letters on
 * Windows), and a real database, trainer processes and the CLI in folders whose names have spaces
 * and non-ASCII letters (here on Linux; the workflow runs the same on macOS and Windows).
 */
import { mkdirSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDatabasePath, userDataDir } from '../../src-main/db/location';
import { nnlab } from '../helpers/cli';

describe('paths', () => {
  it('puts the database in the per-user data folder of each OS, APPDATA with any letters', () => {
    expect(defaultDatabasePath({ env: { APPDATA: 'C:\\Users\\Jürgen Müller\\AppData\\Roaming' }, platform: 'win32', home: 'C:\\Users\\Jürgen Müller' })).toBe('C:\\Users\\Jürgen Müller\\AppData\\Roaming\\nnlab\\nnlab.sqlite');
    expect(userDataDir({ env: { APPDATA: 'D:\\用户\\山田 太郎\\AppData\\Roaming' }, platform: 'win32', home: 'D:\\用户\\山田 太郎' })).toBe('D:\\用户\\山田 太郎\\AppData\\Roaming\\nnlab');
    expect(userDataDir({ env: {}, platform: 'darwin', home: '/Users/zoë' })).toBe('/Users/zoë/Library/Application Support/nnlab');
    expect(userDataDir({ env: { XDG_CONFIG_HOME: '/home/ø/.cfg' }, platform: 'linux', home: '/home/ø' })).toBe('/home/ø/.cfg/nnlab');
    // a relative XDG_CONFIG_HOME is ignored, as the XDG spec says
    expect(userDataDir({ env: { XDG_CONFIG_HOME: 'cfg' }, platform: 'linux', home: '/home/ø' })).toBe('/home/ø/.config/nnlab');
  });

  it('trains in a trainer process and saves in a default data folder whose path has spaces and non-ASCII letters', () => {
    const config = join(mkdtempSync(join(tmpdir(), 'nnlab paths ')), 'Données de Zoë', '設定 dir');
    mkdirSync(config, { recursive: true });
    const env = { XDG_CONFIG_HOME: config, NNLAB_DB: '' };
    const train = nnlab(['train', '--batches', '20'], { env });
    expect(train.stderr).toBe('');
    expect(train.status).toBe(0);
    const file = join(config, 'nnlab', 'nnlab.sqlite');
    expect(train.stdout).toContain(file);
    expect(existsSync(file)).toBe(true);
    const list = nnlab(['runs', 'list', '--json'], { env });
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ id: 1, status: 'done' }]);
  });
});
