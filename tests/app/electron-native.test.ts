/**
 * scripts/electron-native.mjs when neither a prebuilt binary nor a compile can be had (download
 * servers pointed at a closed port, so this holds on any machine): one clear paragraph that says
 * what each attempt met and what to do, no tool stack traces, exit code 1, and the Node build of
 * better-sqlite3 in node_modules untouched (the CLI and the tests go on working).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';

describe('scripts/electron-native', () => {
  it('says in one paragraph why the Electron build could not be made and what to do, and leaves the Node build alone', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'nnlab-native-')), 'electron');
    const closed = 'http://127.0.0.1:9';
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/electron-native.mjs'), '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NNLAB_ELECTRON_PREBUILT_HOST: closed, NNLAB_ELECTRON_HEADERS_URL: closed },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^electron-native: building better-sqlite3 for Electron \d+\.\d+\.\d+ \(/);
    expect(lines[1]).toMatch(/^electron-native: could not make better-sqlite3 for Electron \d+\.\d+\.\d+ on \w+-\w+\. Tried a prebuilt binary: .+; then compiling it against Electron's headers \(http:\/\/127\.0\.0\.1:9\): .+\. The desktop app needs it: .*npm run electron:native again.*browser mode \(npx nnlab serve\) work without it\.$/);
    expect(existsSync(out)).toBe(false);
    // the Node-ABI build still loads
    const load = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').prepare('select 1').get()"], { cwd: ROOT, encoding: 'utf8' });
    expect(load.stderr).toBe('');
    expect(load.status).toBe(0);
  });
});
