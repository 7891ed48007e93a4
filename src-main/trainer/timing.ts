/**
 * Honest timing: the measurement. Trains each configuration several times in this one process —
 * first `warmup` rounds whose numbers are thrown away (JIT compilation, wasm instantiation, caches,
 * CPU frequency), then `repeats` timed rounds — interleaved: every round trains every configuration
 * once, in an order rotated by one each round, so a slow drift of the machine (thermal throttling,
 * another program waking up) hits every configuration alike instead of whichever ran last.
 *
 * Every batch is timed (timingEvery 1), not every 16th as in ordinary runs: phase times are then
 * sums over all batches rather than extrapolations from a sample, and the time to reach a target is
 * the sum of the step times up to that batch. Each reading of the clock costs a little; that cost
 * is measured (`clockOverheadUs`) and reported beside the numbers rather than subtracted. The
 * phases are the trainer's: forward includes drawing the batch's samples and the output error.
 *
 * Pure core: no I/O, no Node; the caller supplies the backend and, for a trainer process, the
 * cancel check and the event-loop yield. Summaries (median, IQR) are in analysis/timing.ts.
 */
import { now } from './clock';
import { driveAsync } from './drive';
import type { BackendFactory } from './network';
import type { RunSpec } from './spec';
import { Trainer } from './trainer';
import type { Task } from './tasks';

export interface TimingOptions {
  /** Timed rounds (each trains every configuration once). */
  repeats: number;
  /** Untimed rounds first. */
  warmup: number;
  /** Target MSE per sample for "time to target": the first batch whose trailing 10-batch mean MSE is at or below it. */
  targetMse: number;
  backend?: BackendFactory;
  /** The task of each configuration (in specs order; default: resolved from the spec, which a task on a data set cannot be). */
  tasks?: readonly Task[];
  /** Called after each training (warm-up ones included) with how many of `total` are done. */
  onProgress?: (done: number, total: number) => void;
  cancelled?: () => boolean;
  yieldTo?: () => Promise<void>;
}

/** One timed training of one configuration. */
export interface RepeatTiming {
  /** Timed round (0-based) and position within it (the order rotates each round). */
  round: number;
  position: number;
  /** µs per sample of each phase, over every batch of the run. */
  usPerSample: { forward: number; backward: number; update: number };
  /** Wall time of the run inside the trainer (every batch, checkpoints included), ms. */
  wallMs: number;
  /** Batches (1-based count) until the trailing 10-batch mean MSE first reached the target; null if never. */
  batchesToTarget: number | null;
  /** Step time (forward + backward + update) summed up to that batch, ms; null if never reached. */
  msToTarget: number | null;
  finalCost: number;
  status: 'done' | 'diverged';
}

export interface ConfigTiming {
  spec: RunSpec;
  kernel: string;
  batchesRun: number;
  repeats: RepeatTiming[];
  /** Every repeat (warm-up ones included) produced the same cost history bit for bit, as it must. */
  costsIdentical: boolean;
}

export interface TimingMeasurement {
  configs: ConfigTiming[];
  repeats: number;
  warmup: number;
  targetMse: number;
  /** Batches timed per run: every one (1). */
  timingEvery: 1;
  /** Median cost of one clock reading, µs (each batch reads the clock four times). */
  clockOverheadUs: number;
  /** Wall time of the whole measurement, ms. */
  totalMs: number;
}

/** Window of the trailing mean used for "time to target" (the same as the app's timing table). */
export const TARGET_WINDOW = 10;

/**
 * Batches (1-based count) until the trailing mean of `window` MSE values is first at or below
 * `target` (a shorter history uses its whole length); null if never. A non-finite value counts as
 * infinitely bad.
 */
export function batchesToTarget(mse: ArrayLike<number>, target: number, window = TARGET_WINDOW): number | null {
  const w = Math.max(1, Math.min(window, mse.length));
  let sum = 0;
  let bad = 0;
  for (let i = 0; i < mse.length; i++) {
    const v = mse[i];
    if (Number.isFinite(v)) sum += v;
    else bad++;
    if (i >= w) {
      const old = mse[i - w];
      if (Number.isFinite(old)) sum -= old;
      else bad--;
    }
    if (i >= w - 1 && bad === 0 && sum / w <= target) return i + 1;
  }
  return null;
}

/** Median cost of one clock reading, in µs (the median of 31 batches of 1000 back-to-back readings). */
export function clockOverheadUs(): number {
  const per: number[] = [];
  for (let k = 0; k < 31; k++) {
    const t0 = now();
    let t = t0;
    for (let i = 0; i < 1000; i++) t = now();
    per.push(t - t0); // ms per 1000 readings = µs per reading
  }
  per.sort((a, b) => a - b);
  return per[15];
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/** Measures the configurations as described above; resolves with null if cancelled. */
export async function measureTiming(specs: readonly RunSpec[], options: TimingOptions): Promise<TimingMeasurement | null> {
  if (specs.length === 0) throw new RangeError('nothing to time');
  const { repeats, warmup, targetMse } = options;
  const cancelled = options.cancelled ?? (() => false);
  const yieldTo = options.yieldTo ?? (() => Promise.resolve());
  const start = now();
  const overhead = clockOverheadUs();
  const n = specs.length;
  const total = n * (repeats + warmup);
  let done = 0;
  const configs: ConfigTiming[] = specs.map((spec) => ({ spec, kernel: '', batchesRun: 0, repeats: [], costsIdentical: true }));
  const reference: (Float64Array | null)[] = specs.map(() => null);

  for (let round = 0; round < warmup + repeats; round++) {
    for (let position = 0; position < n; position++) {
      const c = (position + round) % n;
      const spec = specs[c];
      const trainer = new Trainer(spec, { backend: options.backend, timingEvery: 1, batchTimes: true, task: options.tasks?.[c] });
      const outcome = await driveAsync(trainer, { cancelled, yieldTo, intervalMs: 50 });
      if (outcome === 'cancelled') return null;
      const r = trainer.result();
      const cfg = configs[c];
      cfg.kernel = r.kernel;
      cfg.batchesRun = r.batchesRun;
      if (reference[c] === null) reference[c] = r.costHistory;
      else if (!sameBits(reference[c]!, r.costHistory)) cfg.costsIdentical = false;
      if (round >= warmup) {
        const reached = batchesToTarget(r.mseHistory, targetMse);
        let msToTarget: number | null = null;
        if (reached !== null) {
          msToTarget = 0;
          for (let i = 0; i < reached; i++) msToTarget += trainer.batchMs![i];
        }
        cfg.repeats.push({
          round: round - warmup,
          position,
          usPerSample: { ...r.timing.usPerSample },
          wallMs: r.timing.trainMs,
          batchesToTarget: reached,
          msToTarget,
          finalCost: r.finalCost,
          status: r.status,
        });
      }
      options.onProgress?.(++done, total);
      await yieldTo();
    }
  }
  return { configs, repeats, warmup, targetMse, timingEvery: 1, clockOverheadUs: overhead, totalMs: now() - start };
}
