/**
 * Real faults for the fault tests: another program holding the database's write lock (python3's
 * sqlite3, as the sqlite3 shell or a backup tool would), a small tmpfs to fill, an unprivileged
 * user, a stopped process, and the CLI started as a process the test can watch while it runs.
 * Tests wait for conditions (waitUntil, waitFor, waitForDb) with deadlines that leave room for a
 * loaded CI machine, never for fixed times.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { skipUnlessRequired } from './ci';
import { CLI, ROOT } from './cli';

/** Fault tests' deadline for a condition: the CI runs the whole suite twice on two busy cores. */
export const FAULT_DEADLINE_MS = 180_000;
/** A fault test's own timeout: its conditions' deadlines fit inside it. */
export const FAULT_TEST_TIMEOUT_MS = 300_000;

const LOCK_SCRIPT = String.raw`
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=60)
c.execute('BEGIN EXCLUSIVE')
print('locked', flush=True)
sys.stdin.readline()
c.execute('COMMIT')
c.close()
print('released', flush=True)
`;

export interface LockHolder {
  /** Ends the other program's transaction; resolves when it has let go. */
  release(): Promise<void>;
}

/** Another process takes `BEGIN EXCLUSIVE` on the database and holds it until release(). */
export function holdLock(file: string): Promise<LockHolder> {
  const child = spawn('python3', ['-c', LOCK_SCRIPT, file], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = () => {
      if (!out.includes('locked')) return;
      child.stdout.off('data', onData);
      resolve({
        release: async () => {
          if (child.exitCode === null) child.stdin.end('release\n');
          const code = await exited;
          if (code !== 0) throw new Error(`the lock holder exited with ${code}: ${err}`);
        },
      });
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      if (!out.includes('locked')) reject(new Error(`the lock holder could not take the lock (exit ${code}): ${err}`));
    });
  });
}

/** A CLI process the test watches while it runs (stdout/stderr so far, exit). */
export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr (or stdout) matches; fails when the CLI ends first or after timeoutMs (FAULT_DEADLINE_MS). */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
  exited: Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function startCli(args: string[], options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number; detached?: boolean } = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    uid: options.uid,
    gid: options.gid,
    // its own process group, which a test signals as a terminal's Ctrl-C does (every process in it)
    detached: options.detached,
  });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  const poke = () => waiters.splice(0).forEach((w) => w());
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    out += s;
    poke();
  });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    err += s;
    poke();
  });
  const exited = new Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (status, signal) => {
      poke();
      resolve({ status, signal, stdout: out, stderr: err });
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (pattern, stream = 'stderr', timeoutMs = FAULT_DEADLINE_MS) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`waited ${Math.round(timeoutMs / 1000)} s for the CLI's ${stream} to match ${pattern}:\nstdout: ${out}\nstderr: ${err}`)), timeoutMs);
        const check = () => {
          if (pattern.test(stream === 'stderr' ? err : out)) {
            clearTimeout(timer);
            return resolve();
          }
          if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            return reject(new Error(`the CLI ended before ${stream} matched ${pattern}:\nstdout: ${out}\nstderr: ${err}`));
          }
          waiters.push(check);
        };
        check();
      }),
  };
}

/**
 * Resolves once `condition` holds, checked every `everyMs`; past `timeoutMs` it fails saying
 * what it waited for (rather than the test timing out with no word).
 */
export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = FAULT_DEADLINE_MS, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`waited ${Math.round(timeoutMs / 1000)} s for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Why the hung-trainer test cannot run here: it stops a trainer process with SIGSTOP, which Windows lacks. */
export function sigstopSkipNote(): string | null {
  return skipUnlessRequired(process.platform === 'win32' ? 'this test stops a trainer process with SIGSTOP, and Windows has no SIGSTOP' : null, 'sigstop', 'unix');
}

/**
 * How this process runs mount and umount: as itself when it is root (this project's CI), through
 * sudo without a password when it may (a GitHub runner's user), else not at all.
 */
let mountPrefix: string[] | null | undefined;
function mountCommand(): string[] | null {
  if (mountPrefix !== undefined) return mountPrefix;
  if (process.platform !== 'linux') mountPrefix = null;
  else if (process.getuid?.() === 0) mountPrefix = [];
  else mountPrefix = spawnSync('sudo', ['-n', 'true']).status === 0 ? ['sudo', '-n'] : null;
  return mountPrefix;
}

function runMount(args: string[]) {
  const [command, ...rest] = [...mountCommand()!, ...args];
  return spawnSync(command, rest, { encoding: 'utf8' });
}

/** Whether this process may mount file systems (root in CI, or sudo without a password; not in most containers or as a user). */
export function canMount(): boolean {
  if (mountCommand() === null) return false;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlab-mount-probe-'));
  try {
    const r = runMount(['mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    if (r.status !== 0) return false;
    runMount(['umount', dir]);
    return true;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A tmpfs of `size` bytes, writable by this process's user, mounted on a fresh directory; unmount() removes it again. */
export function mountTmpfs(size: number): { dir: string; unmount(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nnlab-tmpfs-'));
  const r = runMount(['mount', '-t', 'tmpfs', '-o', `size=${size},mode=0777`, 'tmpfs', dir]);
  if (r.status !== 0) throw new Error(`mount tmpfs failed: ${r.stderr}`);
  return {
    dir,
    unmount: () => {
      runMount(['umount', '-l', dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * uid/gid of an unprivileged user: this process's own user when it is not root (file modes bind
 * it already), else nobody, when root can switch to it and nobody can run the built CLI.
 */
export function unprivilegedUser(): { uid: number; gid: number } | null {
  const uid = process.getuid?.();
  if (uid === undefined) return null;
  if (uid !== 0) return process.platform === 'linux' ? { uid, gid: process.getgid!() } : null;
  const r = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return null;
  const user = { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
  // the user must be able to run node and read the built CLI
  const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(CLI)}.replace(/nnlab\\.js$/, '../package.json'))`], { ...user, encoding: 'utf8' });
  return probe.status === 0 ? user : null;
}

/** Why the full-disk tests cannot run here (null: they can; tests/helpers/ci.ts's rule under CI=true). */
export function tmpfsSkipNote(): string | null {
  return skipUnlessRequired(canMount() ? null : 'this process cannot mount a tmpfs (it needs root, or sudo without a password, on Linux)', 'tmpfs', 'linux');
}

/** Why the read-only tests cannot run here (null: they can, as this user or, for root, as nobody). */
export function unprivilegedSkipNote(): string | null {
  return skipUnlessRequired(unprivilegedUser() ? null : `the unprivileged user nobody cannot run the built CLI (${CLI}): every folder above it must be searchable by others`, 'setpriv', 'linux');
}

/** The built CLI run as `user`, to its end. */
export function nnlabAs(user: { uid: number; gid: number }, args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: '/', encoding: 'utf8', env: { ...process.env, HOME: '/nonexistent', ...env }, uid: user.uid, gid: user.gid, maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Waits until `query` (run on a fresh read-only connection each time) returns something truthy. */
export async function waitForDb<T>(file: string, query: (db: import('better-sqlite3').Database) => T, timeoutMs = FAULT_DEADLINE_MS): Promise<T> {
  const { default: Database } = await import('better-sqlite3');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (fs.existsSync(file)) {
      let db: import('better-sqlite3').Database | null = null;
      try {
        db = new Database(file, { readonly: true, fileMustExist: true });
        const value = query(db);
        if (value) return value;
      } catch {
        // no schema yet
      } finally {
        db?.close();
      }
    }
    if (Date.now() > deadline) throw new Error(`waited ${Math.round(timeoutMs / 1000)} s for ${file} to answer ${query.toString()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** status → count of the runs in the database, read without writing. */
export function runStatuses(db: import('better-sqlite3').Database): Record<string, number> {
  const rows = db.prepare('SELECT status, count(*) AS n FROM runs GROUP BY status').all() as { status: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** `nnlab serve` as a real process, with a small client for its API. */
export interface ServeProcess {
  cli: RunningCli;
  url: URL;
  call<T = unknown>(name: string, body?: unknown): Promise<{ status: number; body: { ok: boolean; value?: T; error?: { name: string; message: string; field?: string } } }>;
  stop(): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export async function startServe(args: string[], options: { env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): Promise<ServeProcess> {
  const cli = startCli(['serve', '--workers', '1', ...args], options);
  await cli.waitFor(/^http:\/\/127\.0\.0\.1:\d+\/\?token=\S+\n/, 'stdout');
  const url = new URL(cli.stdout().trim().split('\n')[0]);
  const token = url.searchParams.get('token')!;
  return {
    cli,
    url,
    call: async (name, body = {}) => {
      const r = await fetch(new URL(`/api/${name}`, url), {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: r.status, body: (await r.json()) as never };
    },
    stop: async () => {
      cli.child.kill('SIGTERM');
      return cli.exited;
    },
  };
}
