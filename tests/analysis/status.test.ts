import { describe, expect, it } from 'vitest';
import { RUN_STATUSES } from '../../src-main/db/types';
import { hasOutcome, hasSeries, isActive, isEnded } from '../../src-main/analysis/status';

describe('analysis/status', () => {
  it('sorts every status into active or ended, once', () => {
    expect(RUN_STATUSES.filter(isActive)).toEqual(['queued', 'running']);
    expect(RUN_STATUSES.filter(isEnded)).toEqual(['done', 'failed', 'cancelled', 'interrupted', 'diverged']);
    for (const s of RUN_STATUSES) expect(isActive(s)).toBe(!isEnded(s));
  });

  it('gives an outcome only to ended runs, and series to runs that trained', () => {
    for (const s of RUN_STATUSES) {
      if (hasOutcome(s) || hasSeries(s)) expect(isEnded(s)).toBe(true);
    }
    expect(RUN_STATUSES.filter(hasSeries)).toEqual(['done', 'cancelled', 'diverged']);
  });
});
