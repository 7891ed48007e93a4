/**
 * Which stored checkpoint a view draws: the one nearest a fraction of training, or the last one
 * the run reached (a run that diverged or was cancelled has rows for the checkpoints it never
 * reached, NaN). The boundary of a classification run draws it, and the lab sends that row alone
 * when the Compare page asks a checkpoint series' last row (api/handlers 'runs/compare'). Pure.
 */

/** The last checkpoint (row index) the run reached: batch set and at most batchesRun; −1 when none. */
export function lastReachedCheckpoint(batches: ArrayLike<number | null>, batchesRun: number | null): number {
  for (let k = batches.length - 1; k >= 0; k--) {
    const b = batches[k];
    if (b !== null && (batchesRun === null || b <= batchesRun)) return k;
  }
  return -1;
}

/** The checkpoint to draw: the one nearest `at` (0 = init, 1 = end), else the last one the run reached (−1: it reached none). */
export function checkpointIndex(batches: ArrayLike<number | null>, batchesRun: number | null, at: number | null): number {
  const last = lastReachedCheckpoint(batches, batchesRun);
  if (last < 0) return -1;
  if (at === null) return last;
  return Math.round(Math.max(0, Math.min(1, at)) * (batches.length - 1));
}
