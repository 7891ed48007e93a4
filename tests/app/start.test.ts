/**
 * `npm start` where the Electron binary cannot be obtained (as on this kind of machine): one plain
 * paragraph, then browser mode with its URL. Where an Electron binary exists, this path is not
 * taken and the test skips.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { tempDbPath } from '../helpers/lab';

function electronBinaryPresent(): boolean {
  const pathFile = join(ROOT, 'node_modules/electron/path.txt');
  return existsSync(pathFile) && existsSync(join(ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim()));
}

describe.skipIf(electronBinaryPresent())('npm start without an Electron binary (skipped: an Electron binary is installed, so npm start opens the app)', () => {
  it('says why in one paragraph and starts browser mode, printing the URL', async () => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts/start.mjs'), '--db', tempDbPath()], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 60 s; output so far: ${out}`)), 60_000);
      child.stdout!.on('data', (chunk: string) => {
        out += chunk;
        const m = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
    });
    try {
      const lines = out.trim().split('\n');
      expect(lines[0]).toMatch(/^nnlab: the Electron binary could not be downloaded.*starting browser mode instead/);
      // on a Node older than the desktop toolchain needs (Node 20 here), the paragraph says so
      const wanted: string = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')).engines.node;
      const note = `Electron's installer needs Node ${wanted.replace(/\s+/g, '')} and this is Node ${process.versions.node}.`;
      if (semver.satisfies(process.versions.node, wanted)) expect(lines[0]).not.toContain('installer needs Node');
      else expect(lines[0]).toContain(note);
      expect(lines[1]).toBe(url);
      const page = await fetch(url);
      expect(page.status).toBe(200);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
  });
});
