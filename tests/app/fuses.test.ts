/**
 * scripts/after-pack.mjs, electron-builder's afterPack hook: the fuses a packed app gets, set with
 * @electron/fuses on a file holding a fuse wire as Electron's binary does (the real binary cannot
 * be downloaded here), and skipped with a message for the stand-in the packaging test uses.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
// @ts-expect-error: a plain .mjs script, typed by use here
import afterPack, { fuseConfig } from '../../scripts/after-pack.mjs';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

function packedApp(contents: Buffer) {
  const appOutDir = mkdtempSync(join(tmpdir(), 'nnlab-fuses-'));
  mkdirSync(appOutDir, { recursive: true });
  writeFileSync(join(appOutDir, 'nnlab'), contents);
  return { appOutDir, electronPlatformName: 'linux', arch: 1, packager: { appInfo: { productFilename: 'nnlab' }, executableName: 'nnlab' } };
}

describe('scripts/after-pack (fuses)', () => {
  it('turns off run-as-node, NODE_OPTIONS and --inspect, loads the app from app.asar only, encrypts cookies; asar integrity on macOS and Windows', () => {
    const linux = fuseConfig('linux');
    expect([linux[0], linux[1], linux[2], linux[3], linux[4], linux[5]]).toEqual([false, true, false, false, false, true]);
    expect(fuseConfig('darwin')[4]).toBe(true);
    expect(fuseConfig('win32')[4]).toBe(true);
  });

  it('flips the fuse wire of a packed Electron binary', async () => {
    // a binary's fuse wire: the sentinel, version 1, the number of fuses, then '1' (on) / '0' (off) each
    const wire = Buffer.concat([Buffer.from('ELF…padding'), Buffer.from(SENTINEL), Buffer.from([1, 9]), Buffer.from('111111011'), Buffer.from('…rest')]);
    const ctx = packedApp(wire);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await afterPack(ctx);
    const after = readFileSync(join(ctx.appOutDir, 'nnlab'));
    const at = after.indexOf(SENTINEL) + SENTINEL.length;
    // RunAsNode off, cookies on, NODE_OPTIONS off, inspect off, asar integrity off on Linux, asar only on; the rest untouched
    expect(after.subarray(at + 2, at + 11).toString()).toBe('010001011');
    expect(log.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringMatching(/afterPack: fuses set in .*nnlab$/)]);
  });

  it('skips, saying why, when the packed binary is the stand-in', async () => {
    const ctx = packedApp(Buffer.from('#!/bin/sh\n'));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await afterPack(ctx);
    expect(readFileSync(join(ctx.appOutDir, 'nnlab'), 'utf8')).toBe('#!/bin/sh\n');
    expect(String(log.mock.calls[0][0])).toMatch(/skipping @electron\/fuses: .* is not an Electron binary/);
  });
});
