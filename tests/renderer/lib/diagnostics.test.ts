/** lib/compare/diagnostics: the diagnostics panel's rows. */
import { describe, expect, it } from 'vitest';
import { diagnosticsRows } from '../../../src-renderer/src/lib/compare/diagnostics';
import { record, summary } from '../helpers/fake-lab';

describe('renderer/lib/compare/diagnostics', () => {
  it('counts the batch a run diverged at from 1, as the cost chart’s x axis and the CLI do (the trainer stores its index)', () => {
    const diverged = record(summary(3, {}, { status: 'diverged', batchesRun: 5 }));
    diverged.diagnostics = { ...diverged.diagnostics!, divergedAtBatch: 4 };
    const fine = record(summary(4));
    const rows = diagnosticsRows([{ key: 'k', label: 'relu', color: '#000000', runs: [{ run: diverged, series: {} }, { run: fine, series: {} }] }]);
    expect(rows.map((r) => [r.runId, r.divergedAtBatch])).toEqual([[3, 5], [4, null]]);
  });
});
