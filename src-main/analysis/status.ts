/**
 * What a run's status says, defined once for the CLI, the lab and the app: whether the run may
 * still change (active), whether it has ended, whether it has an outcome that a rate may count,
 * and whether it stored series to draw. Pure (no Node, no DOM).
 *
 * A status is the machinery's account of a run (queued, running, and how it ended); an outcome
 * (outcome.ts) is the configuration's result. Only runs that trained to the end, or diverged on
 * the way, have an outcome: a cancel, a trainer process that died, or an error is not something
 * the configuration did, so those runs are listed apart and never enter a rate.
 */
import type { RunStatus } from '../db/types';

/** Queued or training: the run's numbers may still change, and its owner may still be alive. */
export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running'];
/** Ended with an outcome of the configuration (trained to the end, or diverged): rates count these. */
export const OUTCOME_STATUSES: readonly RunStatus[] = ['done', 'diverged'];
/**
 * Ended without an outcome: a cancel, a trainer process that died (interrupted, or failed after
 * its retry), an error. Listed apart, never counted.
 */
export const NOT_COUNTED_STATUSES: readonly RunStatus[] = ['cancelled', 'interrupted', 'failed'];
/** Ended with stored series (a cancelled run keeps the batches it trained). */
export const SERIES_STATUSES: readonly RunStatus[] = ['done', 'diverged', 'cancelled'];

/** Queued or running. */
export const isActive = (s: RunStatus): boolean => ACTIVE_STATUSES.includes(s);
/** Ended, however: nothing about the run changes any more. */
export const isEnded = (s: RunStatus): boolean => !isActive(s);
/** Ended with an outcome that rates count. */
export const hasOutcome = (s: RunStatus): boolean => OUTCOME_STATUSES.includes(s);
/** Ended with stored series (cost history, fits, gradient norms). */
export const hasSeries = (s: RunStatus): boolean => SERIES_STATUSES.includes(s);

/** What a run waiting in a job queue (nnlab sweep --queue) is called: a worker trains it, and this lab stores it when it comes back. */
export const QUEUED_REMOTE = 'queued-remote';

/** Sent to a job queue and not stored yet (RunSummary.remote is where it went). */
export const isQueuedRemote = (r: { status: RunStatus; remote?: unknown }): boolean => Boolean(r.remote) && isActive(r.status);

/** A run's status in words, as the CLI and the app show it: `queued-remote` for a run waiting in a job queue. */
export const statusText = (r: { status: RunStatus; remote?: unknown }): string => (isQueuedRemote(r) ? QUEUED_REMOTE : r.status);
