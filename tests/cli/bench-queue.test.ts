import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatQueue, measureQueue } from '../../src-main/cli/bench-queue';
import { CLI, ROOT } from '../helpers/cli';
import { redisMissing, until } from '../helpers/redis';

/** Running (a zombie that no one has reaped yet counts as gone). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const skip = redisMissing();

describe.skipIf(skip !== null)('cli/bench-queue', () => {
  it('times sweeps on the local pool and on workers through a Redis it starts and stops, with the overhead per run (figures, not thresholds)', async () => {
    // tiny sweeps: the figures and their text are checked here; the bench itself is `nnlab bench --queue`
    const sweeps = [
      { name: '4 seed-sized runs', sweep: { replicates: 4 } },
      { name: '2 runs of [1,64,64,2]', sweep: { base: { shape: [1, 64, 64, 2], batches: 20 }, replicates: 2 } },
    ];
    const q = await measureQueue({ rounds: 2, sweeps, workerCounts: [1, 2] });
    expect(q.rows.map((r) => `${r.sweep}: ${r.where} ${r.processes || r.workers}`)).toEqual(
      sweeps.flatMap((s) => [`${s.name}: local 1`, `${s.name}: queue 1`, `${s.name}: queue 2`]),
    );
    for (const r of q.rows) {
      expect(r.runs).toBe(r.sweep.startsWith('4') ? 4 : 2);
      expect(r.runsPerSecond).toBeGreaterThan(0);
      expect(r.msPerRun).toBeCloseTo(1000 / r.runsPerSecond, 6);
      expect(r.trainMsPerRun).toBeGreaterThan(0);
      if (process.platform === 'linux') expect(r.cpuMsPerRun!.lab).toBeGreaterThan(0);
      if (process.platform === 'linux' && r.where === 'queue') expect(r.cpuMsPerRun!.workers).not.toBeNull();
    }
    const one = (name: string, where: string) => q.rows.find((r) => r.sweep === name && `${r.where} ${r.processes || r.workers}` === where)!;
    for (const s of sweeps) expect(q.overheadMsPerRun[s.name]).toBeCloseTo(one(s.name, 'queue 1').msPerRun - one(s.name, 'local 1').msPerRun, 6);
    const text = formatQueue(q);
    expect(text).toMatch(/^\| sweep \| trained by \| runs\/s \| ms per run \| vs local pool \|/);
    expect(text).toContain('| 4 seed-sized runs | 2 nnlab workers via Redis |');
    if (process.platform === 'linux') expect(text).toMatch(/4 seed-sized runs, in CPU: through the queue a run costs the lab \d+\.\d\d ms, Redis \d+\.\d\d ms and the worker's main process \d+\.\d\d ms, against \d+\.\d\d ms for the lab with its own pool: the queue adds about -?\d+\.\d ms of CPU/);
    expect(text).toMatch(/Queue overhead per run \(1 worker's ms per run − 1 local trainer process's\): 4 seed-sized runs: -?\d+\.\d\d ms; 2 runs of \[1,64,64,2\]: -?\d+\.\d\d ms\. Median of 2 rounds/);
    // one round is no median ('Median of 1 rounds' before)
    expect(formatQueue({ ...q, rounds: 1 })).toContain('. One round (not a median), the kinds in a new order each round');
  }, 240_000);

  it.skipIf(process.platform !== 'linux')('takes its redis-server and workers with it when it is killed mid-run (SIGKILL)', async () => {
    const bench = spawn(process.execPath, [CLI, 'bench', '--queue', '--seconds', '0.05', '--rounds', '1', '--workloads', 'seed', '--impls', 'nnlab-wasm-f64', '--no-product', '--no-tfjs', '--no-sweeps', '--no-store'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let said = '';
    bench.stdout!.on('data', (c: Buffer) => (said += c.toString()));
    bench.stderr!.on('data', (c: Buffer) => (said += c.toString()));
    const exited = new Promise((r) => bench.once('exit', r));
    try {
      await until(() => /seed-sized runs: local pool of 1/.test(said), 'the bench has started Redis and its workers and times the first queue sweep', 240_000);
      const children = spawnSync('pgrep', ['-P', String(bench.pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
      const ps = (pid: number, field: string) => spawnSync('ps', ['-o', `${field}=`, '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
      const names = children.map((pid) => ps(pid, 'comm'));
      // redis-server and the 7 workers (1 + 2 + 4), each the command itself (no wrapper in between:
      // a worker's argv[0] is node, not setpriv). Workers are told by their command line in /proc:
      // the local pool's trainer process is a node child of the bench too while (or just after) it
      // times the local sweep, and a process's name is no guide (Node 24 names its main thread
      // 'MainThread', so ps says that, not 'node'); ps -o args is cut at $COLUMNS where that is set.
      expect(names.filter((n) => n.startsWith('redis-server'))).toHaveLength(1);
      const argv = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const workers = children.filter((pid) => {
        const a = argv(pid);
        return a[0] === process.execPath && a.some((w, i) => w === 'worker' && a[i + 1] === '--queue');
      });
      expect(workers).toHaveLength(7);
      bench.kill('SIGKILL');
      await exited;
      await until(() => children.every((pid) => !alive(pid)), 'the killed bench’s redis-server and workers are gone');
    } finally {
      if (bench.exitCode === null && bench.signalCode === null) bench.kill('SIGKILL');
    }
  }, 400_000);
});
