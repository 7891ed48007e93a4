import { describe, expect, it } from 'vitest';
import { checkpointIndex, lastReachedCheckpoint } from '../../src-main/analysis/checkpoints';

describe('analysis/checkpoints', () => {
  it('finds the last checkpoint a run reached: batch set and within the batches it ran', () => {
    expect(lastReachedCheckpoint([0, 50, 100, 150], 150)).toBe(3);
    // cancelled after batch 60: the rows for 100 and 150 were never taken
    expect(lastReachedCheckpoint([0, 50, 100, 150], 60)).toBe(1);
    // a record without batchesRun (an old one) reached every checkpoint it lists; null batches are not checkpoints
    expect(lastReachedCheckpoint([0, 50, null], null)).toBe(1);
    expect(lastReachedCheckpoint([10, 20], 5)).toBe(-1);
    expect(lastReachedCheckpoint(new Float64Array([0, 25, 50]), 50)).toBe(2);
  });

  it('picks the checkpoint nearest a fraction of training, or the last reached for null', () => {
    expect(checkpointIndex([0, 50, 100, 150], 60, null)).toBe(1);
    expect(checkpointIndex([0, 50, 100, 150], 150, 0)).toBe(0);
    expect(checkpointIndex([0, 50, 100, 150], 150, 0.5)).toBe(2);
    expect(checkpointIndex([0, 50, 100, 150], 150, 2)).toBe(3);
    expect(checkpointIndex([10, 20], 5, 0.5)).toBe(-1);
  });
});
