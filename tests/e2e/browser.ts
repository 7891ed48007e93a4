/**
 * End-to-end test support: a real `nnlab serve` child process on a temp database, and Debian's
 * Chromium driven by playwright-core. Under CI=true a missing browser is a failure; elsewhere the
 * browser suites skip and say how to enable them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { ciContext } from '../helpers/ci';
import { killTree } from '../helpers/processes';

export const ROOT = resolve(__dirname, '../..');
export const CHROMIUM = process.env.NNLAB_CHROMIUM ?? '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** Under CI=true the browser tests must run (every platform can have Chromium or Chrome; see tests/helpers/ci.ts). */
export const MUST_RUN = ciContext().ci && !ciContext().absent.includes('chromium');
export const SKIP_NOTE = `no Chromium at ${CHROMIUM}: install it to run the browser tests (apt-get install chromium), or point NNLAB_CHROMIUM at one`;
export const SCREENSHOTS = join(ROOT, 'test-output/screenshots');

/** The closed-network flags: no updates, sync or background requests. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function launchBrowser(): Promise<Browser> {
  if (!HAVE_CHROMIUM) throw new Error(`CI=true, and ${SKIP_NOTE}`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export interface Served {
  url: string;
  origin: string;
  token: string;
  stderr: () => string;
  stop(): Promise<void>;
}

/** Starts `nnlab serve` on a database and resolves with the URL it prints (its one line). */
export function serve(db: string): Promise<Served> {
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'bin/nnlab.js'), 'serve', '--db', db, '--workers', '1'], {
    cwd: ROOT,
    // its own process group, so stopping it stops its trainer processes too
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NNLAB_DB: db },
  });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killTree(child.pid!, 'SIGTERM');
    const timer = setTimeout(() => killTree(child.pid!, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      void stop();
      fail(new Error(`nnlab serve printed no URL in 20 s; stderr: ${err}`));
    }, 20_000);
    const early = (code: number | null) => {
      clearTimeout(timer);
      fail(new Error(`nnlab serve exited with ${code} before printing its URL; stderr: ${err}`));
    };
    child.once('exit', early);
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const line = out.split('\n')[0];
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      child.off('exit', early);
      const u = new URL(line.trim());
      done({ url: line.trim(), origin: u.origin, token: u.searchParams.get('token') ?? '', stderr: () => err, stop });
    });
  });
}
