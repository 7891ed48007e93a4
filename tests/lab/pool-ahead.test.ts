/**
 * Sending ahead (lab/pool.ts): a trainer process training a short run is sent its next short run
 * before the result of the one it trains is back, so it goes straight on to it. Through the real
 * pool and real trainer processes: the order of messages shows it; a run sent ahead is cancelled,
 * taken back when the run before it is paused, and queued again when its process dies, never
 * started twice, and every result is bit for bit the run's result trained alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type LaunchTrainer, nodeLauncher } from '../../src-main/lab/launch';
import { type JobOutcome, TrainerPool } from '../../src-main/lab/pool';
import { parseRunSpec } from '../../src-main/trainer/spec';

const bits = (a: ArrayLike<number>) => Buffer.from(Float64Array.from(a).buffer).toString('base64');
const spec = (initSeed: number, batches = 300) => parseRunSpec({ initSeed, batches, checkpoints: 8 });

/** nodeLauncher, with every message to and from the processes logged in order. */
function loggingLauncher(log: string[], pids: number[]): LaunchTrainer {
  const launch = nodeLauncher();
  return (handlers) => {
    const proc = launch({
      onMessage: (m) => {
        const msg = m as { type: string; jobId?: number };
        if (msg.type !== 'alive') log.push(`got ${msg.type} ${msg.jobId ?? ''}`.trim());
        handlers.onMessage(m);
      },
      onExit: handlers.onExit,
    });
    if (proc.pid !== undefined) pids.push(proc.pid);
    return {
      pid: proc.pid,
      send: (m) => {
        const msg = m as { type: string; jobId?: number };
        log.push(`sent ${msg.type} ${msg.jobId ?? ''}`.trim());
        proc.send(m);
      },
      kill: () => proc.kill(),
    };
  };
}

type Result = Extract<JobOutcome, { kind: 'result' }>;

let pool: TrainerPool | null = null;
afterEach(() => {
  pool?.close('the test ended');
  pool = null;
});

/** The results of these specs each trained alone, on a process of their own pool (nothing sent ahead: one job at a time). */
async function alone(specs: ReturnType<typeof spec>[]): Promise<Result[]> {
  const p = new TrainerPool({ size: 1, launch: nodeLauncher() });
  try {
    const out: Result[] = [];
    for (const s of specs) out.push((await p.submit({ type: 'start', spec: s }).outcome) as Result);
    return out;
  } finally {
    p.close('done');
  }
}

function expectSameBits(a: Result, b: Result): void {
  expect(a.kind).toBe('result');
  expect(b.kind).toBe('result');
  expect(bits(a.result.costHistory)).toBe(bits(b.result.costHistory));
  expect(bits(a.result.finalWeights)).toBe(bits(b.result.finalWeights));
  expect(bits(a.result.testEstimates)).toBe(bits(b.result.testEstimates));
}

describe('lab/pool: the next short run sent ahead', () => {
  it('sends a process its next seed-sized run while it trains the current one; the results are those of each run alone', async () => {
    const log: string[] = [];
    pool = new TrainerPool({ size: 1, launch: loggingLauncher(log, []) });
    await pool.warm();
    const specs = [1, 2, 3, 4].map((seed) => spec(seed));
    const started: number[] = [];
    const jobs = specs.map((s, i) => pool!.submit({ type: 'start', spec: s }, { onStart: () => started.push(i) }));
    const results = (await Promise.all(jobs.map((j) => j.outcome))) as Result[];
    const starts = log.filter((l) => l.startsWith('sent start')).map((l) => log.indexOf(l));
    const resultsAt = log.filter((l) => l.startsWith('got result')).map((l) => log.indexOf(l));
    expect(starts).toHaveLength(4);
    expect(resultsAt).toHaveLength(4);
    // job k+1 went to the process before job k's result came back (before: only after it)
    for (let k = 0; k < 3; k++) expect(starts[k + 1]).toBeLessThan(resultsAt[k]);
    // each job counts as started when the process reaches it, in order
    expect(started).toEqual([0, 1, 2, 3]);
    const ref = await alone(specs);
    results.forEach((r, i) => expectSameBits(r, ref[i]));
  });

  it('sends nothing ahead of a long run (a Fashion-MNIST-sized network) or a run started paused', async () => {
    const log: string[] = [];
    pool = new TrainerPool({ size: 1, launch: loggingLauncher(log, []) });
    await pool.warm();
    const long = pool.submit({ type: 'start', spec: parseRunSpec({ shape: [1, 512, 512, 2], batches: 2000, batchSize: 32 }) });
    const after = pool.submit({ type: 'start', spec: spec(1) });
    expect(log.filter((l) => l.startsWith('sent start'))).toHaveLength(1);
    long.cancel();
    expect((await long.outcome).kind).toBe('result');
    expect((await after.outcome).kind).toBe('result');
    log.length = 0;
    const paused = pool.submit({ type: 'start', spec: spec(2), paused: true });
    const behind = pool.submit({ type: 'start', spec: spec(3) });
    expect(log.filter((l) => l.startsWith('sent start'))).toHaveLength(1);
    expect(paused.control({ type: 'resume' })).toBe(true);
    expect((await paused.outcome).kind).toBe('result');
    expect((await behind.outcome).kind).toBe('result');
  });

  it('cancels a run sent ahead before it starts: it ends cancelled, never started, and the run before it is untouched', async () => {
    const log: string[] = [];
    pool = new TrainerPool({ size: 1, launch: loggingLauncher(log, []) });
    await pool.warm();
    const firstStarted: number[] = [];
    const a = pool.submit({ type: 'start', spec: spec(1, 4000) });
    const b = pool.submit({ type: 'start', spec: spec(2) }, { onStart: () => firstStarted.push(2) });
    expect(log).toContain(`sent start 2`);
    expect(b.cancel()).toBe(true);
    expect(await b.outcome).toEqual({ kind: 'cancelled' });
    expect(log).toContain('got withdrawn 2');
    expect(firstStarted).toEqual([]);
    const ra = (await a.outcome) as Result;
    expect(ra.cancelled).toBe(false);
    expectSameBits(ra, (await alone([spec(1, 4000)]))[0]);
    // the process goes on with the queue
    expect((await pool.submit({ type: 'start', spec: spec(3) }).outcome).kind).toBe('result');
  });

  it('takes back the run sent ahead when the run before it is paused: it waits in the queue and starts after the resumed run', async () => {
    const log: string[] = [];
    pool = new TrainerPool({ size: 1, launch: loggingLauncher(log, []) });
    await pool.warm();
    const order: string[] = [];
    const a = pool.submit({ type: 'start', spec: spec(1, 4000) }, { onPaused: () => order.push('a paused') });
    const b = pool.submit({ type: 'start', spec: spec(2) }, { onStart: () => order.push('b started') });
    expect(a.control({ type: 'pause' })).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(log).toContain('got withdrawn 2');
    expect(order).toEqual(['a paused']);
    expect(a.control({ type: 'resume' })).toBe(true);
    const [ra, rb] = (await Promise.all([a.outcome, b.outcome])) as Result[];
    expect(order).toEqual(['a paused', 'b started']);
    // sent once ahead, taken back, sent again
    expect(log.filter((l) => l === 'sent start 2')).toHaveLength(2);
    const ref = await alone([spec(1, 4000), spec(2)]);
    expectSameBits(ra, ref[0]);
    expectSameBits(rb, ref[1]);
  });

  it('queues a run sent ahead again when its process is killed: only the running run is a crash, the other trains once on the new process with the same bits', async () => {
    const log: string[] = [];
    const pids: number[] = [];
    pool = new TrainerPool({ size: 1, launch: loggingLauncher(log, pids) });
    await pool.warm();
    const startedB: (number | undefined)[] = [];
    const a = pool.submit({ type: 'start', spec: spec(1, 4000) });
    const b = pool.submit({ type: 'start', spec: spec(2) }, { onStart: (pid) => startedB.push(pid) });
    expect(log).toContain('sent start 2');
    process.kill(pids[0], 'SIGKILL');
    const oa = await a.outcome;
    expect(oa.kind).toBe('crash');
    const rb = (await b.outcome) as Result;
    expect(pids).toHaveLength(2);
    // started once, on the new process
    expect(startedB).toEqual([pids[1]]);
    expectSameBits(rb, (await alone([spec(2)]))[0]);
  });

  it('ends a run sent ahead as not started when the queue is dropped', async () => {
    pool = new TrainerPool({ size: 1, launch: nodeLauncher() });
    await pool.warm();
    const a = pool.submit({ type: 'start', spec: spec(1, 4000) });
    const b = pool.submit({ type: 'start', spec: spec(2) });
    const c = pool.submit({ type: 'start', spec: spec(3) });
    pool.dropQueued('not started: the disk is full');
    expect(await c.outcome).toEqual({ kind: 'not-started', reason: 'not started: the disk is full' });
    expect(await b.outcome).toEqual({ kind: 'not-started', reason: 'not started: the disk is full' });
    expect((await a.outcome).kind).toBe('result');
  });
});
