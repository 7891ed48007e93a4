/**
 * The electron-builder config, checked as far as this machine allows: with a stand-in Electron
 * distribution (the real one cannot be downloaded here) it packs the built app into app.asar with
 * the Electron-ABI driver as an extra resource and no in-place rebuild. Real installers need a
 * user's machine.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { isNativeBinary } from '../helpers/native';

describe('packaging (electron-builder)', () => {
  it('leaves the Electron tests skipping while its stand-in driver is in place: a stand-in is no native module', () => {
    // the Electron tests (tests/app/electron.test.ts) may start beside this file, on another worker
    const tmp = mkdtempSync(join(tmpdir(), 'nnlab-native-'));
    writeFileSync(join(tmp, 'stand-in.node'), 'stand-in');
    expect(isNativeBinary(join(tmp, 'stand-in.node'))).toBe(false);
    expect(isNativeBinary(join(tmp, 'none.node'))).toBe(false);
    expect(isNativeBinary(join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('packs the app with the Electron-ABI better-sqlite3 as an extra resource', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'nnlab-pack-'));
    const dist = join(tmp, 'electron-dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'electron'), '#!/bin/sh\n');
    chmodSync(join(dist, 'electron'), 0o755);
    for (const f of ['LICENSE', 'LICENSES.chromium.html']) writeFileSync(join(dist, f), '');
    writeFileSync(join(dist, 'version'), '45.5.0');
    // electron-builder takes native/electron/${arch}: this machine's for this --linux dir build
    const native = join(ROOT, 'native/electron', process.arch, 'better_sqlite3.node');
    const standIn = !existsSync(native);
    let output = '';
    if (standIn) {
      mkdirSync(join(ROOT, 'native/electron', process.arch), { recursive: true });
      writeFileSync(native, 'stand-in');
    }
    try {
      output = execFileSync(process.execPath, [join(ROOT, 'node_modules/electron-builder/cli.js'), '--linux', 'dir', `-c.electronDist=${dist}`, `-c.directories.output=${join(tmp, 'out')}`], { cwd: ROOT, stdio: 'pipe', encoding: 'utf8' });
    } finally {
      // only the stand-in goes: a real build for another architecture stays
      if (standIn) rmSync(native, { force: true });
    }
    // the afterPack hook (@electron/fuses) sees the stand-in and says it skips the fuses
    expect(output).toMatch(/afterPack: skipping @electron\/fuses: .*linux-unpacked\/nnlab is not an Electron binary \(the stand-in Electron the tests pack with\)/);
    const resources = join(tmp, 'out/linux-unpacked/resources');
    expect(existsSync(join(resources, 'native/electron/better_sqlite3.node'))).toBe(true);
    const { listPackage } = await import('@electron/asar');
    const files = listPackage(join(resources, 'app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/'));
    for (const f of ['/out/main/index.js', '/out/main/trainer-worker.js', '/out/preload/index.js', '/out/renderer/index.html', '/package.json']) expect(files).toContain(f);
    expect(files.some((f) => f.startsWith('/node_modules/better-sqlite3/'))).toBe(true);
    expect(files.some((f) => f.startsWith('/node_modules/vue/'))).toBe(false); // renderer libraries are bundled, not packed
    rmSync(tmp, { recursive: true, force: true });
  });
});
