/**
 * Sweeps over stored data sets through a job queue, with real parts (Debian's redis-server, real
 * `nnlab worker` processes, the built CLI): a CSV data set goes into Redis once by its content
 * hash and leaves with the sweep's last job; workers fetch it once each and check it before
 * training; Fashion-MNIST's files go the same way, for workers without them. Every run is compared with the
 * same run trained locally, bit for bit.
 */
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { FASHION_MNIST_FILES, fashionMnistHash } from '../../src-main/data/fashion-mnist';
import { skipUnlessRequired } from '../helpers/ci';
import { nnlab } from '../helpers/cli';
import { doneCount, expectSameRuns, jobCounts, redisMissing, runsOf, spawnNnlab, startRedis, startWorker, stopAll, type TestRedis, until } from '../helpers/redis';

const skip = redisMissing();
const tmp = () => mkdtempSync(join(tmpdir(), 'nnlab-queue-data-'));

/** A small CSV (two inputs, a numeric target, a two-class label), imported into each database; returns its sha256. */
function csvIn(dir: string, dbs: string[]): string {
  const rows = ['x1,x2,y,kind'];
  for (let i = 0; i < 120; i++) {
    const a = Math.sin(i * 12.9898) * 0.9;
    const b = Math.cos(i * 78.233) * 0.9;
    rows.push(`${a.toFixed(6)},${b.toFixed(6)},${(a * a - b).toFixed(6)},${a > b ? 'above' : 'below'}`);
  }
  const file = join(dir, 'points.csv');
  writeFileSync(file, `${rows.join('\n')}\n`);
  let sha = '';
  for (const db of dbs) {
    const r = nnlab(['data', 'import', file, '--db', db]);
    expect(r.status, r.stderr).toBe(0);
    sha = /--dataset ([0-9a-f]{64})/.exec(r.stdout)![1];
  }
  return sha;
}

/** Every command Redis runs, by name, with its first key and the connection that sent it. */
async function monitor(redis: TestRedis): Promise<{ seen: { command: string; key: string; source: string }[]; stop(): void }> {
  const client = new Redis({ host: '127.0.0.1', port: redis.port });
  const m = await client.monitor();
  const seen: { command: string; key: string; source: string }[] = [];
  m.on('monitor', (_time: string, args: string[], source: string) => seen.push({ command: String(args[0]).toLowerCase(), key: String(args[1] ?? ''), source }));
  return {
    seen,
    stop: () => {
      m.disconnect();
      client.disconnect();
    },
  };
}

const dataKeys = (look: Redis) => look.keys('bull:nnlab:nnlab-data*');

afterEach(stopAll);

describe.skipIf(skip !== null)('queue: sweeps over stored data sets', { timeout: 400_000 }, () => {
  it('puts a CSV data set into Redis once for the whole sweep, has each worker fetch it once, trains bit for bit as here, and removes it with the last job', async () => {
    const redis = await startRedis();
    const dir = tmp();
    const db = join(dir, 'remote.sqlite');
    const localDb = join(dir, 'local.sqlite');
    const sha = csvIn(dir, [db, localDb]);
    // a classification (the label's class codes travel too), two configurations × 4 seeds
    const flags = ['--dataset', sha, '--inputs', 'x1,x2', '--label', 'kind', '--activation', 'relu,tanh', '--replicates', '4', '--batches', '300', '--no-progress'];
    const look = new Redis({ host: '127.0.0.1', port: redis.port });
    const mon = await monitor(redis);
    try {
      // no worker yet: the jobs wait, and the data set is in Redis once, named by its hash, with the 8 jobs as its users
      const sweep = spawnNnlab(['sweep', ...flags, '--queue', redis.url, '--db', db]);
      await until(async () => (await jobCounts(redis)).waiting === 8, 'the eight jobs are in the queue');
      const keys = (await dataKeys(look)).sort();
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(new RegExp(`^bull:nnlab:nnlab-data-users:${sha}:[0-9a-f]{64}$`));
      expect(keys[1]).toBe(keys[0].replace('nnlab-data-users:', 'nnlab-data:'));
      expect(await look.scard(keys[0])).toBe(8);
      const size = await look.strlen(keys[1]);
      // the columns the runs use (2 inputs as float64, the label's codes), not one copy per job
      expect(size).toBeGreaterThan(120 * 8 * 2);
      expect(size).toBeLessThan(20_000);
      expect(nnlab(['queue', 'status', '--queue', redis.url, '--db', db]).stdout).toContain(`\ndata sets in Redis for its jobs: 1 (${(size / 1024).toFixed(1)} kB)\nruns of ${db} waiting there: 8\n`);
      // workers started after the data set was put
      const workers = await Promise.all(['w1', 'w2'].map((n) => startWorker(redis, n)));
      expect(await sweep.exited).toEqual({ code: 0, signal: null });
      expect(sweep.stderr()).toBe('');
      const local = nnlab(['sweep', ...flags, '--processes', '1', '--db', localDb]);
      expect(local.status, local.stderr).toBe(0);
      const r = runsOf(db);
      expect(r.size).toBe(8);
      expect([...r.values()].every((x) => x.summary.status === 'done')).toBe(true);
      expectSameRuns(r, runsOf(localDb));
      // collected: no job and no data set left in Redis
      await until(async () => (await dataKeys(look)).length === 0, 'the data set leaves Redis with the last job');
      expect(await jobCounts(redis)).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
      expect(nnlab(['queue', 'status', '--queue', redis.url, '--db', db]).stdout).toContain('\ndata sets in Redis for its jobs: 0\n');
      // sent once (one SET of its key), fetched at most once per worker connection
      const dataKey = keys[1];
      expect(mon.seen.filter((c) => c.command === 'set' && c.key === dataKey)).toHaveLength(1);
      const gets = mon.seen.filter((c) => c.command === 'get' && c.key === dataKey);
      expect(gets.length).toBeGreaterThanOrEqual(1);
      expect(gets.length).toBeLessThanOrEqual(2);
      expect(new Set(gets.map((g) => g.source)).size).toBe(gets.length);
      for (const w of workers) {
        expect(await w.stop()).toEqual({ code: 0, signal: null });
        expect(w.stderr()).toMatch(/: trained \d+ runs?, refused 0, rejected 0, failed 0\n/);
      }
    } finally {
      mon.stop();
      look.disconnect();
    }
  });

  it('fails a run whose data set in Redis is not the one it was sent with, naming the data set and the hashes, and never trains on it', async () => {
    const redis = await startRedis();
    const dir = tmp();
    const db = join(dir, 'remote.sqlite');
    const sha = csvIn(dir, [db]);
    const look = new Redis({ host: '127.0.0.1', port: redis.port });
    try {
      const sweep = spawnNnlab(['sweep', '--dataset', sha, '--inputs', 'x1,x2', '--targets', 'y', '--replicates', '2', '--batches', '50', '--queue', redis.url, '--db', db, '--no-progress']);
      await until(async () => (await jobCounts(redis)).waiting === 2, 'the two jobs are in the queue');
      const key = (await dataKeys(look)).find((k) => k.includes(':nnlab-data:'))!;
      const digest = key.split(':').pop()!;
      // one value changed in place: same size, other bytes
      const payload = (await look.getBuffer(key))!;
      payload[payload.length - 1] ^= 1;
      await look.set(key, payload);
      const w1 = await startWorker(redis, 'w1');
      // a sweep with failed runs ends as a local one does: the table says how many failed
      expect(await sweep.exited).toEqual({ code: 0, signal: null });
      expect(sweep.stdout()).toMatch(/^experiment #1: 2 runs saved in /);
      const runs = [...runsOf(db).values()];
      expect(runs.map((x) => x.summary.status)).toEqual(['failed', 'failed']);
      for (const x of runs) {
        // not retried: every worker would read the same bytes
        expect(x.summary.error).toMatch(
          new RegExp(`^worker w1: data set points\\.csv \\(sha256 ${sha}\\) in the queue is not the one the run was sent with: its ${payload.length} bytes have sha256 (?!${digest})[0-9a-f]{64}, the run names ${payload.length} bytes with sha256 ${digest}; not trained on other data$`),
        );
        expect(x.summary.batchesRun ?? 0).toBe(0);
      }
      expect(w1.stderr()).toMatch(/run #1 of .* not trained: data set points\.csv/);
      await until(async () => (await dataKeys(look)).length === 0, 'the data set leaves Redis with the last job');
      expect(await jobCounts(redis)).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
      await w1.stop();
    } finally {
      look.disconnect();
    }
  });

  it('puts the data set back when Redis restarts without its data, for a worker that never had it', async () => {
    const redis = await startRedis();
    const dir = tmp();
    const db = join(dir, 'remote.sqlite');
    const localDb = join(dir, 'local.sqlite');
    const sha = csvIn(dir, [db, localDb]);
    const flags = ['--dataset', sha, '--inputs', 'x1,x2', '--targets', 'y', '--batches', '5000', '--replicates', '8', '--no-progress'];
    const w1 = await startWorker(redis, 'w1');
    const sweep = spawnNnlab(['sweep', ...flags, '--queue', redis.url, '--db', db]);
    await until(() => doneCount(db) >= 2, 'two runs are stored');
    // w1 goes (its data set in memory with it), and Redis loses everything
    expect(await w1.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    await redis.stop('SIGKILL');
    await redis.start({ fresh: true });
    const w2 = await startWorker(redis, 'w2');
    expect(await sweep.exited).toEqual({ code: 0, signal: null });
    expect(sweep.stderr()).toMatch(/nnlab: the jobs of \d+ runs? \(#\d+(, #\d+)*(, …)?\) were not in the queue \(a Redis restarted without its append-only file loses its jobs\): sent again\n/);
    const r = runsOf(db);
    expect([...r.values()].map((x) => x.summary.status)).toEqual(Array(8).fill('done'));
    expect([...r.values()].some((x) => x.summary.remote?.worker === 'w2')).toBe(true);
    const local = nnlab(['sweep', ...flags, '--processes', '1', '--db', localDb]);
    expect(local.status, local.stderr).toBe(0);
    expectSameRuns(r, runsOf(localDb));
    const look = new Redis({ host: '127.0.0.1', port: redis.port });
    try {
      await until(async () => (await dataKeys(look)).length === 0, 'the data set leaves Redis with the last job');
    } finally {
      look.disconnect();
    }
    // w2 fetched the data set the lab put back: no run failed for want of it
    expect(await w2.stop()).toEqual({ code: 0, signal: null });
    expect(w2.stderr()).toMatch(/: trained [1-9]\d* runs?, refused 0, rejected 0, failed 0\n/);
  });

  const fashion = existsSync('/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz');
  const noFashion = skipUnlessRequired(fashion ? null : 'Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)', 'fashion-mnist', 'linux');
  it.skipIf(noFashion !== null)('sends Fashion-MNIST through Redis once by its content hash: a worker without the files trains on the lab’s copy (checked, bit for bit as here), one with them reads its own', async () => {
    const redis = await startRedis();
    const dir = tmp();
    const nowhere = join(dir, 'nowhere');
    mkdirSync(nowhere);
    const hash = fashionMnistHash();
    const flags = ['--task', 'fashion-mnist', '--shape', '784,4,10', '--batches', '20', '--checkpoints', '1', '--replicates', '2', '--no-progress'];
    const db = join(dir, 'remote.sqlite');
    const look = new Redis({ host: '127.0.0.1', port: redis.port });
    try {
      // no worker yet: the files are in Redis once, under their content hash, with the two jobs as their users
      const sweep = spawnNnlab(['sweep', ...flags, '--queue', redis.url, '--db', db]);
      let ended = false;
      void sweep.exited.then(() => (ended = true));
      await until(async () => (await jobCounts(redis)).waiting === 2, 'the two jobs are in the queue');
      const keys = (await dataKeys(look)).sort();
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(new RegExp(`^bull:nnlab:nnlab-data-users:${hash}:[0-9a-f]{64}$`));
      expect(await look.scard(keys[0])).toBe(2);
      // Debian's four gzipped files as they are (30,878,551 bytes) and a header
      const size = await look.strlen(keys[1]);
      const files = FASHION_MNIST_FILES.reduce((n, f) => n + statSync(`/usr/share/datasets/fashion-mnist/${f}.gz`).size, 0);
      expect(size).toBeGreaterThan(files);
      expect(size).toBeLessThan(files + 4096);
      // reading and hashing the files takes a while on a loaded machine: no stall in between
      const slow = ['--stall-timeout', '120'];
      const bare = await startWorker(redis, 'bare', slow, { NNLAB_FASHION_MNIST: nowhere });
      // (it refused the runs for ever before: 'Fashion-MNIST is not installed')
      await until(() => ended || /refusing the runs/.test(bare.stderr()), 'the sweep ends');
      expect(bare.stderr()).not.toMatch(/refusing/);
      expect(await sweep.exited).toEqual({ code: 0, signal: null });
      expect(sweep.stderr()).toBe('');
      const localDb = join(dir, 'local.sqlite');
      const local = nnlab(['sweep', ...flags, '--processes', '1', '--db', localDb]);
      expect(local.status, local.stderr).toBe(0);
      const r = runsOf(db);
      expect(r.size).toBe(2);
      expectSameRuns(r, runsOf(localDb));
      for (const x of r.values()) expect(x.summary.remote?.worker).toBe('bare');
      // fetched once for both runs, and said where it is kept
      const said = bare.stderr().match(/: Fashion-MNIST is not installed: no .*nowhere\/train-images-idx3-ubyte\.gz .*: trains the runs on fashion-mnist with the lab's copy from the queue \(29\.4 MB, content hash ([0-9a-f]{12})…, checked; kept in (\S+) while this worker runs\)\n/g) ?? [];
      expect(said).toHaveLength(1);
      const [, short, folder] = /content hash ([0-9a-f]{12})…, checked; kept in (\S+) while/.exec(said[0]!)!;
      expect(short).toBe(hash.slice(0, 12));
      expect(existsSync(join(folder, 'train-images-idx3-ubyte.gz'))).toBe(true);
      await until(async () => (await dataKeys(look)).length === 0, 'the files leave Redis with the last job');
      expect(await jobCounts(redis)).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 });
      expect(await bare.stop()).toEqual({ code: 0, signal: null });
      expect(bare.stderr()).toMatch(/: trained 2 runs, refused 0, rejected 0, failed 0\n/);
      // the worker's copy goes with it
      expect(existsSync(folder)).toBe(false);

      // a worker with the files of that hash reads its own and fetches nothing
      const full = await startWorker(redis, 'full', slow);
      const again = nnlab(['sweep', ...flags, '--seed', '7', '--queue', redis.url, '--db', db]);
      expect(again.status, again.stderr).toBe(0);
      const local2 = nnlab(['sweep', ...flags, '--seed', '7', '--processes', '1', '--db', localDb]);
      expect(local2.status, local2.stderr).toBe(0);
      const both = runsOf(db);
      expect(both.size).toBe(4);
      expectSameRuns(both, runsOf(localDb));
      expect([...both.values()].filter((x) => x.summary.remote?.worker === 'full')).toHaveLength(2);
      expect(await full.stop()).toEqual({ code: 0, signal: null });
      expect(full.stderr()).not.toMatch(/lab's copy/);
      expect(full.stderr()).toMatch(/: trained 2 runs, refused 0, rejected 0, failed 0\n/);
    } finally {
      look.disconnect();
    }
  });
});
