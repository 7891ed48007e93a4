/**
 * Step-through of a live run (issue 15) through the real pool and a real trainer process: a run
 * started paused waits at batch 0, steps 1 and then N batches (a paused message with its cost and
 * weights each time it stops), pauses mid-run, resumes, and ends with the same bits as the same
 * run trained straight in the same kind of process.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { nodeLauncher } from '../../src-main/lab/launch';
import { type JobOutcome, TrainerPool } from '../../src-main/lab/pool';
import type { PausedMessage } from '../../src-main/worker/protocol';
import { ToWorkerSchema } from '../../src-main/worker/protocol';

const pool = new TrainerPool({ size: 1, launch: nodeLauncher() });
afterAll(() => pool.close('the test ended'));

const spec = { batches: 400, checkpoints: 8 };
const bits = (a: ArrayLike<number>) => Buffer.from(Float64Array.from(a).buffer).toString('base64');

/** Waits for the next paused message (the queue holds those that came before it was asked for). */
function pausedQueue() {
  const got: PausedMessage[] = [];
  const waiters: ((p: PausedMessage) => void)[] = [];
  return {
    onPaused: (p: PausedMessage) => (waiters.length ? waiters.shift()!(p) : got.push(p)),
    next: () => (got.length ? Promise.resolve(got.shift()!) : new Promise<PausedMessage>((resolve) => waiters.push(resolve))),
  };
}

describe('lab/pool step-through (pause, step, resume in a trainer process)', () => {
  it('steps a run started paused one batch, then 10, pauses it mid-run and resumes: the same bits as the run trained straight', async () => {
    const straight = (await pool.submit({ type: 'start', spec }).outcome) as Extract<JobOutcome, { kind: 'result' }>;
    expect(straight.kind).toBe('result');
    const s = straight.result;

    const q = pausedQueue();
    const job = pool.submit({ type: 'start', spec, paused: true }, { onPaused: q.onPaused });
    const at0 = await q.next();
    expect(at0.batchesDone).toBe(0);
    expect(Number.isNaN(at0.cost)).toBe(true);
    // the weights at batch 0 are the initial network, the run's first weight checkpoint
    const n = s.finalWeights.length;
    expect(bits(at0.weights!)).toBe(bits(s.weightCheckpoints!.weights.subarray(0, n)));

    expect(job.control({ type: 'step', batches: 1 })).toBe(true);
    const at1 = await q.next();
    expect([at1.batchesDone, at1.cost]).toEqual([1, s.costHistory[0]]);
    expect(job.control({ type: 'step', batches: 10 })).toBe(true);
    const at11 = await q.next();
    expect([at11.batchesDone, at11.cost]).toEqual([11, s.costHistory[10]]);
    // a step changes the weights; stepping again from where it stopped
    expect(bits(at11.weights!)).not.toBe(bits(at1.weights!));
    // the test scores at a pause are the checkpoint's, bit for bit, where the pause is at a checkpoint (0 and 50)
    const metricsAt = (batch: number) => {
      const k = s.checkpoints.batches.indexOf(batch);
      expect(k).toBeGreaterThanOrEqual(0);
      const m = s.checkpoints.metrics;
      return [m[k * 5 + 1], m[k * 5 + 3]];
    };
    expect([at0.testLoss, at0.testMetric]).toEqual(metricsAt(0));
    expect(Number.isFinite(at0.testLoss)).toBe(true);
    expect(job.control({ type: 'step', batches: 39 })).toBe(true);
    const at50 = await q.next();
    expect(at50.batchesDone).toBe(50);
    expect([at50.testLoss, at50.testMetric]).toEqual(metricsAt(50));
    expect(at50.testLoss).not.toBe(at0.testLoss);

    // resume, then pause: it stops after the chunk it is in, wherever that is, and says so (unless
    // the 400 batches ran out first: a pause that comes too late finds nothing to pause)
    expect(job.control({ type: 'resume' })).toBe(true);
    expect(job.control({ type: 'pause' })).toBe(true);
    const mid = await Promise.race([q.next(), job.outcome.then(() => null)]);
    if (mid) {
      expect(mid.batchesDone).toBeGreaterThanOrEqual(50);
      expect(mid.batchesDone).toBeLessThan(400);
      expect(mid.cost).toBe(s.costHistory[mid.batchesDone - 1]);
      expect(job.control({ type: 'resume' })).toBe(true);
    }

    const stepped = (await job.outcome) as Extract<JobOutcome, { kind: 'result' }>;
    expect(stepped.kind).toBe('result');
    expect(stepped.cancelled).toBe(false);
    const r = stepped.result;
    expect(bits(r.costHistory)).toBe(bits(s.costHistory));
    expect(bits(r.finalWeights)).toBe(bits(s.finalWeights));
    expect(bits(r.testEstimates)).toBe(bits(s.testEstimates));
    expect(bits(r.weightCheckpoints!.weights)).toBe(bits(s.weightCheckpoints!.weights));
    expect(r.weightCheckpoints!.batches).toEqual(s.weightCheckpoints!.batches);
    // the job has ended: nothing left to control
    expect(job.control({ type: 'resume' })).toBe(false);
  });

  it('cancels a paused run: it ends cancelled with its partial result, not waiting forever', async () => {
    const q = pausedQueue();
    const job = pool.submit({ type: 'start', spec, paused: true }, { onPaused: q.onPaused });
    await q.next();
    job.control({ type: 'step', batches: 3 });
    expect((await q.next()).batchesDone).toBe(3);
    expect(job.cancel()).toBe(true);
    const out = await job.outcome;
    expect(out.kind === 'result' || out.kind === 'cancelled').toBe(true);
    if (out.kind === 'result') expect([out.cancelled, out.result.costHistory.length >= 3]).toEqual([true, true]);
  });

  it('refuses a step of no batches or of more than a million, naming the field', () => {
    for (const batches of [0, -1, 1.5, 1_000_001]) {
      const r = ToWorkerSchema.safeParse({ type: 'step', jobId: 1, batches });
      expect(r.success).toBe(false);
      expect(r.error!.issues[0].path).toEqual(['batches']);
    }
    expect(ToWorkerSchema.safeParse({ type: 'step', jobId: 1, batches: 5 }).success).toBe(true);
    expect(ToWorkerSchema.safeParse({ type: 'pause' }).success).toBe(false);
  });
});
