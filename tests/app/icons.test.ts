/**
 * The app's icon set in resources/ (electron-builder's buildResources) for the three platforms,
 * read back container by container: icon.png for Linux, icon.ico for Windows, icon.icns for macOS,
 * every image a PNG of the size its entry says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/cli';

const PNG = '89504e470d0a1a0a';
const dir = join(ROOT, 'resources');

/** Width and height from a PNG's IHDR. */
function pngSize(b: Buffer): { width: number; height: number } {
  expect(b.subarray(0, 8).toString('hex')).toBe(PNG);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('resources/ icons', () => {
  it('icon.png is 1024 px square (Linux, and what electron-builder converts from when needed)', () => {
    expect(pngSize(readFileSync(join(dir, 'icon.png')))).toEqual({ width: 1024, height: 1024 });
  });

  it('icon.ico holds PNGs from 16 to 256 px (Windows)', () => {
    const ico = readFileSync(join(dir, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const sizes: number[] = [];
    for (let i = 0; i < ico.readUInt16LE(4); i++) {
      const e = 6 + 16 * i;
      const size = ico.readUInt8(e) || 256;
      const data = ico.subarray(ico.readUInt32LE(e + 12), ico.readUInt32LE(e + 12) + ico.readUInt32LE(e + 8));
      expect(pngSize(data)).toEqual({ width: size, height: size });
      sizes.push(size);
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('icon.icns holds PNGs from 16 to 1024 px (macOS)', () => {
    const icns = readFileSync(join(dir, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const want: Record<string, number> = { icp4: 16, icp5: 32, icp6: 64, ic07: 128, ic08: 256, ic09: 512, ic10: 1024 };
    const seen: string[] = [];
    for (let at = 8; at < icns.length; ) {
      const type = icns.subarray(at, at + 4).toString('latin1');
      const len = icns.readUInt32BE(at + 4);
      const size = want[type];
      expect(size, type).toBeDefined();
      expect(pngSize(icns.subarray(at + 8, at + len))).toEqual({ width: size, height: size });
      seen.push(type);
      at += len;
    }
    expect(seen).toEqual(Object.keys(want));
  });

  it('electron-builder takes them from resources/', () => {
    const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));
    expect(config.directories.buildResources).toBe('resources');
    expect(config.icon ?? config.win?.icon ?? config.mac?.icon).toBeUndefined(); // the defaults: icon.ico, icon.icns, icon.png there
  });
});
