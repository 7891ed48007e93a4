/**
 * The job-queue part of `nnlab bench --queue`: runs per second of two sweeps — 200 seed-sized
 * runs and 20 runs of [1,64,64,2] — trained by the local pool and by 1, 2 and 4 `nnlab worker`
 * processes on this machine through a Redis it starts (redis-server from PATH, append-only file
 * on, as the README tells users), and what the queue costs per run. On one machine the point is
 * the overhead, not the speed-up: the workers share its cores with the lab and Redis.
 *
 * Every kind is timed once per round, in a new order each round, on a fresh database; workers are
 * started (and warmed by a sweep) before the clock, each group on a queue of its own, as a lab's
 * spare machines would be. The clock runs from submitting the sweep to the last result stored.
 * CPU per run is read from /proc on Linux: the lab's process, redis-server, and the workers' main
 * processes (their trainer processes excluded), which is what bounds a sweep on N machines.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '../analysis/stats';
import { freePort } from './free-port';
import { RunStore } from '../db';
import { findBuilt } from '../lab/paths';
import { LabService } from '../lab/service';
import { parseQueueTarget } from '../queue/connection';
import type { RunQueue } from '../queue/lab-queue';
import { spawnTied } from './tied';
import { now } from '../trainer/clock';

export const QUEUE_SWEEPS = [
  { name: '200 seed-sized runs', sweep: { grid: { activation: ['relu', 'sigmoid'] }, replicates: 100 } },
  { name: '20 runs of [1,64,64,2]', sweep: { base: { shape: [1, 64, 64, 2] }, replicates: 20 } },
] as const;
export const QUEUE_WORKER_COUNTS = [1, 2, 4] as const;

export interface QueueBenchRow {
  sweep: string;
  /** 'local' (the lab's pool of `processes`), or 'queue' with `workers` nnlab workers. */
  where: 'local' | 'queue';
  processes: number;
  workers: number;
  runs: number;
  runsPerSecond: number;
  msPerRun: number;
  trainMsPerRun: number;
  /** CPU ms per run of the lab's process, redis-server and the workers' main processes (Linux; null elsewhere). */
  cpuMsPerRun: { lab: number; redis: number | null; workers: number | null } | null;
}

export interface QueueBench {
  rounds: number;
  rows: QueueBenchRow[];
  /** ms per run on 1 worker minus ms per run on 1 local trainer process, per sweep. */
  overheadMsPerRun: Record<string, number>;
}

/** utime + stime of a process, in ms (Linux /proc; null elsewhere or when it is gone). */
function cpuMsOf(pid: number | undefined): number | null {
  if (pid === undefined || process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11], [12]: utime, stime in clock ticks (100 per second on Linux)
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

function waitForLine(child: ChildProcess, pattern: RegExp, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    // generous: a worker starts its trainer processes before it is ready, slowly on a loaded machine
    const timer = setTimeout(() => reject(new Error(`bench: ${what} did not start within 120 s: ${seen}`)), 120_000);
    const on = (c: Buffer) => {
      seen += c.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', (c: Buffer) => (seen += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench: ${what} exited (${code}) before it was ready: ${seen}`));
    });
  });
}

const stop = (c: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
  });

export interface QueueBenchOptions {
  rounds: number;
  /** The sweeps to time (default QUEUE_SWEEPS; tests pass small ones). */
  sweeps?: readonly { name: string; sweep: { replicates: number } & Record<string, unknown> }[];
  /** Worker counts (default 1, 2 and 4). */
  workerCounts?: readonly number[];
  log?: (s: string) => void;
}

/** Measures the sweeps; throws an Error saying why when redis-server cannot be started. */
export async function measureQueue(options: QueueBenchOptions): Promise<QueueBench> {
  const { rounds } = options;
  const log = options.log ?? (() => {});
  const sweeps = options.sweeps ?? QUEUE_SWEEPS;
  const counts = options.workerCounts ?? QUEUE_WORKER_COUNTS;
  const cli = findBuilt(__dirname, ['cli.js', 'main/cli.js', 'out/main/cli.js']);
  if (!cli) throw new Error('bench --queue: the CLI is not built (no out/main/cli.js)');
  const dir = mkdtempSync(join(tmpdir(), 'nnlab-bench-queue-'));
  const port = await freePort();
  const redis = spawnTied('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const children: ChildProcess[] = [redis];
  const spawnFailed = new Promise<never>((_, reject) => redis.once('error', (e) => reject(new Error(`bench --queue needs redis-server on PATH (${e.message}); apt-get install redis-server`))));
  const { RunQueue: Queue } = await import('../queue/lab-queue');
  try {
    await Promise.race([waitForLine(redis, /Ready to accept connections/, 'redis-server'), spawnFailed]);
    const url = `redis://127.0.0.1:${port}/0`;
    // one queue per group of workers, so each group serves only its own sweeps
    const workers = new Map<number, ChildProcess[]>();
    for (const k of counts) {
      const group: ChildProcess[] = [];
      for (let i = 0; i < k; i++) {
        const w = spawnTied(process.execPath, [cli, 'worker', '--queue', url, '--queue-name', `bench-${k}`, '--concurrency', '1', '--name', `bench-${k}-${i + 1}`], { stdio: ['ignore', 'pipe', 'pipe'] });
        children.push(w);
        group.push(w);
      }
      workers.set(k, group);
    }
    log(`starting ${children.length - 1} nnlab workers on ${url}…`);
    await Promise.all([...workers.values()].flat().map((w, i) => waitForLine(w, /: ready\n/, `worker ${i + 1}`)));

    const kinds: { where: 'local' | 'queue'; n: number }[] = [{ where: 'local', n: 1 }, ...counts.map((n) => ({ where: 'queue' as const, n }))];
    const once = async (kind: (typeof kinds)[number], sweep: unknown) => {
      const dbDir = mkdtempSync(join(dir, 'db-'));
      const store = RunStore.open(join(dbDir, 'bench.sqlite'));
      const lab = new LabService({ store, poolSize: kind.where === 'local' ? kind.n : 1, log });
      try {
        // a lab owns the queue it attaches (it closes it with itself): a new connection each time, before the clock
        const queue: RunQueue | null = kind.where === 'queue' ? await Queue.open(parseQueueTarget(url, `bench-${kind.n}`), { log }) : null;
        if (queue) await lab.attachQueue(queue);
        else await lab.warm();
        const group = queue ? workers.get(kind.n)! : [];
        const cpu0 = { lab: process.cpuUsage(), redis: cpuMsOf(redis.pid), workers: group.map((w) => cpuMsOf(w.pid)) };
        const t0 = now();
        const { runIds } = lab.startSweep(sweep, queue ? { queue: {} } : {});
        await Promise.all(runIds.map((id) => lab.wait(id)));
        const seconds = (now() - t0) / 1000;
        const labCpu = process.cpuUsage(cpu0.lab);
        const redisCpu = cpuMsOf(redis.pid);
        const workerCpu = group.map((w) => cpuMsOf(w.pid));
        const runs = store.listRuns({ order: 'oldest' });
        const notDone = runs.filter((r) => r.status !== 'done');
        if (notDone.length) throw new Error(`bench --queue: ${notDone.length} of ${runs.length} runs did not finish (${notDone[0].status}: ${notDone[0].error})`);
        const sum = (xs: (number | null)[]) => (xs.some((x) => x === null) ? null : xs.reduce<number>((a, b) => a + (b ?? 0), 0));
        return {
          seconds,
          runs: runs.length,
          trainMs: runs.map((r) => r.trainMs ?? 0),
          labCpuMs: (labCpu.user + labCpu.system) / 1000,
          redisCpuMs: queue && redisCpu !== null && cpu0.redis !== null ? redisCpu - cpu0.redis : null,
          workersCpuMs: queue ? (() => {
            const before = sum(cpu0.workers);
            const after = sum(workerCpu);
            return before === null || after === null ? null : after - before;
          })() : null,
        };
      } finally {
        await lab.close();
        store.close();
        rmSync(dbDir, { recursive: true, force: true });
      }
    };

    const rows: QueueBenchRow[] = [];
    for (const { name, sweep } of sweeps) {
      // warm-up: every worker's JIT and trainer process, the lab's pool
      for (const kind of kinds) await once(kind, { ...sweep, replicates: Math.min(10, sweep.replicates) });
      const samples = kinds.map(() => [] as Awaited<ReturnType<typeof once>>[]);
      for (let r = 0; r < rounds; r++) {
        const order = kinds.map((_, i) => i);
        // a new order each round (rotated), so drifting load hits each kind alike
        for (let s = 0; s < r; s++) order.push(order.shift()!);
        for (const i of order) {
          log(`${name}: ${kinds[i].where === 'local' ? `local pool of ${kinds[i].n}` : `${kinds[i].n} worker${kinds[i].n > 1 ? 's' : ''} through Redis`} (${r + 1}/${rounds})…`);
          samples[i].push(await once(kinds[i], sweep));
        }
      }
      kinds.forEach((kind, i) => {
        const s = samples[i];
        const runs = s[0].runs;
        const seconds = median(s.map((x) => x.seconds));
        const perRun = (xs: (number | null)[]) => (xs.some((x) => x === null) ? null : median(xs as number[]) / runs);
        const linux = process.platform === 'linux';
        rows.push({
          sweep: name,
          where: kind.where,
          processes: kind.where === 'local' ? kind.n : 0,
          workers: kind.where === 'queue' ? kind.n : 0,
          runs,
          runsPerSecond: runs / seconds,
          msPerRun: (seconds * 1000) / runs,
          trainMsPerRun: median(s.flatMap((x) => x.trainMs)),
          cpuMsPerRun: linux ? { lab: perRun(s.map((x) => x.labCpuMs))!, redis: perRun(s.map((x) => x.redisCpuMs)), workers: perRun(s.map((x) => x.workersCpuMs)) } : null,
        });
      });
    }
    const overheadMsPerRun: Record<string, number> = {};
    for (const { name } of sweeps) {
      const local = rows.find((r) => r.sweep === name && r.where === 'local' && r.processes === 1)!;
      const one = rows.find((r) => r.sweep === name && r.where === 'queue' && r.workers === 1)!;
      overheadMsPerRun[name] = one.msPerRun - local.msPerRun;
    }
    return { rounds, rows, overheadMsPerRun };
  } finally {
    await Promise.all(children.slice(1).map(stop));
    await stop(redis);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatQueue(q: QueueBench): string {
  const lines = [
    '| sweep | trained by | runs/s | ms per run | vs local pool | trainer ms per run | CPU ms per run: lab / Redis / workers |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of q.rows) {
    const local = q.rows.find((x) => x.sweep === r.sweep && x.where === 'local')!;
    const cpu = r.cpuMsPerRun ? [r.cpuMsPerRun.lab, r.cpuMsPerRun.redis, r.cpuMsPerRun.workers].map((x) => (x === null ? '–' : x.toFixed(2))).join(' / ') : '–';
    const by = r.where === 'local' ? `local pool, ${r.processes} trainer process${r.processes > 1 ? 'es' : ''}` : `${r.workers} nnlab worker${r.workers > 1 ? 's' : ''} via Redis`;
    lines.push(`| ${r.sweep} | ${by} | ${r.runsPerSecond.toFixed(1)} | ${r.msPerRun.toFixed(2)} | ${(r.runsPerSecond / local.runsPerSecond).toFixed(2)}× | ${r.trainMsPerRun.toFixed(1)} | ${cpu} |`);
  }
  const over = Object.entries(q.overheadMsPerRun).map(([name, ms]) => `${name}: ${ms.toFixed(2)} ms`).join('; ');
  lines.push(
    '',
    `Queue overhead per run (1 worker's ms per run − 1 local trainer process's): ${over}. ${q.rounds === 1 ? 'One round (not a median)' : `Median of ${q.rounds} rounds`}, the kinds in a new order each round, a fresh database each sweep; workers started and warmed before the clock, all on this machine with the lab and Redis.`,
  );
  // CPU figures hold on a loaded machine, where wall time gives each process a share of the cores
  for (const { sweep } of q.rows.filter((r) => r.where === 'queue' && r.workers === 1)) {
    const one = q.rows.find((r) => r.sweep === sweep && r.where === 'queue' && r.workers === 1)!;
    const local = q.rows.find((r) => r.sweep === sweep && r.where === 'local')!;
    const c = one.cpuMsPerRun;
    if (!c || c.redis === null || c.workers === null || !local.cpuMsPerRun) continue;
    const added = c.lab + c.redis + c.workers - local.cpuMsPerRun.lab;
    lines.push(
      `${sweep}, in CPU: through the queue a run costs the lab ${c.lab.toFixed(2)} ms, Redis ${c.redis.toFixed(2)} ms and the worker's main process ${c.workers.toFixed(2)} ms, against ${local.cpuMsPerRun.lab.toFixed(2)} ms for the lab with its own pool: the queue adds about ${added.toFixed(1)} ms of CPU to a run that trains in ${one.trainMsPerRun.toFixed(1)} ms (${Math.round((100 * added) / one.trainMsPerRun)} %). With N worker machines runs/s is about N times one machine's, until the lab, which collects in one process, reaches about ${Math.round(1000 / c.lab)} runs/s.`,
    );
  }
  return lines.join('\n');
}
