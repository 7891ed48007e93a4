/**
 * Real Redis and real `nnlab worker` processes for the queue tests: Debian's redis-server on a
 * free port of 127.0.0.1 with its data in a temp folder (append-only file on, as the README tells
 * users), stopped and restarted at will; workers started from the built CLI. Everything started is
 * tied to the test process (cli/tied.ts: it ends with it, even when the test process is killed), and
 * registered and stopped by `stopAll` (call it in afterEach/afterAll). Also what the queue tests
 * compare and count: a database's runs bit for bit, the jobs Redis still holds.
 */
import { type ChildProcess, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { expect } from 'vitest';
import { freePort } from '../../src-main/cli/free-port';
import { spawnTied } from '../../src-main/cli/tied';
import { RunStore, type RunSummary } from '../../src-main/db';
import { skipUnlessRequired } from './ci';
import { CLI, ROOT } from './cli';

/** Why the queue tests cannot run here (null: they can); throws under CI=true where Redis can exist. */
export function redisMissing(): string | null {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  const missing = found.status === 0 ? null : 'redis-server is not installed (apt-get install redis-server; .ci/run installs it)';
  return skipUnlessRequired(missing, 'redis', 'unix');
}

const started = new Set<ChildProcess>();

/** Resolves once the child prints `pattern`; the deadline is generous (a loaded 2-core machine starts a worker slowly). */
function waitFor(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp, what: string, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; it said:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        child[stream]!.off('data', onData);
        resolve();
      }
    };
    child[stream]!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${what}: the process ended (${signal ?? code}) first; it said:\n${seen}`));
    });
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

export interface RedisOptions {
  password?: string;
  /** TLS only (rediss://), with a self-signed certificate for `localhost`. */
  tls?: boolean;
}

export interface TestRedis {
  port: number;
  dir: string;
  /** redis:// (or rediss://) URL, with the password when there is one. */
  url: string;
  /** The CA file a TLS client must trust (NODE_EXTRA_CA_CERTS). */
  caFile?: string;
  /** SIGTERM (Redis writes its append-only file and exits) or SIGKILL. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port; with `fresh`, in an empty folder (a Redis that lost its data). */
  start(options?: { fresh?: boolean }): Promise<void>;
}

/** A self-signed certificate for localhost (openssl), in `dir`. */
function makeCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert, key };
}

export async function startRedis(options: RedisOptions = {}): Promise<TestRedis> {
  const port = await freePort();
  let dir = mkdtempSync(join(tmpdir(), 'nnlab-redis-'));
  const tls = options.tls ? makeCertificate(dir) : null;
  let child: ChildProcess | null = null;
  const args = () => [
    ...(tls ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-auth-clients', 'no'] : ['--port', String(port)]),
    '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes',
    ...(options.password ? ['--requirepass', options.password] : []),
  ];
  const r: TestRedis = {
    port,
    get dir() {
      return dir;
    },
    url: `${tls ? 'rediss' : 'redis'}://${options.password ? `:${encodeURIComponent(options.password)}@` : ''}${tls ? 'localhost' : '127.0.0.1'}:${port}/0`,
    caFile: tls?.cert,
    async start(o = {}) {
      if (o.fresh) dir = mkdtempSync(join(tmpdir(), 'nnlab-redis-'));
      child = spawnTied('redis-server', args(), { stdio: ['ignore', 'pipe', 'pipe'] });
      started.add(child);
      await waitFor(child, 'stdout', /Ready to accept connections/, `redis-server on port ${port}`);
    },
    async stop(signal = 'SIGTERM') {
      const c = child;
      if (!c) return;
      child = null;
      c.kill(signal);
      await exited(c);
      started.delete(c);
    },
  };
  await r.start();
  return r;
}

export interface TestWorker {
  name: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Trainer processes it started (children of the worker process). */
  trainerPids(): number[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `nnlab worker` and resolves once it says it is ready. */
export async function startWorker(redis: TestRedis, name: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<TestWorker> {
  const child = spawnTied(process.execPath, [CLI, 'worker', '--queue', redis.url, '--name', name, '--concurrency', '1', '--stall-timeout', '2', ...extra], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(redis.caFile ? { NODE_EXTRA_CA_CERTS: redis.caFile } : {}), ...env },
  });
  started.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const done = exited(child).then((r) => {
    started.delete(child);
    return r;
  });
  await waitFor(child, 'stdout', /: ready\n/, `nnlab worker ${name}`);
  return {
    name,
    child,
    stdout: () => out,
    stderr: () => err,
    trainerPids: () => {
      const r = spawnSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' });
      return r.stdout.split('\n').filter(Boolean).map(Number);
    },
    exited: done,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return done;
    },
  };
}

/** A background `nnlab …` process (a sweep that a test interrupts). */
export function spawnNnlab(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; stdout(): string; stderr(): string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawnTied(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  started.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited: exited(child).then((r) => {
      started.delete(child);
      return r;
    }),
  };
}

/** Stops everything this helper started that is still running (SIGKILL: a test's leftovers). */
export async function stopAll(): Promise<void> {
  const all = [...started];
  started.clear();
  await Promise.all(
    all.map((c) => {
      if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve();
      c.kill('SIGKILL');
      return exited(c);
    }),
  );
}

/** Waits until `check` is true (polling), or fails saying what it waited for. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface StoredRun {
  summary: RunSummary;
  series: Record<string, Buffer>;
}

/** Every run of a database by configuration and seeds, with its series' bytes. */
export function runsOf(file: string): Map<string, StoredRun> {
  const store = RunStore.open(file);
  try {
    const out = new Map<string, StoredRun>();
    for (const r of store.listRuns({ order: 'oldest' })) {
      const key = `${r.configKey}|${r.initSeed}|${r.dataSeed}`;
      if (out.has(key)) throw new Error(`two runs of ${key} in ${file}`);
      const series = Object.fromEntries(Object.entries(store.getSeries(r.id)).map(([name, s]) => [name, Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength)]));
      out.set(key, { summary: r, series });
    }
    return out;
  } finally {
    store.close();
  }
}

/** The same runs, bit for bit: every series and every stored number. */
export function expectSameRuns(remote: Map<string, StoredRun>, local: Map<string, StoredRun>): void {
  expect([...remote.keys()].sort()).toEqual([...local.keys()].sort());
  const fields = ['status', 'batchesRun', 'finalCost', 'finalMse', 'testMse', 'baselineMse', 'failed', 'kernel'] as const;
  for (const [key, r] of remote) {
    const l = local.get(key)!;
    expect(Object.keys(r.series).sort(), key).toEqual(Object.keys(l.series).sort());
    for (const name of Object.keys(r.series)) expect(r.series[name].equals(l.series[name]), `${key} ${name}`).toBe(true);
    for (const f of fields) expect(r.summary[f], `${key} ${f}`).toStrictEqual(l.summary[f]);
  }
}

/** The test's own look at a queue; a connection error fails the call that meets it (no stray error events). */
export function testQueue(redis: TestRedis, name = 'nnlab'): Queue {
  const q = new Queue(name, { connection: { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: 1 } });
  q.on('error', () => {});
  return q;
}

/** The jobs Redis still holds for a queue (collected jobs are removed). */
export async function jobCounts(redis: TestRedis, name = 'nnlab'): Promise<Record<string, number>> {
  const q = testQueue(redis, name);
  try {
    return await q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed');
  } finally {
    await q.close();
  }
}

/** Runs of a database that are done (0 before it exists). */
export function doneCount(db: string): number {
  try {
    const store = RunStore.open(db);
    try {
      return store.countRuns({ status: 'done' });
    } finally {
      store.close();
    }
  } catch {
    return 0; // not created yet
  }
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}
