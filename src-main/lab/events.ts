/**
 * The events the lab pushes to its subscribers (LabService.on), defined once. The API contract
 * derives their wire form from these (LabEventWire), so the two cannot drift apart. Types only:
 * the contract, and through it the renderer, import this file.
 */
import type { FinalStatus } from '../db/types';

/**
 * Where a paused run stopped (step-through, issue 15): after batchesDone of its batches; the cost
 * of batch batchesDone (the trainer's cost history; NaN at 0), the test set's loss per sample and
 * metric with the weights now (NaN without a test set), and those weights, flat in finalWeights'
 * order (null for a network of more than a million weights).
 */
export interface PausedAt {
  batchesDone: number;
  batches: number;
  cost: number;
  testLoss: number;
  testMetric: number;
  weights: Float64Array | null;
}

/** What a step-through request (LabService.control) found: where the run stopped, that it runs on, or how it ended first. */
export type StepAnswer = { state: 'paused'; at: PausedAt } | { state: 'running' } | { state: 'ended'; status: FinalStatus; error: string | null };

/** How a timing job ended. */
export type TimingStatus = 'done' | 'cancelled' | 'failed';

export type LabEvent =
  | { type: 'run/queued'; runId: number; experimentId: number | null }
  /** `worker`: the queue worker that took a run sent to a job queue. */
  | { type: 'run/started'; runId: number; worker?: string }
  /** The costs of batches [from, batchesDone), every `stride`-th (for live curves). */
  | { type: 'run/progress'; runId: number; batchesDone: number; batches: number; cost: number; elapsedMs: number; from: number; stride: number; costs: Float64Array }
  | { type: 'run/finished'; runId: number; status: FinalStatus; error: string | null }
  /** Step-through: the run stopped to wait after batch batchesDone (PausedAt without its weights: runs/control answers those). */
  | ({ type: 'run/paused'; runId: number } & Omit<PausedAt, 'weights'>)
  /** Step-through: the run goes on straight again. */
  | { type: 'run/resumed'; runId: number }
  /** A worker would not train a run sent to the job queue (another app version or kernel); it went back to the queue. */
  | { type: 'run/refused'; runId: number; worker: string; reason: string }
  | { type: 'timing/queued'; jobId: number; configKeys: string[]; experimentId: number | null }
  | { type: 'timing/started'; jobId: number }
  | { type: 'timing/progress'; jobId: number; done: number; total: number }
  | { type: 'timing/finished'; jobId: number; status: TimingStatus; timingId: number | null; error: string | null };
