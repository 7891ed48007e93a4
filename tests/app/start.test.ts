/**
 * `npm start` where the Electron binary cannot be obtained (as on this kind of machine): one plain
 * paragraph, then browser mode with its URL. Where an Electron binary exists, this path is not
 * taken and the test skips.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli';
import { tempDbPath } from '../helpers/lab';
import { killTree } from '../helpers/processes';

function electronBinaryPresent(): boolean {
  const pathFile = join(ROOT, 'node_modules/electron/path.txt');
  return existsSync(pathFile) && existsSync(join(ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim()));
}

describe.skipIf(electronBinaryPresent())('npm start without an Electron binary (skipped: an Electron binary is installed, so npm start opens the app)', () => {
  it('says why in one paragraph and starts browser mode, printing the URL', async () => {
    await startsBrowserMode(join(ROOT, 'scripts/start.mjs'));
  });

  it('works from a folder whose path has spaces and non-ASCII letters', async () => {
    // the checkout seen through such a path (Node keeps the symlinked path of the main script)
    const dir = join(mkdtempSync(join(tmpdir(), 'nnlab start ')), 'Prüfung läuft 実験');
    mkdirSync(dir);
    symlinkSync(ROOT, join(dir, 'nnlab'), 'dir');
    await startsBrowserMode(join(dir, 'nnlab/scripts/start.mjs'), ['--preserve-symlinks-main']);
  });

  it('leaves no server behind when it is killed outright', async () => {
    await startsBrowserMode(join(ROOT, 'scripts/start.mjs'), [], async (child, url) => {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGKILL'); // no handler runs: what is left must end by itself
      await exited;
      // the server was this process: nothing answers any more
      await expect(fetch(url)).rejects.toThrow();
    });
  });
});

async function startsBrowserMode(script: string, nodeArgs: string[] = [], then?: (child: ChildProcess, url: string) => Promise<void>): Promise<void> {
  {
    const child = spawn(process.execPath, [...nodeArgs, script, '--db', tempDbPath()], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
    let out = '';
    child.stdout!.setEncoding('utf8');
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL within 60 s; output so far: ${out}; stderr: ${err}`)), 60_000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`start.mjs exited with ${code} before printing a URL; output: ${out}; stderr: ${err}`));
      });
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
      await then?.(child, url);
    } finally {
      killTree(child.pid!);
    }
  }
}
