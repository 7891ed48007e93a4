/**
 * Drives a Trainer to the end in chunks sized so that each takes about `intervalMs`: progress is
 * reported at a bounded rate (never per batch) and the clock is read once per chunk, not per batch.
 * `driveSync` is for the CLI and tests; `driveAsync` yields to the event loop between chunks so a
 * trainer process can receive a cancel message while it trains, and can be paused and stepped
 * (Stepping: step-through for teaching). Chunk sizes never change the result: a run trained in
 * any chunks, paused and stepped or straight, gives the same bits.
 */
import { now } from './clock';
import type { Trainer } from './trainer';

export interface Progress {
  batchesDone: number;
  batches: number;
  /** Cost of the latest batch. */
  cost: number;
  elapsedMs: number;
}

export interface DriveOptions {
  /** Called at most once per interval, and once at the end. */
  onProgress?: (p: Progress) => void;
  /** Target time per chunk (default 50 ms: ≤ 20 progress reports per second). */
  intervalMs?: number;
}

/** Batches per chunk so the next chunk takes about intervalMs, given how long the last one took. */
function nextChunk(chunk: number, ran: number, ms: number, intervalMs: number): number {
  if (ran === 0) return chunk;
  if (ms <= 0) return Math.min(chunk * 4, 1 << 24);
  const ideal = Math.floor((ran * intervalMs) / ms);
  return Math.max(1, Math.min(ideal, chunk * 4, 1 << 24));
}

function report(trainer: Trainer, t0: number, onProgress?: (p: Progress) => void): void {
  if (!onProgress) return;
  const done = trainer.batchesDone;
  onProgress({ batchesDone: done, batches: trainer.spec.batches, cost: done > 0 ? trainer.costHistory[done - 1] : NaN, elapsedMs: now() - t0 });
}

export function driveSync(trainer: Trainer, options: DriveOptions = {}): void {
  const intervalMs = options.intervalMs ?? 50;
  const t0 = now();
  let chunk = 1;
  while (trainer.status === 'running') {
    const t = now();
    const ran = trainer.run(chunk);
    chunk = nextChunk(chunk, ran, now() - t, intervalMs);
    report(trainer, t0, options.onProgress);
  }
}

/** Pause and step (step-through of a live run): while paused, the driver runs only the batches step() grants, then waits. */
export interface Stepping {
  readonly paused: boolean;
  pause(): void;
  /** Grants `batches` more while paused (pausing first if not). */
  step(batches: number): void;
  resume(): void;
  /** The driver waits here while paused with no batches granted; any call above, or wake(), ends the wait. */
  wait(): Promise<void>;
  wake(): void;
  /** Batches granted and not yet run. */
  readonly granted: number;
  /** The driver ran `ran` granted batches. */
  took(ran: number): void;
}

export function stepping(startPaused = false): Stepping {
  let paused = startPaused;
  let granted = 0;
  let waiter: (() => void) | null = null;
  const wake = () => {
    const w = waiter;
    waiter = null;
    w?.();
  };
  return {
    get paused() {
      return paused;
    },
    get granted() {
      return granted;
    },
    pause() {
      paused = true;
    },
    step(batches) {
      paused = true;
      granted += batches;
      wake();
    },
    resume() {
      paused = false;
      granted = 0;
      wake();
    },
    wait: () => new Promise<void>((resolve) => (waiter = resolve)),
    wake,
    took(ran) {
      granted = Math.max(0, granted - ran);
    },
  };
}

/** Like driveSync, but awaits `yieldTo()` between chunks and stops early when `cancelled()` turns true. */
export async function driveAsync(
  trainer: Trainer,
  options: DriveOptions & {
    cancelled: () => boolean;
    yieldTo: () => Promise<void>;
    /** Pause and step; onPaused is called each time the driver stops to wait (paused, no batches granted). */
    stepping?: Stepping;
    onPaused?: () => void;
  },
): Promise<'finished' | 'cancelled'> {
  const intervalMs = options.intervalMs ?? 50;
  const t0 = now();
  const s = options.stepping;
  let chunk = 1;
  while (trainer.status === 'running') {
    if (options.cancelled()) return 'cancelled';
    if (s?.paused && s.granted === 0) {
      options.onPaused?.();
      await s.wait();
      continue;
    }
    const t = now();
    const ran = trainer.run(s?.paused ? Math.min(chunk, s.granted) : chunk);
    if (s?.paused) s.took(ran);
    chunk = nextChunk(chunk, ran, now() - t, intervalMs);
    report(trainer, t0, options.onProgress);
    await options.yieldTo();
  }
  return options.cancelled() ? 'cancelled' : 'finished';
}
